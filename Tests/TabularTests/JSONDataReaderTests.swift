import Diagnostics
import Tabular
import XCTest

/// Reading JSON data: both layouts, values typed as CSV fields are, and clear errors.
final class JSONDataReaderTests: XCTestCase {
    private func read(_ text: String) throws -> Dataset {
        try JSONDataReader.read(bytes: Array(text.utf8), sourceName: "t.json")
    }

    func testRecordsAndColumnsReadAlike() throws {
        let records = try read(#"[{"x": 1, "y": 2.0, "b": true, "g": "a"}, {"x": 2, "g": "b\u00e9", "y": null, "b": false}]"#)
        let columns = try read(#"{"x": [1, 2], "y": [2.0, null], "b": [true, false], "g": ["a", "bé"]}"#)
        for data in [records, columns] {
            XCTAssertEqual(data.columnNames, ["x", "y", "b", "g"])
            XCTAssertEqual(data.columns.map(\.type), [.integer, .numeric, .boolean, .categorical])
            XCTAssertEqual(data["y"].texts, ["2", nil])
            XCTAssertEqual(data["g"].texts, ["a", "bé"])
        }
    }

    func testAKeyARecordLacksIsMissingThere() throws {
        let data = try read(#"[{"a": 1}, {"b": "x"}, {"a": 3, "b": "y"}]"#)
        XCTAssertEqual(data["a"].texts, ["1", nil, "3"])
        XCTAssertEqual(data["b"].texts, [nil, "x", "y"])
    }

    func testRecordsTooSparseToBeATableAreRefusedBeforeAllocating() {
        let records = (0..<3000).map { "{\"k\($0)\": 1}" }.joined(separator: ",")
        assertError(try read("[" + records + "]"), .data, "t.json:1: 1025 records with 1025 different keys are too sparse to be one table")
    }

    func testEscapesAndSurrogatePairs() throws {
        let data = try read(#"[{"t": "q\"\\\/\n\t\ud83d\ude00"}]"#)
        XCTAssertEqual(data["t"].texts, ["q\"\\/\n\t😀"])
    }

    /// pandas' default `df.to_json()` (orient="columns"): an object per column from row label to value.
    func testPandasDefaultColumnsOfRowLabelsAreRead() throws {
        let data = try read(#"{"a":{"0":1.5,"1":2.5,"2":null},"b":{"0":"x","1":"y","2":"z"},"c":{"0":1,"1":2,"2":3}}"#)
        XCTAssertEqual(data.columnNames, ["a", "b", "c"])
        XCTAssertEqual(data["a"].texts, ["1.5", "2.5", nil])
        XCTAssertEqual(data["c"].type, .integer)
        assertError(try read(#"{"a":{"0":1,"1":2},"b":{"0":3,"2":4}}"#), .data, "t.json:1: column \"b\" has other row labels than \"a\"")
        assertError(try read(#"{"a":{"0":1,"1":2},"b":{"0":3}}"#), .data, "t.json:1: column \"b\" has other row labels than \"a\"")
    }

    func testBadInputIsRefusedWithTheFileAndLine() {
        assertError(try read(""), .data, "t.json:1: the file is empty")
        assertError(try read("[]"), .data, "t.json:1: no columns")
        assertError(try read("[\n{\"a\": [1]}]"), .data, "t.json:2: column \"a\" holds a nested array or object; values must be numbers, strings, true, false or null")
        assertError(try read(#"{"a": [1, 2], "b": [1]}"#), .data, "t.json:1: column \"b\" has 1 values, expected 2 (as \"a\")")
        assertError(try read(#"[{"a": 1, "a": 2}]"#), .data, "t.json:1: key \"a\" appears twice in one record")
        // pandas' other layouts get a word on what is read instead.
        assertError(try read("{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2, \"b\": \"y\"}\n"), .data,
                    "t.json:1: column \"a\" must be an array of values (this object is one record: a file of one record per line, JSON Lines, is not read; write the records as an array, [{…}, {…}])")
        assertError(try read(#"{"columns": ["a", "b"], "index": [0, 1, 2], "data": [[1, 2], [3, 4], [5, 6]]}"#), .data,
                    "t.json:1: column \"index\" has 3 values, expected 2 (as \"columns\") (pandas' orient=\"split\" is not read: write orient=\"records\" or \"list\")")
        assertError(try read(#"[{"a": NaN}]"#), .data, "t.json:1: 'NaN' is not a JSON value")
        assertError(try read(#"[{"a": 1}, {"a": 2,"#), .data, "t.json:1: expected a quoted column name, but the file ends here")
        assertError(try read(#"[{"a": "x"}] x"#), .data, "t.json:1: unexpected text after the data")
        assertError(try read(#"[{"a": "\ud800"}]"#), .data, "t.json:1: \\ud800 is half of a surrogate pair")
        assertError(try read(#"{"format": "modelsh-model"}"#), .data, "t.json:1: column \"format\" must be an array of values (a model file is read with `load model`)")
        assertError(try read(#"{"checksum": "3f1c", "format": "modelsh-model"}"#), .data,
                    "t.json:1: column \"checksum\" must be an array of values (a model file is read with `load model`)")
    }
}
