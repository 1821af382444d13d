import Diagnostics
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Shell
import XCTest

final class NotebookExportTests: ShellTestCase {
    /// A session with a plot, a failure whose text is markup, and output of every kind.
    private func runCells() {
        run("load \"data/iris.csv\" as iris")
        run("plot hist iris Sepal.Length bins=8")
        fail("load \"<script>alert('x')</script>&amp;.csv\" as bad")
        run("vars")
    }

    func testHTMLIsOneWellFormedFileWithEveryCellAPlotAndNoMarkupFromTheSession() throws {
        runCells()
        let path = temporaryPath("session.html")
        XCTAssertEqual(run("export notebook to \"\(path)\""), "exported 4 cells to \"\(path)\"")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let elements = ElementCollector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = elements
        XCTAssertTrue(parser.parse(), "well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        XCTAssertEqual(elements.ids.filter { $0.hasPrefix("cell-") }, ["cell-1", "cell-2", "cell-3", "cell-4"])
        XCTAssertEqual(elements.count("svg"), 1, "the histogram, inline")
        XCTAssertEqual(elements.count("script"), 0)
        XCTAssertEqual(elements.count("link") + elements.count("img") + elements.count("iframe"), 0, "nothing fetched")
        XCTAssertTrue(elements.metaNames.contains("viewport"))
        XCTAssertTrue(elements.text.contains("load \"<script>alert('x')</script>&amp;.csv\" as bad"), "the user's text, as text")
        XCTAssertTrue(text.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&amp;amp;.csv"))
        XCTAssertTrue(elements.text.contains("Sepal.Length"))
        XCTAssertTrue(elements.text.contains("modelsh \(ModelshVersion.current)"))
    }

    func testMarkdownFencesEveryCellAndWritesPlotsBeside() throws {
        runCells()
        let path = temporaryPath("my notes.md")
        XCTAssertEqual(run("export notebook to \"\(path)\""), "exported 4 cells to \"\(path)\" and 1 SVG plot beside it")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# modelsh notebook\n\n- date: "))
        for number in 1...4 { XCTAssertTrue(text.contains("\n## [\(number)]"), "cell \(number)") }
        XCTAssertTrue(text.contains("## [3] (failed)\n\n```msh\nload \"<script>"))
        XCTAssertTrue(text.contains("![Histogram of Sepal.Length (iris, 150 rows)](my%20notes-cell2.svg)"))
        let svg = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("my notes-cell2.svg")
        XCTAssertTrue(XMLParser(data: try Data(contentsOf: svg)).parse())
    }

    func testAFenceOutgrowsBackticksInTheText() {
        let notebook = NotebookExport(cells: [.init(number: 1, input: "help ```x", output: "", succeeded: true)],
                                      figures: [:], date: Date(timeIntervalSince1970: 0), workspace: "w<1>.msw")
        let text = notebook.markdown(plotName: { _, _ in "" }).text
        XCTAssertTrue(text.contains("\n````msh\nhelp ```x\n````\n"))
        XCTAssertTrue(text.contains("- workspace: w\\<1\\>.msw"))
        XCTAssertTrue(text.contains("- date: 1970-01-01T00:00:00Z"))
    }

    func testColourCodesAreDroppedAndOtherControlsSpeltOut() {
        XCTAssertEqual(NotebookExport.plain("\u{1B}[31mred\u{1B}[0m\u{07}\nnext"), "red\\x07\nnext")
    }

    func testOnlyMarkdownAndHTMLAndTheWorkspaceIsNamed() throws {
        XCTAssertEqual(fail("export notebook to \"n.txt\"").error?.message,
                       "a notebook is exported to Markdown (*.md) or HTML (*.html), not \"n.txt\"")
        let workspace = temporaryPath("w.msw")
        run("save workspace \"\(workspace)\"")
        let path = temporaryPath("n.md")
        run("export notebook to \"\(path)\"")
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("- workspace: \(workspace)"))
    }
}

/// What a parsed document holds: element names, ids, meta names and all its text.
private final class ElementCollector: NSObject, XMLParserDelegate {
    var names: [String] = []
    var ids: [String] = []
    var metaNames: [String] = []
    var text = ""

    func count(_ name: String) -> Int { names.filter { $0 == name }.count }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        names.append(name)
        if let id = attributes["id"] { ids.append(id) }
        if name == "meta", let meta = attributes["name"] { metaNames.append(meta) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
