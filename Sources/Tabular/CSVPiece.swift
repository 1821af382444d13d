import Diagnostics

/// What is wrong at a place in a CSV file, with the line counted from the first line of the piece
/// that found it; the reader shifts it to the file's line and names the file and column.
enum CSVProblem: Error {
    case syntax(CSVSyntaxError)
    case fieldCount(found: Int, line: Int)
    case unstorable(UnstorableValue, line: Int, column: Int)

    /// The same problem `lines` lines further down.
    func shifted(by lines: Int) -> CSVProblem {
        switch self {
        case .syntax(.unterminatedQuote(let line)): .syntax(.unterminatedQuote(openedOnLine: line + lines))
        case .syntax(.characterAfterClosingQuote(let line, let field, let character)):
            .syntax(.characterAfterClosingQuote(line: line + lines, field: field, character: character))
        case .fieldCount(let found, let line): .fieldCount(found: found, line: line + lines)
        case .unstorable(let problem, let line, let column): .unstorable(problem, line: line + lines, column: column)
        }
    }
}

/// The records of one stretch of a block of the file, read into builders of their own, so that
/// stretches can be read in parallel and appended in order.
///
/// A stretch after the first starts at a guessed record boundary (just after a line end), which
/// is wrong when that line end lies inside a quoted field; the reader checks the guess against
/// where the stretch before it really ended and reads the stretch again when they differ.
struct CSVPiece {
    /// Where reading began.
    var readFrom: Int
    /// Where the piece's first record starts: `readFrom` after blank lines.
    var start: Int
    /// Where the record after the piece's last one starts, or the end of the bytes.
    var end: Int
    /// Lines from `readFrom` to `start`, and from `readFrom` to `end`.
    var skippedLines = 0, lines = 0
    var rows = 0
    var builders: [ColumnBuilder]
    /// The first problem met, with its line counted from the line of `readFrom` as 1; the piece
    /// stops there.
    var problem: CSVProblem?
    /// Where the record with the problem starts.
    var problemRecordStart = 0

    /// Reads the records of `bytes` that start at or after `from` and before `limit`. Only
    /// Ctrl-C throws; problems in the data are kept in `problem`, since a piece that started at a
    /// wrong guess may meet problems that are not in the file.
    /// `builders` are empty; a caller that passes the last reference to them lets the piece fill
    /// them without copying, in the memory they already have.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, limit: Int, format: CSVFormat,
                     builders: consuming [ColumnBuilder]) throws -> CSVPiece {
        var tokenizer = CSVTokenizer(bytes: bytes, separator: format.separator, start: from, line: 1,
                                     skipsByteOrderMark: from == 0 && format.atFileStart)
        let columnCount = builders.count
        var piece = CSVPiece(readFrom: from, start: from, end: from, builders: [])
        var columns = consume builders  // the last reference, so the builders grow in their own memory
        var scratch: [UInt8] = []
        // The fast paths: runs of records, or one plain number at a time.
        let plainNumbers = format.numbersArePlain
        var recordRuns = CSVRecordRuns(columns: columnCount, format: format)
        var hasRecord = tokenizer.startRecord()
        piece.start = tokenizer.recordStart
        piece.skippedLines = tokenizer.recordLine - 1
        var rows = 0
        // The builders are reached through a pointer for the whole loop, so a value does not pay
        // for checking that the array of builders is not shared.
        let problem = try columns.withUnsafeMutableBufferPointer { builders throws -> CSVProblem? in
            do {
                var nextCheck = 0
                while hasRecord, tokenizer.recordStart < limit {
                    // Every 4096 records or so: cheap, and often enough for Ctrl-C to stop a large file at once.
                    if rows >= nextCheck {
                        try Interruption.check()
                        nextCheck = rows + 4096
                    }
                    if let read = try recordRuns?.read(&tokenizer, into: builders, limit: limit), read > 0 {
                        rows += read
                        hasRecord = tokenizer.startRecord()
                        continue
                    }
                    for column in 0..<columnCount {
                        if plainNumbers, builders[column].takesNumbers, let number = tokenizer.plainNumber() {
                            builders[column].appendNumber(number)
                        } else {
                            let field = try tokenizer.field()
                            do throws(UnstorableValue) {
                                try tokenizer.withContents(of: field, scratch: &scratch) { (contents) throws(UnstorableValue) in
                                    try builders[column].append(contents, missingMarkers: format.missingMarkers, numberMarks: format.numberMarks)
                                }
                            } catch {
                                throw CSVProblem.unstorable(error, line: tokenizer.recordLine, column: column)
                            }
                        }
                        let more = try tokenizer.endField()
                        if more, column == columnCount - 1 {
                            throw CSVProblem.fieldCount(found: columnCount + (try tokenizer.skipRestOfRecord()), line: tokenizer.recordLine)
                        }
                        if !more, column < columnCount - 1 {
                            throw CSVProblem.fieldCount(found: column + 1, line: tokenizer.recordLine)
                        }
                    }
                    rows += 1
                    hasRecord = tokenizer.startRecord()
                }
                return nil
            } catch let problem as CSVProblem {
                return problem
            } catch let error as CSVSyntaxError {
                return .syntax(error)
            }
        }
        piece.builders = columns
        piece.rows = rows
        if let problem {
            piece.problem = problem
            piece.problemRecordStart = tokenizer.recordStart
        }
        piece.end = tokenizer.recordStart
        piece.lines = tokenizer.recordLine - 1
        return piece
    }
}

/// How a file's records are written, as the pieces need it.
struct CSVFormat: Sendable {
    var separator: UInt8
    var missingMarkers: MissingMarkers
    var numberMarks: NumberMarks
    /// Whether the bytes a piece reads from offset 0 are the file's first (where a byte order
    /// mark may stand).
    var atFileStart: Bool
    /// Whether runs of records may be read by `CSVRecordRuns`.
    var readsRecordRuns = true

    /// Whether a number is written plainly, with a point and no grouping, and none is a missing
    /// marker: what the fast paths read (`CSVTokenizer.plainNumber`, `CSVRecordRuns`) without
    /// comparing the field with the markers.
    var numbersArePlain: Bool { !missingMarkers.includeNumbers && numberMarks == NumberMarks() }
}
