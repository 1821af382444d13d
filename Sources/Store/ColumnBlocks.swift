import Foundation
import Tabular

#if !_endian(little)
#error("The workspace stores little-endian arrays by copying memory; add byte swapping for this platform.")
#endif

/// One column as the workspace stores it: the type's name, the levels as a JSON array
/// (categorical only), a data block and the missing-mask block.
///
/// Data blocks: little-endian Float64 per row for integer, numeric and boolean columns;
/// little-endian Int32 codes per row for categorical columns (-1 or any valid code where
/// missing); for text, per row a little-endian UInt32 byte count and that many UTF-8 bytes.
/// The missing block is the mask's little-endian UInt64 words, bit `row % 64` of word
/// `row / 64` set where the value is missing.
struct ColumnBlocks {
    let type: String
    let levels: String?
    let data: UnsafeRawBufferPointer
    let missing: UnsafeRawBufferPointer

    /// Why a column cannot be stored or read back; the caller adds the file, dataset and column.
    struct Problem: Error {
        let reason: String
    }

    /// Lends the blocks of `column` to `body`. Number and code arrays are lent in place, not
    /// copied, since a workspace may hold hundreds of megabytes of them.
    static func withBlocks<T>(of column: Column, _ body: (ColumnBlocks) throws -> T) throws -> T {
        let type = column.type.rawValue
        return try column.missing.words.withUnsafeBytes { missing in
            switch (column.type, column.storage) {
            case (.integer, .numbers(let values)), (.numeric, .numbers(let values)), (.boolean, .numbers(let values)):
                return try values.withUnsafeBytes { try body(ColumnBlocks(type: type, levels: nil, data: $0, missing: missing)) }
            case (.categorical, .categories(let codes, let levels)):
                let levelsJSON = try encodeLevels(levels)
                return try codes.withUnsafeBytes { try body(ColumnBlocks(type: type, levels: levelsJSON, data: $0, missing: missing)) }
            case (.text, .strings(let values)):
                return try encodeStrings(values).withUnsafeBytes { try body(ColumnBlocks(type: type, levels: nil, data: $0, missing: missing)) }
            default:
                throw Problem(reason: "its type \(type) does not match how its values are held")
            }
        }
    }

    /// Rebuilds a column, checking every length and code, since the bytes come from a file
    /// that may have been truncated or edited by hand.
    func column(named name: String, rowCount: Int) throws -> Column {
        guard let columnType = ColumnType(rawValue: type) else {
            throw Problem(reason: "unknown column type '\(type)'")
        }
        let maskBytes = (rowCount + 63) / 64 * 8
        guard missing.count == maskBytes else {
            throw Problem(reason: "missing-value block is \(missing.count) bytes, expected \(maskBytes) for \(rowCount) rows")
        }
        let mask = MissingMask(count: rowCount, words: Self.copyArray(of: UInt64.self, from: missing))
        let storage: ColumnStorage
        switch columnType {
        case .integer, .numeric, .boolean:
            try expectDataBytes(rowCount * 8, rowCount: rowCount)
            storage = .numbers(Self.copyArray(of: Double.self, from: data))
        case .categorical:
            try expectDataBytes(rowCount * 4, rowCount: rowCount)
            let levels = try decodeLevels()
            let codes = Self.copyArray(of: Int32.self, from: data)
            try checkCodes(codes, levelCount: levels.count, mask: mask)
            storage = .categories(codes: codes, levels: levels)
        case .text:
            storage = .strings(try decodeStrings(rowCount: rowCount))
        }
        if columnType != .categorical && levels != nil {
            throw Problem(reason: "a \(type) column has levels")
        }
        return Column(name: name, type: columnType, storage: storage, missing: mask)
    }

    // MARK: - Encoding

    private static func encodeLevels(_ levels: [String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(levels), as: UTF8.self)
    }

    private static func encodeStrings(_ values: [String]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.reduce(0) { $0 + 4 + $1.utf8.count })
        for value in values {
            guard let length = UInt32(exactly: value.utf8.count) else {
                throw Problem(reason: "a text value is longer than 4 GiB")
            }
            withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: value.utf8)
        }
        return bytes
    }

    // MARK: - Decoding

    private static func copyArray<Element>(of type: Element.Type, from bytes: UnsafeRawBufferPointer) -> [Element] {
        let count = bytes.count / MemoryLayout<Element>.stride
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes) }
            initialized = count
        }
    }

    private func expectDataBytes(_ expected: Int, rowCount: Int) throws {
        guard data.count == expected else {
            throw Problem(reason: "data block is \(data.count) bytes, expected \(expected) for \(rowCount) rows of \(type)")
        }
    }

    private func decodeLevels() throws -> [String] {
        guard let levels, let levelList = try? JSONDecoder().decode([String].self, from: Data(levels.utf8)) else {
            throw Problem(reason: "levels are not a JSON array of strings")
        }
        guard Set(levelList).count == levelList.count else {
            throw Problem(reason: "levels repeat")
        }
        return levelList
    }

    private func checkCodes(_ codes: [Int32], levelCount: Int, mask: MissingMask) throws {
        for (row, code) in codes.enumerated() {
            let valid = mask[row] ? (-1..<Int32(levelCount)).contains(code) : (0..<Int32(levelCount)).contains(code)
            guard valid else {
                throw Problem(reason: "code \(code) in row \(row + 1) is not one of its \(levelCount) levels")
            }
        }
    }

    private func decodeStrings(rowCount: Int) throws -> [String] {
        var values: [String] = []
        values.reserveCapacity(rowCount)
        var offset = 0
        while values.count < rowCount {
            guard data.count - offset >= 4 else { throw truncatedText(values.count, rowCount) }
            let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
            guard data.count - offset >= length else { throw truncatedText(values.count, rowCount) }
            let utf8 = UnsafeRawBufferPointer(rebasing: data[offset..<(offset + length)])
            guard let value = String(validating: utf8, as: UTF8.self) else {
                throw Problem(reason: "text in row \(values.count + 1) is not valid UTF-8")
            }
            values.append(value)
            offset += length
        }
        guard offset == data.count else {
            throw Problem(reason: "data block has \(data.count - offset) bytes after its \(rowCount) text values")
        }
        return values
    }

    private func truncatedText(_ found: Int, _ rowCount: Int) -> Problem {
        Problem(reason: "data block ends after \(found) of \(rowCount) text values")
    }
}
