/// XXH64 (Yann Collet's xxHash, 64-bit, seed 0): the checksum of every stored block of a
/// workspace (format 5) and of a model file's payload. It is a public, well-specified hash
/// (github.com/Cyan4973/xxHash, doc/xxhash_spec.md) that other tools compute
/// (`python3 -c "import xxhash"`, `xxhsum`), and runs at several GB/s in plain Swift (four
/// independent multiply-rotate lanes), so checking a large workspace costs little next to
/// reading it. It detects corruption, not forgery: anyone can recompute it.
///
/// Streaming: `add` any number of byte runs; the value is that of their concatenation.
struct Checksum {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (prime1 &+ prime2, prime2, 0, 0 &- prime1)
    private var totalLength: UInt64 = 0
    /// Bytes not yet making a whole 32-byte stripe (at most 31 are kept between calls).
    private var pending: [UInt8] = []

    init() {
        pending.reserveCapacity(32)
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        totalLength &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let taken = min(32 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0 ..< taken])
            offset = taken
            guard pending.count == 32 else { return }
            pending.withUnsafeBytes { consumeStripes($0, count: 1) }
            pending.removeAll(keepingCapacity: true)
        }
        let stripes = (bytes.count - offset) / 32
        if stripes > 0 {
            consumeStripes(UnsafeRawBufferPointer(rebasing: bytes[offset...]), count: stripes)
            offset += stripes * 32
        }
        pending.append(contentsOf: bytes[offset...])
    }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    /// The hash of everything added.
    var value: UInt64 {
        var hash: UInt64
        if totalLength >= 32 {
            let (v1, v2, v3, v4) = lanes
            hash = Self.rotate(v1, 1) &+ Self.rotate(v2, 7) &+ Self.rotate(v3, 12) &+ Self.rotate(v4, 18)
            for lane in [v1, v2, v3, v4] {
                hash = (hash ^ Self.round(0, lane)) &* Self.prime1 &+ Self.prime4
            }
        } else {
            hash = Self.prime5
        }
        hash &+= totalLength
        pending.withUnsafeBytes { tail in
            var offset = 0
            while tail.count - offset >= 8 {
                hash ^= Self.round(0, tail.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
                hash = Self.rotate(hash, 27) &* Self.prime1 &+ Self.prime4
                offset += 8
            }
            if tail.count - offset >= 4 {
                hash ^= UInt64(tail.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian) &* Self.prime1
                hash = Self.rotate(hash, 23) &* Self.prime2 &+ Self.prime3
                offset += 4
            }
            while offset < tail.count {
                hash ^= UInt64(tail[offset]) &* Self.prime5
                hash = Self.rotate(hash, 11) &* Self.prime1
                offset += 1
            }
        }
        hash ^= hash >> 33
        hash &*= Self.prime2
        hash ^= hash >> 29
        hash &*= Self.prime3
        hash ^= hash >> 32
        return hash
    }

    /// The value as 16 lowercase hex digits, as the workspace and model files store it.
    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The checksum of one run of bytes, as hex.
    static func hex(of bytes: UnsafeRawBufferPointer) -> String {
        var checksum = Checksum()
        checksum.add(bytes)
        return checksum.hex
    }

    /// The checksum of texts' UTF-8 with a NUL byte between each two, as hex (a cell is its
    /// input and output; an archive is one text).
    static func hex(joining texts: String...) -> String {
        var checksum = Checksum()
        for (index, text) in texts.enumerated() {
            if index > 0 { withUnsafeBytes(of: UInt8(0)) { checksum.add($0) } }
            checksum.add(text)
        }
        return checksum.hex
    }

    // MARK: - XXH64 steps

    private mutating func consumeStripes(_ bytes: UnsafeRawBufferPointer, count: Int) {
        var (v1, v2, v3, v4) = lanes
        var offset = 0
        for _ in 0 ..< count {
            v1 = Self.round(v1, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
            v2 = Self.round(v2, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self).littleEndian)
            v3 = Self.round(v3, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self).littleEndian)
            v4 = Self.round(v4, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self).littleEndian)
            offset += 32
        }
        lanes = (v1, v2, v3, v4)
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotate(accumulator &+ input &* prime2, 31) &* prime1
    }

    @inline(__always)
    private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 {
        (value << bits) | (value >> (64 - bits))
    }
}

extension SQLiteDatabase {
    /// Fails with one line naming the block (e.g. "dataset 'd', column 'x'") when the checksum
    /// stored with it differs from that of its contents.
    func checkSum(_ stored: String, _ computed: String, of block: String) throws {
        guard stored == computed else {
            throw failure(message: "\(block) does not match its checksum (stored \(StoredNames.quoted(stored)), computed '\(computed)')")
        }
    }
}
