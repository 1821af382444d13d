import Foundation

/// Long arrays of numbers in model files (a forest's nodes, k nearest neighbours' training rows)
/// as one string: a tag naming the element type, a colon, then base64 of the elements'
/// little-endian bytes. As JSON numbers, a 20-tree forest on 200,000 rows (8 million numbers)
/// made a 158 MB file that took 10 s to write and 5 s to read. Arrays of at most
/// `packedArrayInlineLimit` elements stay JSON arrays, readable and diffable; a reader takes
/// either form for any array, so files written before packing read unchanged. The bytes are the
/// values exactly (a NaN's payload too), and decoding checks the tag and that the byte count is
/// a whole number of elements; what the values mean is checked by the model's own checks.
package let packedArrayInlineLimit = 1024

/// An element type a packed array can hold: its fixed-width bits, little-endian in the file.
package protocol PackableNumber: Codable {
    associatedtype Bits: FixedWidthInteger & UnsignedInteger
    /// Names the element type in the packed string ("f64", …), so an array of another type is refused.
    static var packedTag: String { get }
    var packedBits: Bits { get }
    /// nil for bits that are not a value of the type (a boolean other than 0 or 1).
    init?(packedBits: Bits)
}

extension Double: PackableNumber {
    package static var packedTag: String { "f64" }
    package var packedBits: UInt64 { bitPattern }
    package init?(packedBits: UInt64) { self.init(bitPattern: packedBits) }
}

extension Int32: PackableNumber {
    package static var packedTag: String { "i32" }
    package var packedBits: UInt32 { UInt32(bitPattern: self) }
    package init?(packedBits: UInt32) { self.init(bitPattern: packedBits) }
}

extension Int: PackableNumber {
    package static var packedTag: String { "i64" }
    package var packedBits: UInt64 { UInt64(bitPattern: Int64(self)) }
    package init?(packedBits: UInt64) { self.init(Int64(bitPattern: packedBits)) }
}

extension Bool: PackableNumber {
    package static var packedTag: String { "bool" }
    package var packedBits: UInt8 { self ? 1 : 0 }
    package init?(packedBits: UInt8) {
        guard packedBits <= 1 else { return nil }
        self = packedBits == 1
    }
}

enum PackedArray {
    static func text<T: PackableNumber>(of values: [T]) -> String {
        let bits = values.map { $0.packedBits.littleEndian }
        let data = bits.withUnsafeBytes { Data($0) }
        return T.packedTag + ":" + data.base64EncodedString()
    }

    /// The values `text` packs, or a description of what is wrong with it.
    static func values<T: PackableNumber>(from text: String) -> Result<[T], PackingProblem> {
        let prefix = T.packedTag + ":"
        guard text.hasPrefix(prefix) else {
            return .failure(PackingProblem(description: "expected an array or a packed '\(T.packedTag)' array"))
        }
        guard let data = Data(base64Encoded: String(text.dropFirst(prefix.count))) else {
            return .failure(PackingProblem(description: "a packed array's base64 is damaged"))
        }
        let width = MemoryLayout<T.Bits>.size
        guard data.count % width == 0 else {
            return .failure(PackingProblem(description: "a packed array holds \(data.count) bytes, not a whole number of \(width)-byte elements"))
        }
        var values: [T] = []
        values.reserveCapacity(data.count / width)
        let valid = data.withUnsafeBytes { bytes in
            for offset in stride(from: 0, to: bytes.count, by: width) {
                guard let value = T(packedBits: T.Bits(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.Bits.self))) else { return false }
                values.append(value)
            }
            return true
        }
        guard valid else { return .failure(PackingProblem(description: "a packed '\(T.packedTag)' array holds a value that is not one")) }
        return .success(values)
    }

    struct PackingProblem: Error {
        let description: String
    }
}

extension KeyedEncodingContainer {
    /// `values` as a JSON array when short, else packed (`PackedArray`).
    package mutating func encode<T: PackableNumber>(packing values: [T], forKey key: Key) throws {
        if values.count <= packedArrayInlineLimit {
            try encode(values, forKey: key)
        } else {
            try encode(PackedArray.text(of: values), forKey: key)
        }
    }
}

extension KeyedDecodingContainer {
    /// An array written by `encode(packing:forKey:)`, or a plain JSON array.
    package func decode<T: PackableNumber>(packed type: [T].Type, forKey key: Key) throws -> [T] {
        guard let text = try? decode(String.self, forKey: key) else { return try decode(type, forKey: key) }
        switch PackedArray.values(from: text) as Result<[T], PackedArray.PackingProblem> {
        case .success(let values): return values
        case .failure(let problem): throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: problem.description)
        }
    }
}
