@testable import Tabular
import XCTest

/// `TextColumn` holds a short text in its row's slot and a longer one in its heap; whichever way
/// a row got there (appended, joined from another column, made from levels, selected), it must
/// read back as the text that was put in.
final class TextColumnTests: XCTestCase {
    /// Texts of every length around the 15 bytes a slot holds, with multi-byte characters, NUL
    /// (which a workspace may hold) and the empty text.
    private let texts: [String] = (0...40).map { String(repeating: "ab", count: $0 / 2) + ($0 % 2 == 1 ? "c" : "") }
        + ["", "naïve café", "東京, 大阪 and 札幌", "nul\u{0}inside", "\u{0}", "15 bytes exact!", "16 bytes exactly"]

    func testTextsReadBackAsAppended() {
        let column = TextColumn(texts)
        XCTAssertEqual(Array(column), texts)
        XCTAssertEqual(column.indices.map { column.byteCount(at: $0) }, texts.map(\.utf8.count))
        XCTAssertEqual(column.indices.map { row in column.withUTF8(at: row) { Array($0) } }, texts.map { Array($0.utf8) })
        XCTAssertNotEqual(TextColumn(["a"]), TextColumn(["a\u{0}"]), "a NUL after a text is part of it")
    }

    /// Joined columns move the places of the second's long texts past the first's heap.
    func testJoinedColumnsKeepEveryRow() {
        var joined = TextColumn(texts)
        joined.append(contentsOf: TextColumn(texts.reversed()))
        joined.appendEmpty(count: 2)
        XCTAssertEqual(Array(joined), texts + texts.reversed() + ["", ""])
        var rows = TextColumn()
        rows.append(rows: [3, 40, 3, 20], of: joined)
        XCTAssertEqual(Array(rows), [texts[3], texts[40], texts[3], texts[20]])
    }

    /// Long texts fill chunk after chunk (one longer than a chunk gets its own); joined columns
    /// and rows taken from them read back across every chunk.
    func testTextsAcrossChunks() {
        let many = (0..<20_000).map { "text number \($0) of a column longer than one chunk" }
            + [String(repeating: "a text longer than a chunk ", count: TextColumn.chunkBytes / 20)] + ["after it, in a chunk of its own"]
        let column = TextColumn(many)
        XCTAssertGreaterThan(column.heaps.count, 3)
        XCTAssertEqual(Array(column), many)
        var joined = TextColumn(["first"])
        joined.append(contentsOf: column)
        joined.append(contentsOf: column)
        joined.append("and one more after both")
        XCTAssertEqual(Array(joined), ["first"] + many + many + ["and one more after both"])
        XCTAssertEqual(Array(joined.selecting(rows: [20_002, 1, 40_003])), [many[20_001], many[0], many[20_000]])
    }

    /// Rows made from levels share each long level's bytes; a negative code is an empty row.
    func testRowsOfLevelsShareTheirBytes() {
        let levels = TextColumn(["short", "a level longer than fifteen bytes", "another long level, shared"])
        var column = TextColumn(["first"])
        column.append(codes: [1, 0, -1, 2, 1, 1, 2], of: levels)
        XCTAssertEqual(Array(column), ["first", levels[1], "short", "", levels[2], levels[1], levels[1], levels[2]])
        XCTAssertEqual(column.approximateByteCount, 8 * 16 + levels.heaps.reduce(0) { $0 + $1.count }, "each long level's bytes once")
    }

    /// Selected and partitioned rows keep only their own texts; equality is by rows, not by layout.
    func testSelectedRowsKeepTheirTextsAndCompareByThem() {
        let column = TextColumn(texts)
        let selected = column.selecting(rows: [40, 0, 40, 5])
        XCTAssertEqual(Array(selected), [texts[40], texts[0], texts[40], texts[5]])
        XCTAssertEqual(selected.approximateByteCount, 4 * 16 + 80, "the two copies of the long text, not every chunk")
        XCTAssertEqual(column.selecting(rows: []).approximateByteCount, 0)
        XCTAssertEqual(selected, TextColumn([texts[40], texts[0], texts[40], texts[5]]), "the same texts, another heap")
        XCTAssertNotEqual(selected, TextColumn([texts[40], texts[0], texts[39], texts[5]]))
        let flags = texts.indices.map { $0 % 3 == 0 }
        let (first, second) = column.partitioned(by: flags, secondCount: flags.filter { $0 }.count)
        XCTAssertEqual(Array(first), texts.indices.filter { !flags[$0] }.map { texts[$0] })
        XCTAssertEqual(Array(second), texts.indices.filter { flags[$0] }.map { texts[$0] })
        XCTAssertTrue(column.sharesStorage(with: column))
        XCTAssertFalse(column.sharesStorage(with: TextColumn(texts)))
    }
}
