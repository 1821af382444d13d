import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Plotting
import XCTest

/// The SVG is parsed back with Foundation's XMLParser: well-formed, with the title, the axis
/// labels and one group per series holding its marks.
final class SVGRendererTests: XCTestCase {
    /// What a parse found: every element with its attributes, and each element's text.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var texts: [(className: String?, text: String)] = []
        private var open: [(name: String, className: String?)] = []
        private var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append((name, attributes))
            open.append((name, attributes["class"]))
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let element = open.removeLast()
            if element.name == "text" { texts.append((element.className, text)) }
            text = ""
        }

        func count(_ name: String) -> Int { elements.filter { $0.name == name }.count }
    }

    func parse(_ figure: Figure, file: StaticString = #filePath, line: UInt = #line) -> Collector {
        let svg = SVGRenderer.render(figure)
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")\n\(svg)", file: file, line: line)
        return collector
    }

    func testEveryFixtureIsWellFormedWithTitleAndAxisLabels() {
        for figure in RendererFixtures.all {
            let svg = parse(figure)
            XCTAssertEqual(svg.elements.first?.name, "svg")
            XCTAssertEqual(svg.elements.first?.attributes["xmlns"], "http://www.w3.org/2000/svg")
            XCTAssertEqual(svg.texts.filter { $0.className == "title" }.map(\.text), [figure.title])
            XCTAssertEqual(svg.texts.filter { $0.className == "x-label" }.map(\.text), figure.x.label.isEmpty ? [] : [figure.x.label])
            XCTAssertEqual(svg.texts.filter { $0.className == "y-label" }.map(\.text), figure.y.label.isEmpty ? [] : [figure.y.label])
        }
    }

    func testOneGroupPerSeriesWithItsMarks() {
        let lines = parse(RendererFixtures.lines)
        let groups = lines.elements.filter { $0.name == "g" && $0.attributes["class"] == "series" }
        XCTAssertEqual(groups.map { $0.attributes["data-name"] }, ["chance", "a <b> & \"c\""], "reference lines first, names unescaped by the parser")
        XCTAssertEqual(lines.elements.filter { $0.name == "path" && $0.attributes["stroke-dasharray"] == "5 4" }.count, 1, "one dashed reference path")
        XCTAssertEqual(lines.texts.filter { $0.text == "a <b> & \"c\"" }.count, 1, "the legend")

        XCTAssertEqual(parse(RendererFixtures.scatter).count("circle"), 6 + 2, "six points and two legend swatches")
        let bars = parse(RendererFixtures.bars)
        XCTAssertEqual(bars.count("rect"), 1 + 3, "the background and three bars")
        XCTAssertEqual(parse(RendererFixtures.heatmap).count("rect"), 1 + 4)
        let boxes = parse(RendererFixtures.boxes)
        XCTAssertEqual(boxes.count("rect"), 1 + 2)
        XCTAssertEqual(boxes.count("circle"), 1, "the one outlier")
    }

    func testTicksAreLabelledAndTextIsSafe() {
        let svg = parse(RendererFixtures.lines)
        XCTAssertEqual(svg.texts.filter { $0.className == nil }.map(\.text).filter { $0.hasPrefix("0.") || $0 == "1.0" }.count, 12,
                       "six ticks on each axis: 0.0, 0.2, …, 1.0")
        var figure = RendererFixtures.scatter
        figure.title = "bell\u{07} & <tag>"
        XCTAssertEqual(parse(figure).texts.first { $0.className == "title" }?.text, "bell\\x07 & <tag>")
    }

    func testTheSameFigureGivesTheSameBytes() {
        XCTAssertEqual(SVGRenderer.render(RendererFixtures.boxes), SVGRenderer.render(RendererFixtures.boxes))
    }
}
