import CKernels

/// The reader's fast path for runs of records whose every field is a plain decimal number, the
/// bulk of a numeric data file: a C kernel (`msh_csv_number_records`) classifies the bytes 64 at
/// a time by vector compares and converts each field's digits together, about a third less CPU
/// a value than the field-by-field path (`CSVTokenizer.plainNumber`). It reads the same numbers
/// (each correctly rounded, as `DecimalParser`) and stops before any record it does not take
/// whole (a quote, a blank field, an exponent, more than 15 digits, a lone CR, the last few
/// kilobytes of the bytes), which the field-by-field path then reads; where it keeps stopping
/// early it rests, so a file it does not suit costs it nothing.
struct CSVNumberRecords {
    private let columns: Int
    /// Records per call: the values of a batch (column after column) stay in the core's cache.
    private let capacity: Int
    private var values: [Double]
    private var hasPoint: [UInt8]
    /// Records to leave to the field-by-field path before trying again, and how long the last rest was.
    private var rest = 0, lastRest = 0
    /// Set for good once a column no longer takes numbers (a column never turns back).
    private var done = false

    /// Nil where the kernel cannot read the file (other number marks, numbers as missing
    /// markers, or a separator that could be part of a number or a line end) or is not to.
    init?(columns: Int, format: CSVFormat) {
        let separator = format.separator
        guard format.readsNumberRuns, columns > 0, !format.missingMarkers.includeNumbers, format.numberMarks == NumberMarks(),
              !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(separator),
              ![UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(separator) else { return nil }
        self.columns = columns
        capacity = min(1024, max(16, 32768 / columns))
        values = [Double](repeating: 0, count: columns * capacity)
        hasPoint = [UInt8](repeating: 0, count: columns)
    }

    /// Reads plain-number records from the tokenizer's current record on (not past `limit`) into
    /// `builders`, leaving the tokenizer after them with no record started; returns how many it read.
    mutating func read(_ tokenizer: inout CSVTokenizer, into builders: UnsafeMutableBufferPointer<ColumnBuilder>, limit: Int) -> Int {
        if done { return 0 }
        if rest > 0 {
            rest -= 1
            return 0
        }
        guard builders.allSatisfy(\.takesNumbers) else {
            done = true
            return 0
        }
        var rows = 0
        let bytes = tokenizer.bytes
        let end = values.withUnsafeMutableBufferPointer { values in
            hasPoint.withUnsafeMutableBufferPointer { hasPoint in
                hasPoint.update(repeating: 0)
                return msh_csv_number_records(bytes.baseAddress, bytes.count, tokenizer.recordStart, limit, tokenizer.separator,
                                              columns, capacity, values.baseAddress, hasPoint.baseAddress, &rows)
            }
        }
        // A run that stops within a few records is not worth the window's classification: rest
        // longer each time, up to 4096 records.
        if rows < 64 {
            lastRest = min(4096, max(1, 2 * lastRest))
            rest = lastRest
        } else {
            lastRest = 0
        }
        guard rows > 0 else { return 0 }
        values.withUnsafeBufferPointer { values in
            for column in 0..<columns {
                let start = column * capacity
                builders[column].appendNumbers(UnsafeBufferPointer(rebasing: values[start ..< start + rows]), anyHasPoint: hasPoint[column] != 0)
            }
        }
        tokenizer.skipOneLineRecords(to: end, count: rows)
        return rows
    }
}
