import Diagnostics
import Numerics

/// How tables are printed: `set format`, as the DuckDB shell's `.mode`.
public enum TableFormat: String, Sendable, CaseIterable {
    /// Aligned columns, folded to the output's width.
    case table
    /// RFC 4180: a header line, then one line per row.
    case csv
    /// An array of records, one object per row, keys in column order.
    case json
    /// A GitHub-flavoured Markdown table.
    case markdown
}

/// Everything that decides how a table is printed, apart from the table itself.
public struct TableStyle: Sendable, Equatable {
    public var format: TableFormat
    /// Significant digits for numbers in tables (`set digits`).
    public var digits: Int
    /// The output's width in terminal columns; nil is unlimited (no folding).
    public var width: Int?

    public init(format: TableFormat = .table, digits: Int = 7, width: Int? = nil) {
        self.format = format
        self.digits = digits
        self.width = width
    }

    /// The one place a table becomes text: every command's tables go through here.
    ///
    /// Numbers in right-aligned columns are first cut to `digits` significant digits (a cell
    /// written with a point or exponent; whole numbers such as counts stay as they are), so
    /// every format shows the same figures. A footer follows the table as plain lines in every
    /// format.
    public func render(_ table: TextTable) -> String {
        let table = table.roundingNumbers(to: digits)
        switch format {
        case .table: return table.rendered(width: width)
        case .csv: return MachineTable.csv(table)
        case .json: return MachineTable.json(table)
        case .markdown: return MachineTable.markdown(table)
        }
    }
}

extension TextTable {
    /// This table with every decimal number in a right-aligned column given at most `digits`
    /// significant digits.
    func roundingNumbers(to digits: Int) -> TextTable {
        var table = self
        for (column, alignment) in alignments.enumerated() where alignment == .right {
            for row in table.rows.indices where column < table.rows[row].count {
                let cell = table.rows[row][column]
                guard TextTable.isDecimalFraction(cell), let value = Double(cell) else { continue }
                table.rows[row][column] = NumberFormat.significant(value, digits: digits)
            }
        }
        return table
    }

    /// A number written with a point or an exponent (`2.5`, `-1e-05`), not a count or a word.
    static func isDecimalFraction(_ cell: String) -> Bool {
        var hasDigit = false, isFraction = false
        for byte in cell.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): hasDigit = true
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): isFraction = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"): break
            default: return false
            }
        }
        return hasDigit && isFraction
    }
}

/// The machine-readable formats. Cells are shown whole (no cutting: the point of `csv` is to
/// see everything), with control characters escaped as in tables, so nothing printed can
/// act on the terminal.
enum MachineTable {
    static func csv(_ table: TextTable) -> String {
        let lines = [table.headers] + table.rows
        var out = lines.map { row in
            table.headers.indices.map { CSVText.field(TerminalText.escaped($0 < row.count ? row[$0] : "")) }.joined(separator: ",")
        }
        out += footerLines(table)
        return out.joined(separator: "\n")
    }

    /// `[{"metric": "rmse", "value": 47.93722}, …]`: a cell of a right-aligned column that is a
    /// JSON number is written as one, `NA` as null, anything else as a string. Keys are the
    /// headers, an empty one named `Vk` and a repeated one given `_2`, … (as `load` names
    /// CSV columns), so every key is unique.
    static func json(_ table: TextTable) -> String {
        let keys = ColumnNames.unique(table.headers).map(JSONText.string)
        let records = table.rows.map { row in
            let fields = keys.indices.map { column -> String in
                let cell = column < row.count ? row[column] : ""
                let numeric = column < table.alignments.count && table.alignments[column] == .right
                return keys[column] + ": " + jsonValue(cell, numeric: numeric)
            }
            return "  {" + fields.joined(separator: ", ") + "}"
        }
        let body = records.isEmpty ? "[]" : "[\n" + records.joined(separator: ",\n") + "\n]"
        return ([body] + footerLines(table)).joined(separator: "\n")
    }

    static func markdown(_ table: TextTable) -> String {
        func row(_ cells: [String]) -> String {
            "| " + table.headers.indices.map { i in
                let cell = i < cells.count ? cells[i] : ""
                return TerminalText.escaped(cell).replacing("|", with: "\\|")
            }.joined(separator: " | ") + " |"
        }
        let rule = "| " + table.headers.indices.map { i in
            i < table.alignments.count && table.alignments[i] == .right ? "---:" : "---"
        }.joined(separator: " | ") + " |"
        var out = [row(table.headers), rule] + table.rows.map(row)
        // A line right under a table would be read as one more row.
        let footer = footerLines(table)
        if !footer.isEmpty { out += [""] + footer }
        return out.joined(separator: "\n")
    }

    private static func jsonValue(_ cell: String, numeric: Bool) -> String {
        if cell == "NA" { return "null" }
        if numeric, JSONText.isNumber(cell) { return cell }
        return JSONText.string(cell)
    }

    private static func footerLines(_ table: TextTable) -> [String] {
        guard let footer = table.footer else { return [] }
        return footer.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escaped(String($0)) }
    }
}

/// Column names as `load` makes them from a header: an empty name at position k (from 1)
/// becomes `Vk`, a repeated one gets the first free `_2`, `_3`, … (as R's `make.unique`). The
/// names the header gives are settled first, so a made-up `Vk` never takes one of them (a header
/// `,V1,a` keeps its V1 and names the empty one `V1_2`).
public enum ColumnNames {
    public static func unique(_ names: [String]) -> [String] {
        var taken = Set<String>()
        func claim(_ base: String) -> String {
            var unique = base
            var suffix = 2
            while taken.contains(unique) {
                unique = "\(base)_\(suffix)"
                suffix += 1
            }
            taken.insert(unique)
            return unique
        }
        var result = names
        for (index, name) in names.enumerated() where !name.isEmpty { result[index] = claim(name) }
        for (index, name) in names.enumerated() where name.isEmpty { result[index] = claim("V\(index + 1)") }
        return result
    }
}
