/// A content fingerprint (to record which data a model was trained on) and a memory estimate
/// (for `vars`).
extension Dataset {
    /// A 64-bit hash of the dataset's content, as 16 lowercase hex digits.
    ///
    /// The hash (`ContentHash`) takes 64-bit words: each is mixed by SplitMix64's finaliser,
    /// then folded in as FNV-1a folds a byte (h = (h xor mix(w)) · 0x100000001b3, from
    /// 0xcbf29ce484222325). Hashed, in order: the row count; then per column its name, its type
    /// name, its missing mask (the bitmap's words, bit row%64 of word row/64), and its present
    /// values: a number's IEEE bits; for a categorical column the level count, each level,
    /// then each present value's level code; a text value as a string. A string is its UTF-8
    /// byte count, then its bytes packed little-endian into words, the last padded with zeros.
    /// One mix and one multiply per value: hashing a million-row table costs a few hundredths of
    /// a second, so every fit can record what it saw. Stable across machines: workspaces store it
    /// and check it on open (Tests/References/fingerprint.py implements it independently).
    public var fingerprint: String { derived.value("fingerprint", computedFingerprint) }

    private func computedFingerprint() -> String {
        var hasher = ContentHash()
        hasher.add(UInt64(rowCount))
        for column in columns {
            hasher.add(column.name)
            hasher.add(column.type.rawValue)
            for word in column.missing.words { hasher.add(word) }
            let noneMissing = column.missingCount == 0
            switch column.storage {
            case .numbers(let values):
                if noneMissing {
                    for value in values { hasher.add(value.bitPattern) }
                } else {
                    for (row, value) in values.enumerated() where !column.missing[row] { hasher.add(value.bitPattern) }
                }
            case .categories(let codes, let levels):
                hasher.add(UInt64(levels.count))
                for level in levels { hasher.add(level) }
                for (row, code) in codes.enumerated() where noneMissing || !column.missing[row] {
                    hasher.add(UInt64(bitPattern: Int64(code)))
                }
            case .strings(let strings):
                for row in strings.indices where noneMissing || !column.missing[row] { strings.withUTF8(at: row) { hasher.add(utf8: $0) } }
            }
        }
        let hex = String(hasher.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

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
                total += strings.approximateByteCount
            }
        }
        return total
    }
}

extension Dataset {
    /// The fingerprint of data seen in two parts (a model updated with more rows): the hash of
    /// the two parts' fingerprints, so it is equal exactly when both parts are.
    public static func fingerprint(combining first: String, _ second: String) -> String {
        var hasher = ContentHash()
        hasher.add(first)
        hasher.add(second)
        let hex = String(hasher.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The word-at-a-time hash `Dataset.fingerprint` documents.
struct ContentHash {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ word: UInt64) {
        var z = word
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        value = (value ^ z) &* 0x0000_0100_0000_01B3
    }

    mutating func add(_ string: String) { add(utf8: string.utf8) }

    /// A text by its UTF-8 bytes: their count, then eight at a time.
    mutating func add(utf8: some Collection<UInt8>) {
        add(UInt64(utf8.count))
        var word: UInt64 = 0, filled: UInt64 = 0
        for byte in utf8 {
            word |= UInt64(byte) << (8 * filled)
            filled += 1
            if filled == 8 {
                add(word)
                (word, filled) = (0, 0)
            }
        }
        if filled > 0 { add(word) }
    }
}
