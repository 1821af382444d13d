/// Just enough of a terminal to read what libedit draws: it moves the cursor (CR, LF, BS,
/// CSI A/B/C/D/G/H) and erases (CSI K/J) instead of rewriting whole lines, so plain text is not enough.
struct TerminalScreen {
    private(set) var rows: [[Character]] = [[]]
    private(set) var cursorRow = 0
    private var cursorColumn = 0
    private var pendingEscape: [Character]?

    /// The screen's text, trailing blanks trimmed.
    var text: String { rows.indices.map(line).joined(separator: "\n") }

    func line(_ row: Int) -> String {
        guard rows.indices.contains(row) else { return "" }
        var characters = rows[row]
        while characters.last == " " { characters.removeLast() }
        return String(characters)
    }

    var cursorLine: String { line(cursorRow) }

    mutating func feed(_ output: String) {
        for character in output {
            if pendingEscape != nil {
                continueEscape(character)
                continue
            }
            switch character {
            case "\u{1B}": pendingEscape = []
            case "\r": cursorColumn = 0
            case "\n", "\r\n": moveTo(row: cursorRow + 1, column: character == "\n" ? cursorColumn : 0)
            case "\u{8}": cursorColumn = max(0, cursorColumn - 1)
            case "\u{7}": break
            default: put(character)
            }
        }
    }

    private mutating func put(_ character: Character) {
        moveTo(row: cursorRow, column: cursorColumn)
        if cursorColumn < rows[cursorRow].count {
            rows[cursorRow][cursorColumn] = character
        } else {
            rows[cursorRow].append(character)
        }
        cursorColumn += 1
    }

    /// Moves the cursor, growing the screen with blank rows and cells as needed.
    private mutating func moveTo(row: Int, column: Int) {
        cursorRow = max(0, row)
        cursorColumn = max(0, column)
        while rows.count <= cursorRow { rows.append([]) }
        while rows[cursorRow].count < cursorColumn { rows[cursorRow].append(" ") }
    }

    private mutating func continueEscape(_ character: Character) {
        var sequence = pendingEscape ?? []
        sequence.append(character)
        // ESC followed by anything but "[" is a two-character sequence; CSI ends with a letter or "@~".
        guard sequence.first == "[" else {
            pendingEscape = nil
            return
        }
        guard sequence.count > 1, character.isLetter || "@~".contains(character) else {
            pendingEscape = sequence
            return
        }
        pendingEscape = nil
        let parameters = String(sequence.dropFirst().dropLast()).split(separator: ";").map { Int($0) ?? 1 }
        let count = parameters.first ?? 1
        switch character {
        case "A": moveTo(row: cursorRow - count, column: cursorColumn)
        case "B": moveTo(row: cursorRow + count, column: cursorColumn)
        case "C": moveTo(row: cursorRow, column: cursorColumn + count)
        case "D": moveTo(row: cursorRow, column: cursorColumn - count)
        case "G": moveTo(row: cursorRow, column: count - 1)
        case "H": moveTo(row: count - 1, column: (parameters.count > 1 ? parameters[1] : 1) - 1)
        case "K": eraseToEnd(ofScreen: false)
        case "J": eraseToEnd(ofScreen: true)
        default: break
        }
    }

    private mutating func eraseToEnd(ofScreen: Bool) {
        moveTo(row: cursorRow, column: cursorColumn)
        rows[cursorRow].removeSubrange(cursorColumn...)
        if ofScreen { rows.removeSubrange((cursorRow + 1)...) }
    }
}
