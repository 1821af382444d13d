import Diagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a pipe or file: no prompt is written and history is not kept. Reads the
/// descriptor itself, once it is ready or Ctrl-C is pressed (`Interruption.waitForInput`),
/// rather than through `Swift.readLine`: with the shell's SIGINT handler (no SA_RESTART, so a
/// blocked read returns at Ctrl-C), `readLine` retried an interrupted read forever, on a stream
/// whose error flag made every retry fail at once; and a signal taken by another thread left it
/// waiting for input.
public final class PlainLineReader: LineReading {
    private let descriptor: Int32
    /// Bytes read and not yet returned as lines, from `start` on.
    private var buffered: [UInt8] = []
    private var start = 0
    private var reachedEnd = false

    public init(descriptor: Int32 = STDIN_FILENO) {
        self.descriptor = descriptor
    }

    /// The next line without its LF or CRLF (its bytes decoded as UTF-8, an invalid byte as
    /// U+FFFD), the last one also without; `.endOfInput` after it; `.interrupted` at Ctrl-C while
    /// waiting for input (the request left for the caller to see). A read error ends the input.
    public func readLine(prompt: String) -> LineEvent {
        while true {
            if let newline = buffered[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let end = newline > start && buffered[newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
                return .line(take(upTo: end, resumingAt: newline + 1))
            }
            if reachedEnd {
                return start < buffered.count ? .line(take(upTo: buffered.count, resumingAt: buffered.count)) : .endOfInput
            }
            if start > 0 {
                buffered.removeFirst(start)
                start = 0
            }
            guard Interruption.waitForInput(on: descriptor) else { return .interrupted }
            let chunk = 1 << 16
            buffered.reserveCapacity(buffered.count + chunk)
            let count = buffered.count
            buffered.append(contentsOf: repeatElement(0, count: chunk))
            let read = buffered.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + count, chunk) }
            buffered.removeLast(chunk - max(read, 0))
            if read == 0 || (read < 0 && errno != EINTR) { reachedEnd = true }
        }
    }

    private func take(upTo end: Int, resumingAt next: Int) -> String {
        let line = String(decoding: buffered[start..<end], as: UTF8.self)
        start = next
        return line
    }

    public func addToHistory(_ entry: String) {}
}

/// POSIX `read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}
