@testable import Tabular
import XCTest

final class DatasetFingerprintTests: XCTestCase {
    func testFingerprintIsPinnedAndSensitiveToContent() throws {
        let data = try readCSV("x,c\n1,a\nNA,b\n")
        XCTAssertEqual(data.fingerprint.count, 16)
        XCTAssertEqual(data.fingerprint, try readCSV("x,c\n1,a\n,b\n").fingerprint)
        XCTAssertNotEqual(data.fingerprint, try readCSV("x,c\n1,a\n0,b\n").fingerprint, "missing differs from a value")
        XCTAssertNotEqual(data.fingerprint, try readCSV("y,c\n1,a\nNA,b\n").fingerprint, "names count")
        XCTAssertNotEqual(data.fingerprint, try readCSV("x,c\n1.5,a\nNA,b\n").fingerprint, "types and values count")
        XCTAssertNotEqual(try readCSV("a,b\nxy,z\n").fingerprint, try readCSV("a,b\nx,yz\n").fingerprint, "lengths delimit strings")
    }

    func testFingerprintOfIrisNeverChanges() throws {
        // Workspaces and model archives store it. The expected value comes from an independent
        // Python implementation of the layout documented on `Dataset.fingerprint`
        // (Tests/References/fingerprint.py).
        let iris = try CSVReader.read(path: sampleDataPath("iris.csv"))
        XCTAssertEqual(iris.fingerprint, "a891b8f89edddc5e")
    }

    func testApproximateByteCount() throws {
        let data = try readCSV("x,c\n1,a\n2,b\n")
        // x: 8·2 numbers + 1 mask word + name (1 + 16); c: 4·2 codes + 2 levels (1 + 16 each) + mask + name.
        XCTAssertEqual(data.approximateByteCount, (16 + 8 + 17) + (8 + 34 + 8 + 17))
    }

    /// A dataset's keyed memo computes a value once per key, for every copy of the dataset, and
    /// keeps a computed nil as nil (an optional value missing from it must still be computed).
    func testKeyedMemoComputesOncePerKeyAndKeepsNil() throws {
        let data = try Dataset(columns: [Column.numeric("x", [1, 2, 3])])
        let copy = data
        var computed = 0
        let missing: Int? = data.derived.value("nothing") { computed += 1; return nil }
        XCTAssertNil(missing)
        let again: Int? = copy.derived.value("nothing") { computed += 1; return 7 }
        XCTAssertNil(again, "the nil computed first is kept")
        XCTAssertEqual(copy.derived.value("seven") { computed += 1; return 7 }, 7)
        XCTAssertEqual(data.derived.value("seven") { computed += 1; return 8 }, 7)
        XCTAssertEqual(computed, 2)
    }

    /// Some of a dataset's columns over every row share its column facts (a fit's frame, so a
    /// refit finds them measured) but not its whole-dataset figures; a dataset with other rows
    /// or another column under a name shares neither.
    func testColumnsNamedShareColumnFactsOnly() throws {
        let data = try Dataset(columns: [Column.numeric("x", [1, 2, 3]), Column.numeric("y", [4, 5, 6])])
        let some = try data.columns(named: ["y", "x"])
        XCTAssertEqual(some.columnNames, ["y", "x"])
        XCTAssertTrue(some.columnFacts === data.columnFacts)
        XCTAssertFalse(some.derived === data.derived, "the fingerprint of some columns is not the whole dataset's")
        XCTAssertFalse(data.selecting(rows: [0, 1]).columnFacts === data.columnFacts)
        XCTAssertFalse(try data.adding(Column.numeric("x", [7, 8, 9])).columnFacts === data.columnFacts)
        XCTAssertThrowsError(try data.columns(named: ["x", "x"]))
        XCTAssertThrowsError(try data.columns(named: ["z"]))
    }

    /// The readers (CSV and JSON) note which columns hold only finite numbers (their scan for
    /// missing values sees it); what they note must be what a pass over the column finds.
    func testReaderNotesFiniteColumnsAsAPassFindsThem() throws {
        let data = try readCSV("plain,gap,infinite,flag,text\n1.5,1,Inf,true,a\n2,,3,false,b\n-4e300,5,-inf,true,a\n")
        XCTAssertEqual(data.columns.map { data.numbersAreFinite($0) }, [true, false, false, true, false])
        // Read in many small blocks and pieces, a value that is not finite in the last one only.
        let text = "a,b,c\n" + String(repeating: "1,2.5,3\n", count: 40) + "4,NaN,inf\n"
        let pieces = try CSVReader.read(bytes: Array(text.utf8), sourceName: "t.csv", options: CSVOptions(),
                                        plan: CSVReadingPlan(blockSize: 64, pieces: 3, minimumPieceSize: 1))
        XCTAssertEqual(pieces.columns.map { pieces.numbersAreFinite($0) }, [true, false, false])
        XCTAssertEqual(pieces.columns[1].missingCount, 1)
        let copied = try Dataset(columns: data.columns)
        XCTAssertEqual(copied.columns.map { copied.numbersAreFinite($0) }, [true, false, false, true, false])
        let json = try JSONDataReader.read(bytes: Array("[{\"a\": 1, \"b\": \"Inf\"}, {\"a\": 2, \"b\": 3}]".utf8), sourceName: "t.json")
        XCTAssertEqual(json.columns.map { json.numbersAreFinite($0) }, [true, false])
    }
}
