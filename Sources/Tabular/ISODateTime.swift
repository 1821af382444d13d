/// Dates and times written as ISO 8601 (`2024-03-01`, `2024-03-01 14:30`,
/// `2024-03-01T14:30:05.25Z`), the text that `<`, `<=`, `>` and `>=` order in expressions.
///
/// modelsh has no date type: a column of dates is text (or categorical), as pandas and R read
/// it without being told. Ordering text in general would be a trap (`"10" < "9"`, `"normal" <
/// "obese"`), and other date forms do not order by their characters (`03/01/2024`), so only
/// these compare, in time order: a date alone is midnight, a missing second is 0, a fraction
/// of a second may have any number of digits, and `T` or one space sits between date and
/// time; a final `Z` (UTC) is allowed. Offsets such as `+01:00` are not, since comparing them
/// would need the instant, not the text.
public enum ISODateTime {
    /// A key that orders as the moment `text` names (`2024-03-01T14:30:00` with the fraction's
    /// digits after), or nil when `text` is not such a date or time.
    public static func sortKey(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        if bytes.last == UInt8(ascii: "Z"), bytes.count >= 17 { bytes.removeLast() }
        guard bytes.count >= 10, field(bytes, 0, 4) != nil, bytes[4] == dash, (1...12).contains(field(bytes, 5, 2) ?? 0),
              bytes[7] == dash, (1...31).contains(field(bytes, 8, 2) ?? 0) else { return nil }
        let date = String(decoding: bytes[0..<10], as: UTF8.self)
        guard bytes.count > 10 else { return date + "T00:00:00" }
        // Then a time: T or one space, HH:MM, optionally :SS and a fraction.
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes.count == 16 || bytes.count >= 19,
              (0...23).contains(field(bytes, 11, 2) ?? -1), bytes[13] == colon, (0...59).contains(field(bytes, 14, 2) ?? -1) else { return nil }
        let minutes = String(decoding: bytes[11..<16], as: UTF8.self)
        guard bytes.count > 16 else { return date + "T" + minutes + ":00" }
        guard bytes[16] == colon, (0...60).contains(field(bytes, 17, 2) ?? -1) else { return nil }
        let seconds = String(decoding: bytes[11..<19], as: UTF8.self)
        guard bytes.count > 19 else { return date + "T" + seconds }
        // A fraction: its digits without trailing zeros, so 0.5 and 0.50 are one moment.
        var fraction = bytes[20...]
        guard bytes[19] == UInt8(ascii: "."), !fraction.isEmpty, fraction.allSatisfy(isDigit) else { return nil }
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        return date + "T" + seconds + (fraction.isEmpty ? "" : "." + String(decoding: fraction, as: UTF8.self))
    }

    private static let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The number in `bytes[start..<start + count]`, all of them digits; nil otherwise.
    private static func field(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<start + count] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
