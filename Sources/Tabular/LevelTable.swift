#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels

/// The distinct texts of a column as it is read, numbered in first-seen order and looked up by
/// their bytes, so a field becomes a code without becoming a `String` first (hashing a `String`
/// and creating one per field cost more than reading the whole field). Only the finished
/// column's levels become strings.
struct LevelTable {
    /// Every level's bytes, one after another; level i ends at `ends[i]`.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var hashes: [UInt64] = []
    /// Open addressing: a level's hash's upper half (`tag`) with its number plus one in the lower
    /// half, or 0 for an empty slot; the count is a power of two. A probe compares the tags in
    /// the slots it reads before it reads any level's bytes, so looking up a text that is not
    /// a level reads only the slots (in a large table, one cache miss rather than two).
    private var slots: [UInt64] = []

    var count: Int { ends.count }
    /// The bytes of all the levels.
    var byteCount: Int { bytes.count }

    /// The code of `text`, adding it as a new level if it is not one yet. A new level must be
    /// valid UTF-8 (an old one was checked when it was added).
    @inline(__always)
    mutating func code(for text: UnsafeBufferPointer<UInt8>) throws(UnstorableValue) -> Int32 {
        try code(for: text, hash: Self.hash(text))
    }

    /// The code of `text` whose `hash` is known (`hash(_:)`).
    @inline(__always)
    mutating func code(for text: UnsafeBufferPointer<UInt8>, hash: UInt64) throws(UnstorableValue) -> Int32 {
        if slots.isEmpty { slots = [UInt64](repeating: 0, count: 64) }
        let mask = slots.count - 1
        let tag = Self.tag(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if Self.tag(entry) == tag {
                let code = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if equals(code, text) { return Int32(truncatingIfNeeded: code) }
            }
            slot = (slot + 1) & mask
        }
        guard let code = Int32(exactly: count) else { throw .tooManyDistinctValues }
        try Self.checkStorable(text)
        bytes.append(contentsOf: text)
        ends.append(bytes.count)
        hashes.append(hash)
        slots[slot] = tag | (UInt64(code) + 1)
        // At most half full, so probes stay short.
        if count * 2 > slots.count { grow() }
        return code
    }

    /// Has the slot where a lookup of `hash` starts brought into the cache: a table of many
    /// levels lies mostly outside it, and a batch of lookups that asks for its slots a few
    /// lookups ahead waits for them once rather than at each lookup.
    @inline(__always)
    func prefetchSlot(of hash: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            guard let base = slots.baseAddress else { return }
            msh_prefetch(base + (Int(truncatingIfNeeded: hash) & (slots.count - 1)))
        }
    }

    /// The codes here of all of `other`'s levels, in its code order (adding those that are new).
    mutating func codes(ofLevelsOf other: LevelTable) throws(UnstorableValue) -> [Int32] {
        var codes: [Int32] = []
        codes.reserveCapacity(other.count)
        try other.bytes.withUnsafeBufferPointer { (all) throws(UnstorableValue) in
            for index in 0..<other.count {
                if index + Self.lookAhead < other.count { prefetchSlot(of: other.hashes[index + Self.lookAhead]) }
                codes.append(try code(for: other.level(index, in: all), hash: other.hashes[index]))
            }
        }
        return codes
    }

    /// How many lookups ahead a batch asks for a slot: enough for its line to arrive.
    static let lookAhead = 16

    /// Empties the table, keeping its memory.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    /// The levels as strings, in code order.
    func strings() -> [String] {
        bytes.withUnsafeBufferPointer { all in (0..<count).map { String(decoding: level($0, in: all), as: UTF8.self) } }
    }

    /// The codes in the order of their levels' UTF-8 bytes.
    func codesInByteOrder() -> [Int] {
        bytes.withUnsafeBufferPointer { all in
            (0..<count).sorted { level($0, in: all).lexicographicallyPrecedes(level($1, in: all)) }
        }
    }

    private func start(of index: Int) -> Int { index == 0 ? 0 : ends[index - 1] }

    /// Level `index`'s bytes within `all`, the table's `bytes`.
    private func level(_ index: Int, in all: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: all[start(of: index)..<ends[index]])
    }

    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 }

    @inline(__always)
    private func equals(_ index: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = start(of: index)
        guard ends[index] - start == text.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            text.isEmpty || Self.sameBytes(UnsafeRawPointer(all.baseAddress! + start), UnsafeRawPointer(text.baseAddress!), count: text.count)
        }
    }

    /// Whether `count` bytes at `a` and `b` are the same: a word at a time for the short texts
    /// most levels are (a call to memcmp cost more than the comparison), the last part as one
    /// word ending at the last byte (overlapping bytes already compared), memcmp for long ones.
    @inline(__always)
    static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        guard count <= 32 else { return memcmp(a, b, count) == 0 }
        guard count >= 8 else { return shortWord(a, count: count) == shortWord(b, count: count) }
        var offset = 0
        while offset + 8 <= count {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset += 8
        }
        return offset == count
            || a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }

    /// The `count` (< 8) bytes at `p` as one word, read without a byte beyond them: two
    /// overlapping halves from 4 bytes on, else the first, middle and last bytes (which are all
    /// of them). Equal for equal bytes; for bytes of equal count, different for different ones.
    @inline(__always)
    private static func shortWord(_ p: UnsafeRawPointer, count: Int) -> UInt64 {
        if count >= 4 {
            return UInt64(p.loadUnaligned(as: UInt32.self)) << 32 | UInt64(p.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        }
        guard count > 0 else { return 0 }
        let bytes = p.assumingMemoryBound(to: UInt8.self)
        return UInt64(bytes[0]) << 16 | UInt64(bytes[count / 2]) << 8 | UInt64(bytes[count - 1])
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for code in 0..<count {
            let hash = hashes[code]
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Self.tag(hash) | (UInt64(code) + 1)
        }
    }

    /// Throws unless a level (or any text of a column) may hold `text`: valid UTF-8 without a NUL byte.
    @inline(__always)
    static func checkStorable(_ text: UnsafeBufferPointer<UInt8>) throws(UnstorableValue) {
        guard isStorable(text) else { throw isValidUTF8(text) ? .nulByte : .invalidUTF8 }
    }

    /// Whether `text` is valid UTF-8 without a NUL byte. ASCII without a NUL, the common case, is
    /// seen eight bytes at a time, without building a string.
    @inline(__always)
    private static func isStorable(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var offset = 0, highBits: UInt64 = 0, zeroBytes: UInt64 = 0
        while offset + 8 <= text.count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            highBits |= word
            // A byte of the word is 0 when this is not 0 (its high bit set in that byte's place).
            zeroBytes |= (word &- 0x0101_0101_0101_0101) & ~word
            offset += 8
        }
        while offset < text.count {
            let byte = UInt64(base[offset])
            highBits |= byte
            zeroBytes |= (byte &- 1) & ~byte
            offset += 1
        }
        if (highBits | zeroBytes) & 0x8080_8080_8080_8080 == 0 { return true }
        return !text.contains(0) && isValidUTF8(text)
    }

    private static func isValidUTF8(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        String(validating: text, as: UTF8.self) != nil
    }

    /// Chosen at random once per process, so a file cannot be made of texts that collide (and
    /// read slowly); the codes do not depend on it.
    private static let seed = UInt64.random(in: .min ... .max)

    /// A 64-bit hash of the bytes, eight at a time, the last part as one word (ending at the last
    /// byte, or `shortWord`'s for fewer than eight bytes).
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
        let tail = text.count < 8 ? shortWord(raw, count: text.count)
            : offset == text.count ? 0 : raw.loadUnaligned(fromByteOffset: text.count - 8, as: UInt64.self)
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 32
        return hash
    }
}
