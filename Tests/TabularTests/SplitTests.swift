import Diagnostics
import Tabular
import XCTest

/// Train/test splits: sizes, determinism and stratification.
///
/// Expected test rows come from an independent Python implementation of the rules documented
/// on `Split` (and of the generator, see `RandomTests`), seed 42 on iris.
final class SplitTests: XCTestCase {
    var iris: Dataset!

    override func setUpWithError() throws {
        iris = try CSVReader.read(path: sampleDataPath("iris.csv"))
    }

    /// The 0-based row indices a part holds, read back from iris's `rownames` column (1..150).
    func rows(_ part: Dataset) -> [Int] { part["rownames"].numbers!.map { Int($0) - 1 } }

    func testPlainSplitIsPinnedForSeed42() throws {
        let (train, test) = try Split.trainTest(iris, testFraction: 0.2, seed: 42, stratify: nil)
        XCTAssertEqual(test.rowCount, 30)
        XCTAssertEqual(train.rowCount, 120)
        XCTAssertEqual(rows(test), [0, 8, 9, 10, 11, 20, 21, 26, 28, 29, 30, 32, 35, 41, 48, 63, 65, 69, 73, 75,
                                    78, 84, 88, 104, 124, 127, 134, 142, 143, 145])
        XCTAssertEqual(Set(rows(train)).union(rows(test)), Set(0..<150))
        XCTAssertEqual(rows(train), rows(train).sorted(), "rows keep their original order")
        XCTAssertEqual(train["Species"].levels, ["setosa", "versicolor", "virginica"])
    }

    func testSameSeedSameSplitOtherSeedOtherSplit() throws {
        let first = try Split.trainTest(iris, testFraction: 0.3, seed: 7, stratify: nil)
        let again = try Split.trainTest(iris, testFraction: 0.3, seed: 7, stratify: nil)
        let other = try Split.trainTest(iris, testFraction: 0.3, seed: 8, stratify: nil)
        XCTAssertEqual(first.test, again.test)
        XCTAssertEqual(first.train, again.train)
        XCTAssertNotEqual(first.test, other.test)
    }

    func testTestSizeRoundsUpAsScikitLearn() throws {
        XCTAssertEqual(try Split.trainTest(iris, testFraction: 0.101, seed: 1, stratify: nil).test.rowCount, 16)
        let ten = try readCSV("x\n" + (1...10).map(String.init).joined(separator: "\n"))
        XCTAssertEqual(try Split.trainTest(ten, testFraction: 0.01, seed: 1, stratify: nil).test.rowCount, 1)
    }

    func testStratifiedOnIrisKeepsProportions() throws {
        let (train, test) = try Split.trainTest(iris, testFraction: 0.2, seed: 42, stratify: "Species")
        XCTAssertEqual(rows(test), [1, 3, 6, 7, 14, 19, 24, 29, 33, 40, 50, 53, 61, 64, 77, 80, 81, 84, 95, 99,
                                    106, 108, 109, 111, 116, 117, 128, 135, 140, 141])
        for (part, perLevel) in [(test, 10), (train, 40)] {
            let codes = part["Species"].texts.map { $0! }
            XCTAssertEqual(Dictionary(grouping: codes, by: { $0 }).mapValues(\.count),
                           ["setosa": perLevel, "versicolor": perLevel, "virginica": perLevel])
        }
    }

    func testStratifiedAllocationByLargestRemainder() throws {
        // Wine classes 59/71/48, test = ceil(0.25 × 178) = 45: exact shares 14.92, 17.95, 12.13,
        // so floors 14/17/12 and the two rows owed go to classes 2 and 1.
        let wine = try CSVReader.read(path: sampleDataPath("wine.csv"))
        let (_, test) = try Split.trainTest(wine, testFraction: 0.25, seed: 7, stratify: "class")
        let classes = test["class"].numbers!
        XCTAssertEqual([1.0, 2, 3].map { c in classes.filter { $0 == c }.count }, [15, 18, 12])
    }

    func testTiesForOwedRowsAreBrokenBySeedNotByStratumOrder() throws {
        // Each row its own stratum: every remainder ties, so the owed rows pick random strata.
        let picks = try [1, 7, 99].map { seed in
            rows(try Split.trainTest(iris, testFraction: 0.1, seed: UInt64(seed), stratify: "rownames").test)
        }
        XCTAssertEqual(picks.map(\.count), [15, 15, 15])
        XCTAssertEqual(Set(picks.map { $0 }).count, 3, "different seeds pick different rows")
        XCTAssertNotEqual(picks[0], Array(0..<15), "not simply the first strata")
        let again = rows(try Split.trainTest(iris, testFraction: 0.1, seed: 1, stratify: "rownames").test)
        XCTAssertEqual(again, picks[0])
    }

    func testErrors() throws {
        assertError(try Split.trainTest(iris, testFraction: 0, seed: 1, stratify: nil), .usage,
                    "test fraction must be between 0 and 1 (exclusive), got 0")
        assertError(try Split.trainTest(iris, testFraction: 1.5, seed: 1, stratify: nil), .usage,
                    "test fraction must be between 0 and 1 (exclusive), got 1.5")
        assertError(try Split.trainTest(iris, testFraction: 0.999, seed: 1, stratify: nil), .data,
                    "a test fraction of 0.999 of 150 rows leaves no rows for training")
        assertError(try Split.trainTest(iris, testFraction: 0.2, seed: 1, stratify: "Sepal.Length"), .usage,
                    "cannot stratify on numeric column 'Sepal.Length': use a categorical, integer or boolean column, or whole numbers")
        // Class codes written 1.0/2.0 (pandas' integers once a column held a NaN) stratify as integers do.
        let codes = (0 ..< 20).map { "\($0 % 4 == 0 ? 2 : 1).0,\($0)" }.joined(separator: "\n")
        let written = try readCSV("sex,x\n" + codes + "\n"), asIntegers = try readCSV("sex,x\n" + codes.replacingOccurrences(of: ".0,", with: ",") + "\n")
        XCTAssertEqual(written["sex"].type, .numeric)
        XCTAssertEqual(try Split.trainTest(written, testFraction: 0.25, seed: 3, stratify: "sex").test["x"].texts,
                       try Split.trainTest(asIntegers, testFraction: 0.25, seed: 3, stratify: "sex").test["x"].texts)
        let gappy = try readCSV("g,x\na,1\nNA,2\nb,3\n,4\n")
        assertError(try Split.trainTest(gappy, testFraction: 0.5, seed: 1, stratify: "g"), .data,
                    "cannot stratify on column 'g': it has 2 missing values (first in row 2)")
        XCTAssertThrowsError(try Split.trainTest(iris, testFraction: 0.2, seed: 1, stratify: "Specie"))
        assertError(try Split.trainTest(try readCSV("a,b\n"), testFraction: 0.2, seed: 1, stratify: nil), .data,
                    "dataset has no rows to split")
    }

    func testErrorsNameTheOptionAtFault() throws {
        func argument(_ body: @autoclosure () throws -> Any) -> String? {
            do {
                _ = try body()
                return "no error"
            } catch {
                return (error as? ModelshError)?.argument
            }
        }
        XCTAssertEqual(argument(try Split.trainTest(iris, testFraction: 1.5, seed: 1)), "test")
        XCTAssertEqual(argument(try Split.trainTest(iris, testFraction: 0.999, seed: 1)), "test")
        XCTAssertEqual(argument(try Split.trainTest(iris, testFraction: 0.2, seed: 1, stratify: "Sepal.Length")), "stratify")
        XCTAssertEqual(argument(try Split.trainTest(iris, testFraction: 0.2, seed: 1, stratify: "Specie")), "stratify")
        let gappy = try readCSV("g,x\na,1\nNA,2\nb,3\n,4\n")
        XCTAssertEqual(argument(try Split.trainTest(gappy, testFraction: 0.5, seed: 1, stratify: "g")), "stratify")
    }
}

/// k-fold assignment: balanced, the same for a seed, and stratified folds keep class shares.
final class FoldTests: XCTestCase {
    func testFoldsAreBalancedAndReproducible() throws {
        let folds = try Split.folds(rowCount: 23, count: 5, seed: 7)
        XCTAssertEqual(folds, try Split.folds(rowCount: 23, count: 5, seed: 7))
        XCTAssertNotEqual(folds, try Split.folds(rowCount: 23, count: 5, seed: 8))
        let sizes = (0 ..< 5).map { k in folds.filter { $0 == k }.count }
        XCTAssertEqual(sizes, [5, 5, 5, 4, 4])
    }

    func testStratifiedFoldsKeepEveryClassInEveryFold() throws {
        let strata = [Array(0 ..< 10), Array(10 ..< 16), Array(16 ..< 30)]
        let folds = try Split.folds(rowCount: 30, count: 3, seed: 1, strata: strata)
        for stratum in strata {
            let counts = (0 ..< 3).map { k in stratum.filter { folds[$0] == k }.count }
            XCTAssertLessThanOrEqual(counts.max()! - counts.min()!, 1, "\(counts)")
        }
        XCTAssertEqual((0 ..< 3).map { k in folds.filter { $0 == k }.count }, [10, 10, 10])
    }

    func testTooManyFoldsIsRefused() {
        XCTAssertThrowsError(try Split.folds(rowCount: 3, count: 5, seed: 1)) { error in
            XCTAssertEqual((error as? ModelshError)?.message, "5 folds need at least 5 rows; the data has 3")
        }
        XCTAssertThrowsError(try Split.folds(rowCount: 3, count: 1, seed: 1))
    }
}

extension SplitTests {
    /// The split's one-pass partition is `selecting` of each part's rows, for every storage
    /// (numbers, categories, strings) with missing values, large enough to run on every core.
    func testPartitionEqualsSelectingTheRowsOfEachPart() throws {
        let n = 70_001
        let flags = (0 ..< n).map { ($0 &* 2_654_435_761) % 97 < 20 }  // an irregular fifth
        // Missing numbers hold 0 here (Column.numeric's NaN would never compare equal).
        var holes = MissingMask(count: n)
        for row in stride(from: 0, to: n, by: 7) { holes[row] = true }
        let numbers = Column(name: "x", type: .numeric, storage: .numbers((0 ..< n).map { $0 % 7 == 0 ? 0 : Double($0) / 3 }), missing: holes)
        let categories = Column.categorical("c", (0 ..< n).map { $0 % 11 == 0 ? nil : ["a", "b", "c"][$0 % 3] })
        let strings = Column(name: "s", type: .text, storage: .strings(TextColumn((0 ..< n).map { "row \($0)" })), missing: MissingMask(count: n))
        let data = try Dataset(columns: [numbers, categories, strings])
        let (first, second) = data.partitioned(by: flags)
        XCTAssertEqual(first, data.selecting(rows: (0 ..< n).filter { !flags[$0] }))
        XCTAssertEqual(second, data.selecting(rows: (0 ..< n).filter { flags[$0] }))
        let (none, all) = data.partitioned(by: [Bool](repeating: true, count: n))
        XCTAssertEqual(none.rowCount, 0)
        XCTAssertEqual(all, data)
    }
}
