import Foundation

/// A guess, from a file's first line, that its fields are separated by something other than the
/// separator it is read with. A tab- or semicolon-separated file read with the default comma
/// loads as one column, or fails with a message about a header holding a tab or a row with too
/// many fields (a quoted text holding a comma), and neither says why; this names the `sep=`.
public enum SeparatorGuess {
    /// The separators guessed, with their names in messages.
    static let candidates: [(byte: UInt8, written: String, plural: String)] = [
        (UInt8(ascii: ","), ",", "commas"), (UInt8(ascii: "\t"), "\\t", "tabs"),
        (UInt8(ascii: ";"), ";", "semicolons"), (UInt8(ascii: "|"), "|", "bars"),
    ]
    /// The first line is looked for in this many bytes at most.
    static let sampleSize = 65_536

    /// Why the file at `path` may be misread with `separator`, naming the `sep=` to use: nil
    /// unless its first line holds none of `separator` outside quotes but some of another
    /// candidate (the commonest), or when it is not a regular file that can be read.
    public static func hint(path: String, separator: UInt8) -> String? {
        // Opening a FIFO would wait for a writer; only regular files are looked at.
        guard (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeRegular,
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let sample = try? handle.read(upToCount: sampleSize) else { return nil }
        return hint(firstBytes: Array(sample), separator: separator)
    }

    /// `hint(path:separator:)` for the file's first bytes.
    static func hint(firstBytes: [UInt8], separator: UInt8) -> String? {
        var counts = [UInt8: Int](), quoted = false
        // The first line of records: after Excel's `sep=X` line, when there is one.
        let start = firstBytes.withUnsafeBufferPointer { CSVReading.declaredSeparator(in: $0, complete: true)?.end } ?? 0
        for byte in firstBytes[start...] {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted {
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                counts[byte, default: 0] += 1
            }
        }
        guard counts[separator] == nil,
              let best = candidates.filter({ $0.byte != separator && counts[$0.byte] != nil }).max(by: { counts[$0.byte]! < counts[$1.byte]! })
        else { return nil }
        let used = candidates.first { $0.byte == separator }?.plural ?? "'\(Character(UnicodeScalar(separator)))'"
        let count = counts[best.byte]!
        return "the file's first line has no \(used) but \(count) \(count == 1 ? String(best.plural.dropLast()) : best.plural): sep=\"\(best.written)\" reads it"
    }
}
