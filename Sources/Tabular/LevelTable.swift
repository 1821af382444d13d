#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distinct texts of a column as it is read, numbered in first-seen order and looked up by
/// their bytes, so a field becomes a code without becoming a `String` first (hashing a `String`
/// and creating one per field cost more than reading the whole field). Only the finished
/// column's levels become strings.
struct LevelTable {
    /// Every level's bytes, one after another; level i ends at `ends[i]`.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var hashes: [UInt64] = []
    /// Open addressing: a level's number, or -1 for an empty slot; the count is a power of two.
    private var slots: [Int32] = []

    var count: Int { ends.count }

    /// The code of `text`, adding it as a new level if it is not one yet. A new level must be
    /// valid UTF-8 (an old one was checked when it was added).
    @inline(__always)
    mutating func code(for text: UnsafeBufferPointer<UInt8>) throws(UnstorableValue) -> Int32 {
        try code(for: text, hash: Self.hash(text))
    }

    /// The code here of `other`'s level `index`.
    mutating func code(forLevel index: Int, of other: LevelTable) throws(UnstorableValue) -> Int32 {
        try other.withLevel(index) { (text) throws(UnstorableValue) in try code(for: text, hash: other.hashes[index]) }
    }

    /// Empties the table, keeping its memory.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = -1 }
    }

    /// The levels as strings, in code order.
    func strings() -> [String] {
        (0..<count).map { index in withLevel(index) { String(decoding: $0, as: UTF8.self) } }
    }

    /// The codes in the order of their levels' UTF-8 bytes.
    func codesInByteOrder() -> [Int] {
        bytes.withUnsafeBufferPointer { all in
            (0..<count).sorted { a, b in
                let first = UnsafeBufferPointer(rebasing: all[start(of: a)..<ends[a]])
                let second = UnsafeBufferPointer(rebasing: all[start(of: b)..<ends[b]])
                return first.lexicographicallyPrecedes(second)
            }
        }
    }

    private func start(of index: Int) -> Int { index == 0 ? 0 : ends[index - 1] }

    private func withLevel<R, E: Error>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = bytes.withUnsafeBufferPointer { all in
            Result { () throws(E) in try body(UnsafeBufferPointer(rebasing: all[start(of: index)..<ends[index]])) }
        }
        return try result.get()
    }

    @inline(__always)
    private mutating func code(for text: UnsafeBufferPointer<UInt8>, hash: UInt64) throws(UnstorableValue) -> Int32 {
        if slots.isEmpty { slots = [Int32](repeating: -1, count: 64) }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            if hashes[Int(code)] == hash, equals(Int(code), text) { return code }
            slot = (slot + 1) & mask
        }
        guard let code = Int32(exactly: count) else { throw .tooManyDistinctValues }
        guard Self.isValidUTF8(text) else { throw .invalidUTF8 }
        guard !text.contains(0) else { throw .nulByte }
        bytes.append(contentsOf: text)
        ends.append(bytes.count)
        hashes.append(hash)
        slots[slot] = code
        // At most half full, so probes stay short.
        if count * 2 > slots.count { grow() }
        return code
    }

    private func equals(_ index: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = start(of: index)
        guard ends[index] - start == text.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            text.isEmpty || Self.sameBytes(UnsafeRawPointer(all.baseAddress! + start), UnsafeRawPointer(text.baseAddress!), count: text.count)
        }
    }

    /// Whether `count` bytes at `a` and `b` are the same: a word at a time for the short texts
    /// most levels are (a call to memcmp cost more than the comparison), memcmp for long ones.
    @inline(__always)
    static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        guard count <= 32 else { return memcmp(a, b, count) == 0 }
        var offset = 0
        while offset + 8 <= count {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset += 8
        }
        while offset < count {
            guard a.load(fromByteOffset: offset, as: UInt8.self) == b.load(fromByteOffset: offset, as: UInt8.self) else { return false }
            offset += 1
        }
        return true
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for code in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(code)
        }
    }

    private static func isValidUTF8(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        // ASCII, the common case, is valid without building a string.
        if !text.contains(where: { $0 >= 0x80 }) { return true }
        return String(validating: text, as: UTF8.self) != nil
    }

    /// Chosen at random once per process, so a file cannot be made of texts that collide (and
    /// read slowly); the codes do not depend on it.
    private static let seed = UInt64.random(in: .min ... .max)

    /// A 64-bit hash of the bytes, eight at a time.
    @inline(__always)
    static func hash(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = seed ^ UInt64(text.count)
        guard let base = text.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= text.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < text.count {
            tail |= UInt64(base[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 32
        return hash
    }
}
