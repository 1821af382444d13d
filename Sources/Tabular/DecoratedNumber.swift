import Diagnostics

/// A number written with the decoration reports and spreadsheets put around it, for `number(x)`
/// in expressions (readr's parse_number, with "," as the grouping mark): a currency sign, unit or
/// word before or after it (`$1,234.50`, `12%`, `EUR 3`, `5 kg`), digits grouped by commas, a
/// minus sign anywhere before the digits (`-$5`, `$-5`), and accounting's parentheses for a
/// negative amount (`(42.00)`). A percentage is its number (`12%` is 12, as readr reads it).
///
/// Stricter than readr where it would guess: text with digits after the number (`1-2`,
/// `2024-01-01`, `3 of 4`, `1.234,5`) is no number, rather than its first one.
public enum DecoratedNumber {
    public static func parse(_ text: String) -> Double? {
        var characters = Substring(text).drop(while: \.isWhitespace)
        while characters.last?.isWhitespace == true { characters = characters.dropLast() }
        var negative = false
        if characters.first == "(", characters.last == ")" {
            negative = true
            characters = characters.dropFirst().dropLast()
        }
        let scalars = Array(characters.unicodeScalars)
        func digitAt(_ index: Int) -> Bool { index < scalars.count && isDigit(scalars[index]) }
        // The number starts at its first digit, or at a point just before one.
        guard let start = scalars.indices.first(where: { digitAt($0) || (scalars[$0] == "." && digitAt($0 + 1)) }) else { return nil }
        if scalars[..<start].contains(where: { $0 == "-" || $0 == "\u{2212}" }) { negative.toggle() }
        var digits = ""
        var index = start
        while index < scalars.count {
            if digitAt(index) {
                digits.unicodeScalars.append(scalars[index])
            } else if scalars[index] == ",", !digits.isEmpty, digitAt(index + 1) {
                // A grouping comma: between digits, before any point.
            } else {
                break
            }
            index += 1
        }
        if index < scalars.count, scalars[index] == ".", digitAt(index + 1) || !digits.isEmpty {
            digits += "."
            index += 1
            while digitAt(index) {
                digits.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        // An exponent only when digits follow its `e`.
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            var end = index + 1
            if end < scalars.count, scalars[end] == "+" || scalars[end] == "-" { end += 1 }
            if digitAt(end) {
                while index < end || digitAt(index) {
                    digits.unicodeScalars.append(scalars[index])
                    index += 1
                }
            }
        }
        guard !scalars[index...].contains(where: isDigit), let value = Double(digits), value.isFinite else { return nil }
        return negative ? -value : value
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}

extension DecoratedNumber {
    /// How many values of a column of text `warnings` looks at: enough to see what a column
    /// holds, few enough for a million rows to cost nothing.
    static let valuesLookedAt = 1_000

    /// One warning per categorical or text column of `data` whose values are amounts of money or
    /// percentages (`$1,234.50`, `12%`, `(42.00)`), which `load` reads as text: the `derive` that
    /// reads them as numbers. Only currency signs, `%`, signs, parentheses, grouping commas and
    /// spaces count as decoration here, so codes like `A123` (which `number()` would read as 123)
    /// are not taken for numbers. Up to three distinct texts without a digit (`n/a`, `-`), at
    /// most a third of the distinct texts, may be among them: `number()` makes them missing. A
    /// column of text is judged by its first 1,000 values.
    public static func warnings(for data: Dataset, named dataName: String) -> [String] {
        data.columns.compactMap { column in
            var texts: [String]
            switch column.storage {
            case .categories(_, let levels): texts = levels
            case .strings:
                texts = (0 ..< column.count).lazy.compactMap { column.isMissing($0) ? nil : column.text(at: $0) }.prefix(valuesLookedAt).map { $0 }
                texts = Array(Set(texts)).sorted()
            case .numbers: return nil
            }
            // Given up on at the first text with a digit that is no amount, or the fourth without one.
            var amounts: [String] = [], others: [String] = []
            for text in texts {
                if isAmount(text) {
                    amounts.append(text)
                } else {
                    others.append(text)
                    guard others.count <= NumberLikeColumns.maximumStrayTexts, !text.unicodeScalars.contains(where: isDigit)
                    else { return nil }
                }
            }
            guard !amounts.isEmpty, 2 * others.count <= amounts.count else { return nil }
            let shown = amounts.prefix(2).map(cell).joined(separator: ", ")
            let name = Identifier.written(column.name)
            let missing = others.isEmpty ? "" : ", \(others.map(cell).joined(separator: ", ")) as missing"
            return "column \(Identifier.quoted(column.name)) holds amounts or percentages written as text (\(shown)): "
                + "derive \(dataName) \(name) = number(\(name)) reads them as numbers\(missing)"
        }
    }

    private static func cell(_ text: String) -> String { "'\(TerminalText.cell(text, maximumWidth: 20).text)'" }

    private static let decoration = Set("$€£¥₹%()+-,. \t".unicodeScalars)

    /// Whether `text` is a number with decoration (not a plain one, which `load` reads itself).
    private static func isAmount(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { isDigit($0) || decoration.contains($0) }
            && text.unicodeScalars.contains { !isDigit($0) && $0 != "." && $0 != "-" }
            && parse(text) != nil
    }
}
