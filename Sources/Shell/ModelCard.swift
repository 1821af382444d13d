import Diagnostics
import Models
import Numerics
import Store
import Tabular

/// `export card`: a model card in Markdown (after Mitchell et al.'s "Model Cards for Model
/// Reporting"): purpose, data, features, metrics and lineage, from what the registry knows.
enum ModelCard {
    static func markdown(_ id: ModelVersionID, registry: ModelRegistry) -> String {
        let facts = VersionFacts(id, registry: registry)
        let model = facts.model
        var lines = ["# Model card: \(id)", "", ModelDescription.line(for: model) + ".", ""]
        lines += ["## Purpose", "", purpose(model), ""]
        lines += ["## Data", "", "- Fitted on: \(facts.data)", "- Preprocessing: \(model.preprocessing.settings.description)", ""]
        lines += ["## Features", ""] + markdownTable(["feature", "type", "levels"], model.schema.features.map {
            [TerminalText.escaped($0.name), $0.type.rawValue, $0.levels.map { $0.map(TerminalText.escaped).joined(separator: ", ") } ?? ""]
        }) + [""]
        lines += ["## Model", "", "- Kind: \(model.kind)", "- Parameters: \(facts.parameters)", "- Learned: \(model.structureLine)", ""]
        lines += ["## Metrics", ""]
        if facts.version.evaluations.isEmpty {
            lines.append("Not evaluated yet.")
        } else {
            let table = RegistryReports.evaluationTable(facts)
            lines += markdownTable(table.headers, table.rows)
        }
        lines += ["", "## Lineage", "", "- Made by: \(facts.madeBy)", "- Created: \(facts.created) (UTC)", "- Parent: \(facts.parent)"]
        if let grid = facts.grid { lines.append("- Tuned over: \(grid)") }
        lines += ["- Aliases: \(facts.aliases)", "- Status: \(facts.status)"]
        let others = facts.entry.versions.filter { $0.number != id.version }.map { "\(id.name)@\($0.number)" + ($0.retired ? " (retired)" : "") }
        lines.append("- Other versions: " + (others.isEmpty ? "none" : others.joined(separator: ", ")))
        return withoutMarkup(lines.joined(separator: "\n") + "\n")
    }

    /// Names, levels and commands come from files someone may have crafted, so the card holds
    /// no raw HTML: `&` and `<` become entities, which every Markdown viewer shows as the characters.
    private static func withoutMarkup(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }

    private static func purpose(_ model: Model) -> String {
        let features = model.schema.features.count
        let from = "from \(features) feature\(features == 1 ? "" : "s")"
        guard let target = model.schema.target else {
            return model.task == .clustering ? "Groups rows into clusters \(from)." : "Summarises \(from) in principal components."
        }
        return model.task == .classification
            ? "Predicts the class of `\(target.name)` (\(model.schema.classes.joined(separator: ", "))) \(from)."
            : "Predicts `\(target.name)` (a quantity) \(from)."
    }

    private static func markdownTable(_ headers: [String], _ rows: [[String]]) -> [String] {
        func row(_ cells: [String]) -> String { "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
        return [row(headers), row(headers.map { _ in "---" })] + rows.map(row)
    }
}
