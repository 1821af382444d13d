import Diagnostics

/// The names a file may give datasets, models and columns: what the shell can type and show.
enum StoredNames {
    /// Why `name` cannot name a dataset or model (the command language's `Identifier` rule), or
    /// nil when it can.
    static func identifierProblem(_ name: String) -> String? {
        if name.isEmpty { return "a name is empty" }
        if Identifier.keywords.contains(name) { return "\(quoted(name)) is a keyword of the command language, not a name" }
        return Identifier.isValid(name) ? nil : "\(quoted(name)) is not a name (a letter or _, then letters, digits, _ or .)"
    }

    /// Why `name` cannot name a column (it is empty or holds a control character), or nil.
    static func columnNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "a column name is empty" }
        if TerminalText.containsControlCharacters(name) {
            return "column name \(quoted(name)) holds a control character"
        }
        return nil
    }

    /// `name` in single quotes, control characters escaped, so a message stays one line.
    static func quoted(_ name: String) -> String {
        "'" + TerminalText.escaped(name) + "'"
    }
}
