import Diagnostics
import Models
import Numerics
import Plotting
import Tabular

/// Figures of a model: of its predictions on a dataset (residuals, Q-Q, predicted against
/// actual, ROC and precision-recall curves, the confusion matrix), or of what it learned
/// (importances, coefficients). Every figure comes from the numbers `evaluate`, `explain` and
/// `summary` use; nothing is computed a second way.
struct ModelFigures {
    let model: Model
    let modelName: String

    // MARK: - Regression

    /// Residual (actual − predicted) against the fitted value, with the zero line.
    func residuals(_ scored: ScoredRows, on dataName: String) throws -> Figure {
        let (actual, predicted) = try regression(scored, plot: "residuals")
        let points = zip(actual, predicted).map { Point($1, $0 - $1) }
        let (low, high) = (predicted.min()!, predicted.max()!)
        return Figure(kind: .residuals, title: "Residuals of \(modelName) on \(dataName) (\(DatasetDescription.rows(actual.count)))",
                      x: Axis("fitted \(target)"), y: Axis("residual"),
                      series: [Series("", .line([Point(low, 0), Point(high, 0)]), style: .reference), Series("", .points(points))])
    }

    /// The residuals' normal Q-Q plot with R's qqline (through the quartiles).
    func quantiles(_ scored: ScoredRows, on dataName: String) throws -> Figure {
        let (actual, predicted) = try regression(scored, plot: "qq")
        let qq = NormalQuantiles(zip(actual, predicted).map { $0 - $1 })
        let (low, high) = (qq.points.first!.x, qq.points.last!.x)
        let line = [Point(low, qq.lineIntercept + qq.lineSlope * low), Point(high, qq.lineIntercept + qq.lineSlope * high)]
        return Figure(kind: .qq, title: "Normal Q-Q plot of the residuals of \(modelName) on \(dataName)",
                      x: Axis("theoretical quantile"), y: Axis("residual"),
                      series: [Series("through the quartiles", .line(line), style: .reference), Series("", .points(qq.points))])
    }

    /// Predicted against actual, with the diagonal where they are equal.
    func predicted(_ scored: ScoredRows, on dataName: String) throws -> Figure {
        let (actual, predicted) = try regression(scored, plot: "pred")
        let low = min(actual.min()!, predicted.min()!), high = max(actual.max()!, predicted.max()!)
        return Figure(kind: .predicted, title: "Predicted against actual \(target): \(modelName) on \(dataName) (\(DatasetDescription.rows(actual.count)))",
                      x: Axis("actual \(target)"), y: Axis("predicted \(target)"),
                      series: [Series("predicted = actual", .line([Point(low, low), Point(high, high)]), style: .reference),
                               Series("", .points(zip(actual, predicted).map { Point($0, $1) }))])
    }

    // MARK: - Classification

    /// The ROC curve, one-vs-rest per class for more than two, each with its AUC; the points
    /// are scikit-learn's roc_curve (intermediate points on straight runs left out).
    func roc(_ scored: ScoredRows, on dataName: String) throws -> Figure {
        var series = [Series("chance", .line([Point(0, 0), Point(1, 1)]), style: .reference)]
        for (label, positive, scores) in try oneVersusRest(scored, plot: "roc") {
            let curve = try ClassificationMetrics.rocCurve(positive: positive, scores: scores, dropIntermediate: true)
            let auc = try ClassificationMetrics.rocAUC(positive: positive, scores: scores) ?? .nan
            series.append(Series("\(label) (AUC \(NumberFormat.fixed(auc, decimals: 3)))",
                                 .line(curve.map { Point($0.falsePositiveRate, $0.truePositiveRate) })))
        }
        return Figure(kind: .roc, title: "ROC curve of \(modelName) on \(dataName) (\(DatasetDescription.rows(scored.count)))",
                      x: Axis("false positive rate", range: 0 ... 1), y: Axis("true positive rate", range: 0 ... 1), series: series)
    }

    /// The precision-recall curve as scikit-learn's display draws it (a step after each
    /// point, recall falling), one-vs-rest per class for more than two; the dashed line is
    /// the share of positives, a random classifier's precision.
    func precisionRecall(_ scored: ScoredRows, on dataName: String) throws -> Figure {
        var series: [Series] = []
        let classes = try oneVersusRest(scored, plot: "pr")
        for (label, positive, scores) in classes {
            let curve = try ClassificationMetrics.precisionRecallCurve(positive: positive, scores: scores).reversed()
            var steps: [Point] = []
            for (point, next) in zip(curve, curve.dropFirst().map(Optional.some) + [nil]) {
                steps.append(Point(point.recall, point.precision))
                if let next { steps.append(Point(next.recall, point.precision)) }
            }
            series.append(Series(label, .line(steps)))
        }
        if classes.count == 1, let (_, positive, _) = classes.first {
            let share = Double(positive.filter { $0 }.count) / Double(positive.count)
            series.insert(Series("share of positives (\(NumberFormat.fixed(share, decimals: 3)))", .line([Point(0, share), Point(1, share)]),
                                 style: .reference), at: 0)
        }
        return Figure(kind: .precisionRecall, title: "Precision-recall curve of \(modelName) on \(dataName) (\(DatasetDescription.rows(scored.count)))",
                      x: Axis("recall", range: 0 ... 1), y: Axis("precision", range: 0 ... 1.02), series: series)
    }

    /// The confusion matrix of `evaluate`, rows the actual class.
    func confusion(on data: Dataset, named dataName: String) throws -> Figure {
        guard model.task == .classification else { throw refusal("confusion", needs: "a classifier") }
        let evaluation = try model.evaluate(on: data)
        let accuracy = evaluation.metric("accuracy").map { ", accuracy \(NumberFormat.fixed($0, decimals: 3))" } ?? ""
        let heatmap = Heatmap(rows: evaluation.classes, columns: evaluation.classes, values: evaluation.confusion.map { $0.map(Double.init) },
                              text: evaluation.confusion.map { $0.map(String.init) })
        return Figure(kind: .confusion, title: "Confusion matrix of \(modelName) on \(dataName)\(accuracy)",
                      x: Axis("predicted"), y: Axis("actual"), heatmap: heatmap)
    }

    // MARK: - What the model learned

    /// The kind's own importances as horizontal bars, the largest at the top.
    func importance() throws -> Figure {
        guard let own = model.state.featureImportances else {
            throw ModelshError.usage("a \(model.kind) model has no importances of its own (explain MODEL on DATA measures them by permutation)")
        }
        let names = model.schema.features.map(\.name)
        // Most important first (ties in schema order), as `explain` lists them; drawn bottom-up.
        // Features the model never used are left out and counted.
        let order = own.values.indices.filter { own.values[$0] != 0 }
            .sorted { own.values[$0] > own.values[$1] || (own.values[$0] == own.values[$1] && $0 < $1) }
        let shown = Array(order.prefix(Self.maximumRows).reversed())
        guard !shown.isEmpty else { throw ModelshError.usage("every importance of '\(modelName)' is 0: it uses no feature") }
        let bars = shown.enumerated().map { Bar(x0: 0, x1: own.values[$1], y0: Double($0) - 0.35, y1: Double($0) + 0.35) }
        let unused = names.count - order.count
        let note = (shown.count < order.count ? ", the top \(shown.count) of \(order.count)" : "")
            + (unused > 0 ? "; \(unused) feature\(unused == 1 ? "" : "s") with none not shown" : "")
        return Figure(kind: .importance, title: "Feature importance of \(modelName) (\(own.measure)\(note))",
                      x: Axis("importance (\(own.measure))", includesZero: true), y: Axis("", categories: shown.map { names[$0] }),
                      series: [Series("", .bars(bars, horizontal: true))])
    }

    /// The coefficients without the intercept, each with 1.96 standard errors either side where the
    /// fit has them, in the summary's order from the top; one colour per class of a
    /// multinomial fit.
    func coefficients() throws -> Figure {
        let sets = model.state.coefficientEstimates(in: model)
        guard let terms = sets.first?.terms.filter({ $0 != "(Intercept)" }), !terms.isEmpty else {
            throw ModelshError.usage("a \(model.kind) model has no coefficients to plot" + (sets.isEmpty ? "" : " besides its intercept"))
        }
        let shown = Array(terms.prefix(Self.maximumRows))
        let position = Dictionary(uniqueKeysWithValues: shown.reversed().enumerated().map { ($1, Double($0)) })
        let spread = 0.5 / Double(sets.count + 1)
        var series = [Series("", .line([Point(0, -0.5), Point(0, Double(shown.count) - 0.5)]), style: .reference)]
        for (k, set) in sets.enumerated() {
            let offset = sets.count == 1 ? 0 : spread * (Double(k) - Double(sets.count - 1) / 2)
            var points: [Point] = [], intervals: [Segment] = []
            for (j, term) in set.terms.enumerated() {
                guard let y = position[term].map({ $0 + offset }), set.estimates[j].isFinite else { continue }
                points.append(Point(set.estimates[j], y))
                if let error = set.standardErrors?[j], error.isFinite {
                    intervals.append(Segment(from: Point(set.estimates[j] - 1.96 * error, y), to: Point(set.estimates[j] + 1.96 * error, y)))
                }
            }
            if !intervals.isEmpty { series.append(Series(set.group == nil ? "1.96 standard errors either side" : "", .segments(intervals), colour: k)) }
            series.append(Series(set.group ?? (intervals.isEmpty ? "" : "estimate"), .points(points), colour: k))
        }
        let note = shown.count < terms.count ? "; the first \(shown.count) of \(terms.count) terms" : ""
        return Figure(kind: .coefficients, title: "Coefficients of \(modelName) (without the intercept\(note))",
                      x: Axis("estimate"), y: Axis("", categories: shown.reversed()), series: series)
    }

    // MARK: - Helpers

    /// More bars or terms than this are cut to the first ones.
    static let maximumRows = 30

    private var target: String { model.schema.target?.name ?? "" }

    private func regression(_ scored: ScoredRows, plot: String) throws -> (actual: [Double], predicted: [Double]) {
        guard case .values(let actual, let predicted) = scored else { throw refusal(plot, needs: "a regression model") }
        guard !actual.isEmpty else { throw ModelshError.data("no rows with both the target and a prediction") }
        return (actual, predicted)
    }

    /// Each class against the rest: one for a binary model (its second class, the one modelled).
    private func oneVersusRest(_ scored: ScoredRows, plot: String) throws -> [(label: String, positive: [Bool], scores: [Double])] {
        guard case .classes(let actual, let probabilities, let labels) = scored else { throw refusal(plot, needs: "a classifier") }
        let classes = labels.count == 2 ? [1] : Array(labels.indices)
        return classes.map { k in (labels[k], actual.map { $0 == k }, probabilities[k]) }
    }

    private func refusal(_ plot: String, needs: String) -> ModelshError {
        let task = model.task == .regression ? "a regression model" : model.task == .classification ? "a classifier" : "a \(model.kind) model"
        let instead = model.task == .regression ? " (try residuals, qq or pred)" : model.task == .classification ? " (try roc, pr or confusion)" : ""
        return ModelshError.usage("plot \(plot) needs \(needs); '\(modelName)' is \(task)\(instead)")
    }
}
