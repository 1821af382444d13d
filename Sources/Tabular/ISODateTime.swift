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
    /// offset east of UTC, made UTC. Nil when the year leaves 0000–9999, which keys cannot order.
    private static func shifted(_ key: String, byMinutes minutes: Int) -> String? {
        let bytes = Array(key.utf8)
        guard let year = field(bytes, 0, 4), let month = field(bytes, 5, 2), let day = field(bytes, 8, 2),
              let hour = field(bytes, 11, 2), let minute = field(bytes, 14, 2) else { return nil }
        let total = daysSinceEpoch(year: year, month: month, day: day) * 1440 + hour * 60 + minute - minutes
        let days = total >= 0 ? total / 1440 : (total - 1439) / 1440
        let minuteOfDay = total - days * 1440
        let date = civilDate(daysSinceEpoch: days)
        guard (0...9999).contains(date.year) else { return nil }
        return padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2) + "T"
            + padded(minuteOfDay / 60, 2) + ":" + padded(minuteOfDay % 60, 2) + String(decoding: bytes[16...], as: UTF8.self)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (Hinnant's civil_from_days).
    private static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
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
