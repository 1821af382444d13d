import Tabular

extension Dataset {
    /// A deterministic 64-bit FNV-1a hash of the column names, types and every value, as 16
    /// hex digits: two fits saw the same data exactly when their fingerprints agree (up to
    /// hash collisions). Numbers hash by their IEEE bit pattern, categories by level name (so
    /// level order does not matter), and a missing value by a marker byte.
    func fingerprint() -> String {
        var hash = FNV1a()
        for column in columns {
            hash.add(column.name)
            hash.add(column.type.rawValue)
            for row in 0 ..< rowCount {
                if column.isMissing(row) { hash.add(byte: 0xFF); continue }
                switch column.storage {
                case .numbers(let values): hash.add(values[row].bitPattern)
                case .categories(let codes, let levels): hash.add(levels[Int(codes[row])])
                case .strings(let values): hash.add(values[row])
                }
            }
        }
        let hex = String(hash.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The 64-bit Fowler–Noll–Vo 1a hash: tiny, fast, portable and stable forever.
private struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// Little-endian bytes, so the hash is the same on every machine.
    mutating func add(_ word: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { add(byte: UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
    }

    /// UTF-8 bytes and a terminating zero, so ("ab", "c") and ("a", "bc") differ.
    mutating func add(_ text: String) {
        for byte in text.utf8 { add(byte: byte) }
        add(byte: 0)
    }
}
