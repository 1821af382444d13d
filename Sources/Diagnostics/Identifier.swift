/// What a bare name is in the command language: a letter or `_`, then letters, digits, `_` or
/// `.` (R-style `Sepal.Length`). One rule for the lexer, which reads names, and the store,
/// which refuses files naming datasets and models with anything the shell could not type.
public enum Identifier {
    public static func starts(_ c: Character) -> Bool { c.isLetter || c == "_" }
    public static func continues(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }

    public static func isValid(_ name: String) -> Bool {
        guard let first = name.first, starts(first) else { return false }
        return name.allSatisfy(continues)
    }

    /// The fixed words of command forms, and `as`: never names, since `save workspace to …`
    /// could not say which was meant. The shell's command table must use no others (a test
    /// checks), and the store refuses files that give datasets or models these names.
    public static let keywords: Set<String> = ["as", "by", "card", "model", "notebook", "on", "to", "vs", "where", "with", "workspace"]

    /// Whether the lexer reads `name` written bare as one word: an identifier, or identifiers
    /// joined by single `-`s each followed by a letter (`learning-curve`, a header `y-val`).
    /// Such words name commands and columns; datasets and models need `isValid`.
    public static func isBareWord(_ name: String) -> Bool {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        return isValid(String(parts[0])) && parts.dropFirst().allSatisfy { part in
            part.first?.isLetter ?? false && part.allSatisfy(continues)
        }
    }

    /// `name` as the user would type it: bare when it is a word (`isBareWord`), else
    /// double-quoted (CSV headers such as `my x` or `2nd`).
    public static func written(_ name: String) -> String {
        if isBareWord(name) { return name }
        var quoted = "\""
        for c in name {
            if c == "\"" || c == "\\" { quoted.append("\\") }
            quoted.append(c)
        }
        return quoted + "\""
    }

    /// `name` as messages quote it: 'name', or the double-quoted form a user must type.
    public static func quoted(_ name: String) -> String {
        isBareWord(name) ? "'\(name)'" : written(name)
    }
}
