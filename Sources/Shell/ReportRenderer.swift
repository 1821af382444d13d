import Diagnostics
import Tabular

/// Turns a command's report into the text a user sees. One place, so output modes (CSV,
/// JSON, Markdown tables) can be added here without touching commands.
public enum ReportRenderer {
    public static func render(_ report: Report) -> String {
        report.blocks.map { block in
            switch block {
            case .text(let text):
                // Lines may quote names from files; tables escape their cells themselves.
                return text.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }.joined(separator: "\n")
            case .table(let table): return table.rendered()
            }
        }.joined(separator: "\n")
    }
}
