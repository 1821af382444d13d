/// The single-byte encodings `load … encoding=` reads besides UTF-8: Excel's "CSV (comma
/// delimited)" on Windows is saved in the ANSI code page, Windows-1252 in western Europe and the
/// Americas (pandas reads it with `encoding="cp1252"`), and older tools write ISO 8859-1.
/// Such a file is transcoded to UTF-8 whole, then read as any other.
public enum SingleByteEncoding: String, CaseIterable, Sendable {
    case cp1252, latin1

    /// Windows-1252's characters for the bytes 0x80–0x9F, where it differs from ISO 8859-1
    /// (whose bytes there are C1 controls). The five bytes it leaves undefined stay C1 controls,
    /// as the WHATWG Encoding Standard maps them.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// `bytes` in this encoding, as UTF-8. ASCII stays as it is, so the separators, quotes and
    /// line breaks the reader looks for are where they were.
    public func utf8(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            guard byte >= 0x80 else { result.append(byte); continue }
            let code = self == .cp1252 && byte < 0xA0 ? Self.windows1252High[Int(byte - 0x80)] : UInt32(byte)
            // Every code here is below U+10000: two UTF-8 bytes below U+0800, three above.
            if code < 0x800 {
                result += [UInt8(0xC0 | code >> 6), UInt8(0x80 | code & 0x3F)]
            } else {
                result += [UInt8(0xE0 | code >> 12), UInt8(0x80 | (code >> 6) & 0x3F), UInt8(0x80 | code & 0x3F)]
            }
        }
        return result
    }
}

extension CSVReader {
    /// Reads the file at `path`, written in `encoding`: the whole file in memory, transcoded.
    public static func read(path: String, encoding: SingleByteEncoding, options: CSVOptions = CSVOptions()) throws -> Dataset {
        try read(bytes: encoding.utf8(try FileByteSource.contents(of: path)), sourceName: path, options: options)
    }
}
