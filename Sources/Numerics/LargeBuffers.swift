/// Passes over large arrays of doubles that the fits make before any arithmetic: checking that
/// every value is finite.
package enum LargeBuffers {
    /// Whether every value is finite; a long buffer is checked in pieces on every core.
    package static func allFinite(_ values: UnsafeBufferPointer<Double>) -> Bool {
        let pieceLength = 1 << 18
        guard values.count >= 2 * pieceLength else { return allFiniteInOnePass(values) }
        let pieces = (values.count + pieceLength - 1) / pieceLength
        return mapConcurrently(count: pieces) { piece in
            allFiniteInOnePass(UnsafeBufferPointer(rebasing: values[piece * pieceLength ..< min(values.count, (piece + 1) * pieceLength)]))
        }.allSatisfy { $0 }
    }

    /// Whether every value is finite, eight at a time: x · 0 is 0 for a finite x and NaN for an
    /// infinity or a NaN, and a sum holding one NaN stays NaN.
    private static func allFiniteInOnePass(_ values: UnsafeBufferPointer<Double>) -> Bool {
        typealias Lanes = SIMD8<Double>
        let lanes = Lanes.scalarCount, whole = values.count / lanes * lanes
        var sum = Lanes()
        if let base = values.baseAddress {
            let raw = UnsafeRawPointer(base)
            for start in stride(from: 0, to: whole, by: lanes) {
                sum += raw.loadUnaligned(fromByteOffset: start * MemoryLayout<Double>.stride, as: Lanes.self) * 0
            }
        }
        return sum == Lanes() && values[whole...].allSatisfy(\.isFinite)
    }

    package static func allFinite(_ values: ArraySlice<Double>) -> Bool {
        values.withUnsafeBufferPointer(allFinite)
    }
}
