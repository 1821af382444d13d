import Diagnostics

/// Columns read as categories or text only because a few of their values are not numbers: a
/// stray `?`, `n/a` or `oops` in 10,000 numbers makes the whole column text (as in R and pandas),
/// and the user learns it only when a fit refuses the column as free text, or takes each number
/// as a category. `load` names them.
public enum NumberLikeColumns {
    /// At most this many distinct non-numbers, making up at most a tenth of the values, make a
    /// column number-like; more is a text column that happens to hold some numbers.
    static let maximumStrayTexts = 3

    /// One warning per categorical or text column of `data` whose values are numbers but for a
    /// few distinct texts: how many values are numbers, the texts that are not with the first row
    /// (1-based) of each, and, for a single such text, the `na=` that reads it as missing. When
    /// that text is in row 1 for two or more columns, one warning instead: row 1 looks like a
    /// header line (a header read as data with header=no, or a second line of names or units).
    public static func warnings(for data: Dataset) -> [String] {
        let findings = data.columns.compactMap(finding)
        let headerLike = findings.filter { $0.strays.count == 1 && $0.strays[0].row == 0 }
        guard headerLike.count < 2 else {
            let names = headerLike.map { Identifier.quoted($0.column.name) }
            let shown = names.count > 5 ? names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more" : names.joined(separator: ", ")
            return ["row 1 holds text in \(shown), whose other values are all numbers, so they were read as categories or text: "
                    + "is row 1 a header line (header=no reads the first line as data)?"]
                + findings.filter { finding in !headerLike.contains { $0.column.name == finding.column.name } }.map(\.warning)
        }
        return findings.map(\.warning)
    }

    private struct Finding {
        let column: Column
        let present: Int
        let strayCount: Int
        let strays: [(text: String, row: Int)]

        var warning: String {
            let listed = strays.map { "'\(TerminalText.cell($0.text, maximumWidth: 40).text)' (row \($0.row + 1))" }
            let quoted = strays[0].text.reduce(into: "") { written, c in written += c == "\"" || c == "\\" ? "\\\(c)" : "\(c)" }
            let fix = strays.count == 1 ? "; na=\"\(TerminalText.cell(quoted, maximumWidth: 40).text)\" reads it as missing" : ""
            return "column \(Identifier.quoted(column.name)) is \(column.type.rawValue), though \(present - strayCount) of its \(present) values are numbers: "
                + "not \(listed.joined(separator: ", "))\(fix)"
        }
    }

    private static func finding(for column: Column) -> Finding? {
        let present = column.count - column.missingCount
        guard column.type == .categorical || column.type == .text, present > 0 else { return nil }
        var strays: [(text: String, row: Int)] = [], strayCount = 0
        if case .categories(let codes, let levels) = column.storage {
            // A level at a time: its text is parsed once, its rows counted by code; the levels of a
            // column of text are given up on at its fourth that is not a number.
            var strayLevels: [Int] = []
            for level in levels.indices where !isNumber(levels[level]) {
                strayLevels.append(level)
                if strayLevels.count > maximumStrayTexts { return nil }
            }
            guard !strayLevels.isEmpty else { return nil }
            var counts = [Int](repeating: 0, count: levels.count), firstRows = [Int?](repeating: nil, count: levels.count)
            for (row, code) in codes.enumerated() where levels.indices.contains(Int(code)) && !column.isMissing(row) {
                counts[Int(code)] += 1
                if firstRows[Int(code)] == nil { firstRows[Int(code)] = row }
            }
            strays = strayLevels.compactMap { level in firstRows[level].map { (levels[level], $0) } }.sorted { $0.row < $1.row }
            strayCount = strayLevels.reduce(0) { $0 + counts[$1] }
        } else {
            for row in 0 ..< column.count where !column.isMissing(row) {
                let text = column.text(at: row) ?? ""
                guard !isNumber(text) else { continue }
                strayCount += 1
                if !strays.contains(where: { $0.text == text }) {
                    strays.append((text, row))
                    if strays.count > maximumStrayTexts { return nil }
                }
                if strayCount * 10 > present { return nil }
            }
        }
        guard !strays.isEmpty, strayCount * 10 <= present else { return nil }
        return Finding(column: column, present: present, strayCount: strayCount, strays: strays)
    }

    /// Whether `text`, trimmed of spaces and tabs as `load` trims a field, reads as a number.
    static func isNumber(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var (start, end) = (bytes.startIndex, bytes.endIndex)
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            return DecimalParser.parse(UnsafeBufferPointer(rebasing: bytes[start ..< end])) != nil
        }
    }
}
