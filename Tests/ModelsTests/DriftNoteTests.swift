import Models
import Tabular
import XCTest

/// What `drift` says about a column it cannot compare.
final class DriftNoteTests: XCTestCase {
    /// Free text (more distinct values than a distribution keeps) has values: the note says why it
    /// was not compared rather than "no values" (found by the second sweep: every text column
    /// of a full reference read "no values in the reference").
    func testFreeTextInTheReferenceIsNotCalledEmpty() {
        let names = (0 ..< 150).map { "passenger \($0)" }
        let text = Column(name: "name", type: .text, storage: .strings(TextColumn(names)), missing: MissingMask(count: names.count))
        let drift = ColumnDrift(name: "name", role: "feature", reference: ColumnProfile(text), current: text, thresholds: .standard)
        XCTAssertEqual(drift.verdict, .notCompared)
        XCTAssertEqual(drift.note, "too many distinct values in the reference")

        let empty = Column.numeric("x", [.nan, .nan, .nan]), present = Column.numeric("x", [1, 2, 3])
        XCTAssertEqual(ColumnDrift(name: "x", role: "feature", reference: ColumnProfile(empty), current: present, thresholds: .standard).note,
                       "no values in the reference")
    }
}
