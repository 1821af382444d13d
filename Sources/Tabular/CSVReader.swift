import Diagnostics
import Numerics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How to read a delimited text file.
public struct CSVOptions: Sendable, Equatable {
    /// The byte between fields: `,` by default; `;` and tab are common too.
    public var separator: UInt8
    /// Whether the user named the separator, which then wins over a first line `sep=X` (that
    /// line is still no record).
    public var separatorIsGiven = false
    /// Whether the first record names the columns; without one they are `V1`, `V2`, … as in R.
    public var header: Bool
    /// Field contents read as a missing value in any column type, compared after trimming spaces
    /// and tabs, quoted or not (a quoted `""` is missing too).
    public var missingMarkers: [String]
    /// How numbers are written: the decimal mark and a thousands separator.
    public var numberMarks: NumberMarks

    public init(separator: UInt8 = UInt8(ascii: ","), header: Bool = true, missingMarkers: [String] = ["", "NA"],
                numberMarks: NumberMarks = NumberMarks()) {
        self.separator = separator
        self.header = header
        self.missingMarkers = missingMarkers
        self.numberMarks = numberMarks
    }
}

/// Reads RFC 4180 CSV into a `Dataset`, inferring each column's type.
///
/// Syntax (see `CSVTokenizer`): quoted fields with `""` escapes, separators and line breaks;
/// LF, CRLF or CR line ends; an optional UTF-8 byte order mark; a first line `sep=X` (Excel's)
/// sets the separator unless the options name one; blank lines (empty, or only spaces and
/// tabs) skipped (so a one-column file writes a missing value as `NA` or `""`, not as an empty
/// line). Every record must have as many fields as the header. Text must be valid UTF-8.
///
/// Header: an empty name at field k becomes `Vk`; a repeated name gets `_2`, `_3`, … (the first
/// free suffix), so `x,x,` reads as `x`, `x_2`, `V3`.
///
/// Types, decided from all non-missing values (trimmed of spaces and tabs; quoting does not matter):
/// - `integer`: every value is digits with an optional sign, no point or exponent, |x| ≤ 2^53.
///   So `0`/`1` columns are integer, not boolean.
/// - `numeric`: every value is a decimal number (`DecimalParser`), including `Inf`; `NaN`
///   reads as a missing value, since a missing number is stored as NaN.
/// - `boolean`: every value is `true`/`false`, `True`/`False` or `TRUE`/`FALSE` (not yes/no or
///   T/F, which are categorical).
/// - `categorical`: any other text with at most max(20, n/20) distinct values among the n
///   non-missing ones; levels sorted by UTF-8 bytes (so the reference level is the first).
/// - `text`: the rest, kept verbatim.
/// - A column with no non-missing values (including a header-only file) is numeric.
///
/// The file is read in blocks (so memory holds the columns and one block, not the file), and
/// each block in pieces on all cores, each piece into builders of its own that are then appended
/// in file order; plain numbers are parsed in the same pass that finds their end, and runs of
/// records go to a vector kernel (`CSVRecordRuns`).
public enum CSVReader {
    /// Reads the regular file at `path` (symlinks followed). Missing or unreadable files,
    /// directories, devices and FIFOs throw `.noInput`; bad content `.data`. `progress` hears
    /// after each block how many of the file's bytes are read.
    public static func read(path: String, options: CSVOptions = CSVOptions(), progress: ((Int, Int) -> Void)? = nil) throws -> Dataset {
        try read(path: path, options: options, plan: CSVReadingPlan(), progress: progress)
    }

    /// Reads the file at `path` in blocks and pieces of the sizes `plan` gives.
    static func read(path: String, options: CSVOptions, plan: CSVReadingPlan, progress: ((Int, Int) -> Void)? = nil) throws -> Dataset {
        var source = try FileByteSource(path: path)
        defer { source.close() }
        var reading = CSVReading(sourceName: path, options: options, plan: plan)
        reading.progress = progress
        return try reading.dataset(from: &source)
    }

    /// The longest column name read from a header, in bytes.
    public static let longestName = 1000
    /// The longest header (or first record), in bytes.
    public static let longestFirstRecord = 16 << 20

    /// Reads CSV from memory; `sourceName` is the file name used in error messages.
    public static func read(bytes: [UInt8], sourceName: String, options: CSVOptions = CSVOptions()) throws -> Dataset {
        try read(bytes: bytes, sourceName: sourceName, options: options, plan: CSVReadingPlan())
    }

    /// Reads CSV from memory in blocks and pieces of the sizes `plan` gives (tests use tiny ones to
    /// put block and piece boundaries everywhere).
    static func read(bytes: [UInt8], sourceName: String, options: CSVOptions, plan: CSVReadingPlan) throws -> Dataset {
        var source = MemoryByteSource(bytes: bytes)
        var reading = CSVReading(sourceName: sourceName, options: options, plan: plan)
        return try reading.dataset(from: &source)
    }
}

/// How big the blocks and pieces of one reading are.
struct CSVReadingPlan {
    /// Bytes read at a time; a block grows when one record does not fit. The reader's own memory
    /// is about three times this (the block, and the values of its pieces and of the last
    /// block's, appended meanwhile). 2 MiB: the mixed 1M-row file at 1.29× its columns' size in
    /// 0.41 s; 4 MiB: 1.35× (over the 1.3 aimed at) in 0.39 s (medians of 9, interleaved).
    var blockSize = 2 << 20
    /// Pieces a block is read in, in parallel.
    var pieces = everyCore
    /// A block smaller than this many bytes per piece is read in fewer pieces.
    var minimumPieceSize = 256 << 10
    /// Whether runs of records go to the vector kernel (`CSVRecordRuns`);
    /// tests turn it off to check the kernel against the field-by-field path.
    var readsRecordRuns = true
}

/// Where the reader's bytes come from, a block at a time.
protocol ByteSource {
    /// The number of bytes in all, if known, to size the columns.
    var size: Int? { get }
    /// Fills as much of `buffer` as there is; 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Starts again from the first byte, for reading rows a second time.
    mutating func rewind() throws
    /// All the bytes, mapped, for a block to read in place rather than copy; nil where they are
    /// only read.
    func mapped() -> MappedFile?
}

extension ByteSource {
    func mapped() -> MappedFile? { nil }
}

/// A regular file (following symlinks). Anything else is refused before it is read: a device
/// such as /dev/zero never ends, and opening a FIFO waits for a writer. A file compressed with
/// gzip (its first bytes 1f 8b, whatever its name) reads as its decompressed bytes.
struct FileByteSource: ByteSource {
    let path: String
    private let descriptor: Int32
    /// Of a gzip file, its decompressed size as its last member records it (modulo 2^32), or
    /// its own size if larger: an estimate, for sizing the columns.
    let size: Int?
    /// Where the next read starts: reads are positioned, so a large one can be split.
    private var offset = 0
    /// Decompresses a gzip file's bytes as they are read; `offset` is then into the compressed file.
    private let inflater: GzipInflater?

    init(path: String) throws {
        self.path = path
        var status = stat()
        guard stat(path, &status) == 0 else { throw ModelshError.cannotOpen(path, errno: errno) }
        try Self.requireRegularFile(status, path: path)
        // Non-blocking, and checked again once open, in case the path changed in between.
        descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ModelshError.cannotOpen(path, errno: errno) }
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            closeDescriptor(descriptor)
            throw ModelshError.cannotRead(path, errno: code)
        }
        do {
            try Self.requireRegularFile(status, path: path)
            var head: (UInt8, UInt8) = (0, 0)
            if status.st_size >= 18, try Self.read(descriptor, path: path, into: UnsafeMutableRawBufferPointer(start: &head, count: 2), at: 0) == 2,
               GzipInflater.isGzip(head) {
                var recorded: UInt32 = 0
                _ = try Self.read(descriptor, path: path, into: UnsafeMutableRawBufferPointer(start: &recorded, count: 4), at: Int(status.st_size) - 4)
                size = max(Int(UInt32(littleEndian: recorded)), Int(status.st_size))
                inflater = try GzipInflater(path: path)
            } else {
                size = Int(status.st_size)
                inflater = nil
            }
        } catch {
            closeDescriptor(descriptor)
            throw error
        }
    }

    func close() { closeDescriptor(descriptor) }

    /// Every byte of the regular file at `path`, for readers that need the whole file at once.
    static func contents(of path: String) throws -> [UInt8] {
        var file = try FileByteSource(path: path)
        defer { file.close() }
        var bytes = [UInt8](repeating: 0, count: file.size ?? 0)
        var count = 0
        while true {
            // One byte more than the size said, to see the end (or a file that grew).
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 1 << 16))) }
            let read = try bytes.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[count...])) }
            if read == 0 { break }
            count += read
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// Copying a block out of the system's file cache (where the file is not mapped: `mapped()`)
    /// would run on a single core (a tenth of a numeric file's load), so a large read is split
    /// in two halves copied at once. A gzip file's bytes are decompressed instead.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let (descriptor, path, offset) = (descriptor, path, offset)
        if let inflater {
            var compressedOffset = offset
            defer { self.offset = compressedOffset }
            return try inflater.read(into: buffer) { input in
                let count = try Self.read(descriptor, path: path, into: input, at: compressedOffset)
                compressedOffset += count
                return count
            }
        }
        let count: Int
        if buffer.count >= 1 << 20, everyCore > 1 {
            let half = buffer.count / 2
            nonisolated(unsafe) let buffer = buffer
            let parts = try concurrentMap(2, threads: 2) { part in
                try Self.read(descriptor, path: path, into: part == 0 ? UnsafeMutableRawBufferPointer(rebasing: buffer[..<half]) : UnsafeMutableRawBufferPointer(rebasing: buffer[half...]),
                              at: offset + part * half)
            }
            // A short first half is the end of the file; what the second found past it (had the
            // file grown meanwhile) would not follow it.
            count = parts[0] < half ? parts[0] : half + parts[1]
        } else {
            count = try Self.read(descriptor, path: path, into: buffer, at: offset)
        }
        self.offset += count
        return count
    }

    /// Fills `buffer` from the file's byte `offset` on, as far as the file goes.
    private static func read(_ descriptor: Int32, path: String, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        var count = 0
        while count < buffer.count {
            let read = pread(descriptor, buffer.baseAddress! + count, buffer.count - count, off_t(offset + count))
            if read == 0 { break }
            if read < 0 {
                if errno == EINTR { continue }
                throw ModelshError.cannotRead(path, errno: errno)
            }
            count += read
        }
        return count
    }

    mutating func rewind() throws {
        offset = 0
        inflater?.rewind()
    }

    /// Nil for a gzip file, whose bytes are only read.
    func mapped() -> MappedFile? { inflater == nil ? size.flatMap { MappedFile(descriptor: descriptor, length: $0) } : nil }

    private static func requireRegularFile(_ status: stat, path: String) throws {
        if let problem = ReadableFile.problem(mode: status.st_mode) { throw ModelshError.cannotOpen(path, reason: problem) }
    }
}

/// POSIX `close`, which the method of the same name would otherwise shadow.
private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(descriptor)
    #else
    _ = Darwin.close(descriptor)
    #endif
}

/// Bytes already in memory.
struct MemoryByteSource: ByteSource {
    let bytes: [UInt8]
    private var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var size: Int? { bytes.count }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
        return count
    }

    mutating func rewind() throws { offset = 0 }
}

/// The bytes of the file from a record boundary on, as many as one block holds: copied into a
/// buffer of its own, or, where the source is mapped, a window on the mapping.
struct CSVBlock {
    /// The bytes copied, when the source is not mapped.
    private var buffer: [UInt8]
    /// The whole file, when it is mapped.
    private let mapping: MappedFile?
    /// How many bytes the block holds at most.
    private(set) var size: Int
    /// How many bytes of the block hold the file.
    private(set) var count = 0
    /// Whether the file ends at `count`.
    private(set) var reachedEnd = false
    /// Whether the block begins at the file's first byte.
    private(set) var atFileStart = true
    /// Where in the file the block begins.
    private(set) var fileOffset = 0

    /// A block of `size` bytes; a window on `mapping` when given, else a buffer to copy into.
    init(size: Int, mapping: MappedFile? = nil) {
        self.size = max(size, 1)
        self.mapping = mapping
        buffer = mapping == nil ? [UInt8](repeating: 0, count: self.size) : []
    }

    /// Calls `body` with the block's `count` bytes.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let mapping { return try body(UnsafeBufferPointer(rebasing: mapping.bytes[fileOffset ..< fileOffset + count])) }
        return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Drops the mapped pages wholly within the block's bytes `range` from the process's memory:
    /// each piece's, once read, on the core that read it.
    func release(_ range: Range<Int>) { mapping?.release(fileOffset + range.lowerBound ..< fileOffset + range.upperBound) }

    /// Whether part of the mapped file was lost while it was read (cut shorter, or a disk read failed).
    var lostPartOfFile: Bool { mapping?.lostPart ?? false }

    /// Drops the bytes before `keepingFrom` and reads more after the rest; `grow` doubles the
    /// block first, for a record longer than the block.
    mutating func refill(from source: inout some ByteSource, keepingFrom: Int = 0, grow: Bool = false) throws {
        if keepingFrom > 0 {
            if mapping == nil {
                buffer.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: $0.baseAddress! + keepingFrom, byteCount: count - keepingFrom) }
            }
            count -= keepingFrom
            fileOffset += keepingFrom
            atFileStart = false
        }
        if grow {
            size *= 2
            if mapping == nil { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        }
        if let mapping {
            // The pages before the block are read: they leave the process's memory.
            mapping.release(0 ..< fileOffset)
            count = min(size, mapping.bytes.count - fileOffset)
            reachedEnd = fileOffset + count == mapping.bytes.count
            return
        }
        while count < buffer.count, !reachedEnd {
            let read = try buffer.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[count...])) }
            if read == 0 { reachedEnd = true }
            count += read
        }
    }

    mutating func rewind(_ source: inout some ByteSource) throws {
        try source.rewind()
        (count, reachedEnd, atFileStart, fileOffset) = (0, false, true, 0)
        try refill(from: &source)
    }
}

/// One reading of a file: the header, then block after block of records.
struct CSVReading {
    let sourceName: String
    /// The options as given, but for a separator the file's first line declares (`sep=;`).
    private(set) var options: CSVOptions
    let plan: CSVReadingPlan
    let missingMarkers: MissingMarkers
    private var names: [String] = []
    private var builders: [ColumnBuilder] = []
    /// The line of the record boundary reading has reached.
    private var line = 1
    /// The builders of the last block's pieces, emptied and filled again by the next block's, so
    /// each block does not allocate (and fault in) its pieces' memory afresh.
    private var spareBuilders: [[ColumnBuilder]] = []
    /// Told the bytes read of the file's size after each block of the first pass.
    var progress: ((Int, Int) -> Void)?

    init(sourceName: String, options: CSVOptions, plan: CSVReadingPlan) {
        self.sourceName = sourceName
        self.options = options
        self.plan = plan
        self.missingMarkers = MissingMarkers(options.missingMarkers)
    }

    mutating func dataset(from source: inout some ByteSource) throws -> Dataset {
        try FreedMemory.givenBackAtOnce { try readDataset(from: &source) }
    }

    private mutating func readDataset(from source: inout some ByteSource) throws -> Dataset {
        do {
            // A small file gets a block its size (and a byte to see its end), not a whole block of zeros.
            var block = CSVBlock(size: min(plan.blockSize, (source.size ?? plan.blockSize) + 1), mapping: source.mapped())
            try requireWhole(block, after: Result {
                try block.refill(from: &source)
                let start = try readNames(&block, from: &source)
                builders = [ColumnBuilder](repeating: ColumnBuilder(), count: names.count)
                try readBlocks(&block, from: &source, start: start, estimatingRows: source.size)
                try backfill(&block, from: &source)
            })
        }
        // The block and the pieces' builders go before the columns are finished, which is when
        // memory peaks.
        spareBuilders = []
        return try finishedDataset()
    }

    /// The dataset of the builders' columns (`finishedColumns`). Names are unique and every
    /// column has one value per record, so this cannot fail.
    private mutating func finishedDataset() throws -> Dataset {
        try Dataset.read(finishedColumns())
    }

    /// The columns of the builders, made on every core when they are large (each scans its values
    /// for missing ones). Takes the builders, leaving none, so each column is made in its
    /// builder's memory. Text columns come first, on their own: their strings are the largest
    /// arrays made here, and the level strings they are made from go back to the system before
    /// the other columns' masks are allocated.
    private mutating func finishedColumns() throws -> [(column: Column, numbersAreFinite: Bool)] {
        let rowCount = builders.first?.rowCount ?? 0
        let threads = rowCount * builders.count >= 1 << 16 ? everyCore : 1
        var taken: [ColumnBuilder] = []
        swap(&taken, &builders)
        let names = names, noneMissing = MissingMask(count: rowCount)
        var columns: [(column: Column, numbersAreFinite: Bool)?] = Array(repeating: nil, count: taken.count)
        func finish(_ indices: [Int]) throws {
            let made = try taken.withUnsafeMutableBufferPointer { buffer in
                // Each worker takes its own builder, so it holds the only reference to it.
                nonisolated(unsafe) let slot = buffer.baseAddress!
                return try concurrentMap(indices.count, threads: threads) { k in
                    var builder = ColumnBuilder(kind: .ignored)
                    swap(&builder, &slot[indices[k]])
                    return (consume builder).column(named: names[indices[k]], noneMissing: noneMissing)
                }
            }
            for (index, column) in zip(indices, made) { columns[index] = column }
        }
        // Partitioned before finishing, which leaves each builder taken (of no kind).
        let text = taken.indices.filter { taken[$0].isText }, others = taken.indices.filter { !taken[$0].isText }
        try finish(text)
        FreedMemory.returnToSystem()
        try finish(others)
        return columns.map { $0! }
    }

    /// Reads the records from `start` on, block by block, into the columns, until the end of the
    /// file or until at least `rowLimit` rows are read. With `estimatingRows` (the file's size),
    /// the columns make room after the first block for as many rows as the file seems to hold.
    private mutating func readBlocks(_ block: inout CSVBlock, from source: inout some ByteSource, start: Int,
                                     rowLimit: Int = .max, estimatingRows fileSize: Int? = nil) throws {
        var start = start
        var rows = 0
        var bytesRead = start
        // A block's pieces are appended to the columns while the next block's are read, in the
        // same meeting of the cores (one a block, not two), the appends filling the cores the
        // pieces leave idle; the first block's are appended at once, to size the columns.
        var pending: PiecesRead?
        while rows < rowLimit {
            let end: Int
            if block.reachedEnd {
                end = block.count
            } else if let lineEnd = block.withBytes({ CSVTokenizer.positionAfterLastLineEnd(in: UnsafeBufferPointer(rebasing: $0[start...])) }) {
                end = start + lineEnd
            } else {
                try block.refill(from: &source, keepingFrom: start, grow: start == 0)
                start = 0
                continue
            }
            let read = try readPieces(block, from: start, to: end, appending: pending)
            pending = read
            if rows == 0 || read.problem != nil {
                pending = nil
                try append(read)
            }
            if rows == 0, let fileSize, read.rows > 0 {
                let estimate = Double(read.rows) * Double(fileSize) / Double(read.reached - start) * 1.05
                for index in builders.indices { builders[index].expectRows(Int(estimate)) }
            }
            rows += read.rows
            bytesRead += read.reached - start
            if let fileSize { progress?(bytesRead, fileSize) }
            if block.reachedEnd { break }
            try block.refill(from: &source, keepingFrom: read.reached, grow: read.reached == 0)
            start = 0
        }
        // The last appends make the columns whole, which is when memory peaks: no piece is read
        // after them, so the spare pieces' memory goes first.
        spareBuilders = []
        if let pending { try append(pending) }
    }

    /// The outcome of reading `block`, unless part of its file was lost meanwhile (cut shorter,
    /// or a disk read failed): what was read there (zeros) is not the file, whether or not
    /// reading it failed, so that is the error, before any of the reading's own.
    private func requireWhole<T>(_ block: CSVBlock, after outcome: Result<T, any Error>) throws -> T {
        if block.lostPartOfFile { throw ModelshError.cannotRead(sourceName, reason: "part of it was lost while loading: the file was cut shorter, or a disk read failed") }
        return try outcome.get()
    }

    // MARK: - Streaming (CSVStream)

    /// The column names, once the header is read.
    var columnNames: [String] { names }

    /// Reads the header for a streamed reading and returns where the records start.
    mutating func startStreaming(_ block: inout CSVBlock, from source: inout some ByteSource) throws -> Int {
        try requireWhole(block, after: Result { try readNames(&block, from: &source) })
    }

    /// The records of the next block as a dataset of their own, each column's type inferred from
    /// that block alone (a column that turns to text within the block is read again as text from
    /// the block's bytes, which are still in memory); `start` is where the unread records begin
    /// in `block`, and becomes nil at the end of the file. Also returns the line of the block's
    /// first record and whether every record of the block took one line.
    mutating func nextBlock(_ block: inout CSVBlock, from source: inout some ByteSource, start: inout Int?) throws
        -> (data: Dataset, firstLine: Int, oneLinePerRecord: Bool)? {
        try requireWhole(block, after: Result { try readNextBlock(&block, from: &source, start: &start) })
    }

    private mutating func readNextBlock(_ block: inout CSVBlock, from source: inout some ByteSource, start: inout Int?) throws
        -> (data: Dataset, firstLine: Int, oneLinePerRecord: Bool)? {
        while let position = start {
            builders = [ColumnBuilder](repeating: ColumnBuilder(), count: names.count)
            let firstLine = line
            let end: Int
            if block.reachedEnd {
                end = block.count
            } else if let lineEnd = block.withBytes({ CSVTokenizer.positionAfterLastLineEnd(in: UnsafeBufferPointer(rebasing: $0[position...])) }) {
                end = position + lineEnd
            } else {
                try block.refill(from: &source, keepingFrom: position, grow: position == 0)
                start = 0
                continue
            }
            let (reached, rows) = try readRecords(block, from: position, to: end)
            try backfillWithinBlock(block, from: position, to: reached)
            if block.reachedEnd {
                start = nil
            } else {
                try block.refill(from: &source, keepingFrom: reached, grow: reached == 0)
                start = 0
            }
            guard rows > 0 else { continue }
            let data = try finishedDataset()
            return (data, firstLine, line - firstLine == rows)
        }
        return nil
    }

    /// Reads the records of `block` from `start` to `end` again, as text, for the columns that
    /// turned to text after their first rows.
    private mutating func backfillWithinBlock(_ block: CSVBlock, from start: Int, to end: Int) throws {
        let needed = builders.map { $0.rowsToBackfill > 0 }
        guard needed.contains(true) else { return }
        let format = CSVFormat(separator: options.separator, missingMarkers: missingMarkers, numberMarks: options.numberMarks,
                               atFileStart: block.atFileStart)
        let template = needed.map { ColumnBuilder(kind: $0 ? .text : .ignored) }
        let piece = try block.withBytes {
            try CSVPiece.read(UnsafeBufferPointer(rebasing: $0[0..<end]), from: start, limit: end, format: format, builders: template)
        }
        for index in builders.indices where needed[index] {
            do {
                try builders[index].backfill(from: piece.builders[index])
            } catch {
                throw message(.unstorable(error, line: line, column: index))
            }
        }
    }

    /// Reads the header (or, without one, counts the first record's fields) and returns where the
    /// records start.
    private mutating func readNames(_ block: inout CSVBlock, from source: inout some ByteSource) throws -> Int {
        while true {
            // Excel writes "CSV" in some locales with a first line `sep=;` that names the
            // separator: it sets the separator (unless the user named one) and is no record.
            let declared = block.withBytes { Self.declaredSeparator(in: $0, complete: block.reachedEnd) }
            if let declared, !options.separatorIsGiven { options.separator = declared.separator }
            let firstLine = declared == nil ? 1 : 2, start = declared?.end ?? 0
            let separator = options.separator
            let outcome = try block.withBytes { bytes -> (fields: [String?], end: Int, recordLine: Int, line: Int)? in
                var tokenizer = CSVTokenizer(bytes: bytes, separator: separator, start: start, line: firstLine)
                var fields: [CSVField] = []
                var scratch: [UInt8] = []
                let hasRecord: Bool
                do throws(CSVSyntaxError) {
                    hasRecord = try tokenizer.nextRecord(into: &fields)
                } catch {
                    if case .unterminatedQuote = error, !block.reachedEnd { return nil }
                    throw message(.syntax(error))
                }
                guard hasRecord else {
                    if block.reachedEnd { throw ModelshError.data("\(sourceName): the file is empty") }
                    return nil
                }
                // The record may go on in bytes not read yet.
                guard block.reachedEnd || tokenizer.position < block.count else { return nil }
                let texts = fields.map { field in tokenizer.withContents(of: field, scratch: &scratch) { String(validating: $0, as: UTF8.self) } }
                return (texts, tokenizer.position, tokenizer.recordLine, tokenizer.line)
            }
            guard let outcome else {
                // Stop before reading a whole binary or line-less file into memory.
                guard block.count < CSVReader.longestFirstRecord else {
                    throw ModelshError.data("\(sourceName):1: the first record is longer than \(CSVReader.longestFirstRecord >> 20) MiB (is this a CSV file?)")
                }
                try block.refill(from: &source, grow: true)
                continue
            }
            if options.header {
                names = try headerNames(outcome.fields, line: outcome.recordLine)
                line = outcome.line
                return outcome.end
            }
            names = (1...outcome.fields.count).map { "V\($0)" }
            line = firstLine
            return start
        }
    }

    /// The separator a first line `sep=X` declares (after an optional byte order mark), and
    /// where the line after it starts; nil when there is no such line (or, `complete` false,
    /// its end is not read yet).
    static func declaredSeparator(in bytes: UnsafeBufferPointer<UInt8>, complete: Bool) -> (separator: UInt8, end: Int)? {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard bytes.count >= start + 5, Array(bytes[start ..< start + 4]) == Array("sep=".utf8) else { return nil }
        let separator = bytes[start + 4], after = start + 5
        guard separator < 0x80, ![UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(separator) else { return nil }
        if after == bytes.count { return complete ? (separator, after) : nil }
        switch bytes[after] {
        case UInt8(ascii: "\n"): return (separator, after + 1)
        case UInt8(ascii: "\r"):
            if after + 1 < bytes.count { return (separator, bytes[after + 1] == UInt8(ascii: "\n") ? after + 2 : after + 1) }
            return complete ? (separator, after + 1) : nil
        default: return nil
        }
    }

    /// Reads the records of `block` from `start` to `end` (a record boundary, or the end of the
    /// file) in parallel pieces, appends them to the columns, and returns where reading stopped
    /// (before a record that goes on past `end`) and how many rows it read.
    private mutating func readRecords(_ block: CSVBlock, from start: Int, to end: Int) throws -> (reached: Int, rows: Int) {
        let read = try readPieces(block, from: start, to: end)
        try append(read)
        return (read.reached, read.rows)
    }

    /// The pieces of a block, read and checked, whose rows are yet to be appended to the columns.
    private struct PiecesRead {
        /// In file order; each starts where the one before it ended.
        var pieces: [CSVPiece] = []
        /// The line of each piece's last record, where a problem appending it is reported.
        var lastLines: [Int] = []
        /// The problem met in the piece after the last one, thrown once the pieces before it are appended.
        var problem: (any Error)?
        /// Where reading stopped, and the rows of the pieces.
        var reached = 0, rows = 0
        /// Builders of pieces read but not kept (read from a wrong guess), for reuse.
        var unused: [[ColumnBuilder]] = []
    }

    /// Reads the records of `block` from `start` to `end` in parallel pieces and checks them in
    /// order: a piece that started at a wrong guess is read again from where the one before it
    /// ended; a record that goes on past `end` is left for the next block.
    /// `appending`: pieces of the block before, appended to the columns meanwhile, on the cores
    /// the pieces leave idle (a problem appending them is thrown after).
    private mutating func readPieces(_ block: CSVBlock, from start: Int, to end: Int, appending earlier: PiecesRead? = nil) throws -> PiecesRead {
        let format = CSVFormat(separator: options.separator, missingMarkers: missingMarkers, numberMarks: options.numberMarks,
                               atFileStart: block.atFileStart, readsRecordRuns: plan.readsRecordRuns)
        // Columns already known to be text stay text (of the same kind) in every piece; the rest infer afresh.
        let template = builders.map { ColumnBuilder(kind: $0.isText ? $0.kind : .undetermined) }
        return try block.withBytes { whole in
            let bytes = UnsafeBufferPointer(rebasing: whole[0..<end])
            let length = end - start
            let pieceCount = max(1, min(plan.pieces, length / max(plan.minimumPieceSize, 1)))
            var starts = [start]
            for k in 1..<max(pieceCount, 1) {
                if let guess = CSVTokenizer.likelyRecordStart(in: bytes, from: start + k * length / pieceCount, fields: names.count,
                                                              separator: options.separator),
                   guess < end, guess > starts.last! {
                    starts.append(guess)
                }
            }
            let limits = Array(starts.dropFirst()) + [end]
            var slots = reusableBuilders(count: starts.count, template: template)
            nonisolated(unsafe) let shared = bytes
            let guesses = starts
            let earlierPieces = earlier?.pieces ?? []
            let appendTasks = earlierPieces.isEmpty ? 0 : builders.count
            let done = try slots.withUnsafeMutableBufferPointer { buffer in
                try builders.withUnsafeMutableBufferPointer { columns in
                    // Each worker takes its own slot's builders, leaving the slot empty, so the
                    // piece holds the only reference to them; each column is appended to by one.
                    nonisolated(unsafe) let (slot, columns) = (buffer.baseAddress!, columns)
                    // The pieces first: the longest tasks, started at once; then the columns.
                    return try concurrentMap(guesses.count + appendTasks, threads: guesses.count + appendTasks) { task -> BlockTask in
                        guard task < guesses.count else {
                            let index = task - guesses.count
                            return .appended(Self.append(column: index, of: earlierPieces, to: &columns[index]))
                        }
                        var builders: [ColumnBuilder] = []
                        swap(&builders, &slot[task])
                        // Consumed, not copied: a second reference would make the piece copy every
                        // builder's memory on its first append, fresh pages at each block.
                        let piece = try CSVPiece.read(shared, from: guesses[task], limit: limits[task], format: format, builders: consume builders)
                        block.release(guesses[task] ..< limits[task])
                        return .read(piece)
                    }
                }
            }
            if let earlier {
                try finishAppending(earlier, done[guesses.count...].map { if case .appended(let problem) = $0 { problem } else { nil } })
            }
            let pieces = done.prefix(guesses.count).map { if case .read(let piece) = $0 { piece } else { preconditionFailure("a piece task reads a piece") } }
            var read = PiecesRead(reached: start)
            for (k, guessed) in pieces.enumerated() {
                // A guess inside a quoted field starts elsewhere than the piece before it ended.
                var piece = guessed
                if guessed.start != read.reached {
                    read.unused.append(guessed.builders)
                    piece = try CSVPiece.read(bytes, from: read.reached, limit: limits[k], format: format, builders: template)
                }
                var cut: Int?
                if case .syntax(.unterminatedQuote)? = piece.problem, !block.reachedEnd {
                    // The record goes on past `end`: read up to it and leave it for the next block.
                    cut = piece.problemRecordStart
                    read.unused.append(piece.builders)
                    piece = try CSVPiece.read(UnsafeBufferPointer(rebasing: bytes[0..<cut!]), from: read.reached, limit: cut!,
                                              format: format, builders: template)
                }
                // Blank lines between a guessed start and the first record were counted by the piece before.
                let lineOfReadFrom = line - (piece.readFrom == read.reached ? 0 : piece.skippedLines)
                if let problem = piece.problem {
                    read.problem = message(problem.shifted(by: lineOfReadFrom - 1))
                    read.unused.append(piece.builders)
                    read.unused += pieces[(k + 1)...].map(\.builders)
                    return read
                }
                line = lineOfReadFrom + piece.lines
                read.lastLines.append(line - 1)
                read.reached = piece.end
                read.rows += piece.rows
                read.pieces.append(piece)
                if cut != nil {
                    read.unused += pieces[(k + 1)...].map(\.builders)
                    return read
                }
            }
            return read
        }
    }

    /// Builders for `count` pieces, emptied to `template`'s kinds: the spare ones where there are.
    private mutating func reusableBuilders(count: Int, template: [ColumnBuilder]) -> [[ColumnBuilder]] {
        var slots = spareBuilders
        spareBuilders = []
        slots.removeLast(max(0, slots.count - count))
        for k in slots.indices {
            for column in slots[k].indices { slots[k][column].reset(to: template[column].kind) }
        }
        while slots.count < count { slots.append(template) }
        return slots
    }

    /// What a task of a block's meeting of the cores did: read a piece, or appended a column of
    /// the pieces before (with the first piece whose rows it could not store, and why).
    private enum BlockTask {
        case read(CSVPiece)
        case appended(AppendProblem?)
    }

    private typealias AppendProblem = (piece: Int, problem: UnstorableValue)

    /// Appends the rows of pieces read to the columns, then throws the problem met after them if
    /// any; their builders are kept for the next block's pieces.
    private mutating func append(_ read: PiecesRead) throws {
        // Copying large pieces is mostly first writes to fresh pages of the columns: the
        // columns are independent, so they take it on every core.
        let threads = read.rows * builders.count >= 1 << 16 ? everyCore : 1
        let problems = try builders.withUnsafeMutableBufferPointer { columns in
            nonisolated(unsafe) let columns = columns
            let pieces = read.pieces
            return try concurrentMap(columns.count, threads: threads) { index in Self.append(column: index, of: pieces, to: &columns[index]) }
        }
        try finishAppending(read, problems)
    }

    /// Column `index` of `pieces` appended to `column` in order, up to the first piece whose rows
    /// it cannot store.
    private static func append(column index: Int, of pieces: [CSVPiece], to column: inout ColumnBuilder) -> AppendProblem? {
        for (k, piece) in pieces.enumerated() {
            do throws(UnstorableValue) {
                try column.append(contentsOf: piece.builders[index])
            } catch {
                return (k, error)
            }
        }
        return nil
    }

    /// After `read`'s pieces are appended (with `problems`, one a column): keeps their builders
    /// for the next block's pieces and throws the first problem in the file, if any — appending
    /// (in the earliest piece, then the leftmost column), else the one met after the pieces.
    private mutating func finishAppending(_ read: PiecesRead, _ problems: [AppendProblem?]) throws {
        spareBuilders += read.pieces.map(\.builders) + read.unused
        if let (index, found) = problems.enumerated().compactMap({ entry in entry.element.map { (entry.offset, $0) } })
            .min(by: { $0.1.piece < $1.1.piece }) {
            throw message(.unstorable(found.problem, line: read.lastLines[found.piece], column: index))
        }
        if let problem = read.problem { throw problem }
    }

    /// Reads again, up to the last row any column needs, the rows read before a column turned to
    /// text, keeping only those columns, as text.
    private mutating func backfill(_ block: inout CSVBlock, from source: inout some ByteSource) throws {
        let rowsNeeded = builders.map(\.rowsToBackfill).max() ?? 0
        guard rowsNeeded > 0 else { return }
        var rereading = CSVReading(sourceName: sourceName, options: options, plan: CSVReadingPlan(blockSize: plan.blockSize, pieces: 1))
        rereading.names = names
        rereading.builders = builders.map { ColumnBuilder(kind: $0.rowsToBackfill > 0 ? .text : .ignored) }
        try block.rewind(&source)
        let start = try rereading.readNames(&block, from: &source)
        try rereading.readBlocks(&block, from: &source, start: start, rowLimit: rowsNeeded)
        for index in builders.indices where builders[index].rowsToBackfill > 0 {
            do {
                try builders[index].backfill(from: rereading.builders[index])
            } catch {
                throw message(.unstorable(error, line: line, column: index))
            }
        }
    }

    /// What invalid UTF-8 most likely is, and the fix: Excel's "CSV (comma delimited)" is saved
    /// in the Windows code page (1252 in western Europe), which pandas reads with `encoding=`.
    static let otherEncoding = "(is the file in another encoding, such as Excel's Windows-1252? load … encoding=cp1252 reads it)"

    /// Column names from the header record: empty ones become `Vk`, repeats get `_2`, `_3`, ….
    /// A nil field is one that is not valid UTF-8.
    private func headerNames(_ fields: [String?], line: Int) throws -> [String] {
        var names: [String] = []
        for (index, field) in fields.enumerated() {
            guard let decoded = field else {
                throw ModelshError.data("\(sourceName):\(line): invalid UTF-8 in the name of column \(index + 1) \(Self.otherEncoding)")
            }
            // A name with a control character (a quoted line break, say) could be neither typed
            // nor saved in a workspace: refuse it here, where the file and line are known.
            guard !TerminalText.containsControlCharacters(decoded) else {
                throw ModelshError.data("\(sourceName):\(line): the name of column \(index + 1), '\(TerminalText.escaped(decoded))', holds a control character")
            }
            // A name is typed and shown in tables: a longer one is a file that is not CSV (or
            // has no line breaks), not a name.
            guard decoded.utf8.count <= CSVReader.longestName else {
                throw ModelshError.data("\(sourceName):\(line): the name of column \(index + 1) is \(decoded.utf8.count) bytes long (at most \(CSVReader.longestName); is this a CSV file?)")
            }
            names.append(decoded)
        }
        return ColumnNames.unique(names)
    }

    /// The one-line message for a problem, naming the file, line and column.
    private func message(_ problem: CSVProblem) -> ModelshError {
        switch problem {
        case .syntax(.unterminatedQuote(let line)):
            return .data("\(sourceName):\(line): a quoted field opens on this line and is never closed")
        case .syntax(.characterAfterClosingQuote(let line, let field, let character)):
            let shown = character >= 0x20 && character < 0x7F ? "'\(Character(Unicode.Scalar(character)))'" : "byte 0x\(String(character, radix: 16))"
            return .data("\(sourceName):\(line): unexpected \(shown) after the closing quote of field \(field) (a quote inside a quoted field is written \"\")")
        case .fieldCount(let found, let line):
            let expected = names.count
            let plural = expected == 1 ? "" : "s"
            let expectation = options.header ? "header has \(expected) column\(plural)" : "first row has \(expected) field\(plural)"
            return .data("\(sourceName):\(line): row has \(found) field\(found == 1 ? "" : "s"), expected \(expected) (\(expectation))")
        case .unstorable(.invalidUTF8, let line, let column):
            return .data("\(sourceName):\(line): invalid UTF-8 in column '\(names[column])' \(Self.otherEncoding)")
        case .unstorable(.nulByte, let line, let column):
            return .data("\(sourceName):\(line): a NUL byte in column '\(names[column])' (is it a binary file, or text in UTF-16?)")
        case .unstorable(.tooManyDistinctValues, let line, let column):
            return .data("\(sourceName):\(line): column '\(names[column])' has more than \(Int32.max) distinct values")
        }
    }
}

