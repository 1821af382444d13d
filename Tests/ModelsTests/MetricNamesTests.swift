import Models
import Tabular
import XCTest

/// The metrics a command may rank by (`Evaluation.metricNames`, checked before it fits) are
/// those `evaluate` gives, in its order, for every task and for two classes and three.
final class MetricNamesTests: XCTestCase {
    func testMetricNamesAreWhatEvaluateGives() throws {
        let iris = try TestData.iris()
        let pair = try iris.selecting(rows: (0 ..< iris.rowCount).filter { iris.column(named: "Species")!.text(at: $0) != "setosa" })
        let cases: [(kind: String, data: Dataset, target: String?, task: ModelTask, classes: Int?)] = [
            ("linear", iris, "Sepal.Length", .regression, nil),
            ("logistic", iris, "Species", .classification, 3),
            ("logistic", pair, "Species", .classification, 2),
            ("kmeans", iris, nil, .clustering, nil),
            ("pca", iris, nil, .components, nil),
        ]
        for c in cases {
            let options = c.kind == "kmeans" ? ["k": "3"] : [:]
            let features = c.target == nil ? ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"] : nil
            let model = try ModelCatalogue.fit(kind: c.kind, data: c.data, datasetName: "d", target: c.target, features: features, options: options)
            let given = try model.evaluate(on: c.data).metrics.map(\.name).filter { $0 != "n" && $0 != "skipped" }
            XCTAssertEqual(given, Evaluation.metricNames(for: c.task, classes: c.classes), c.kind)
        }
    }
}
