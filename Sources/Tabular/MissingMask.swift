/// One bit per row, set where the value is missing. Stored as little-endian 64-bit words so
/// the workspace can write it as a block.
public struct MissingMask: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public let count: Int

    public init(count: Int) {
        self.count = count
        self.words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    /// Rebuilds a mask from stored words; extra high bits past `count` are cleared.
    public init(count: Int, words: [UInt64]) {
        precondition(words.count == (count + 63) / 64, "mask word count does not match row count")
        self.count = count
        self.words = words
        if count % 64 != 0, let last = words.indices.last {
            self.words[last] &= (UInt64(1) << UInt64(count % 64)) - 1
        }
    }

    public subscript(row: Int) -> Bool {
        get { words[row >> 6] & (UInt64(1) << UInt64(row & 63)) != 0 }
        set {
            let bit = UInt64(1) << UInt64(row & 63)
            if newValue { words[row >> 6] |= bit } else { words[row >> 6] &= ~bit }
        }
    }

    public var setCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
}
