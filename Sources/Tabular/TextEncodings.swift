import Diagnostics

/// Writing a value as one CSV field (RFC 4180), shared by `write` and `set format csv`.
public enum CSVText {
    /// `text` as a field: quoted, with quotes doubled, when it holds the separator, a quote, a
    /// line break, or space or tab at either end (which a reader might trim); else as it is.
    public static func field(_ text: String, separator: UInt8 = UInt8(ascii: ",")) -> String {
        var field: [UInt8] = []
        Array(text.utf8).withUnsafeBufferPointer { append($0, separator: separator, to: &field) }
        return String(decoding: field, as: UTF8.self)
    }

    /// Appends the UTF-8 `text` as a field (as `field`) to `bytes`.
    static func append(_ text: UnsafeBufferPointer<UInt8>, separator: UInt8 = UInt8(ascii: ","), to bytes: inout [UInt8]) {
        let needsQuotes = text.contains { $0 == separator || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            || text.first.map(isBlank) == true || text.last.map(isBlank) == true
        guard needsQuotes else { return bytes.append(contentsOf: text) }
        bytes.append(UInt8(ascii: "\""))
        for byte in text {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}

/// Writing JSON text by hand, so keys keep their order and numbers keep their spelling.
public enum JSONText {
    /// `text` as a JSON string. Besides what JSON requires (quote, backslash, C0 controls), every
    /// character a terminal would act on (`TerminalText.actsOnTerminal`: DEL, C1 controls,
    /// bidirectional and zero-width marks) is written as `\uXXXX`, so JSON printed to a terminal
    /// is as safe as a table, and still reads back as the same text.
    public static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where TerminalText.actsOnTerminal(scalar):
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Appends the UTF-8 `text` as a JSON string (as `string`) to `bytes`: printable ASCII
    /// without a quote or backslash, most text, as it is between quotes, without a `String`.
    static func append(_ text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        guard text.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
            return bytes.appendUTF8(string(String(decoding: text, as: UTF8.self)))
        }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: text)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether `text` is a number in JSON's grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    public static func isNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
