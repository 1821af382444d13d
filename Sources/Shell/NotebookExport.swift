import Diagnostics
import Foundation
import Plotting
import Store

/// A session's cells as a document to read elsewhere: every cell's input and output in order,
/// with the plots it drew, under a header with the date, modelsh's version and the workspace.
/// Markdown (`*.md`) refers to each plot as an SVG file written beside it, which every Markdown
/// viewer shows (many strip inline `<svg>`); HTML (`*.html`) is one self-contained file with the
/// plots inline, no scripts and nothing fetched, written so it is well-formed XML too. Text from the session is always escaped, so a
/// value in a CSV file cannot add markup to either.
public struct NotebookExport {
    public enum Format: String, Sendable {
        case markdown, html
    }

    public var cells: [CellRecord]
    /// The figures each cell drew, by cell number.
    public var figures: [Int: [Figure]]
    public var date: Date
    /// The workspace file the session was opened from or last saved to.
    public var workspace: String?

    public init(cells: [CellRecord], figures: [Int: [Figure]], date: Date, workspace: String?) {
        (self.cells, self.figures, self.date, self.workspace) = (cells, figures, date, workspace)
    }

    /// The session's cells so far (not the one exporting them).
    public init(_ session: Session) {
        self.init(cells: session.cells, figures: session.figures, date: session.clock(), workspace: session.workspacePath)
    }

    /// The format a path's extension asks for, or an error naming the ones there are.
    public static func format(of path: String) throws -> Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "md", "markdown": return .markdown
        case "html", "htm": return .html
        default: throw ModelshError.usage("a notebook is exported to Markdown (*.md) or HTML (*.html), not \"\(path)\"")
        }
    }

    /// Writes the notebook to `path` (and, for Markdown, its plots beside it), each file
    /// replaced atomically; returns how many files were written.
    @discardableResult
    public func write(to path: String) throws -> Int {
        switch try Self.format(of: path) {
        case .html:
            try AtomicFile.write(Data(html().utf8), to: path)
            return 1
        case .markdown:
            let url = URL(fileURLWithPath: path)
            let stem = url.deletingPathExtension().lastPathComponent
            let (text, plots) = markdown(plotName: { cell, index in "\(stem)-cell\(cell)\(index == 0 ? "" : "-\(index + 1)").svg" })
            for plot in plots {
                try AtomicFile.write(Data(plot.svg.utf8), to: url.deletingLastPathComponent().appendingPathComponent(plot.name).path)
            }
            try AtomicFile.write(Data(text.utf8), to: path)
            return 1 + plots.count
        }
    }

    private var headerFacts: [String] {
        ["date: " + RegistryTime.text(date), "modelsh " + ModelshVersion.current]
            + (workspace.map { ["workspace: " + $0] } ?? [])
    }

    // MARK: - Markdown

    /// The Markdown text and the SVG files it refers to, named by `plotName(cell, index)`.
    func markdown(plotName: (Int, Int) -> String) -> (text: String, plots: [(name: String, svg: String)]) {
        var lines = ["# modelsh notebook", ""] + headerFacts.map { "- " + Self.markdownInline(Self.plain($0)) } + [""]
        var plots: [(name: String, svg: String)] = []
        for cell in cells {
            lines.append("## [\(cell.number)]" + (cell.succeeded ? "" : " (failed)"))
            lines.append("")
            lines += Self.fenced(Self.plain(cell.input), info: "msh")
            if !cell.output.isEmpty { lines += Self.fenced(Self.plain(cell.output), info: "text") }
            for (index, figure) in (figures[cell.number] ?? []).enumerated() {
                let name = plotName(cell.number, index)
                plots.append((name, SVGRenderer.render(figure)))
                let target = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
                lines += ["![\(Self.markdownInline(Self.plain(figure.title)))](\(target))", ""]
            }
        }
        return (lines.joined(separator: "\n"), plots)
    }

    /// A code block whose fence is longer than any run of backticks inside it.
    private static func fenced(_ text: String, info: String) -> [String] {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return [fence + info, text, fence, ""]
    }

    /// Text that Markdown shows as written in a line (a heading, a list item, an image's alt text).
    private static func markdownInline(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\`*_[]<>#|&".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    // MARK: - HTML

    func html() -> String {
        var body: [String] = []
        for cell in cells {
            body.append(#"<section class="cell\#(cell.succeeded ? "" : " failed")" id="cell-\#(cell.number)">"#)
            body.append(#"<div class="number">[\#(cell.number)]\#(cell.succeeded ? "" : " failed")</div>"#)
            body.append(#"<pre class="input">\#(SVGRenderer.escaped(Self.plain(cell.input)))</pre>"#)
            if !cell.output.isEmpty { body.append(#"<pre class="output">\#(SVGRenderer.escaped(Self.plain(cell.output)))</pre>"#) }
            for figure in figures[cell.number] ?? [] {
                body.append(#"<figure class="plot">\#(Self.inlineSVG(figure))</figure>"#)
            }
            body.append("</section>")
        }
        return """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/>
        <title>modelsh notebook</title>
        <style>
        \(Self.style)
        </style>
        </head>
        <body>
        <header><h1>modelsh notebook</h1><p class="facts">\(headerFacts.map { SVGRenderer.escaped(Self.plain($0)) }.joined(separator: " · "))</p></header>
        <main>
        \(body.joined(separator: "\n"))
        </main>
        </body>
        </html>

        """
    }

    private static let style = """
    body { font-family: -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0 auto; padding: 0.75rem; max-width: 60rem; color: #1b1b1b; background: #fff; }
    h1 { font-size: 1.4rem; margin: 0.2rem 0; }
    .facts { color: #555; margin: 0 0 1rem; font-size: 0.9rem; }
    .cell { border-left: 3px solid #8fb3d9; padding: 0.1rem 0 0.1rem 0.6rem; margin: 0 0 1rem; }
    .cell.failed { border-left-color: #d98f8f; }
    .number { color: #777; font-size: 0.8rem; }
    pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85rem; margin: 0.2rem 0; padding: 0.4rem 0.5rem; overflow-x: auto; white-space: pre; max-width: 100%; box-sizing: border-box; }
    pre.input { background: #eef3f8; font-weight: bold; }
    pre.output { background: #f7f7f7; }
    .failed pre.output { background: #fbefef; }
    figure { margin: 0.4rem 0; }
    figure svg { max-width: 100%; height: auto; }
    """

    /// The figure's SVG without its XML declaration, which has no place inside HTML.
    private static func inlineSVG(_ figure: Figure) -> String {
        let svg = SVGRenderer.render(figure)
        guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
        return String(svg[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `text` without the terminal's colour codes, every other control character spelt out
    /// (as `out` shows it), line by line.
    static func plain(_ text: String) -> String {
        let uncoloured = text.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
        return uncoloured.split(separator: "\n", omittingEmptySubsequences: false)
            .map { TerminalText.escaped(String($0)) }.joined(separator: "\n")
    }
}
