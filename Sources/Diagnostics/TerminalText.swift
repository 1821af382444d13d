/// Making text from files safe and measurable for a terminal: control characters become visible
/// escapes (so a CSV value cannot recolour the screen, set the window title or break a table's
/// lines), and widths count terminal columns rather than characters.
public enum TerminalText {
    /// "a, b, c", or the first ten and a count when there are more: the levels or names an
    /// error lists stay on a line or two however many there are.
    public static func listing(_ items: [String]) -> String {
        guard items.count > 10 else { return items.joined(separator: ", ") }
        return items.prefix(10).joined(separator: ", ") + ", … (\(items.count) in all)"
    }

    /// `text` with every character a terminal would act on instead of print spelt out:
    /// - `\n`, `\r`, `\t` as those two characters;
    /// - other C0 controls and DEL as `\xHH` (ESC is `\x1b`);
    /// - C1 controls (U+0080–U+009F) and invisible format characters — zero-width and joiners
    ///   (U+200B–U+200F, U+2060), bidirectional controls (U+061C, U+202A–U+202E, U+2066–U+2069),
    ///   line and paragraph separators (U+2028, U+2029) and the byte order mark (U+FEFF) — as
    ///   `\u{hex}`.
    ///
    /// Everything else, backslashes included, is kept, so ordinary text reads as written.
    public static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { appendEscaped(scalar, to: &result) }
        return result
    }

    /// How many terminal columns `text` takes, as `wcwidth` would count it: East Asian wide and
    /// fullwidth characters and most emoji take 2, combining marks 0, everything else 1. A
    /// character made of several scalars (a letter and its accents, an emoji and its modifier)
    /// takes the width of its widest scalar. Meant for text that has been `escaped`.
    public static func displayWidth(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        return text.reduce(0) { $0 + width(of: $1) }
    }

    /// `text` escaped and cut to at most `maximumWidth` columns, ending in `…` where it was cut,
    /// with its width. Only the start of a long text is looked at, so a 100 MB value costs as
    /// little as a short one.
    public static func cell(_ text: String, maximumWidth: Int) -> (text: String, width: Int) {
        let maximumWidth = max(1, maximumWidth)
        if text.utf8.count <= maximumWidth, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return (text, text.utf8.count)
        }
        // Every scalar but a zero-width one takes at least a column once escaped, so this many
        // fill the cell; a text made mostly of combining marks is cut a little early.
        let scalarLimit = 4 * maximumWidth + 4
        var head = String.UnicodeScalarView()
        var isCut = false
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == scalarLimit {
                isCut = true
                break
            }
            head.append(scalar)
        }
        let shown = escaped(String(head))
        let shownWidth = displayWidth(shown)
        if !isCut, shownWidth <= maximumWidth { return (shown, shownWidth) }
        var used = 0
        var kept = ""
        for character in shown {
            let characterWidth = width(of: character)
            if used + characterWidth > maximumWidth - 1 { break }
            used += characterWidth
            kept.append(character)
        }
        return (kept + "…", used + 1)
    }

    // MARK: - Escaping

    /// Whether a terminal would act on `scalar` rather than print it: what `escaped` spells out.
    public static func actsOnTerminal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F, 0x80...0x9F, 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// Whether `text` holds a control character (C0, DEL or C1): what a stored name may not
    /// hold. Zero-width and bidirectional marks are allowed there (an emoji sequence joins with
    /// U+200D) and only escaped when shown.
    public static func containsControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, to result: inout String) {
        guard actsOnTerminal(scalar) else { return result.unicodeScalars.append(scalar) }
        switch scalar.value {
        case 0x0A: result += "\\n"
        case 0x0D: result += "\\r"
        case 0x09: result += "\\t"
        case 0x00..<0x20, 0x7F: result += "\\x" + hex(scalar.value, minimumDigits: 2)
        default: result += "\\u{" + hex(scalar.value, minimumDigits: 1) + "}"
        }
    }

    private static func hex(_ value: UInt32, minimumDigits: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, minimumDigits - digits.count)) + digits
    }

    // MARK: - Width

    private static func width(of character: Character) -> Int {
        character.unicodeScalars.reduce(0) { max($0, width(of: $1)) }
    }

    private static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return 0
        default: break
        }
        if value == 0x200B { return 0 }
        return wideRanges.contains { $0.contains(value) } ? 2 : 1
    }

    /// East Asian wide and fullwidth blocks, and the emoji blocks terminals draw two columns wide.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF,
        0x1FA70...0x1FAFF, 0x20000...0x3FFFD,
    ]
}
