import CZlib
import Diagnostics

/// The decompressed bytes of a gzip file (RFC 1952; several members one after another, as
/// `cat a.gz b.gz` makes them, read as one), as `FileByteSource` reads it: a block at a time,
/// never the whole file in memory. Damaged data, or a file cut short inside a member, fails
/// with one line naming the file.
final class GzipInflater {
    /// Whether `bytes`, a file's first two, open a gzip file.
    static func isGzip(_ bytes: (UInt8, UInt8)) -> Bool { bytes == (0x1F, 0x8B) }

    private let path: String
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    /// Whether a member has begun and not yet ended: the file may end only between members.
    private var insideMember = false
    private var ended = false

    init(path: String) throws {
        self.path = path
        input = .allocate(byteCount: 256 << 10, alignment: 16)
        // 15 + 16: a window of 2^15 bytes, in gzip's wrapping.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            input.deallocate()
            throw ModelshError.cannotRead(path, reason: "zlib could not start decompressing it")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    /// Starts again from the file's first byte.
    func rewind() {
        inflateReset(&stream)
        stream.avail_in = 0
        insideMember = false
        ended = false
    }

    /// Fills as much of `output` as the file has left, taking compressed bytes from
    /// `readCompressed` (0 at the file's end); 0 at the end.
    func read(into output: UnsafeMutableRawBufferPointer, readCompressed: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Int {
        guard let base = output.baseAddress, !ended else { return 0 }
        var produced = 0
        while produced < output.count {
            if stream.avail_in == 0 {
                let count = try readCompressed(input)
                guard count > 0 else {
                    guard !insideMember else { throw ModelshError.cannotRead(path, reason: "the gzip data ends early: is the file cut short?") }
                    ended = true
                    break
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = UInt32(count)
            }
            let room = min(output.count - produced, Int(UInt32.max))
            stream.next_out = (base + produced).assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(room)
            let (inputBefore, status) = (stream.avail_in, inflate(&stream, Z_NO_FLUSH))
            produced += room - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                // The next member, if any, starts where this one ended.
                inflateReset(&stream)
                insideMember = false
            case Z_OK:
                insideMember = true
            case Z_BUF_ERROR where stream.avail_in == 0 || stream.avail_in < inputBefore:
                insideMember = true
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw ModelshError.cannotRead(path, reason: "the gzip data is damaged: \(reason)")
            }
        }
        return produced
    }
}
