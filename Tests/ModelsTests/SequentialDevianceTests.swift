import Diagnostics
@testable import Models
import Tabular
import XCTest

/// anova of one logistic model against R 4.2, with a factor, an aliased feature and a row
/// missing a feature (every fit keeps the 13 complete rows):
///   x1 <- c(1:10, NA, 12, 13, 14); x2 <- c((1:10)^2 %% 7, 3, 4, 1, 5)
///   g <- factor(rep(c("a","b","c"), length.out = 14)); x3 <- 2 * x1
///   b <- c(0,1,1,0,0,1,0,1,1,1,0,1,0,1)
///   anova(glm(b ~ x1 + g + x3 + x2, binomial), test = "Chisq")
final class SequentialDevianceTests: XCTestCase {
    private let data: Dataset = {
        let x1: [Double] = (1...10).map(Double.init) + [.nan, 12, 13, 14]
        return try! Dataset(columns: [
            .numeric("x1", x1),
            .categorical("g", (0..<14).map { ["a", "b", "c"][$0 % 3] as String? }),
            .numeric("x3", x1.map { 2 * $0 }),
            .numeric("x2", (1...10).map { Double($0 * $0 % 7) } + [3, 4, 1, 5]),
            .numeric("b", [0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1], type: .integer),
        ])
    }()

    private func fit(_ options: [String: String] = [:], features: [String] = ["x1", "g", "x3", "x2"]) throws -> Model {
        try ModelCatalogue.fit(kind: "logistic", data: data, datasetName: "d", target: "b", features: features, options: options)
    }

    func testEachFeaturesFallInDevianceIsRsAnovaGlm() throws {
        let anova = try SequentialDeviance(try fit(), named: "m", trainingData: data, dataName: "d")
        XCTAssertEqual(anova.nullDegreesOfFreedom, 12)
        XCTAssertEqual(anova.nullDeviance, 17.323239502781576, accuracy: 1e-9)
        XCTAssertEqual(anova.rows.map(\.term), ["x1", "g", "x3", "x2"])
        XCTAssertEqual(anova.rows.map(\.degreesOfFreedom), [1, 2, 0, 1])
        XCTAssertEqual(anova.rows.map(\.residualDegreesOfFreedom), [11, 9, 9, 8])
        let deviances = [0.76594456452463788, 8.0912171518255125, 0, 0.057364882529874706]
        let residual = [16.557294938256938, 8.4660777864314252, 8.4660777864314252, 8.4087129039015505]
        let p = [0.38147456500569937, 0.017499051913131357, Double.nan, 0.81071039824637003]
        for (index, row) in anova.rows.enumerated() {
            XCTAssertEqual(row.deviance, deviances[index], accuracy: 1e-8, row.term)
            XCTAssertEqual(row.residualDeviance, residual[index], accuracy: 1e-8, row.term)
            if p[index].isNaN { XCTAssertTrue(row.pValue.isNaN, row.term) } else { XCTAssertEqual(row.pValue, p[index], accuracy: 1e-8, row.term) }
        }
        XCTAssertEqual(anova.warnings, [])
    }

    /// The fits are made again on the data given, so data that no longer holds the model's
    /// rows must be refused rather than give another model's table.
    func testDataWithoutTheModelsRowsIsRefused() throws {
        let model = try fit()
        let fewer = data.selecting(rows: Array(0..<12))
        XCTAssertThrowsError(try SequentialDeviance(model, named: "m", trainingData: fewer, dataName: "d")) { error in
            XCTAssertTrue("\(error)".contains("no longer holds the rows 'm' was fitted on"), "\(error)")
        }
        XCTAssertThrowsError(try SequentialDeviance(model, named: "m", trainingData: try Dataset(columns: [.numeric("x1", [1, 2])]), dataName: "e")) { error in
            XCTAssertTrue("\(error)".contains("unknown column"), "\(error)")
        }
    }

    func testOnlyUnpenalisedBinaryLogisticModelsWithoutPolyTakeIt() throws {
        let cases: [(Model, String)] = [
            (try fit(["poly": "2"], features: ["x1", "x2"]), "poly="),
            (try fit(["penalty": "l2"]), "penalised or multinomial logistic"),
            (try ModelCatalogue.fit(kind: "naivebayes", data: data, datasetName: "d", target: "b", features: ["x2"], options: [:]), "naivebayes"),
        ]
        for (model, message) in cases {
            XCTAssertThrowsError(try SequentialDeviance(model, named: "m", trainingData: data, dataName: "d")) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
    }
}
