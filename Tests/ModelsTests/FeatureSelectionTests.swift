import Diagnostics
import Foundation
import Models
import Tabular
import XCTest

/// `select` against R's step() (Tests/References/select.R, numbers pasted from its output), and
/// the learning curve's sizes.
final class FeatureSelectionTests: XCTestCase {
    func selection(_ kind: String, _ data: Dataset, _ target: String, features: [String]? = nil,
                   _ method: FeatureSelection.Method, _ criterion: FeatureSelection.Criterion) throws -> FeatureSelection {
        try FeatureSelection(kind: ModelCatalogue.requireKind(named: kind), data: data, datasetName: "d", target: target, features: features,
                             options: [:], method: method, criterion: criterion, folds: 5, seed: 1, metric: nil)
    }

    func assertPath(_ selection: FeatureSelection, _ expected: [(String, Double)], chosen: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(selection.steps.map(\.change), expected.map(\.0), file: file, line: line)
        for (step, (_, value)) in zip(selection.steps, expected) { assertRelative(step.value, value, 1e-9, file: file, line: line) }
        XCTAssertEqual(Set(selection.chosen), Set(chosen), file: file, line: line)
    }

    func testLinearPathsMatchRsStep() throws {
        let diabetes = try TestData.csv("diabetes.csv")
        assertPath(try selection("linear", diabetes, "Y", .forward, .aic),
                   [("start", 3841.9899560237), ("+ BMI", 3657.6965573146), ("+ S5", 3574.0567898805), ("+ BP", 3558.8843859810),
                    ("+ S1", 3550.6212349389), ("+ SEX", 3545.7424261754), ("+ S2", 3534.2618212683)],
                   chosen: ["BMI", "S5", "BP", "S1", "SEX", "S2"])
        assertPath(try selection("linear", diabetes, "Y", .backward, .bic),
                   [("start", 3584.6484695970), ("- AGE", 3578.5859418194), ("- S3", 3572.7206266076), ("- S6", 3567.7090381230),
                    ("- S4", 3562.9009904428)],
                   chosen: ["SEX", "BMI", "BP", "S1", "S2", "S5"])
    }

    func testLogisticPathMatchesRsStep() throws {
        let cancer = try TestData.csv("breast_cancer.csv")
        assertPath(try selection("logistic", cancer, "diagnosis",
                                 features: ["mean_radius", "mean_texture", "mean_smoothness", "mean_symmetry", "mean_fractal_dimension"], .forward, .aic),
                   [("start", 753.4400053842), ("+ mean_radius", 334.0108439876), ("+ mean_smoothness", 256.9018450460),
                    ("+ mean_texture", 195.2902227178), ("+ mean_symmetry", 189.6507789103)],
                   chosen: ["mean_radius", "mean_smoothness", "mean_texture", "mean_symmetry"])
    }

    /// A glm's extractAIC is its AIC + (k − 2)·edf, which with weights that are not whole is R's
    /// rounded-weight AIC, not the deviance (R 4.2: d <- as.data.frame(Titanic); d$w <- d$Freq / 3;
    /// extractAIC(glm(Survived ~ Sex + …, binomial, d, weights = w))); and a Poisson path is step()'s.
    func testGlmPathsUseTheFamilysAIC() throws {
        let counts: [Double] = [0, 0, 35, 0, 0, 0, 17, 0, 118, 154, 387, 670, 4, 13, 89, 3, 5, 11, 13, 0, 1, 13, 14, 0, 57, 14, 75, 192, 140, 80, 76, 20]
        func factor(_ levels: [String], every: Int) -> [String?] { (0 ..< 32).map { levels[($0 / every) % levels.count] } }
        let titanic = try Dataset(columns: [
            .categorical("Class", factor(["1st", "2nd", "3rd", "Crew"], every: 1)), .categorical("Sex", factor(["Male", "Female"], every: 4)),
            .categorical("Age", factor(["Child", "Adult"], every: 8)), .categorical("Survived", factor(["No", "Yes"], every: 16)),
            .numeric("w", counts.map { $0 / 3 }),
        ])
        let weighted = try FeatureSelection(kind: ModelCatalogue.requireKind(named: "logistic"), data: titanic, datasetName: "t", target: "Survived",
                                            features: ["Class", "Sex", "Age"], options: ["weight": "w"], method: .forward, criterion: .aic,
                                            folds: 5, seed: 1, metric: nil)
        assertPath(weighted, [("start", 926.89205134651036), ("+ Sex", 784.28777753890358), ("+ Class", 752.60783966196971), ("+ Age", 748.62389613405094)],
                   chosen: ["Class", "Sex", "Age"])
        // step(glm(breaks ~ 1, poisson, warpbreaks), scope = ~ wool + tension, direction = "forward")
        assertPath(try selection("poisson", try TestData.csv("warpbreaks.csv"), "\"breaks\"", features: ["\"wool\"", "\"tension\""], .forward, .aic),
                   [("start", 574.03628946011), ("+ \"tension\"", 507.09471895207), ("+ \"wool\"", 493.05596641795762)],
                   chosen: ["\"wool\"", "\"tension\""])
    }

    func testLassoOrderAndRefusals() throws {
        let diabetes = try TestData.csv("diabetes.csv")
        let lasso = try selection("linear", diabetes, "Y", .lasso, .bic)
        XCTAssertEqual(lasso.steps.first?.change, "+ BMI, + S5")  // the first to enter the lasso path, as sklearn's lasso_path
        assertThrows(.usage, containing: ["extractAIC", "criterion=cv"], argument: "criterion") {
            try selection("tree", diabetes, "Y", .forward, .aic)
        }
    }

    func testLearningCurveSizes() throws {
        let diabetes = try TestData.csv("diabetes.csv")
        let validation = try CrossValidation(kind: ModelCatalogue.requireKind(named: "linear"), data: diabetes, datasetName: "d", target: "Y",
                                             features: nil, options: [:], folds: 5, seed: 1, stratified: nil)
        // 442 rows in 5 folds: the largest fold holds 89, so the smallest training set is 353.
        let curve = try LearningCurve(validation: validation, options: [:], sizes: nil, metric: nil, seed: 1)
        XCTAssertEqual(curve.points.map(\.size), [35, 114, 194, 273, 353])  // ⌊353 · (0.1, 0.325, 0.55, 0.775, 1)⌋, sklearn's
        XCTAssertEqual(try LearningCurve(validation: validation, options: [:], sizes: [50, 0.5], metric: "rmse", seed: 1).points.map(\.size), [50, 176])
        assertThrows(.usage, containing: ["sizes must be"], argument: "sizes") {
            try LearningCurve(validation: validation, options: [:], sizes: [400], metric: nil, seed: 1)
        }
    }

    /// Ctrl-C stops auto; it does not only rule out the candidate it met.
    func testCtrlCStopsAuto() throws {
        let iris = try TestData.iris()
        Interruption.installHandler()
        raise(SIGINT)
        assertThrows(.interrupted, containing: ["interrupted"]) {
            try AutoSelection(data: iris, datasetName: "iris", target: "Species", features: nil, folds: 3, seed: 7, budget: nil)
        }
        XCTAssertFalse(Interruption.isRequested)
    }

    /// Two runs give the same leaderboard; the budget is spent on estimated times, so what it
    /// leaves out is decided before anything runs, in the candidates' order.
    func testAutoIsDeterministicAndSpendsTheBudgetOnEstimates() throws {
        let iris = try TestData.iris()
        func run(_ budget: Double?) throws -> AutoSelection {
            try AutoSelection(data: iris, datasetName: "iris", target: "Species", features: nil, folds: 3, seed: 7, budget: budget)
        }
        let (a, b) = (try run(nil), try run(nil))
        XCTAssertEqual(a.ranked.map(\.candidate), b.ranked.map(\.candidate))
        XCTAssertEqual(a.ranked.map(\.summary), b.ranked.map(\.summary))
        XCTAssertEqual(a.ranked.count, a.candidateCount)
        XCTAssertTrue(a.skippedForTime.isEmpty && a.failed.isEmpty)
        XCTAssertTrue(a.ranked.allSatisfy { $0.candidate.options["seed"].map { $0 == "7" } ?? true })
        let candidates = AutoSelection.candidates(for: .classification, seed: 7)
        let estimates = candidates.map { AutoSelection.estimatedSeconds($0, AutoSelection.ProblemSize(rows: 150, features: 4, folds: 3)) }
        XCTAssertTrue(estimates.allSatisfy { $0 > 0 })
        let limited = try run(estimates[0] + estimates[1])  // exactly the two logistic candidates fit
        XCTAssertEqual(Set(limited.ranked.map(\.candidate.setting)), Set(candidates.prefix(2).map(\.setting)))
        XCTAssertEqual(limited.skippedForTime, Array(candidates.dropFirst(2)))
        XCTAssertEqual(limited.estimatedSeconds, estimates[0] + estimates[1])
        XCTAssertTrue(limited.budgetHit)
        XCTAssertEqual(try run(estimates[0] + estimates[1]).ranked.map(\.summary), limited.ranked.map(\.summary))
    }

    /// scikit-learn's digits (1797 rows × 64 features, 5 folds): every classification candidate
    /// ran in 7 s (release build), but knn's, the tree's and the forest's estimates (41 s, 3 s and
    /// 10 s) left no room in the 60 s budget for boosting, the best kind there. Each estimate is
    /// now within 4× of the time `cv` measured (release, 2 busy cores).
    func testAutoEstimatesOnDigitsLeaveRoomForEveryCandidate() {
        let size = AutoSelection.ProblemSize(rows: 1797, features: 64, folds: 5)
        let candidates = AutoSelection.candidates(for: .classification, seed: 42)
        let estimate = { (kind: String) in AutoSelection.estimatedSeconds(candidates.first { $0.kind == kind }!, size) }
        XCTAssertLessThan(candidates.map { AutoSelection.estimatedSeconds($0, size) }.reduce(0, +), 60)
        for (kind, measured) in [("knn", 0.49), ("forest", 1.0), ("boost", 7.1)] {
            XCTAssertLessThan(max(estimate(kind) / measured, measured / estimate(kind)), 4, kind)
        }
    }
}
