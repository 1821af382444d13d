import Foundation
import Numerics

/// A box plot's five figures and its outliers: quartiles by R's type 7 (numpy's default),
/// whiskers to the furthest values within 1.5 IQR of the box (Tukey's rule, as matplotlib
/// and R draw them) but never inside the box, and the values beyond them.
public struct BoxSummary: Sendable, Equatable {
    public var lowerWhisker, lowerQuartile, median, upperQuartile, upperWhisker: Double
    public var outliers: [Double]
    public var count: Int

    /// nil for no finite values.
    public init?(_ values: [Double]) {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let (q1, q3) = (Quantile.type7(sorted: sorted, 0.25), Quantile.type7(sorted: sorted, 0.75))
        let reach = 1.5 * (q3 - q1)
        let inside = sorted.filter { $0 >= q1 - reach && $0 <= q3 + reach }
        // A quartile interpolated towards an outlier can lie beyond every value inside the fences
        // (1, 2, 3, 100: Q3 = 27.25, the last value inside is 3): the whisker then stops at the
        // box, as matplotlib's does, rather than pointing into it.
        let (low, high) = (min(inside.first ?? q1, q1), max(inside.last ?? q3, q3))
        (lowerQuartile, upperQuartile, lowerWhisker, upperWhisker) = (q1, q3, low, high)
        median = Quantile.type7(sorted: sorted, 0.5)
        outliers = sorted.filter { $0 < low || $0 > high }
        count = sorted.count
    }
}

/// Histogram bins: edges and the count in each bin (the last bin includes its upper edge,
/// as numpy and R count).
public struct Histogram: Sendable, Equatable {
    public let edges: [Double]
    public let counts: [Int]

    /// `bins` equal bins from the smallest value to the largest (numpy's histogram); without
    /// `bins`, Sturges' number of bins (R's default) on edges at a nice 1-2-5 step.
    public init(_ values: [Double], bins: Int? = nil) {
        self.init(values, edges: Histogram.edges(values.filter(\.isFinite), bins: bins))
    }

    /// Counts of `values` between given edges; values outside them are not counted.
    public init(_ values: [Double], edges: [Double]) {
        var counts = [Int](repeating: 0, count: max(edges.count - 1, 0))
        for value in values where value.isFinite && !counts.isEmpty {
            guard value >= edges[0], value <= edges[edges.count - 1] else { continue }
            // The last edge below or at the value; the top edge belongs to the last bin.
            var low = 0, high = edges.count - 1
            while high - low > 1 {
                let middle = (low + high) / 2
                if edges[middle] <= value { low = middle } else { high = middle }
            }
            counts[min(low, counts.count - 1)] += 1
        }
        self.edges = edges
        self.counts = counts
    }

    /// Infinite and NaN values are left out (an infinite one made the default bins endless).
    public static func edges(_ values: [Double], bins: Int?) -> [Double] {
        let finite = values.filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max() else { return [0, 1] }
        if low == high { (low, high) = (low - 0.5, high + 0.5) }
        let sturges = Int((log2(Double(finite.count))).rounded(.up)) + 1
        let step = Ticks.step(span: high - low, count: sturges)
        // Round edges need a finite span and a normal step (-1e308 to 1e308 spans more than a
        // double holds; 1e-320 steps are subnormal); else equal bins, weighted so that no sum
        // overflows.
        guard bins == nil, (high - low).isFinite, step.isNormal else {
            let count = bins ?? sturges
            return (0 ... count).map { i in
                guard i < count else { return high }
                guard (high - low).isFinite else { return low * (1 - Double(i) / Double(count)) + high * (Double(i) / Double(count)) }
                return low + (high - low) * Double(i) / Double(count)
            }
        }
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        return stride(from: first, through: max(last, first + 1), by: 1).map { (index: Double) -> Double in
            let edge = index * step
            return edge == 0 ? 0 : edge  // no "-0"
        }
    }
}

/// The least-squares line y = intercept + slope · x, from centred sums.
public struct LeastSquaresLine: Sendable, Equatable {
    public let intercept: Double
    public let slope: Double

    /// nil for fewer than two points or no spread in x.
    public init?(_ points: [Point]) {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard finite.count >= 2 else { return nil }
        let n = Double(finite.count)
        let meanX = finite.reduce(0) { $0 + $1.x } / n, meanY = finite.reduce(0) { $0 + $1.y } / n
        let sxx = finite.reduce(0) { $0 + ($1.x - meanX) * ($1.x - meanX) }
        let sxy = finite.reduce(0) { $0 + ($1.x - meanX) * ($1.y - meanY) }
        guard sxx > 0 else { return nil }
        slope = sxy / sxx
        intercept = meanY - slope * meanX
    }

    public func callAsFunction(_ x: Double) -> Double { intercept + slope * x }
}

/// A normal Q-Q plot's points, as R's qqnorm: the sorted values against the normal quantiles
/// of ppoints(n), and qqline's line through the first and third quartiles.
public struct NormalQuantiles: Sendable, Equatable {
    public let points: [Point]
    public let lineIntercept: Double
    public let lineSlope: Double

    public init(_ values: [Double]) {
        let sorted = values.filter(\.isFinite).sorted()
        let n = Double(sorted.count)
        // ppoints: (i − a) / (n + 1 − 2a), a = 3/8 for n ≤ 10, else 1/2.
        let a = sorted.count <= 10 ? 0.375 : 0.5
        points = sorted.enumerated().map { Point(Normal.quantile((Double($0.offset + 1) - a) / (n + 1 - 2 * a)), $0.element) }
        let q1 = Quantile.type7(sorted: sorted, 0.25), q3 = Quantile.type7(sorted: sorted, 0.75)
        let z1 = Normal.quantile(0.25), z3 = Normal.quantile(0.75)
        lineSlope = (q3 - q1) / (z3 - z1)
        lineIntercept = q1 - lineSlope * z1
    }
}
