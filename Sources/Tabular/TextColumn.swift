/// The values of a text column, 16 bytes a row: a text of up to 15 bytes of UTF-8 is held in its
/// row's slot (as a Swift string holds one inline), a longer one in a chunk of `heaps`, its place
/// in the slot.
///
/// Why not `[String]`: a text of more than 15 bytes is a string allocated on its own (48 to 64
/// bytes for a 19-byte timestamp), and the reader made, copied and released every row's string
/// piece by piece, which cost a column of names as much as six columns of numbers. Here a row is
/// written once, as two words (`LevelTable.ShortKey`'s, for a short text; the slot's bytes are
/// its text's in order on a little-endian machine) or as bytes appended to a chunk; pieces are
/// joined by copying their slots and taking their chunks as they are (so a piece's texts are
/// copied on the core that read them, not again where the pieces are joined, one column on one
/// core); and a `String` is made only when a row is read. Rows of the same long text may share
/// its bytes (a column made of a table's levels); rows selected from another column copy theirs,
/// so a few rows kept from a large column do not keep all its chunks. Rows hold text as read:
/// valid UTF-8 (the reader refuses NUL too; a workspace may hold it).
public struct TextColumn: RandomAccessCollection, Sendable, Equatable {
    /// A short text: its bytes from the low byte of `low` on, zeros after, and its length plus
    /// one in the top byte of `high`. A long one: its chunk (upper half) and its offset there
    /// (lower half) in `low`, and its length in `high`, whose top byte is then 0.
    struct Slot: BitwiseCopyable, Equatable {
        var low: UInt64
        var high: UInt64

        var isShort: Bool { high >> 56 != 0 }
        var count: Int { isShort ? Int(high >> 56) - 1 : Int(high) }
        var chunk: Int { Int(low >> 32) }
        var offset: Int { Int(low & 0xFFFF_FFFF) }

        /// The same long text, its chunk `chunks` further on.
        func movingChunk(by chunks: Int) -> Slot { isShort ? self : Slot(low: low + UInt64(chunks) << 32, high: high) }
    }

    /// The bytes a chunk is made to hold: a text that does not fit in the last chunk starts a new
    /// one, so none is copied to grow.
    static let chunkBytes = 1 << 18

    private(set) var slots: [Slot] = []
    private(set) var heaps: [[UInt8]] = []

    public init() {}

    public init<Texts: Sequence>(_ texts: Texts) where Texts.Element == String {
        slots.reserveCapacity(texts.underestimatedCount)
        for text in texts { append(text) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { slots.count }

    public subscript(row: Int) -> String {
        withUTF8(at: row) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of `row`, without making a string.
    public func withUTF8<Result>(at row: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let slot = slots[row]
        guard slot.isShort else {
            return try heaps[slot.chunk].withUnsafeBufferPointer { chunk in
                try body(UnsafeBufferPointer(rebasing: chunk[slot.offset ..< slot.offset + slot.count]))
            }
        }
        return try withUnsafeBytes(of: slot) { bytes in
            try body(UnsafeBufferPointer(rebasing: bytes.bindMemory(to: UInt8.self)[0 ..< slot.count]))
        }
    }

    /// The number of UTF-8 bytes of `row`'s text.
    public func byteCount(at row: Int) -> Int { slots[row].count }

    /// Roughly the memory the column takes.
    public var approximateByteCount: Int { slots.count * MemoryLayout<Slot>.stride + heaps.reduce(0) { $0 + $1.count } }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends `text`'s bytes, which must be valid UTF-8 (the reader's are `LevelTable.checkStorable`).
    mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        if let key = LevelTable.shortKey(text) {
            append(key)
            return
        }
        if heaps.isEmpty || heaps[heaps.count - 1].count + text.count > heaps[heaps.count - 1].capacity {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(Swift.max(Self.chunkBytes, text.count))
            heaps.append(chunk)
        }
        let chunk = heaps.count - 1
        slots.append(Slot(low: UInt64(chunk) << 32 | UInt64(heaps[chunk].count), high: UInt64(text.count)))
        heaps[chunk].append(contentsOf: text)
    }

    /// Appends a short text by its key (`LevelTable.shortKey`), which is its slot.
    @inline(__always)
    mutating func append(_ key: LevelTable.ShortKey) {
        slots.append(Slot(low: key.low, high: key.high))
    }

    /// Appends `count` empty texts (the rows of missing values).
    public mutating func appendEmpty(count: Int = 1) {
        slots.append(contentsOf: repeatElement(Slot(low: 0, high: 1 << 56), count: count))
    }

    /// Appends the rows of `other`: its slots copied (its long texts' chunks numbered after this
    /// column's), its chunks taken as they are.
    mutating func append(contentsOf other: TextColumn) {
        let (firstNew, chunksBefore) = (slots.count, heaps.count)
        slots.populatePages(forNext: other.count)
        slots.append(contentsOf: other.slots)
        guard !other.heaps.isEmpty else { return }
        heaps.append(contentsOf: other.heaps)
        slots.withUnsafeMutableBufferPointer { slots in
            for row in firstNew ..< slots.count { slots[row] = slots[row].movingChunk(by: chunksBefore) }
        }
    }

    /// Appends the rows `rows` of `other`, in that order, its long texts copied.
    mutating func append(rows: some Sequence<Int>, of other: TextColumn) {
        for row in rows {
            let slot = other.slots[row]
            if slot.isShort { slots.append(slot) } else { other.withUTF8(at: row) { append($0) } }
        }
    }

    /// Appends a row for each of `codes`: the text of that row of `levels`, or an empty one for a
    /// negative code (a missing value). The levels' chunks are taken once, and their long texts
    /// shared by the rows that hold them.
    mutating func append(codes: some Sequence<Int32>, of levels: TextColumn) {
        append(codes: codes, levelSlots: adoptingTexts(of: levels))
    }

    /// Takes the chunks of `levels`' long texts and returns the slot of each of its rows here,
    /// for `append(codes:levelSlots:)`.
    mutating func adoptingTexts(of levels: TextColumn) -> [Slot] {
        let chunksBefore = heaps.count
        heaps.append(contentsOf: levels.heaps)
        return levels.slots.map { $0.movingChunk(by: chunksBefore) }
    }

    /// Appends a row for each of `codes`: the slot `levelSlots` holds for it, or an empty text
    /// for a negative code.
    mutating func append(codes: some Sequence<Int32>, levelSlots: [Slot]) {
        let empty = Slot(low: 0, high: 1 << 56)
        for code in codes { slots.append(code < 0 ? empty : levelSlots[Int(code)]) }
    }

    public mutating func reserveCapacity(_ rows: Int) { slots.reserveCapacity(rows) }

    /// Empties the column; its chunks go (a column they were appended to keeps them).
    mutating func removeAll(keepingCapacity: Bool) {
        slots.removeAll(keepingCapacity: keepingCapacity)
        heaps.removeAll(keepingCapacity: keepingCapacity)
    }

    /// The rows at `rows`, in that order.
    public func selecting(rows: [Int]) -> TextColumn {
        var selected = TextColumn()
        selected.reserveCapacity(rows.count)
        selected.append(rows: rows, of: self)
        return selected
    }

    /// The rows where `inSecond` is false, and those where it is true, each in row order.
    func partitioned(by inSecond: [Bool], secondCount: Int) -> (TextColumn, TextColumn) {
        var parts = (TextColumn(), TextColumn())
        parts.0.reserveCapacity(count - secondCount)
        parts.1.reserveCapacity(secondCount)
        for (row, flag) in inSecond.enumerated() {
            if flag { parts.1.append(rows: CollectionOfOne(row), of: self) } else { parts.0.append(rows: CollectionOfOne(row), of: self) }
        }
        return parts
    }

    /// Whether both hold their texts in the same buffers (one a copy of the other).
    func sharesStorage(with other: TextColumn) -> Bool {
        slots.sharesBuffer(with: other.slots) && heaps.sharesBuffer(with: other.heaps)
    }

    /// Equal rows, byte for byte (however their long texts are laid out in chunks).
    public static func == (first: TextColumn, second: TextColumn) -> Bool {
        guard first.count == second.count else { return false }
        if first.heaps.isEmpty && second.heaps.isEmpty { return first.slots == second.slots }
        return first.indices.allSatisfy { row in
            first.slots[row].isShort == second.slots[row].isShort && (first.slots[row].isShort
                ? first.slots[row] == second.slots[row]
                : first.withUTF8(at: row) { a in second.withUTF8(at: row) { b in a.elementsEqual(b) } })
        }
    }
}

extension TextColumn: ExpressibleByArrayLiteral {
    public init(arrayLiteral texts: String...) { self.init(texts) }
}
