/// What Tab does to the line, decided from the completer's answer (no terminal involved).
enum TabCompletion: Equatable {
    /// Delete this many Unicode scalars before the cursor (libedit counts wide characters),
    /// then insert the text.
    case replace(scalarCount: Int, with: String)
    /// Nothing more can be inserted: show the candidates, by their listing names.
    case list([String])
    case beep

    init(textBeforeCursor: String, result: CompletionResult) {
        var seen = Set<String>()
        let candidates = result.candidates.filter { seen.insert($0).inserted }
        let typed = String(textBeforeCursor.suffix(max(0, result.replacing)))
        guard let first = candidates.first else {
            self = .beep
            return
        }
        if candidates.count == 1 {
            let continuesWord = first.hasSuffix("/") || first.hasSuffix("=")
            self = .replace(scalarCount: typed.unicodeScalars.count, with: continuesWord ? first : first + " ")
            return
        }
        let common = candidates.dropFirst().reduce(first) { Self.commonPrefix($0, $1) }
        if common != typed && common.count >= typed.count {
            self = .replace(scalarCount: typed.unicodeScalars.count, with: common)
        } else {
            self = .list(candidates.map { Self.listingName($0, sharedPrefix: common) })
        }
    }

    /// A candidate without what all of them repeat up to a `/` or `=` (the folder, the option
    /// name) and without a closing quote, as shells list file names.
    private static func listingName(_ candidate: String, sharedPrefix: String) -> String {
        let repeated = sharedPrefix.lastIndex { $0 == "/" || $0 == "=" }
            .map { sharedPrefix.distance(from: sharedPrefix.startIndex, to: $0) + 1 } ?? 0
        var name = String(candidate.dropFirst(repeated))
        if name.count > 1, name.last == "\"" || name.last == "'" { name.removeLast() }
        return name.isEmpty ? candidate : name
    }

    private static func commonPrefix(_ a: String, _ b: String) -> String {
        String(zip(a, b).prefix { $0 == $1 }.map(\.0))
    }
}

/// Candidates laid out in columns, filled top to bottom like `ls`, within `width` characters.
func columnLayout(_ items: [String], width: Int) -> [String] {
    let gap = 2
    let cellWidth = (items.map(\.count).max() ?? 0) + gap
    let columns = max(1, (width + gap) / cellWidth)
    let rows = (items.count + columns - 1) / columns
    return (0..<rows).map { row in
        let cells = stride(from: row, to: items.count, by: rows).map { items[$0] }
        let padded = cells.dropLast().map { $0 + String(repeating: " ", count: cellWidth - $0.count) }
        return (padded + cells.suffix(1)).joined()
    }
}
