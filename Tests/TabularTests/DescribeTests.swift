import Foundation
import Numerics
@testable import Tabular
import XCTest

/// `describe`, `columns` and `show` output.
final class DescribeTests: XCTestCase {
    /// Expected figures from NumPy 2.4 on the same file: `x.mean()`, `x.std(ddof=1)` and
    /// `np.quantile(x, [0, .25, .5, .75, 1], method="linear")`, printed with `%.7g`. They agree
    /// with R's `summary(iris)` and `sapply(iris[1:4], sd)`.
    func testIrisNumbersMatchNumPyAndR() throws {
        let iris = try CSVReader.read(path: sampleDataPath("iris.csv"))
        let report = Describe.report(of: iris)
        XCTAssertEqual(report.blocks.first, .text("150 rows × 6 columns"))
        guard case .table(let numbers) = report.blocks[1], case .table(let texts) = report.blocks[2] else {
            return XCTFail("expected a text line and two tables")
        }
        XCTAssertEqual(numbers.headers, ["column", "type", "count", "missing", "mean", "sd", "min", "25%", "50%", "75%", "max"])
        XCTAssertEqual(numbers.rows, [
            ["rownames", "integer", "150", "0", "75.5", "43.44537", "1", "38.25", "75.5", "112.75", "150"],
            ["Sepal.Length", "numeric", "150", "0", "5.843333", "0.8280661", "4.3", "5.1", "5.8", "6.4", "7.9"],
            ["Sepal.Width", "numeric", "150", "0", "3.057333", "0.4358663", "2", "2.8", "3", "3.3", "4.4"],
            ["Petal.Length", "numeric", "150", "0", "3.758", "1.765298", "1", "1.6", "4.35", "5.1", "6.9"],
            ["Petal.Width", "numeric", "150", "0", "1.199333", "0.7622377", "0.1", "0.3", "1.3", "1.8", "2.5"],
        ])
        XCTAssertEqual(texts.rows, [["Species", "categorical", "150", "0", "3", "setosa 50, versicolor 50, virginica 50"]])
    }

    func testMissingValuesAndUndefinedFigures() throws {
        let data = try readCSV("x,flag,t\n2,true,a\nNA,false,b\n,true,NA\n")
        guard case .table(let numbers) = Describe.report(of: data).blocks[1] else { return XCTFail("no numbers table") }
        XCTAssertEqual(numbers.rows[0], ["x", "integer", "1", "2", "2", "NA", "2", "2", "2", "2", "2"])
        XCTAssertEqual(numbers.rows[1][0...4], ["flag", "boolean", "3", "0", "0.6666667"])
    }

    func testNaNFiguresShowAsNaNAndOnlyMissingOnesAsNA() throws {
        let data = try readCSV("x,y\nInf,NA\n-Inf,NA\n")
        guard case .table(let numbers) = Describe.report(of: data).blocks[1] else { return XCTFail("no numbers table") }
        XCTAssertEqual(numbers.rows[0], ["x", "numeric", "2", "0", "NaN", "NaN", "-Inf", "NaN", "NaN", "NaN", "Inf"])
        XCTAssertEqual(numbers.rows[1], ["y", "numeric", "0", "2", "NA", "NA", "NA", "NA", "NA", "NA", "NA"])
    }

    func testHugeAndTinyValuesGiveFiniteAccurateFigures() {
        let huge = NumericSummary(values: [1e308, 1e308])
        XCTAssertEqual([huge.mean, huge.standardDeviation, huge.median], [1e308, 0, 1e308])
        let spread = NumericSummary(values: [-1e308, 1e308])
        XCTAssertEqual(spread.mean, 0)
        XCTAssertEqual(spread.standardDeviation, 2.squareRoot() * 1e308, accuracy: 1e293)
        XCTAssertEqual([spread.firstQuartile, spread.median, spread.thirdQuartile], [-5e307, 0, 5e307])
        let tiny = NumericSummary(values: [1e-200, 3e-200])
        XCTAssertEqual(tiny.mean, 2e-200)
        XCTAssertEqual(tiny.standardDeviation, 2.squareRoot() * 1e-200, accuracy: 1e-215, "squares of 1e-200 underflow")
        let finite = [Double.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude]
        let extreme = NumericSummary(values: finite)
        XCTAssertTrue([extreme.mean, extreme.firstQuartile, extreme.median, extreme.thirdQuartile].allSatisfy(\.isFinite))
    }

    /// The scaling that avoids overflow is by powers of two, so it changes no bit of an ordinary
    /// column's figures (R's two-pass mean and sd, as before) and scales exactly.
    func testOrdinaryFiguresAreUnchangedAndScaleExactly() {
        var generator = Xoshiro256StarStar(seed: 3)
        for trial in 0..<500 {
            let magnitude = pow(10, Double(generator.bounded(200)) - 100)
            let values = (0...Int(generator.bounded(50))).map { _ in (generator.uniform() - 0.3) * magnitude }
            let summary = NumericSummary(values: values)
            var mean = values.reduce(0, +) / Double(values.count)
            mean += values.reduce(0) { $0 + ($1 - mean) } / Double(values.count)
            let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
            XCTAssertEqual(summary.mean.bitPattern, mean.bitPattern, "trial \(trial)")
            if values.count > 1 { XCTAssertEqual(summary.standardDeviation.bitPattern, sd.bitPattern, "trial \(trial)") }
            let scaled = NumericSummary(values: values.map { $0 * 0x1p600 })
            XCTAssertEqual(scaled.mean, summary.mean * 0x1p600, "trial \(trial)")
            if values.count > 1 { XCTAssertEqual(scaled.standardDeviation, summary.standardDeviation * 0x1p600, "trial \(trial)") }
        }
    }

    func testTextColumnsShowDistinctCountOnly() throws {
        let names = (1...25).map { "n\($0 % 22)" }
        let data = try readCSV("name\n" + names.joined(separator: "\n"))
        guard case .table(let texts) = Describe.report(of: data).blocks[1] else { return XCTFail("no text table") }
        XCTAssertEqual(texts.rows, [["name", "text", "25", "0", "22", ""]])
    }

    func testSummaryQuartilesInterpolateLikeRType7() {
        let summary = NumericSummary(values: [8, 1, 4, 2])
        XCTAssertEqual([summary.minimum, summary.firstQuartile, summary.median, summary.thirdQuartile, summary.maximum],
                       [1, 1.75, 3, 5, 8])
        XCTAssertEqual(summary.mean, 3.75)
        XCTAssertEqual(NumericSummary(values: [5]).thirdQuartile, 5)
        XCTAssertTrue(NumericSummary(values: [5]).standardDeviation.isNaN)
        XCTAssertEqual(NumericSummary(values: []).count, 0)
        XCTAssertTrue(NumericSummary(values: []).median.isNaN)
    }

    func testColumnListing() throws {
        let iris = try CSVReader.read(path: sampleDataPath("iris.csv"))
        guard case .table(let table) = ColumnListing.report(of: iris).blocks[0] else { return XCTFail("no table") }
        XCTAssertEqual(table.rows[1], ["Sepal.Length", "numeric", "0", "5.1, 4.9, 4.7, …"])
        XCTAssertEqual(table.rows[5], ["Species", "categorical", "0", "3 levels: setosa, versicolor, virginica"])
    }

    func testPreviewShowsFirstRowsWithFooter() throws {
        let data = try readCSV("name,x\nab,1.5\nNA,10\nc,NA\n")
        let table = Preview.table(of: data, rows: 2)
        XCTAssertEqual(table.rendered(), """
            name    x
            ----  ---
            ab    1.5
            NA     10
            (2 of 3 rows)
            """)
        XCTAssertNil(Preview.table(of: data, rows: 10).footer)
        XCTAssertEqual(Preview.table(of: data, rows: 10).rows.last, ["c", "NA"])
    }

    func testPreviewOfAWideDatasetShowsTheFirstColumnsAndCountsTheRest() throws {
        let names = (1...25).map { "c\($0)" }
        let wide = try readCSV(names.joined(separator: ",") + "\n" + (1...25).map(String.init).joined(separator: ",") + "\n")
        let table = Preview.table(of: wide, rows: 5, named: "wide")
        XCTAssertEqual(table.headers, Array(names.prefix(20)))
        XCTAssertEqual(table.rows, [(1...20).map(String.init)])
        XCTAssertEqual(table.footer, "(… 5 more columns: see `columns wide`)")
        XCTAssertEqual(Preview.table(of: wide, rows: 0).footer, "(0 of 1 rows)\n(… 5 more columns: `columns` lists them)")
        XCTAssertEqual(Preview.table(of: try readCSV("a\n1\n"), rows: 5, named: "one").footer, nil)
    }

    func testLongValuesAreCutInEveryListing() throws {
        let long = String(repeating: "x", count: 1_000_000)
        let data = try readCSV("name,n\n\(long)a,1\n\(long)b,2\n")
        let preview = Preview.table(of: data, rows: 5).rendered()
        XCTAssertEqual(preview.split(separator: "\n")[2], Substring(String(repeating: "x", count: 39) + "…  1"))
        guard case .table(let listing) = ColumnListing.report(of: data).blocks[0] else { return XCTFail("no table") }
        XCTAssertEqual(listing.rows[0][3], "2 levels: " + String(repeating: "x", count: 39) + "…, " + String(repeating: "x", count: 39) + "…")
        XCTAssertLessThan(listing.rendered().count, 1000)
        let levels = try readCSV("level\n" + String(repeating: "y", count: 100) + "\n")
        guard case .table(let texts) = Describe.report(of: levels).blocks[1] else { return XCTFail("no text table") }
        XCTAssertEqual(texts.rows[0][5], String(repeating: "y", count: 39) + "… 1")
    }

    func testLargeIntegersPrintInFull() throws {
        let data = try Dataset(columns: [Column.numeric("id", [1_000_000_001, 1_000_000_002, 1_000_000_003], type: .integer)])
        let row = try XCTUnwrap(Describe.numbersTable(data.columns).rows.first)
        // mean, sd, min, 25%, 50%, 75%, max: whole figures in full, the others to 7 digits.
        XCTAssertEqual(Array(row[4...]), ["1000000002", "1", "1000000001", "1e+09", "1000000002", "1e+09", "1000000003"])
    }
}
