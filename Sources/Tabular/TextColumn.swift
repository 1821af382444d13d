/// The values of a text column, 16 bytes a row: a text of up to 15 bytes of UTF-8 is held in its
/// row's slot (as a Swift string holds one inline), a longer one in `heap`, its place in the slot.
///
/// Why not `[String]`: a text of more than 15 bytes is a string allocated on its own (48 to 64
/// bytes for a 19-byte timestamp), and the reader made, copied and released every row's string
/// piece by piece, which cost a column of names as much as six columns of numbers. Here a row is
/// written once, as two words (`LevelTable.ShortKey`'s, for a short text) or as bytes appended
/// to the heap, pieces are joined by copying memory, and a `String` is made only when a row is
/// read. Rows of the same long text may share its bytes (a column made of a table's levels);
/// rows selected from another column copy theirs, so a few rows kept from a large column do not
/// keep its whole heap. Rows hold text as read: valid UTF-8 (the reader refuses NUL too; a
/// workspace may hold it).
public struct TextColumn: RandomAccessCollection, Sendable, Equatable {
    /// A short text: its bytes from the low byte of `low` on, zeros after, and its length plus
    /// one in the top byte of `high`. A long one: its offset into `heap` in `low` and its length
    /// in `high`, whose top byte is then 0.
    struct Slot: BitwiseCopyable, Equatable {
        var low: UInt64
        var high: UInt64

        var isShort: Bool { high >> 56 != 0 }
        var count: Int { isShort ? Int(high >> 56) - 1 : Int(high) }
    }

    private(set) var slots: [Slot] = []
    private(set) var heap: [UInt8] = []

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
            return try heap.withUnsafeBufferPointer { heap in
                try body(UnsafeBufferPointer(rebasing: heap[Int(slot.low) ..< Int(slot.low) + slot.count]))
            }
        }
        return try withUnsafeBytes(of: slot) { bytes in
            try body(UnsafeBufferPointer(rebasing: bytes.bindMemory(to: UInt8.self)[0 ..< slot.count]))
        }
    }

    /// The number of UTF-8 bytes of `row`'s text.
    public func byteCount(at row: Int) -> Int { slots[row].count }

    /// Roughly the memory the column takes.
    public var approximateByteCount: Int { slots.count * MemoryLayout<Slot>.stride + heap.count }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends `text`'s bytes, which must be valid UTF-8 (the reader's are `LevelTable.checkStorable`).
    mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        if let key = LevelTable.shortKey(text) {
            append(key)
        } else {
            slots.append(Slot(low: UInt64(heap.count), high: UInt64(text.count)))
            heap.append(contentsOf: text)
        }
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

    /// Appends the rows of `other`: its slots copied, the places of its long texts moved past this
    /// column's heap. Where the heap must grow, `expectedRows` (the rows the column is expected
    /// to reach, 0 when unknown) sizes it at once by the bytes a row has taken so far: doubling
    /// it copied the texts each time and held them twice (200,000 reviews: 132 → 202 MB at the
    /// load's peak).
    mutating func append(contentsOf other: TextColumn, expectingRows expectedRows: Int = 0) {
        let (firstNew, base) = (slots.count, UInt64(heap.count))
        slots.populatePages(forNext: other.count)
        slots.append(contentsOf: other.slots)
        guard !other.heap.isEmpty else { return }
        let bytes = heap.count + other.heap.count
        if bytes > heap.capacity, expectedRows > slots.count {
            heap.reserveCapacity(Swift.max(bytes, Int(Double(bytes) / Double(slots.count) * Double(expectedRows))))
        }
        heap.populatePages(forNext: other.heap.count)
        heap.append(contentsOf: other.heap)
        slots.withUnsafeMutableBufferPointer { slots in
            for row in firstNew ..< slots.count where !slots[row].isShort { slots[row].low += base }
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
    /// negative code (a missing value). The levels' long texts are copied once, and shared by
    /// the rows that hold them.
    mutating func append(codes: some Sequence<Int32>, of levels: TextColumn) {
        append(codes: codes, levelSlots: adoptingTexts(of: levels))
    }

    /// Copies the long texts of `levels` into the heap, once, and returns the slot of each of
    /// its rows here, for `append(codes:levelSlots:)`.
    mutating func adoptingTexts(of levels: TextColumn) -> [Slot] {
        let base = UInt64(heap.count)
        heap.append(contentsOf: levels.heap)
        return levels.slots.map { $0.isShort ? $0 : Slot(low: $0.low + base, high: $0.high) }
    }

    /// Appends a row for each of `codes`: the slot `levelSlots` holds for it, or an empty text
    /// for a negative code.
    mutating func append(codes: some Sequence<Int32>, levelSlots: [Slot]) {
        let empty = Slot(low: 0, high: 1 << 56)
        for code in codes { slots.append(code < 0 ? empty : levelSlots[Int(code)]) }
    }

    public mutating func reserveCapacity(_ rows: Int) { slots.reserveCapacity(rows) }

    mutating func removeAll(keepingCapacity: Bool) {
        slots.removeAll(keepingCapacity: keepingCapacity)
        heap.removeAll(keepingCapacity: keepingCapacity)
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
        slots.withUnsafeBufferPointer { a in other.slots.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress && a.count == b.count } }
            && heap.withUnsafeBufferPointer { a in other.heap.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }

    /// Equal rows, byte for byte (however their long texts are laid out in the heap).
    public static func == (first: TextColumn, second: TextColumn) -> Bool {
        guard first.count == second.count else { return false }
        if first.heap.isEmpty && second.heap.isEmpty { return first.slots == second.slots }
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
