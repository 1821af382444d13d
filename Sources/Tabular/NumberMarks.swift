/// Numbers written with a locale's marks: a decimal comma (`1,5`), as a spreadsheet in a
/// European locale saves CSV (fields separated by `;`), or a thousands separator (`1,234.5`,
/// `12 000`, `1.234,5`). Read with the default marks, such a column is categories or text, as
/// R's `read.csv` and pandas without `decimal=','` or `thousands=','` would take it (and with
/// a point as the thousands separator, `1.200` would be 1.2). `load … decimal=","` and
/// `thousands="."` have the reader parse every field with them (`CSVOptions.numberMarks`; its
/// fast path is for the default marks only); without them, `load` names the columns that
/// another writing would read as numbers, with the options that do.
public struct NumberMarks: Sendable, Equatable {
    /// `.` or `,`.
    public var decimal: UInt8
    /// Between groups of three digits of the integer part; nil for none.
    public var thousands: UInt8?

    public init(decimal: UInt8 = UInt8(ascii: "."), thousands: UInt8? = nil) {
        precondition(decimal != thousands, "the decimal mark and the thousands separator differ")
        self.decimal = decimal
        self.thousands = thousands
    }

    /// The categorical and text columns of `data` that have a value and whose every value is a
    /// number written so: what `load` read as text for want of these marks.
    public func columns(in data: Dataset) -> [String] {
        data.columns.filter(holdsNumbers).map(\.name)
    }

    /// Another way of writing numbers than a reading's: its marks, how it writes them, and the
    /// `load` options that read it.
    public struct Alternative: Sendable {
        public let marks: NumberMarks
        public let writing: String
        public let options: String
    }

    /// The other writings to look for in the columns a reading with these marks took for text:
    /// a decimal comma (not in a comma-separated file, whose quoted "1,5" is more likely 15
    /// with grouped digits; `separator` nil: unknown), digits grouped by the other of comma and
    /// point, and both together (1.234,5). None once a thousands separator is given.
    public func alternatives(separator: UInt8?) -> [Alternative] {
        let comma = UInt8(ascii: ","), point = UInt8(ascii: ".")
        guard thousands == nil else { return [] }
        let european = Alternative(marks: NumberMarks(decimal: comma, thousands: point), writing: "with digits grouped and a decimal comma (1.234,5)",
                                   options: "decimal=\",\" thousands=\".\"")
        guard decimal == point else { return [Alternative(marks: european.marks, writing: "with digits grouped (1.234,5)", options: "thousands=\".\"")] }
        return (separator == comma ? [] : [Alternative(marks: NumberMarks(decimal: comma), writing: "with a decimal comma (1,5)", options: "decimal=\",\"")])
            + [Alternative(marks: NumberMarks(thousands: comma), writing: "with digits grouped (1,234.5)", options: "thousands=\",\""), european]
    }

    /// Whether `column` is categorical or text, has a value, and every value is a number
    /// written with these marks.
    public func holdsNumbers(_ column: Column) -> Bool {
        guard column.count > column.missingCount else { return false }
        switch column.storage {
        case .categories(let codes, let levels):
            // Each level parsed when a row first needs it, so a column of text (a code of 10,000
            // levels, say) is told by its first value rather than by all its levels.
            var readable = [Bool?](repeating: nil, count: levels.count)
            return codes.indices.allSatisfy { row in
                guard !column.isMissing(row) else { return true }
                let code = Int(codes[row])
                if readable[code] == nil { readable[code] = number(levels[code]) != nil }
                return readable[code]!
            }
        case .strings(let texts):
            return texts.indices.allSatisfy { column.isMissing($0) || number(texts[$0]) != nil }
        case .numbers:
            return false
        }
    }

    /// `text` (trimmed of spaces and tabs, as `load` trims a field) as a number with at most one
    /// decimal mark and, with a thousands separator, the integer part's digits grouped by threes
    /// after a first group of one to three (`1,234,567`; or not grouped at all: `1234`): `1,5`
    /// with a decimal comma; `-1,234.5e3` and `7` with a thousands comma; never `1,23,456`.
    func number(_ text: String) -> DecimalParser.Number? {
        var bytes = Array(text.utf8)
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        return bytes.withUnsafeBufferPointer(number)
    }

    /// `number(_:)` of a field already trimmed; with the default marks, `DecimalParser.parse`.
    @inline(__always)
    func number(_ bytes: UnsafeBufferPointer<UInt8>) -> DecimalParser.Number? {
        if decimal == UInt8(ascii: "."), thousands == nil { return DecimalParser.parse(bytes) }
        let other = decimal == UInt8(ascii: ".") ? UInt8(ascii: ",") : UInt8(ascii: ".")
        // The other of point and comma may appear only as the thousands separator.
        guard thousands == other || !bytes.contains(other) else { return nil }
        guard bytes.count(where: { $0 == decimal }) <= 1 else { return nil }
        var plain: [UInt8] = []
        plain.reserveCapacity(bytes.count)
        let integerEnd = bytes.firstIndex { $0 == decimal || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? bytes.count
        if let thousands {
            // Groups: the first of one to three digits (after a sign), then separator and three.
            var digitsInGroup = 0, groups = 0
            for (i, byte) in bytes[..<integerEnd].enumerated() {
                if byte == thousands {
                    guard digitsInGroup >= 1, groups == 0 ? digitsInGroup <= 3 : digitsInGroup == 3 else { return nil }
                    (digitsInGroup, groups) = (0, groups + 1)
                } else {
                    if i > 0 || (byte != UInt8(ascii: "-") && byte != UInt8(ascii: "+")) { digitsInGroup += 1 }
                    plain.append(byte)
                }
            }
            guard groups == 0 || digitsInGroup == 3 else { return nil }
        } else {
            plain += bytes[..<integerEnd]
        }
        for byte in bytes[integerEnd...] {
            guard byte != thousands else { return nil }
            plain.append(byte == decimal ? UInt8(ascii: ".") : byte)
        }
        return plain.withUnsafeBufferPointer { DecimalParser.parse($0) }
    }
}
