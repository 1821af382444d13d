import Foundation
import Numerics

/// Axis ticks at "nice" numbers: multiples of 1, 2 or 5 times a power of ten, as R's pretty()
/// and most plotting libraries choose them, so labels read as round numbers.
public enum Ticks {
    /// The nice step nearest `span / count` (1, 2 or 5 × 10^k), rounding as Heckbert's
    /// "nice numbers" do: up to 1.5 → 1, up to 3 → 2, up to 7 → 5, else 10.
    public static func step(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite, count > 0 else { return 1 }
        let raw = span / Double(count)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let residual = raw / magnitude
        let factor: Double = residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10
        return factor * magnitude
    }

    /// The multiples of the nice step for about `count` intervals that lie in `low...high`.
    public static func values(from low: Double, to high: Double, count: Int) -> [Double] {
        guard low.isFinite, high.isFinite, high > low else { return low.isFinite ? [low] : [] }
        // A span beyond the largest double (-1e308 to 1e308) is measured in halves; a step that
        // underflows (subnormal data) would make endless multiples, so the ends stand alone.
        let span = high - low
        let step = span.isFinite ? step(span: span, count: count) : 2 * step(span: high / 2 - low / 2, count: count)
        guard step.isNormal else { return [low, high] }
        // Whole multiples of the step, so 0.1 + 0.2 drift never shows in a label.
        let first = (low / step - 1e-9).rounded(.up), last = (high / step + 1e-9).rounded(.down)
        guard last >= first else { return [] }
        return stride(from: first, through: last, by: 1).map { index in
            let value = index * step
            return value == 0 ? 0 : value  // no "-0"
        }
    }

    /// Labels for ticks spaced `step` apart: as many decimals as the step needs, or
    /// significant digits for very large or very small magnitudes.
    public static func labels(_ values: [Double]) -> [String] {
        guard values.count > 1 else { return values.map { NumberFormat.significant($0, digits: 4) } }
        let step = abs(values[1] - values[0])
        let largest = values.map(abs).max() ?? 0
        if largest >= 1e6 || step < 1e-4 {
            return values.map { NumberFormat.significant($0, digits: 3) }
        }
        let decimals = max(0, Int((-log10(step) + 1e-9).rounded(.up)))
        return values.map { NumberFormat.fixed($0, decimals: decimals) }
    }
}

/// The data range an axis shows and its ticks: a fixed range, the categories' slots, or the
/// data's extent with the axis's margin (reaching 0 when it must).
struct AxisScale {
    let low: Double
    let high: Double
    let ticks: [Double]
    let labels: [String]

    init(_ axis: Axis, values: [Double], tickCount: Int) {
        if let categories = axis.categories {
            low = -0.5
            high = Double(max(categories.count, 1)) - 0.5
            ticks = categories.indices.map(Double.init)
            labels = categories
            return
        }
        var (low, high) = axis.range.map { ($0.lowerBound, $0.upperBound) } ?? AxisScale.extent(values)
        if axis.range == nil {
            if axis.includesZero { (low, high) = (min(low, 0), max(high, 0)) }
            if high == low { (low, high) = (low - max(abs(low) * 0.1, 0.5), high + max(abs(high) * 0.1, 0.5)) }
            let span = high - low
            let pad = span.isFinite ? span * axis.margin : (high / 2 - low / 2) * axis.margin * 2
            // A bar's base at 0 stays on the axis; a pad past the largest double stops there.
            if !(axis.includesZero && low == 0) { low = max(low - pad, -Double.greatestFiniteMagnitude) }
            if !(axis.includesZero && high == 0) { high = min(high + pad, Double.greatestFiniteMagnitude) }
        }
        (self.low, self.high) = (low, high)
        ticks = Ticks.values(from: low, to: high, count: tickCount)
        labels = Ticks.labels(ticks)
    }

    /// 0 at `low` to 1 at `high` (in halves when the span is beyond the largest double).
    func fraction(_ value: Double) -> Double {
        let span = high - low
        return span.isFinite ? (value - low) / span : (value / 2 - low / 2) / (high / 2 - low / 2)
    }

    private static func extent(_ values: [Double]) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return (0, 1) }
        return (low, high)
    }
}

extension Figure {
    /// Every x and y value the series reach, for fitting the axes to them.
    var extents: (x: [Double], y: [Double]) {
        var xs: [Double] = [], ys: [Double] = []
        for series in series {
            switch series.mark {
            case .points(let points), .line(let points):
                xs += points.map(\.x)
                ys += points.map(\.y)
            case .bars(let bars, _):
                xs += bars.flatMap { [$0.x0, $0.x1] }
                ys += bars.flatMap { [$0.y0, $0.y1] }
            case .boxes(let boxes):
                xs += boxes.map(\.position)
                ys += boxes.flatMap { [$0.summary.lowerWhisker, $0.summary.upperWhisker] + $0.summary.outliers }
            case .segments(let segments):
                xs += segments.flatMap { [$0.from.x, $0.to.x] }
                ys += segments.flatMap { [$0.from.y, $0.to.y] }
            }
        }
        return (xs, ys)
    }
}
