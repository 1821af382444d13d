import Foundation

/// Compares recorded output with new output the way `check` must: text exactly, numbers
/// within a relative tolerance, so a last-digit change from a different BLAS does not fail
/// a transcript while a moved coefficient does; byte sizes within one unit of their last digit.
public enum OutputComparison {
    /// The amount of white space between words is ignored, and a table's rule line matches
    /// another with as many rules: a number that moved within tolerance may print one digit
    /// shorter and shift its table's padding. Editors strip trailing white space, too.
    public static func linesMatch(_ expected: String, _ actual: String, tolerance: Double) -> Bool {
        let expected = collapsingWhitespace(expected), actual = collapsingWhitespace(actual)
        if expected == actual { return true }
        if isRule(expected), isRule(actual) {
            return expected.split(separator: " ").count == actual.split(separator: " ").count
        }
        let a = pieces(expected), b = pieces(actual)
        guard a.count == b.count else { return false }
        for (index, (x, y)) in zip(a, b).enumerated() {
            switch (x, y) {
            case (.text(let s), .text(let t)):
                if s != t { return false }
            case (.number(let u, let printed), .number(let v, _)):
                if numbersMatch(u, v, tolerance: tolerance) { continue }
                guard index + 1 < a.count, case .text(let next) = a[index + 1], isByteUnit(next),
                      abs(u - v) <= lastDigitUnit(printed) * (1 + 1e-9) else { return false }
            default:
                return false
            }
        }
        return true
    }

    /// A number followed by a byte unit is a size ("8.5 KiB", "812 B"): of a model's file,
    /// whose numbers are written in their shortest form, so its length moves with the last bits
    /// of values a different BLAS rounds differently. Sizes match within one unit of their last
    /// printed digit.
    static func isByteUnit(_ text: String) -> Bool {
        let unit = text.drop(while: { $0 == " " }).prefix(while: { $0.isLetter })
        return ["B", "KiB", "MiB", "GiB", "TiB"].contains(String(unit)) && text.first == " "
    }

    /// One unit of the last digit of a plainly printed number: 0.1 for "8.5", 1 for "812".
    static func lastDigitUnit(_ printed: String) -> Double {
        guard let point = printed.firstIndex(of: ".") else { return 1 }
        return pow(10, -Double(printed.distance(from: point, to: printed.endIndex) - 1))
    }

    /// The line with each run of spaces and tabs as one space, and none at either end.
    static func collapsingWhitespace(_ line: String) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// A table's rule line: dashes and spaces only.
    static func isRule(_ line: String) -> Bool {
        !line.isEmpty && line.allSatisfy { $0 == "-" || $0 == " " }
    }

    static func numbersMatch(_ u: Double, _ v: Double, tolerance: Double) -> Bool {
        if u == v { return true }
        return abs(u - v) <= tolerance * max(abs(u), abs(v))
    }

    enum Piece: Equatable {
        case text(String)
        case number(Double, String)
    }

    /// Splits a line into runs of text and decimal numbers (sign, digits, fraction, exponent).
    /// A number glued to letters (`x1`, `1st`) stays text, so names are compared exactly.
    static func pieces(_ line: String) -> [Piece] {
        let chars = Array(line)
        var result: [Piece] = []
        var text = ""
        var i = 0
        while i < chars.count {
            if let (end, value) = number(in: chars, at: i) {
                if !text.isEmpty { result.append(.text(text)); text = "" }
                result.append(.number(value, String(chars[i..<end])))
                i = end
            } else {
                text.append(chars[i])
                i += 1
            }
        }
        if !text.isEmpty { result.append(.text(text)) }
        return result
    }

    private static func number(in chars: [Character], at start: Int) -> (Int, Double)? {
        if start > 0, chars[start - 1].isLetter || chars[start - 1] == "_" || chars[start - 1] == "." || chars[start - 1].isNumber { return nil }
        var i = start
        if chars[i] == "-" { i += 1 }
        let digitsStart = i
        while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
        guard i > digitsStart else { return nil }
        if i < chars.count, chars[i] == ".", i + 1 < chars.count, chars[i + 1].isASCII, chars[i + 1].isNumber {
            i += 1
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
        }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var j = i + 1
            if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
            let expStart = j
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
            if j > expStart { i = j }
        }
        if i < chars.count, chars[i].isLetter || chars[i] == "_" { return nil }
        guard let value = Double(String(chars[start..<i])) else { return nil }
        return (i, value)
    }
}
