import Diagnostics
import Tabular

/// Turns a command's report into the text a user sees. One place, so every command's tables
/// print in the format, digits and width the session asks for (`TableStyle.render`).
public enum ReportRenderer {
    public static func render(_ report: Report, style: TableStyle = TableStyle()) -> String {
        report.blocks.map { block in
            switch block {
            case .text(let text):
                // Lines may quote names from files; tables escape their cells themselves.
                return text.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }.joined(separator: "\n")
            case .table(let table): return style.render(table)
            }
        }.joined(separator: "\n")
    }

    /// The style the settings ask for, at the sink's width unless `set width` chose one.
    static func style(_ settings: Settings, sink: OutputSink) -> TableStyle {
        TableStyle(format: settings.format, digits: settings.digits, width: settings.width ?? sink.width)
    }
}
