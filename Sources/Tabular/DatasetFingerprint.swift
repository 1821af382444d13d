/// A content fingerprint (to record which data a model was trained on) and a memory estimate
/// (for `vars`).
extension Dataset {
    /// FNV-1a 64 over the dataset's content, as 16 lowercase hex digits.
    ///
    /// Hashed, in order: the row count; then per column its name, type and values. Strings are
    /// their UTF-8 bytes preceded by their length, integers are 8 bytes little-endian, so no two
    /// different datasets are spelled the same. A value is a tag byte (0 missing, 1 present)
    /// followed, if present, by its number's IEEE bits, its category's level text, or its text.
    /// A categorical column's level list is hashed too, since models depend on it. Stable
    /// across machines and versions: it is stored in workspaces and model archives.
    public var fingerprint: String {
        var hasher = FNV1a64()
        hasher.add(UInt64(rowCount))
        for column in columns {
            hasher.add(column.name)
            hasher.add(column.type.rawValue)
            switch column.storage {
            case .numbers(let values):
                for (row, value) in values.enumerated() {
                    hasher.add(present: !column.missing[row])
                    if !column.missing[row] { hasher.add(value.bitPattern) }
                }
            case .categories(let codes, let levels):
                hasher.add(UInt64(levels.count))
                for level in levels { hasher.add(level) }
                for (row, code) in codes.enumerated() {
                    hasher.add(present: !column.missing[row])
                    if !column.missing[row] { hasher.add(levels[Int(code)]) }
                }
            case .strings(let strings):
                for (row, string) in strings.enumerated() {
                    hasher.add(present: !column.missing[row])
                    if !column.missing[row] { hasher.add(string) }
                }
            }
        }
        let hex = String(hasher.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Roughly how many bytes the dataset's values occupy: 8 per number, 4 per category code,
    /// each level's and string's UTF-8 bytes plus 16 for the `String` itself, the missing masks
    /// and the column names. Shared storage is counted as if it were not.
    public var approximateByteCount: Int {
        var total = 0
        for column in columns {
            total += column.name.utf8.count + 16 + column.missing.words.count * 8
            switch column.storage {
            case .numbers(let values):
                total += values.count * 8
            case .categories(let codes, let levels):
                total += codes.count * 4 + levels.reduce(0) { $0 + $1.utf8.count + 16 }
            case .strings(let strings):
                // Strings of up to 15 UTF-8 bytes are stored inline in their 16 bytes.
                total += strings.reduce(0) { $0 + 16 + ($1.utf8.count > 15 ? $1.utf8.count : 0) }
            }
        }
        return total
    }
}

/// The 64-bit Fowler–Noll–Vo 1a hash (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
struct FNV1a64 {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    mutating func add(_ word: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { add(byte: UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
    }

    mutating func add(present: Bool) { add(byte: present ? 1 : 0) }

    mutating func add(_ string: String) {
        add(UInt64(string.utf8.count))
        for byte in string.utf8 { add(byte: byte) }
    }
}
