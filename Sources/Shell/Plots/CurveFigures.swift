import Diagnostics
import Models
import Numerics
import Plotting
import Store

/// Figures of scores over something: training size (`learning-curve`) and time (`monitor history`).
enum CurveFigures {
    /// Train and validation means against training size, each with one standard deviation of
    /// the folds either side.
    static func learningCurve(_ curve: LearningCurve, kind: String, dataName: String) -> Figure {
        var series: [Series] = []
        for (name, summary) in [("train", \LearningCurve.Point.train), ("validation", \LearningCurve.Point.validation)] {
            let points = curve.points.map { Point(Double($0.size), $0[keyPath: summary].mean) }
            series.append(Series(name, .line(points)))
            series.append(Series("\(name) ± 1 sd", .segments(curve.points.map { point in
                let value = point[keyPath: summary]
                return Segment(from: Point(Double(point.size), value.mean - value.standardDeviation),
                               to: Point(Double(point.size), value.mean + value.standardDeviation))
            }), style: .reference))
        }
        return Figure(kind: .learningCurve, title: "Learning curve of \(kind) on \(dataName) (\(curve.metric))",
                      x: Axis("training rows"), y: Axis(curve.metric), series: series)
    }

    /// The key metric of each monitoring entry that had labels, beside training's and the line
    /// below which `monitor history` flags an entry.
    static func monitoringHistory(_ version: ModelVersion, id: ModelVersionID, drop: Double) throws -> Figure {
        let key = ModelVersion.headlineMetric(for: version.model.task)
        let measured = version.monitoring.enumerated().compactMap { index, entry in entry.metric(key).map { Point(Double(index + 1), $0) } }
        guard !measured.isEmpty else {
            throw ModelshError.usage("no monitoring entry of \(id) measured \(key) (record one with labels: monitor \(id.name) on NEW label=COLUMN)")
        }
        var series = [Series(key, .line(measured)), Series("entries", .points(measured))]
        if let trained = version.model.profile?.metrics.first(where: { $0.name == key })?.value {
            let span = [1.0, Double(max(version.monitoring.count, 2))]
            series.append(Series("training (\(NumberFormat.significant(trained, digits: 4)))", .line(span.map { Point($0, trained) }), style: .reference))
            series.append(Series("flag below (\(NumberFormat.significant(trained - drop, digits: 4)))", .line(span.map { Point($0, trained - drop) }),
                                 style: .reference))
        }
        return Figure(kind: .monitoringHistory, title: "Monitoring history of \(id) (\(key))",
                      x: Axis("entry"), y: Axis(key), series: series)
    }
}
