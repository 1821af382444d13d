import Diagnostics
import Numerics

/// A CSV file read block by block, each block a dataset of its own, so that a file far larger
/// than memory can be passed over (and passed over again after `rewind`) with memory for one
/// block: the reader of `CSVReader` (same syntax, same parallel pieces), stopped after each block.
///
/// Types are fixed by the first block that has a value in the column: numbers (integer or
/// numeric; an integer column whose later blocks hold decimals reads as numeric from there),
/// booleans, or text (categorical or text: a block's distinct values decide which, so the
/// consumer treats both as text). A later value that does not fit is an error naming the file,
/// its line and the column, since the blocks already passed on cannot be read again as text.
/// A text column whose block holds only numbers takes their text as printed (`Column.text`).
public final class CSVStream {
    public let path: String
    public let names: [String]
    /// The size of the file in bytes.
    public let fileSize: Int
    /// Data rows read so far in this pass.
    public private(set) var rowsRead = 0
    /// Bytes of the file up to the end of the last block `next()` returned, in this pass.
    public private(set) var bytesRead = 0
    /// Passes begun over the file: 1, and one more at each `rewind`.
    public private(set) var passes = 1

    private var source: FileByteSource
    private var block: CSVBlock
    private var reading: CSVReading
    private var start: Int?
    private let options: CSVOptions
    private var kinds: [ValueKind?]
    /// Rows read by `read()`, which may be a block ahead of `rowsRead`.
    private var rowsParsed = 0
    /// Whether the next block is read (in the background) while the caller works on this one.
    private let readsAhead: Bool
    private var ahead: BackgroundWork<CSVChunk?>?

    /// What a column holds, as fixed by the first block with a value in it.
    enum ValueKind: Equatable {
        case numbers, booleans, text
    }

    /// Opens `path` and reads its header. `blockSize`: bytes per block (tests use tiny ones).
    /// `readsAhead`: read and parse the next block on another thread while the caller works on
    /// the one `next()` returned (a pass costs the longer of the two, not their sum; memory for
    /// one block more).
    public init(path: String, options: CSVOptions = CSVOptions(), blockSize: Int = 16 << 20, readsAhead: Bool = false) throws {
        self.readsAhead = readsAhead
        source = try FileByteSource(path: path)
        self.path = path
        self.options = options
        fileSize = source.size ?? 0
        reading = CSVReading(sourceName: path, options: options, plan: CSVReadingPlan(blockSize: blockSize))
        block = CSVBlock(size: min(max(blockSize, 1), fileSize + 1), mapping: source.mapped())
        do {
            try block.refill(from: &source)
            start = try reading.startStreaming(&block, from: &source)
        } catch {
            source.close()
            throw error
        }
        names = reading.columnNames
        kinds = [ValueKind?](repeating: nil, count: names.count)
    }

    deinit {
        ahead?.wait()
        source.close()
    }

    /// Text with at most this many distinct values among `valueCount` is categorical, as on load.
    public static func maximumLevelCount(valueCount: Int) -> Int { ColumnBuilder.maximumLevelCount(valueCount: valueCount) }

    /// The next block's rows, or nil at the end of the file.
    public func next() throws -> CSVChunk? {
        let chunk: CSVChunk?
        if let ahead {
            self.ahead = nil
            chunk = try ahead.wait().get()
        } else {
            chunk = try read()
        }
        guard let chunk else { return nil }
        rowsRead = chunk.firstRow + chunk.data.rowCount
        bytesRead = chunk.endOffset
        if readsAhead {
            // The reader's state is the other thread's until `wait` returns: this thread touches
            // none of it meanwhile (`next`, `rewind` and deinit wait first).
            nonisolated(unsafe) let stream = self
            ahead = BackgroundWork { try stream.read() }
        }
        return chunk
    }

    private func read() throws -> CSVChunk? {
        guard let (data, firstLine, oneLinePerRecord) = try reading.nextBlock(&block, from: &source, start: &start) else { return nil }
        let end = start.map { block.fileOffset + $0 } ?? fileSize
        let chunk = CSVChunk(data: data, firstRow: rowsParsed, firstLine: oneLinePerRecord ? firstLine : nil, endOffset: end)
        let columns = try data.columns.enumerated().map { index, column in try conforming(column, index: index, in: chunk) }
        rowsParsed += data.rowCount
        return CSVChunk(data: try Dataset(columns: columns), firstRow: chunk.firstRow, firstLine: chunk.firstLine, endOffset: end)
    }

    /// Starts again from the first record (the types fixed so far stay).
    public func rewind() throws {
        // A block read ahead is dropped, but not a Ctrl-C its reading met.
        if case .failure(let error as ModelshError)? = ahead?.wait(), error.category == .interrupted { throw error }
        ahead = nil
        try block.rewind(&source)
        reading = CSVReading(sourceName: path, options: options, plan: CSVReadingPlan(blockSize: block.size))
        start = try reading.startStreaming(&block, from: &source)
        (rowsRead, rowsParsed, bytesRead) = (0, 0, 0)
        passes += 1
    }

    /// The column as the fixed kind has it, or an error at the first value that does not fit.
    private func conforming(_ column: Column, index: Int, in chunk: CSVChunk) throws -> Column {
        let allMissing = column.missingCount == column.count
        let kind: ValueKind = switch column.type {
        case .integer, .numeric: .numbers
        case .boolean: .booleans
        case .categorical, .text: .text
        }
        guard let fixed = kinds[index] else {
            if !allMissing { kinds[index] = kind }
            return column
        }
        if kind == fixed { return column }
        if allMissing {
            // A block with no value reads as numbers; as text it is a column of missing values.
            return fixed == .text ? Column.categorical(column.name, codes: [Int](repeating: -1, count: column.count), levels: []) : column
        }
        if fixed == .text, kind != .text {
            return Column.categorical(column.name, (0 ..< column.count).map { column.text(at: $0) })
        }
        let row = (0 ..< column.count).first { row in
            guard let text = column.text(at: row) else { return false }
            return !Self.fits(text, fixed)
        } ?? 0
        let value = TerminalText.escaped(column.text(at: row) ?? "")
        let expected = fixed == .numbers ? "numbers" : "booleans"
        throw ModelshError.data("\(chunk.place(ofRow: row, in: path)): column '\(column.name)' holds '\(value)', but the first block read it as \(expected); a streamed fit keeps each column's type from the first block (clean the column, or load the file)")
    }

    private static func fits(_ text: String, _ kind: ValueKind) -> Bool {
        switch kind {
        case .numbers: Array(text.utf8).withUnsafeBufferPointer { DecimalParser.parse($0) != nil }
        case .booleans: ["true", "false", "True", "False", "TRUE", "FALSE"].contains(text)
        case .text: true
        }
    }
}

/// One block of a `CSVStream`.
public struct CSVChunk: Sendable {
    public let data: Dataset
    /// The index of its first row among the file's data rows (0-based).
    public let firstRow: Int
    /// The line of its first record, when every record of the block takes one line.
    public let firstLine: Int?
    /// Where in the file the record after its last one starts (the file's size after the last block).
    public let endOffset: Int

    /// "file:LINE" for a row of the block, or "file, row N" when lines and records differ.
    public func place(ofRow row: Int, in path: String) -> String {
        if let firstLine { return "\(path):\(firstLine + row)" }
        return "\(path), data row \(firstRow + row + 1)"
    }
}

extension CSVStream {
    /// Roughly what `CSVReader.read` would hold for the file, without reading it: the first
    /// block (up to 1 MiB) is read, and its rows and their bytes in memory scaled by the file's
    /// size over the block's. Exact for a file that fits in that block.
    public static func estimatedLoadedSize(path: String, options: CSVOptions = CSVOptions()) throws -> (rows: Int, columns: Int, bytes: Int) {
        let blockSize = 1 << 20
        let stream = try CSVStream(path: path, options: options, blockSize: blockSize)
        guard let first = try stream.next() else { return (0, stream.names.count, 0) }
        let data = first.data
        guard try stream.next() != nil else { return (data.rowCount, data.columnCount, data.approximateByteCount) }
        let rows = Double(stream.fileSize) * Double(data.rowCount) / Double(blockSize)
        let bytes = rows * Double(data.approximateByteCount) / Double(data.rowCount)
        return (Int(rows.rounded()), data.columnCount, Int(min(bytes, Double(Int.max / 2))))
    }
}
