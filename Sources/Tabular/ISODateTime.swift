import Foundation

/// Dates and times written as ISO 8601 (`2024-03-01`, `2024-03-01 14:30`,
/// `2024-03-01T14:30:05.25Z`), the text that `<`, `<=`, `>` and `>=` order in expressions.
///
/// modelsh has no date type: a column of dates is text (or categorical), as pandas and R read
/// it without being told. Ordering text in general would be a trap (`"10" < "9"`, `"normal" <
/// "obese"`), and other date forms do not order by their characters (`03/01/2024`), so only
/// these compare, in time order: a date alone is midnight, a missing second is 0, a fraction
/// of a second may have any number of digits, the day must exist in its month (2023-02-29 is
/// no date), and `T` or one space sits between date and time. A time may end in `Z` or in an
/// offset from UTC (`+01:00`, `+0100`, `+01`, `-05:30`): it then orders as the instant in UTC
/// (`2024-03-01T10:00+01:00` is `2024-03-01T09:00Z`), and a time without either is taken as UTC.
public enum ISODateTime {
    /// A key that orders as the moment `text` names (`2024-03-01T14:30:00` with the fraction's
    /// digits after, in UTC when the text gives an offset), or nil when `text` is not such a date
    /// or time.
    public static func sortKey(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        // An offset follows a time, so it starts after HH:MM (a date's own dashes come before).
        if bytes.count > 16, let sign = bytes[16...].lastIndex(where: { $0 == plus || $0 == dash }) {
            guard bytes[sign - 1] != UInt8(ascii: "Z"), let minutes = offsetMinutes(bytes[(sign + 1)...]),
                  let local = sortKey(String(decoding: bytes[..<sign], as: UTF8.self)) else { return nil }
            return shifted(local, byMinutes: bytes[sign] == dash ? -minutes : minutes)
        }
        if bytes.last == UInt8(ascii: "Z"), bytes.count >= 17 { bytes.removeLast() }
        guard bytes.count >= 10, let year = field(bytes, 0, 4), bytes[4] == dash, let month = field(bytes, 5, 2), (1...12).contains(month),
              bytes[7] == dash, let day = field(bytes, 8, 2), (1...daysIn(month, of: year)).contains(day) else { return nil }
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

    private static let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":"), plus = UInt8(ascii: "+")

    /// The minutes of an offset written `HH:MM`, `HHMM` or `HH` (after its sign), at most 23:59.
    private static func offsetMinutes(_ text: ArraySlice<UInt8>) -> Int? {
        let digits = Array(text)
        let hours: Int?, minutes: Int?
        switch digits.count {
        case 2: (hours, minutes) = (field(digits, 0, 2), 0)
        case 4: (hours, minutes) = (field(digits, 0, 2), field(digits, 2, 2))
        case 5 where digits[2] == colon: (hours, minutes) = (field(digits, 0, 2), field(digits, 3, 2))
        default: return nil
        }
        guard let hours, let minutes, hours <= 23, minutes <= 59 else { return nil }
        return hours * 60 + minutes
    }

    /// The key `key` (of a date and time) for the moment `minutes` earlier: local time at an
    /// offset east of UTC, made UTC by the C library's calendar (timegm and gmtime_r, as
    /// registry times are written). Nil when the year leaves 0000–9999, which keys cannot order.
    private static func shifted(_ key: String, byMinutes minutes: Int) -> String? {
        let bytes = Array(key.utf8)
        guard let year = field(bytes, 0, 4), let month = field(bytes, 5, 2), let day = field(bytes, 8, 2),
              let hour = field(bytes, 11, 2), let minute = field(bytes, 14, 2) else { return nil }
        var parts = tm()
        (parts.tm_year, parts.tm_mon, parts.tm_mday) = (Int32(year - 1900), Int32(month - 1), Int32(day))
        (parts.tm_hour, parts.tm_min) = (Int32(hour), Int32(minute))
        var instant = timegm(&parts) - time_t(minutes * 60)
        guard gmtime_r(&instant, &parts) != nil, (0 ... 9999).contains(Int(parts.tm_year) + 1900) else { return nil }
        return String(format: "%04d-%02d-%02dT%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min)) + String(decoding: bytes[16...], as: UTF8.self)
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

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
