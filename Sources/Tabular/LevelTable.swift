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
    /// Each level's `ShortKey`, or zeros for a longer one (which no short text's key equals).
    private var shortKeys: [ShortKey] = []
    /// The process's `seed`, held here so a hash does not ask each time whether it is made yet.
    private let seed = LevelTable.processSeed
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
        let key = Self.shortKey(text)
        return try code(for: text, hash: hash(text, key: key), key: key)
    }

    /// The code of `text` whose `hash` (`hash(_:)`) and `ShortKey` (nil for a longer text) are known.
    @inline(__always)
    mutating func code(for text: UnsafeBufferPointer<UInt8>, hash: UInt64, key: ShortKey?) throws(UnstorableValue) -> Int32 {
        if slots.isEmpty { slots = [UInt64](repeating: 0, count: 64) }
        let mask = slots.count - 1
        let tag = Self.tag(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if Self.tag(entry) == tag {
                let code = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if let key {
                    if shortKeys[code] == key { return Int32(truncatingIfNeeded: code) }
                } else if equals(code, text) {
                    return Int32(truncatingIfNeeded: code)
                }
            }
            slot = (slot + 1) & mask
        }
        guard let code = Int32(exactly: count) else { throw .tooManyDistinctValues }
        try Self.checkStorable(text)
        bytes.append(contentsOf: text)
        ends.append(bytes.count)
        hashes.append(hash)
        shortKeys.append(key ?? ShortKey(low: 0, high: 0))
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
                let key = other.shortKeys[index]
                codes.append(try code(for: other.level(index, in: all), hash: other.hashes[index], key: key.high == 0 ? nil : key))
            }
        }
        return codes
    }

    /// How many lookups ahead a batch asks for a slot: enough for its line to arrive.
    static let lookAhead = 16

    /// The most slots a table may have for the CSV kernel to look fields up in it: it probes
    /// without asking for slots ahead, so its table must stay in the core's cache (2,048 levels:
    /// 32 KiB of slots and 32 KiB of keys); a larger one's fields are looked up in batches here.
    static let kernelLookupSlots = 4096

    /// Calls `body` with the table as the CSV kernel looks fields up in it (`MSHLevelLookup`), its
    /// arrays borrowed for the call: one that does no lookups (a slot count of 0) when the table
    /// has more than `kernelLookupSlots` slots or none yet.
    func withKernelLookup<Result>(_ body: (MSHLevelLookup) -> Result) -> Result {
        guard !slots.isEmpty, slots.count <= Self.kernelLookupSlots else { return body(MSHLevelLookup()) }
        return shortKeys.withUnsafeBytes { keys in
            slots.withUnsafeBufferPointer { slots in
                body(MSHLevelLookup(keys: keys.baseAddress?.assumingMemoryBound(to: UInt64.self), slots: slots.baseAddress,
                                    slot_count: slots.count, seed: seed))
            }
        }
    }

    /// Empties the table, keeping its memory.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        shortKeys.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = 0 }
    }

    /// The levels as strings, in code order.
    func strings() -> [String] {
        bytes.withUnsafeBufferPointer { all in (0..<count).map { String(decoding: level($0, in: all), as: UTF8.self) } }
    }

    /// The levels as a text column, in code order (their bytes copied, no string made).
    func texts() -> TextColumn {
        var texts = TextColumn()
        texts.reserveCapacity(count)
        bytes.withUnsafeBufferPointer { all in for index in 0..<count { texts.append(level(index, in: all)) } }
        return texts
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

    /// Whether level `index` is `text`, a text longer than `shortLength`.
    @inline(__always)
    private func equals(_ index: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = start(of: index)
        guard ends[index] - start == text.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            Self.sameBytes(UnsafeRawPointer(all.baseAddress! + start), UnsafeRawPointer(text.baseAddress!), count: text.count)
        }
    }

    /// Whether `count` (≥ 8) bytes at `a` and `b` are the same: a word at a time up to 32 (a call
    /// to memcmp cost more than the comparison), the last part as one word ending at the last
    /// byte (overlapping bytes already compared), memcmp for longer ones.
    @inline(__always)
    static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        guard count <= 32 else { return memcmp(a, b, count) == 0 }
        var offset = 0
        while offset + 8 <= count {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset += 8
        }
        return offset == count
            || a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
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
    private static let processSeed = UInt64.random(in: .min ... .max)

    /// A text of at most `shortLength` bytes as two words: its bytes from the low byte of `low`
    /// on, zeros after them, and its length plus one in the top byte of `high`. Two such texts
    /// are the same when their keys are, which is compared, and hashed, without a loop or a
    /// branch on their lengths (which vary from field to field of a categorical column, and
    /// were mispredicted: a fifth of a load of two such columns was their lookups).
    struct ShortKey: Equatable {
        var low: UInt64
        var high: UInt64
    }

    static let shortLength = 15

    /// The key of `text`, or nil when it is longer than `shortLength`; reads no byte beyond it.
    @inline(__always)
    static func shortKey(_ text: UnsafeBufferPointer<UInt8>) -> ShortKey? {
        let count = text.count
        guard count <= shortLength else { return nil }
        guard let base = text.baseAddress, count > 0 else { return ShortKey(low: 0, high: 1 << 56) }
        let raw = UnsafeRawPointer(base)
        var (low, high): (UInt64, UInt64) = (0, 0)
        if count >= 8 {
            // The last eight bytes, moved so those past the first eight land in `high`'s place.
            low = raw.loadUnaligned(as: UInt64.self)
            high = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) >> (8 * (16 - count))
        } else if count >= 4 {
            // Two overlapping halves: the bytes they share are the same in both.
            low = UInt64(raw.loadUnaligned(as: UInt32.self)) | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << (8 * (count - 4))
        } else {
            low = UInt64(base[0]) | UInt64(base[count / 2]) << (8 * (count / 2)) | UInt64(base[count - 1]) << (8 * (count - 1))
        }
        return ShortKey(low: low, high: high | UInt64(count + 1) << 56)
    }

    /// The key of the `count` (≤ `shortLength`) bytes at `bytes`, where 16 bytes may be read:
    /// two loads, masked.
    @inline(__always)
    static func shortKey(readingSixteen bytes: UnsafeRawPointer, count: Int) -> ShortKey {
        let low = bytes.loadUnaligned(as: UInt64.self), high = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let lowMask: UInt64 = ~(~0 << (8 * min(count, 8))), highMask: UInt64 = ~(~0 << (8 * max(count - 8, 0)))
        return ShortKey(low: low & lowMask, high: high & highMask | UInt64(count + 1) << 56)
    }

    /// The hash of a text, from its key when it has one.
    @inline(__always)
    func hash(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 { hash(text, key: Self.shortKey(text)) }

    /// The hash of `text` whose key (`shortKey`) is `key`. (Not `key.map(hash)`: a method taken
    /// as a closure copies the table into it, an allocation per field.)
    @inline(__always)
    func hash(_ text: UnsafeBufferPointer<UInt8>, key: ShortKey?) -> UInt64 {
        if let key { hash(key) } else { hash(longText: text) }
    }

    /// The hash of a short text by its key: each word mixed in by a multiplication. The CSV
    /// kernel's `level_code` (CSVRecords.c) computes it, and probes `slots`, the same way: a
    /// change here is a change there (`testLooksUpShortTextsInTheLevelsGiven` fails otherwise).
    @inline(__always)
    func hash(_ key: ShortKey) -> UInt64 {
        var hash = (seed ^ key.low) &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 29
        hash = (hash ^ key.high) &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 32
        return hash
    }

    /// A 64-bit hash of a text longer than `shortLength`, eight bytes at a time, the last part
    /// as one word ending at the last byte.
    @inline(__always)
    private func hash(longText text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = seed ^ UInt64(text.count)
        let raw = UnsafeRawPointer(text.baseAddress!)
        var offset = 0
        while offset + 8 <= text.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 29
            offset += 8
        }
        let tail = offset == text.count ? 0 : raw.loadUnaligned(fromByteOffset: text.count - 8, as: UInt64.self)
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 32
        return hash
    }
}
