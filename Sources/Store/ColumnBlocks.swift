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
/// `row / 64` set where the value is missing. The mask is the authority: reading puts the
/// in-memory placeholder (NaN, -1, "") in every missing slot, whatever the file held there.
struct ColumnBlocks {
    let type: String
    let levels: String?
    let data: UnsafeRawBufferPointer
    let missing: UnsafeRawBufferPointer

    /// Why a column cannot be stored or read back; the caller adds the file, dataset and column.
    struct Problem: Error {
        let reason: String
    }

    /// The checksum workspace format 5 stores with the column: of the data block, then the
    /// missing block, then the levels' UTF-8 (categorical only).
    var checksum: String {
        var checksum = Checksum()
        checksum.add(data)
        checksum.add(missing)
        if let levels { checksum.add(levels) }
        return checksum.hex
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

    /// Rebuilds a column, checking every length, code and value against the type, since the
    /// bytes come from a file that may have been truncated or edited by hand (the dataset's
    /// fingerprint is no defence: anyone can recompute it).
    func column(named name: String, rowCount: Int) throws -> Column {
        guard let columnType = ColumnType(rawValue: type) else {
            throw Problem(reason: "unknown column type \(StoredNames.quoted(type))")
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
            var values = Self.copyArray(of: Double.self, from: data)
            try Self.checkNumbers(&values, of: columnType, mask: mask)
            storage = .numbers(values)
        case .categorical:
            try expectDataBytes(rowCount * 4, rowCount: rowCount)
            let levels = try decodeLevels()
            var codes = Self.copyArray(of: Int32.self, from: data)
            try Self.checkCodes(&codes, levelCount: levels.count, mask: mask)
            storage = .categories(codes: codes, levels: levels)
        case .text:
            storage = .strings(try decodeStrings(rowCount: rowCount, mask: mask))
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

    private static func encodeStrings(_ values: TextColumn) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.indices.reduce(0) { $0 + 4 + values.byteCount(at: $1) })
        for row in values.indices {
            guard let length = UInt32(exactly: values.byteCount(at: row)) else {
                throw Problem(reason: "a text value is longer than 4 GiB")
            }
            withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
            values.withUTF8(at: row) { bytes.append(contentsOf: $0) }
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

    /// Largest magnitude of an integer value: beyond 2^53 doubles skip integers, and the shell
    /// converts integer values to Int64.
    private static let integerLimit = 9_007_199_254_740_992.0

    /// Checks each present value against the column type; puts NaN in missing slots.
    private static func checkNumbers(_ values: inout [Double], of type: ColumnType, mask: MissingMask) throws {
        if type == .numeric {
            // Any double is a valid number: only the missing slots, found a word of the mask at a
            // time, need a look (a million rows take a pass of 16,000 words, not a million bits).
            for (index, word) in mask.words.enumerated() where word != 0 {
                for bit in 0 ..< 64 where word & (1 << UInt64(bit)) != 0 && !values[index * 64 + bit].isNaN {
                    values[index * 64 + bit] = .nan
                }
            }
            return
        }
        for row in values.indices {
            let value = values[row]
            if mask[row] {
                if !value.isNaN { values[row] = .nan }
                continue
            }
            switch type {
            case .integer:
                guard value.isFinite, value.rounded(.towardZero) == value, abs(value) <= integerLimit else {
                    throw Problem(reason: "value \(value) in row \(row + 1) is not an integer of at most 2^53 in magnitude")
                }
            case .boolean:
                guard value == 0 || value == 1 else {
                    throw Problem(reason: "value \(value) in row \(row + 1) is not 0 or 1 (false or true)")
                }
            default:
                break
            }
        }
    }

    /// Checks each present code against the levels; puts -1 in missing slots.
    private static func checkCodes(_ codes: inout [Int32], levelCount: Int, mask: MissingMask) throws {
        for row in codes.indices {
            let code = Int(codes[row])
            let valid = mask[row] ? (-1..<levelCount).contains(code) : (0..<levelCount).contains(code)
            guard valid else {
                throw Problem(reason: "code \(code) in row \(row + 1) is not one of its \(levelCount) levels")
            }
            if mask[row] { codes[row] = -1 }
        }
    }

    /// The texts of `rowCount` rows, empty where `mask` marks a row missing.
    private func decodeStrings(rowCount: Int, mask: MissingMask) throws -> TextColumn {
        var values = TextColumn()
        // Each value takes at least its 4-byte length, so a damaged row count cannot make
        // this reservation huge.
        values.reserveCapacity(min(rowCount, data.count / 4))
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
            if mask[values.count] { values.appendEmpty() } else { values.append(value) }
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
