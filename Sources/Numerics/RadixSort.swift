/// Sorting many doubles several times faster than the standard library's comparison sort: a
/// least-significant-digit radix sort on keys that order like the numbers.
///
/// A double's IEEE bits order like the number once the sign bit is flipped for positives and
/// every bit flipped for negatives. The 64-bit keys are sorted by 11-bit digits (six passes over
/// the keys; a pass is skipped when every key shares that digit, as the exponent's often do),
/// each pass a stable counting sort, so the whole is a sort. −0 is sorted as +0 and comes back
/// as +0 (the comparison sort calls them equal); NaNs, which the comparison sort cannot place,
/// go last.
package enum RadixSort {
    private static let digitBits = 11
    private static let digitCount = 1 << digitBits
    private static let passes = (64 + digitBits - 1) / digitBits

    /// `values` ascending; below a few hundred values the comparison sort is as fast.
    package static func sorted(_ values: [Double]) -> [Double] {
        guard values.count > 256 else { return values.sorted() }
        var keys = values.map(key), order: [Int]? = nil
        sortByDigits(&keys, carrying: &order)
        return keys.map(value)
    }

    /// The indices of `keys` in ascending order of key, equal keys in index order (a stable
    /// argsort): the same passes, carrying each key's index.
    package static func stableOrder(of keys: [UInt64]) -> [Int] {
        guard keys.count > 256 else { return keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 } }
        var keys = keys, order: [Int]? = Array(keys.indices)
        sortByDigits(&keys, carrying: &order)
        return order!
    }

    /// Sorts `keys` by stable counting passes, one per 11-bit digit from the lowest, moving
    /// `order` (when given) with them. Every pass's digit counts come from one read of the keys.
    private static func sortByDigits(_ keys: inout [UInt64], carrying order: inout [Int]?) {
        let n = keys.count
        var counts = [Int](repeating: 0, count: passes * digitCount)
        counts.withUnsafeMutableBufferPointer { counts in
            for key in keys {
                for pass in 0 ..< passes { counts[pass * digitCount + Int((key >> UInt64(pass * digitBits)) & UInt64(digitCount - 1))] += 1 }
            }
        }
        var spareKeys = [UInt64](repeating: 0, count: n), spareOrder = order.map { _ in [Int](repeating: 0, count: n) }
        for pass in 0 ..< passes {
            let base = pass * digitCount, shift = UInt64(pass * digitBits)
            // A digit every key shares orders nothing.
            if counts[base + Int((keys[0] >> shift) & UInt64(digitCount - 1))] == n { continue }
            var offsets = [Int](repeating: 0, count: digitCount)
            var total = 0
            for digit in 0 ..< digitCount { (offsets[digit], total) = (total, total + counts[base + digit]) }
            keys.withUnsafeBufferPointer { source in
                spareKeys.withUnsafeMutableBufferPointer { target in
                    offsets.withUnsafeMutableBufferPointer { offsets in
                        if let order, spareOrder != nil {
                            spareOrder!.withUnsafeMutableBufferPointer { targetOrder in
                                for (key, index) in zip(source, order) {
                                    let digit = Int((key >> shift) & UInt64(digitCount - 1))
                                    (target[offsets[digit]], targetOrder[offsets[digit]]) = (key, index)
                                    offsets[digit] += 1
                                }
                            }
                        } else {
                            for key in source {
                                let digit = Int((key >> shift) & UInt64(digitCount - 1))
                                target[offsets[digit]] = key
                                offsets[digit] += 1
                            }
                        }
                    }
                }
            }
            swap(&keys, &spareKeys)
            if order != nil { swap(&order!, &spareOrder!) }
        }
    }

    /// A key that orders like the number: −0 as +0, every NaN above +∞.
    package static func key(_ value: Double) -> UInt64 {
        let bits = value == 0 ? 0 : value.isNaN ? Double.nan.bitPattern : value.bitPattern
        return bits >> 63 == 0 ? bits | (1 << 63) : ~bits
    }

    private static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key >> 63 == 1 ? key & ~(1 << 63) : ~key)
    }
}
