import Diagnostics
import Numerics
import Plotting
import Tabular

/// Figures of a dataset's columns: histograms, scatter plots, box plots.
enum DataFigures {
    /// More groups than this would be colours nobody can tell apart.
    static let maximumGroups = 10

    /// A numeric column's values, with the groups of rows to draw apart (one unnamed group for all).
    struct Sample {
        let datasetName: String
        let rowCount: Int
        let groups: [(label: String, rows: [Int])]
    }

    static func histogram(_ values: [Double], column: String, bins: Int?, in sample: Sample) throws -> Figure {
        let groups = sample.groups
        // Bins span finite values; an infinite one is left out, and counted out in the title.
        let used = groups.flatMap { $0.rows }.filter { values[$0].isFinite }
        guard !used.isEmpty else { throw ModelshError.data("'\(column)' has no finite values to plot") }
        let edges = Histogram.edges(used.map { values[$0] }, bins: bins)
        let series = groups.map { group in
            let counts = Histogram(group.rows.map { values[$0] }, edges: edges).counts
            let bars = counts.indices.map { Bar(x0: edges[$0], x1: edges[$0 + 1], y0: 0, y1: Double(counts[$0])) }
            return Series(group.label, .bars(bars, horizontal: false))
        }
        return Figure(kind: .histogram, title: "Histogram of \(column) (\(sample.description(used: used.count)))",
                      x: Axis(column, margin: 0), y: Axis("count", includesZero: true), series: series)
    }

    static func scatter(_ xs: [Double], _ ys: [Double], x: String, y: String, line: Bool, in sample: Sample) throws -> Figure {
        var series: [Series] = [], used = 0
        for (index, group) in sample.groups.enumerated() {
            let points = group.rows.filter { !xs[$0].isNaN && !ys[$0].isNaN }.map { Point(xs[$0], ys[$0]) }
            used += points.count
            series.append(Series(group.label, .points(points), colour: index))
            guard line, let fit = LeastSquaresLine(points), let low = points.map(\.x).min(), let high = points.map(\.x).max() else { continue }
            let equation = "y = \(NumberFormat.significant(fit.intercept, digits: 3)) \(fit.slope < 0 ? "-" : "+") \(NumberFormat.significant(abs(fit.slope), digits: 3))x"
            series.append(Series((group.label.isEmpty ? "least squares" : group.label) + ": " + equation,
                                 .line([Point(low, fit(low)), Point(high, fit(high))]), colour: index))
        }
        guard used > 0 else { throw ModelshError.data("no row has both '\(x)' and '\(y)'") }
        return Figure(kind: .scatter, title: "\(y) against \(x) (\(sample.description(used: used)))",
                      x: Axis(x), y: Axis(y), series: series)
    }

    static func box(_ values: [Double], column: String, by: String?, in sample: Sample) throws -> Figure {
        var boxes: [Box] = [], used = 0
        for (index, group) in sample.groups.enumerated() {
            let present = group.rows.map { values[$0] }.filter { !$0.isNaN }
            used += present.count
            if let summary = BoxSummary(present) { boxes.append(Box(position: Double(index), summary: summary)) }
        }
        guard used > 0 else { throw ModelshError.data("'\(column)' has no values to plot") }
        return Figure(kind: .box, title: "\(column)\(by.map { " by \($0)" } ?? "") (\(sample.description(used: used)))",
                      x: Axis(by ?? "", categories: sample.groups.map { $0.label.isEmpty ? column : $0.label }), y: Axis(column),
                      series: [Series("", .boxes(boxes))])
    }

    // MARK: - Columns

    /// A numeric column's values, NaN where missing.
    static func numbers(_ data: Dataset, _ name: String) throws -> [Double] {
        let column = try data.requireColumn(name)
        guard let values = column.numbers else {
            throw ModelshError.usage("'\(name)' is \(column.type.rawValue); this plot needs a numeric column")
        }
        return values.indices.map { column.isMissing($0) ? .nan : values[$0] }
    }

    /// The rows of each value of a grouping column, in the column's order (levels as listed,
    /// numbers ascending), leaving out rows where it is missing.
    static func groupRows(_ data: Dataset, _ name: String) throws -> [(label: String, rows: [Int])] {
        let column = try data.requireColumn(name)
        var rowsByLabel: [String: [Int]] = [:]
        for row in 0 ..< column.count {
            guard let label = column.text(at: row) else { continue }
            rowsByLabel[label, default: []].append(row)
        }
        let order: [String]
        switch column.storage {
        case .categories(_, let levels): order = levels.filter { rowsByLabel[$0] != nil }
        case .numbers(let values):
            let firstRow = rowsByLabel.mapValues { values[$0[0]] }
            order = rowsByLabel.keys.sorted { firstRow[$0]! < firstRow[$1]! }
        case .strings: order = rowsByLabel.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        guard order.count <= maximumGroups else {
            throw ModelshError.usage("'\(name)' has \(order.count) different values; by= draws at most \(maximumGroups) groups")
        }
        return order.map { ($0, rowsByLabel[$0]!) }
    }

}

extension DataFigures.Sample {
    /// "iris, 150 rows" or "gaps, 48 of 50 rows".
    func description(used: Int) -> String {
        datasetName + ", " + (used == rowCount ? DatasetDescription.rows(rowCount) : "\(used) of \(DatasetDescription.rows(rowCount))")
    }
}
