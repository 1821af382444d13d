/// The range, mean and population standard deviation of a column's values, in two vectorised
/// passes: the minimum, maximum and sum in eight lanes, then the squared deviations from the
/// mean (the two-pass algorithm, which a one-pass sum of squares would lose to cancellation).
/// Eight partial sums are also more accurate than one running sum.
package struct ValueMoments: Sendable {
    package let minimum: Double
    package let maximum: Double
    package let mean: Double
    /// Population standard deviation.
    package let deviation: Double

    private typealias Lanes = SIMD8<Double>

    /// The moments of `values` (at least one).
    package init(_ values: [Double]) {
        precondition(!values.isEmpty, "moments of no values")
        let lanes = Lanes.scalarCount
        let (minimum, maximum, sum) = values.withUnsafeBufferPointer { buffer -> (Double, Double, Double) in
            let whole = buffer.count / lanes * lanes
            var low = Lanes(repeating: buffer[0]), high = low, sum = Lanes()
            let raw = UnsafeRawPointer(buffer.baseAddress!)
            for start in stride(from: 0, to: whole, by: lanes) {
                let chunk = raw.loadUnaligned(fromByteOffset: start * MemoryLayout<Double>.stride, as: Lanes.self)
                // Swift.min and Swift.max lane by lane (the generic pointwiseMin/Max were calls).
                low.replace(with: chunk, where: chunk .< low)
                high.replace(with: chunk, where: chunk .>= high)
                sum += chunk
            }
            var minimum = low.min(), maximum = high.max(), total = sum.sum()
            for value in buffer[whole...] {
                minimum = Swift.min(minimum, value)
                maximum = Swift.max(maximum, value)
                total += value
            }
            return (minimum, maximum, total)
        }
        let mean = sum / Double(values.count)
        let squares = values.withUnsafeBufferPointer { buffer -> Double in
            let whole = buffer.count / lanes * lanes
            let centre = Lanes(repeating: mean)
            var sum = Lanes()
            let raw = UnsafeRawPointer(buffer.baseAddress!)
            for start in stride(from: 0, to: whole, by: lanes) {
                let deviation = raw.loadUnaligned(fromByteOffset: start * MemoryLayout<Double>.stride, as: Lanes.self) - centre
                sum += deviation * deviation
            }
            var total = sum.sum()
            for value in buffer[whole...] { total += (value - mean) * (value - mean) }
            return total
        }
        self.minimum = minimum
        self.maximum = maximum
        self.mean = mean
        deviation = (squares / Double(values.count)).squareRoot()
    }
}
