import Diagnostics
import Foundation
@testable import Models
import Tabular
import XCTest

/// How a training profile stays cheap on a large training set without losing what monitoring needs.
final class TrainingProfileTests: XCTestCase {
    /// Over 100,000 complete rows, the out-of-distribution moments take 100,000 evenly spaced
    /// ones (deterministically), read where they lie, whether or not other rows miss a value.
    /// Ranges and counts cover every row.
    func testOutlierMomentsOfALargeTrainingSet() throws {
        let n = 130_000, limit = NumberProfile.quantileRowLimit
        let x = (0 ..< n).map { Double(($0 * 7919) % 1000) / 10 }
        let z = (0 ..< n).map { sin(Double($0)) * 3 }
        let y = zip(x, z).map { 2 * $0 - $1 + 1 }
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
        let spacedAmong = { (rows: [Int]) in (0 ..< limit).map { rows[$0 * rows.count / limit] } }
        let data = try Dataset(columns: [Column.numeric("y", y), Column.numeric("x", x), Column.numeric("z", z)])
        let model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "d", target: "y", features: nil, options: [:])
        let outliers = try XCTUnwrap(model.profile?.outliers)
        XCTAssertEqual(outliers.features, ["x", "z"])
        let spaced = spacedAmong(Array(0 ..< n)), spacedZ = spaced.map { z[$0] }
        XCTAssertEqual(outliers.means[0], mean(spaced.map { x[$0] }), accuracy: 1e-9)
        XCTAssertEqual(outliers.means[1], mean(spacedZ), accuracy: 1e-9)
        let meanOfZ = mean(spacedZ)
        XCTAssertEqual(outliers.deviations[1], (spacedZ.map { pow($0 - meanOfZ, 2) }.reduce(0, +) / Double(limit)).squareRoot(), accuracy: 1e-9)
        let profileOfX = try XCTUnwrap(model.profile?.features.first?.numbers)
        XCTAssertEqual(profileOfX.count, n, "ranges and counts still see every row")
        XCTAssertEqual(profileOfX.maximum, x.max())

        // Every fifth row misses z: of the 104,000 complete rows, 100,000 evenly spaced ones.
        let gappy = try Dataset(columns: [Column.numeric("y", y), Column.numeric("x", x),
                                          Column.numeric("z", z.indices.map { $0 % 5 == 4 ? .nan : z[$0] })])
        let imputed = try ModelCatalogue.fit(kind: "linear", data: gappy, datasetName: "d", target: "y", features: nil, options: ["impute": "mean"])
        let gappyOutliers = try XCTUnwrap(imputed.profile?.outliers)
        let spacedComplete = spacedAmong(x.indices.filter { $0 % 5 != 4 })
        XCTAssertEqual(gappyOutliers.means[0], mean(spacedComplete.map { x[$0] }), accuracy: 1e-9)
        XCTAssertEqual(gappyOutliers.means[1], mean(spacedComplete.map { z[$0] }), accuracy: 1e-9)
    }

    /// The evenly spaced rows are ⌊k · count / limit⌋ exactly, stepped without a division per row.
    func testEvenlySpacedRowsAreTheFloorOfTheirShare() {
        for (limit, count) in [(1, 1), (1, 7), (7, 7), (7, 8), (100_000, 250_000), (100_000, 100_001), (3, 3_000_000_001), (1000, 999_999)] {
            XCTAssertEqual(NumberProfile.evenlySpacedRows(limit, of: count), (0 ..< limit).map { $0 * count / limit }, "\(limit) of \(count)")
        }
    }

    /// A dataset's columns never change, so a second fit on it takes the columns' profiles and
    /// the outlier moments the first fit measured (kept with the dataset and its copies), and
    /// gets the same profile; a dataset made from it measures its own.
    func testASecondFitOnTheSameDatasetReusesItsProfile() throws {
        let x = (0 ..< 500).map { Double($0 % 37) }, z = (0 ..< 500).map { cos(Double($0)) }
        let data = try Dataset(columns: [Column.numeric("y", zip(x, z).map { $0 - 2 * $1 }), Column.numeric("x", x), Column.numeric("z", z)])
        let first = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "d", target: "y", features: nil, options: [:])
        let copy = data
        var measuredAgain = false
        let kept = copy.derived.value("profile of column x") { () -> ColumnProfile in
            measuredAgain = true
            return ColumnProfile(data.column(named: "x")!)
        }
        XCTAssertFalse(measuredAgain, "the first fit's profile of x is kept with the dataset")
        XCTAssertEqual(kept, first.profile?.features.first)
        let second = try ModelCatalogue.fit(kind: "ridge", data: copy, datasetName: "d", target: "y", features: nil, options: ["alpha": "1"])
        XCTAssertEqual(second.profile?.features, first.profile?.features)
        XCTAssertEqual(second.profile?.outliers, first.profile?.outliers)
        let derived = try data.adding(Column.numeric("w", x))
        derived.derived.value("profile of column x") { () -> ColumnProfile in
            measuredAgain = true
            return ColumnProfile(data.column(named: "x")!)
        }
        XCTAssertTrue(measuredAgain, "a new dataset has a memo of its own")
    }

    /// The data profile runs beside the learner: a Ctrl-C it sees must stay requested, or the
    /// learner would never stop (a forest of 500 trees ran on after ^C when the profile took it).
    func testCtrlCDuringTheDataProfileStaysRequestedForTheLearner() throws {
        let data = try Dataset(columns: [Column.numeric("y", [1, 2, 3, 5]), Column.numeric("x", [1, 2, 3, 4])])
        let schema = TrainingSchema(target: FeatureSchema(name: "y", type: .numeric), features: [FeatureSchema(name: "x", type: .numeric)])
        Interruption.installHandler()
        raise(SIGINT)
        XCTAssertThrowsError(try TrainingDataProfile(schema: schema, source: data))
        XCTAssertTrue(Interruption.isRequested, "left for the learner beside it to see")
        Interruption.clear()
    }

    /// `vars` measures a model's file once; a new profile (the one part of a model that is set
    /// after it is made) measures it afresh.
    func testTheArchiveSizeIsMeasuredOnceUntilTheProfileChanges() throws {
        let data = try Dataset(columns: [Column.numeric("y", [1, 2, 3, 5, 4]), Column.numeric("x", [1, 2, 3, 4, 6])])
        var model = try ModelCatalogue.fit(kind: "linear", data: data, datasetName: "d", target: "y", features: nil, options: [:])
        XCTAssertEqual(model.archiveSize.value { 100 }, 100)
        XCTAssertEqual(model.archiveSize.value { 200 }, 100, "measured once")
        let copy = model
        XCTAssertEqual(copy.archiveSize.value { 300 }, 100, "copies share the measure")
        model.profile = nil
        XCTAssertEqual(model.archiveSize.value { 400 }, 400, "a new profile, a new measure")
    }

    /// Without a sample limit (drift's exact KS test) a profile keeps every value, sorted, even
    /// past the 100,000 values its deciles come from; with the limit, that many quantiles.
    func testAProfileWithoutASampleLimitKeepsEveryValue() {
        let n = NumberProfile.quantileRowLimit + 1234
        let values = (0 ..< n).map { Double(($0 * 7919) % n) }
        let column = Column.numeric("x", values)
        let every = ColumnProfile(column, sampleLimit: nil).numbers
        XCTAssertEqual(every?.sample, values.sorted())
        XCTAssertEqual(every?.sampleIsComplete, true)
        let limited = ColumnProfile(column).numbers
        XCTAssertEqual(limited?.sample.count, NumberProfile.sampleLimit)
        XCTAssertEqual(limited?.sample.first, 0)
        XCTAssertEqual(limited?.binCounts.reduce(0, +), Double(n))
    }
}
