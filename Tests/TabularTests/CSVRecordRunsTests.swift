import CKernels
import Numerics
@testable import Tabular
import XCTest

/// The reader's vector kernel for runs of one-line records (`msh_csv_records`, driven by
/// `CSVRecordRuns`) must take exactly the records it documents, read each number as a correctly
/// rounded parse does, delimit other fields as the tokenizer does, and leave the rest to the
/// field-by-field path, so that a file reads the same with it as without it — in its vector
/// variant and in its word variant.
final class CSVRecordRunsTests: XCTestCase {
    override func tearDown() {
        msh_kernels_prefer_baseline(0)
    }

    /// Runs `body` once with the kernel's best variant for this CPU and once with its word variant.
    private func inEveryVariant(_ body: (String) throws -> Void) rethrows {
        for baseline in [false, true] {
            msh_kernels_prefer_baseline(baseline ? 1 : 0)
            try body(baseline ? "word variant" : "best variant")
        }
    }

    /// The kernel on one record of two fields followed by enough plain records for a window:
    /// the record's values and which columns had a point, or nil when it stops before it.
    private func firstRecord(_ record: String, emptyIsMissing: Bool = true) -> (values: [Double], hasPoint: [Bool])? {
        guard let read = kernel(record, numeric: [1, 1], emptyIsMissing: emptyIsMissing) else { return nil }
        return (read.values, read.flags.map { $0 & UInt8(MSH_CSV_POINT) != 0 })
    }

    /// The kernel on `record` (of as many fields as `numeric` has columns) and the records after it.
    private func kernel(_ record: String, numeric: [UInt8], emptyIsMissing: Bool = true, options: Int32? = nil)
        -> (values: [Double], texts: [String?], flags: [UInt8], lines: Int)? {
        let options = options ?? (emptyIsMissing ? Int32(MSH_CSV_EMPTY_IS_MISSING | MSH_CSV_NA_IS_MISSING) : 0)
        let filler = numeric.map { _ in "7" }.joined(separator: ",") + "\n"
        let bytes = Array((record + String(repeating: filler, count: 2000)).utf8)
        let columns = numeric.count
        var values = [Double](repeating: 0, count: columns)
        var spans = [Int](repeating: -1, count: 2 * columns)
        var flags = [UInt8](repeating: 0, count: columns)
        var (rows, lines) = (0, 0)
        let end = DecimalParser.withPowersOfFive { five in
            msh_csv_records(bytes, bytes.count, 0, bytes.count, UInt8(ascii: ","), columns, numeric, options, five, 1,
                            &values, &spans, &flags, nil, nil, &rows, &lines)
        }
        if rows == 0 {
            XCTAssertEqual(end, 0, "a stop leaves the position at the record: \(record.debugDescription)")
            return nil
        }
        XCTAssertEqual(rows, 1)
        XCTAssertEqual(end, record.utf8.count, "the position after \(record.debugDescription)")
        let texts = (0..<columns).map { column -> String? in
            guard numeric[column] == 0 else { return nil }
            let (start, length) = (spans[2 * column], spans[2 * column + 1])
            XCTAssertEqual(length < 0, flags[column] & UInt8(MSH_CSV_DOUBLED_QUOTES) != 0, "doubled quotes flagged")
            // A length given as ~length: the contents hold doubled quotes, each read as one.
            let contents = String(decoding: bytes[start ..< start + (length < 0 ? ~length : length)], as: UTF8.self)
            return length < 0 ? contents.replacingOccurrences(of: "\"\"", with: "\"") : contents
        }
        return (values, texts, flags, lines)
    }

    func testTakesPlainNumbersExactlyAsWritten() {
        inEveryVariant { variant in
            let cases: [(String, [Double], [Bool])] = [
                ("1,2\n", [1, 2], [false, false]),
                ("-1,2.5\n", [-1, 2.5], [false, true]),
                ("0.1,.5\n", [0.1, 0.5], [true, true]),
                ("5.,-0.25\n", [5, -0.25], [true, true]),
                ("123456789012345,1\n", [123_456_789_012_345, 1], [false, false]),
                ("1.23456789012345,-99999.9999999999\n", [1.23456789012345, -99999.9999999999], [true, true]),
                ("-0.00000000000001,007\n", [-0.00000000000001, 7], [true, false]),
                ("3.14159,2.71828\r\n", [3.14159, 2.71828], [true, true]),
                // 16 to 19 digits with a point: Python's and pandas' shortest round trip of a double.
                ("0.30000000000000004,-1.303157231604361\n", [0.30000000000000004, -1.303157231604361], [true, true]),
                ("9007199254740993.0,1.000000000000000000\n", [9_007_199_254_740_992, 1], [true, true]),
                ("0.0000000000000001,-0.000000000000000001\n", [1e-16, -1e-18], [true, true]),
            ]
            for (record, values, hasPoint) in cases {
                guard let read = firstRecord(record) else {
                    XCTFail("\(variant): stopped before \(record.debugDescription)")
                    continue
                }
                XCTAssertEqual(read.values.map(\.bitPattern), values.map(\.bitPattern), "\(variant): \(record.debugDescription)")
                XCTAssertEqual(read.hasPoint, hasPoint, "\(variant): \(record.debugDescription)")
            }
            // The sign of zero is kept, as a parse keeps it.
            XCTAssertEqual(firstRecord("-0,0\n")?.values.map(\.sign), [.minus, .plus], variant)
        }
    }

    /// Decimals of 16 to 19 digits (rounded by Eisel-Lemire above 2^53) read bit for bit as
    /// Swift's correctly rounded `Double(String)` reads them, in one run of the kernel.
    func testRoundsLongDecimalsCorrectly() {
        var random = Xoshiro256StarStar(seed: 16)
        var texts = ["9007199254740993.0", "9007199254740995.0", "9999999999999999.999", "-0.000000000000000000",
                     "0.100000000000000005", "1797693134862315.7", "4.940656458412465442", "0.0000000000000000000000",
                     "-.0000000000000000000001", "0.00012345678901234567", ".0000099999999999999999"]
        while texts.count < 40_000 {
            // Below 1 with zeros leading the fraction, as Python writes small numbers, or not; at most 24 bytes.
            let digits = 16 + Int(random.nextUInt64() % 4)
            let zeros = random.nextUInt64() % 3 == 0 ? 1 + Int(random.nextUInt64() % UInt64(21 - digits)) : 0
            let point = zeros > 0 ? 0 : Int(random.nextUInt64() % UInt64(digits))
            var text = String((0..<digits).map { _ in Character(String(random.nextUInt64() % 10)) })
            text.insert(".", at: text.index(text.startIndex, offsetBy: point))
            if zeros > 0 { text = "0." + String(repeating: "0", count: zeros) + text.dropFirst() }
            texts.append(random.nextUInt64() % 2 == 0 ? "-" + text : text)
        }
        let records: [String] = stride(from: 0, to: texts.count, by: 2).map { (first: Int) -> String in
            texts[first] + "," + texts[first + 1] + "\n"
        }
        let bytes = Array((records.joined() + String(repeating: "7,7\n", count: 2000)).utf8)
        let rows = records.count
        inEveryVariant { variant in
            var values = [Double](repeating: 0, count: 2 * rows)
            var spans = [Int](repeating: 0, count: 4 * rows)
            var flags: [UInt8] = [0, 0]
            var (read, lines) = (0, 0)
            let numeric: [UInt8] = [1, 1]
            _ = DecimalParser.withPowersOfFive { five in
                msh_csv_records(bytes, bytes.count, 0, bytes.count, UInt8(ascii: ","), 2, numeric, 1, five, rows, &values, &spans, &flags, nil, nil, &read, &lines)
            }
            XCTAssertEqual(read, rows, variant)
            var wrong: [String] = []
            for row in 0..<rows {
                for column in 0..<2 {
                    let text = texts[2 * row + column]
                    if values[column * rows + row].bitPattern != Double(text)!.bitPattern { wrong.append(text) }
                }
            }
            XCTAssertEqual(wrong.count, 0, "\(variant): \(wrong.prefix(3))")
        }
    }

    func testStopsBeforeWhatItDoesNotTake() {
        inEveryVariant { variant in
            let refused = [
                "1e5,1\n", "+1,2\n", " 1,2\n", "1,2 \n", "1234567890123456,1\n", "0.10000000000000000001,1\n", "12345678901234567.,1\n", "10.000000000000000001,1\n", "-,1\n", ".,1\n",
                "-.,1\n", "1.2.3,1\n", "1-2,1\n", "--1,2\n", "\"1\",2\n", "1,2\r7,8\n", "1,2,3\n", "1\n", "NaN,1\n",
                "1,2x\n", "inf,1\n", "\n1,2\n", "1;2\n", "12345678901234567890123456,1\n",
            ]
            for record in refused {
                XCTAssertNil(firstRecord(record), "\(variant): \(record.debugDescription)")
            }
        }
    }

    /// Quoted numbers (their quotes first and last, nothing but the number between) read as the
    /// tokenizer and parser read them, where the kernel looks for quotes: always in mixed records,
    /// in records of numbers alone once told; `NA` is missing where it is a marker.
    func testQuotedNumbersAndNA() throws {
        inEveryVariant { variant in
            let mixed: [UInt8] = [1, 1, 0]
            let taken: [(String, [Double])] = [
                ("\"1.5\",\"-2\",x\n", [1.5, -2]), ("\"0.30000000000000004\",7,x\n", [0.30000000000000004, 7]),
                ("NA,\"NA\",x\n", [.nan, .nan]), ("\"\",3,x\n", [.nan, 3]),
            ]
            for (record, expected) in taken {
                let read = kernel(record, numeric: mixed)
                XCTAssertEqual(read?.values.prefix(2).map { $0.isNaN ? -1 : $0 }, expected.map { $0.isNaN ? -1 : $0 }, "\(variant): \(record.debugDescription)")
            }
            for record in ["\"1,5\",2,x\n", "\"1\n5\",2,x\n", "\"1\"\"5\",2,x\n", "\" 1\",2,x\n", "\"1.5,2,x\n", "1.5\",2,x\n"] {
                XCTAssertNil(kernel(record, numeric: mixed), "\(variant): \(record.debugDescription)")
            }
            XCTAssertNil(kernel("NA,2,x\n", numeric: mixed, options: Int32(MSH_CSV_EMPTY_IS_MISSING)), "NA not a marker: \(variant)")
            XCTAssertNil(kernel("\"1\",2\n", numeric: [1, 1]), "numbers alone, not told of quotes: \(variant)")
            XCTAssertEqual(kernel("\"1\",2\n", numeric: [1, 1], options: Int32(MSH_CSV_EMPTY_IS_MISSING | MSH_CSV_QUOTED_NUMBERS))?.values, [1, 2], variant)
        }
    }

    /// A boolean column's field is read by the kernel as 1 or 0 when the field-by-field path
    /// would read it as a boolean (true, True, TRUE, false, False, FALSE, quoted or not), missing
    /// as a number is; anything else stops the record.
    func testBooleanColumnsTakeTheBooleansOfTheFieldByFieldPath() {
        inEveryVariant { variant in
            let columns: [UInt8] = [UInt8(MSH_CSV_BOOLEAN_COLUMN), UInt8(MSH_CSV_NUMBER_COLUMN), 0]
            let taken: [(String, Double)] = [("true", 1), ("True", 1), ("TRUE", 1), ("false", 0), ("False", 0), ("FALSE", 0),
                                             ("\"true\"", 1), ("NA", .nan), ("", .nan), ("\"\"", .nan)]
            for (field, expected) in taken {
                let read = kernel(field + ",2,x\n", numeric: columns)
                XCTAssertEqual(read?.values.first.map { $0.isNaN ? -1 : $0 }, expected.isNaN ? -1 : expected, "\(variant): \(field)")
                XCTAssertEqual(read.map { $0.flags[0] & UInt8(MSH_CSV_NUMBER) != 0 }, !expected.isNaN, "\(variant): \(field)")
            }
            for field in ["tRue", "yes", "1", " true", "true ", "truex", "fals", "\"false", "T"] {
                XCTAssertNil(kernel(field + ",2,x\n", numeric: columns), "\(variant): \(field.debugDescription)")
            }
        }
    }

    /// A file of quoted numbers alone (as some exporters write every field), with `NA` and `""`,
    /// reads the same with the kernel as without it.
    func testQuotedNumberFilesReadTheSameWithAndWithoutTheKernel() throws {
        var random = Xoshiro256StarStar(seed: 5)
        var lines = ["\"a\",\"b\",\"c\""]
        for row in 0..<20_000 {
            let fields = (0..<3).map { column -> String in
                let draw = random.nextUInt64() % 100
                if draw < 2 { return column == 0 ? "\"NA\"" : "NA" }
                if draw < 3 { return "\"\"" }
                let value = String(Double(Int64(random.nextUInt64() % 2_000_000) - 1_000_000) / 1000)
                return row % 500 == 7 || column == 2 ? value : "\"" + value + "\""
            }
            lines.append(fields.joined(separator: ","))
        }
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let reference = try CSVReader.read(bytes: bytes, sourceName: "q.csv", options: CSVOptions(), plan: CSVReadingPlan(readsRecordRuns: false))
        XCTAssertEqual(reference.column(named: "a")?.type, .numeric)
        try inEveryVariant { variant in
            let data = try CSVReader.read(bytes: bytes, sourceName: "q.csv", options: CSVOptions(), plan: CSVReadingPlan())
            for name in ["a", "b", "c"] {
                let got = try XCTUnwrap(data.column(named: name)), expected = try XCTUnwrap(reference.column(named: name))
                XCTAssertEqual(got.type, expected.type, "\(variant): \(name)")
                XCTAssertEqual(got.missing, expected.missing, "\(variant): \(name)")
                XCTAssertEqual(got.numbers?.map(\.bitPattern), expected.numbers?.map(\.bitPattern), "\(variant): \(name)")
            }
        }
    }

    func testEmptyNumberFieldsAreMissingWhereEmptyMarksMissing() throws {
        let read = try XCTUnwrap(kernel(",2.5\n", numeric: [1, 1]))
        XCTAssertTrue(read.values[0].isNaN)
        XCTAssertEqual(read.values[0].bitPattern, Double.nan.bitPattern, "the NaN the field-by-field path stores")
        XCTAssertEqual(read.flags, [UInt8(MSH_CSV_MISSING), UInt8(MSH_CSV_NUMBER | MSH_CSV_POINT)])
        XCTAssertNil(firstRecord(",2\n", emptyIsMissing: false))
    }

    /// Fields of other columns are delimited as the tokenizer delimits them: quotes excluded,
    /// separators inside quotes kept; anything the tokenizer would collapse, join across lines
    /// or refuse is left to it.
    func testDelimitsOtherFieldsAsTheTokenizerDoes() {
        inEveryVariant { variant in
            let taken: [(String, String)] = [
                ("abc,1\n", "abc"), ("\"New York, NY\",1\n", "New York, NY"), (",1\n", ""), ("\"\",1\n", ""),
                ("  padded ,1\n", "  padded "), ("é ü,1\n", "é ü"), ("NA,1\n", "NA"), ("\"a\tb\",1\r\n", "a\tb"),
                (String(repeating: "x", count: 255) + ",1\n", String(repeating: "x", count: 255)),
                ("\"" + String(repeating: "a, b; ", count: 42) + "c\",1\n", String(repeating: "a, b; ", count: 42) + "c"),
                // Doubled quotes, in fields of up to 56 bytes.
                ("\"say \"\"hi\"\"\",1\n", "say \"hi\""), ("\"\"\"\",1\n", "\""), ("\"a\"\"\",1\n", "a\""), ("\"\"\"a, b\"\"\",1\n", "\"a, b\""),
                ("\"" + String(repeating: "x", count: 52) + "\"\"\",1\n", String(repeating: "x", count: 52) + "\""),
                // Line breaks inside quotes, counted as the tokenizer counts them (CRLF once, a lone CR too).
                ("\"two\nlines\",1\n", "two\nlines"), ("\"x\"\"\ny\",1\n", "x\"\ny"), ("\"a\r\nb\rc\n\nd\",1\r\n", "a\r\nb\rc\n\nd"),
                ("\"" + String(repeating: "line\n", count: 40) + "\",1\n", String(repeating: "line\n", count: 40)),
                // Long fields, up to 4,000 bytes, with doubled quotes and line breaks in them too.
                (String(repeating: "x", count: 256) + ",1\n", String(repeating: "x", count: 256)),
                ("\"" + String(repeating: "x", count: 254) + "\",1\n", String(repeating: "x", count: 254)),
                ("\"" + String(repeating: "x", count: 100) + "\"\"" + String(repeating: "y", count: 100) + "\",1\n",
                 String(repeating: "x", count: 100) + "\"" + String(repeating: "y", count: 100)),
                ("\"" + String(repeating: "a \"\"b\"\",\nc ", count: 300) + "\",1\n", String(repeating: "a \"b\",\nc ", count: 300)),
                (String(repeating: "z", count: 4000) + ",1\n", String(repeating: "z", count: 4000)),
                ("\"" + String(repeating: "x", count: 53) + "\"\"\",1\n", String(repeating: "x", count: 53) + "\""),
            ]
            for (record, text) in taken {
                let read = kernel(record, numeric: [0, 1])
                XCTAssertEqual(read?.texts.first ?? nil, text, "\(variant): \(record.debugDescription)")
                XCTAssertEqual(read?.values.last, 1, "\(variant): \(record.debugDescription)")
                let breaks = text.utf8.filter { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }.count - text.components(separatedBy: "\r\n").count + 1
                XCTAssertEqual(read?.lines, 1 + breaks, "\(variant): lines of \(record.debugDescription)")
            }
            let refused = [
                "\"a\"b\"c\",1\n", "\"a\"\"\"b\",1\n", "5'11\",1\n", "\"a\"b,1\n", "\"open,1\n", "ab\"c\",1\n",
                "a,\"1\n2\"\n", "\"two\nlines\",1\r7,8\n",
                String(repeating: "x", count: 4001) + ",1\n", "\"" + String(repeating: "x", count: 3999) + "\",1\n",
                "\"" + String(repeating: "x", count: 100) + "\"y\"" + String(repeating: "y", count: 100) + "\",1\n",
                "\"" + String(repeating: "x", count: 100) + "\"\"\"" + String(repeating: "y", count: 100) + "\",1\n",
            ]
            for record in refused {
                XCTAssertNil(kernel(record, numeric: [0, 1]), "\(variant): \(record.debugDescription)")
            }
            // A quoted field's separators and line breaks do not end the fields after it early.
            let read = kernel("\"a,b\",\"c\",3\n", numeric: [0, 0, 1])
            XCTAssertEqual(read?.texts.prefix(2).map { $0 ?? "" }, ["a,b", "c"], variant)
        }
    }

    /// A text field of a column whose levels the kernel is given is looked up in them as the
    /// reader's LevelTable would look it up: a level's code for its exact bytes of up to 15
    /// (quoted or not), -1 for any other text (one byte more or less, a level of 16 bytes or
    /// more, contents with doubled quotes), for the reader to look up itself.
    func testLooksUpShortTextsInTheLevelsGiven() throws {
        var levels = LevelTable()
        let known = ["Oslo", "New York, NY", "", "A", "exactly 8", "fifteen bytes!!", "a\"b", "sixteen bytes!!!", "é ü"]
        for level in known { _ = try Array(level.utf8).withUnsafeBufferPointer { try levels.code(for: $0) } }
        let fields: [(String, Int32)] = [
            ("Oslo", 0), ("\"New York, NY\"", 1), ("", 2), ("\"\"", 2), ("A", 3), ("\"A\"", 3), ("exactly 8", 4),
            ("fifteen bytes!!", 5), ("é ü", 8),
            ("Osl", -1), ("Oslo ", -1), (" Oslo", -1), ("B", -1), ("exactly 9", -1), ("fifteen bytes!?", -1),
            ("\"a\"\"b\"", -1), ("sixteen bytes!!!", -1), ("NA", -1),
        ]
        inEveryVariant { variant in
            let bytes = Array((fields.map { $0.0 + ",1\n" }.joined() + String(repeating: "x,7\n", count: 2000)).utf8)
            let capacity = fields.count
            var values = [Double](repeating: 0, count: 2 * capacity), spans = [Int](repeating: 0, count: 4 * capacity)
            var flags: [UInt8] = [0, 0], codes = [Int32](repeating: 99, count: 2 * capacity), (rows, lines) = (0, 0)
            levels.withKernelLookup { lookup in
                XCTAssertEqual(lookup.slot_count, 64)
                let lookups = [lookup, MSHLevelLookup()], numeric: [UInt8] = [0, 1]
                _ = DecimalParser.withPowersOfFive { five in
                    msh_csv_records(bytes, bytes.count, 0, bytes.count, UInt8(ascii: ","), 2, numeric, 1, five, capacity,
                                    &values, &spans, &flags, lookups, &codes, &rows, &lines)
                }
            }
            XCTAssertEqual(rows, capacity, variant)
            for (index, (field, code)) in fields.enumerated() {
                XCTAssertEqual(codes[index], code, "\(variant): \(field.debugDescription)")
            }
            XCTAssertEqual(codes[capacity], 99, "\(variant): no code written for a column not looked up")
        }
        // A table too large to probe without prefetching is not given to the kernel.
        for index in 0..<3000 { _ = try Array("level \(index)".utf8).withUnsafeBufferPointer { try levels.code(for: $0) } }
        XCTAssertEqual(levels.withKernelLookup { $0.slot_count }, 0)
    }

    /// A long text field that starts near the end of a classified window is measured only within
    /// the bytes classified: here a quoted field starting at 3950 (window 0, 4160 bytes
    /// classified) holds a separator at 4164 and a line break after it, and beyond the window
    /// the masks must not be read (the quote and line break at 4 and 3, in the window's first
    /// word, once made the field look closed at 4164 and its record `…,7` taken whole): the
    /// field is measured from a window of its own, whole, its line break counted; so is a long
    /// field that starts well before the window's end and ends beyond it.
    func testMeasuresLongFieldsOnlyWithinTheClassifiedWindow() {
        inEveryVariant { variant in
            var text = "a,1\n\"q\",1\n" + String(repeating: "b,1\n", count: 985)
            XCTAssertEqual(text.utf8.count, 3950)
            text += "\"" + String(repeating: "x", count: 213) + ",7\n" + String(repeating: "y", count: 10) + "\",2\n"
            text += String(repeating: "c,3\n", count: 2000)
            let bytes = Array(text.utf8)
            let (columns, capacity) = (2, 4000)
            var values = [Double](repeating: 0, count: columns * capacity)
            var spans = [Int](repeating: 0, count: 2 * columns * capacity)
            var flags = [UInt8](repeating: 0, count: columns)
            var (rows, lines) = (0, 0)
            let numeric: [UInt8] = [0, 1]
            let end = DecimalParser.withPowersOfFive { five in
                msh_csv_records(bytes, bytes.count, 0, bytes.count, UInt8(ascii: ","), columns, numeric, 1, five, capacity,
                                &values, &spans, &flags, nil, nil, &rows, &lines)
            }
            XCTAssertGreaterThan(rows, 1000, variant)
            XCTAssertEqual(lines, rows + 1, "\(variant): the two-line record")
            XCTAssertEqual(end, 3950 + 228 + 3 + 4 * (rows - 988), variant)
            let (start, length) = (spans[2 * 987], spans[2 * 987 + 1])
            XCTAssertEqual(String(decoding: bytes[start ..< start + length], as: UTF8.self),
                           String(repeating: "x", count: 213) + ",7\n" + String(repeating: "y", count: 10), variant)
            XCTAssertEqual(values[capacity + 987], 2, variant)
            // A field whose end lies beyond its window (2,000 bytes from 3,000): the window is
            // classified anew from it, and the field read whole.
            let late = Array((String(repeating: "a,1\n", count: 750) + "\"" + String(repeating: "w", count: 2000) + "\",5\n"
                + String(repeating: "c,3\n", count: 2000)).utf8)
            _ = DecimalParser.withPowersOfFive { five in
                msh_csv_records(late, late.count, 0, late.count, UInt8(ascii: ","), columns, numeric, 1, five, capacity,
                                &values, &spans, &flags, nil, nil, &rows, &lines)
            }
            XCTAssertGreaterThan(rows, 751, variant)
            XCTAssertEqual(spans[2 * 750 + 1], 2000, variant)
            XCTAssertEqual(values[capacity + 750], 5, variant)
        }
    }

    /// Records within a window's reach of the end of the bytes are left to the field-by-field
    /// path, and none past `limit` is started.
    func testKeepsWithinItsBytesAndLimit() {
        let bytes = Array(String(repeating: "1.5,2\n", count: 1000).utf8)  // 6000 bytes
        var values = [Double](repeating: 0, count: 2 * 2000)
        var spans = [Int](repeating: 0, count: 2 * 2 * 2000)
        var flags = [UInt8](repeating: 0, count: 2)
        var (rows, lines) = (0, 0)
        let numeric: [UInt8] = [1, 1]
        var end = DecimalParser.withPowersOfFive { five in
            msh_csv_records(bytes, bytes.count, 0, bytes.count, UInt8(ascii: ","), 2, numeric, 1, five, 2000, &values, &spans, &flags, nil, nil, &rows, &lines)
        }
        XCTAssertGreaterThan(rows, 500)
        XCTAssertLessThan(end, bytes.count, "leaves the last records, within a window of the end")
        XCTAssertEqual(end, rows * 6)
        end = DecimalParser.withPowersOfFive { five in
            msh_csv_records(bytes, bytes.count, 0, 601, UInt8(ascii: ","), 2, numeric, 1, five, 2000, &values, &spans, &flags, nil, nil, &rows, &lines)
        }
        XCTAssertEqual(rows, 101, "records starting at 0, 6, …, 600")
        XCTAssertEqual(lines, rows)
        XCTAssertEqual(end, 606)
    }

    /// The driver on `text` from its second line: the records read, where it left the tokenizer
    /// (position and line) and the builders' kinds and rows. The columns in `textColumns` have
    /// been given a text already (as the field-by-field path does at a file's start), so the
    /// kernel delimits their fields.
    private func driverRun(_ text: String, format: CSVFormat, textColumns: [Int] = []) throws
        -> (read: Int, position: Int, line: Int, kinds: [ColumnBuilder.Kind], rows: [Int]) {
        let bytes = Array(text.utf8)
        let headerEnd = try XCTUnwrap(bytes.firstIndex(of: UInt8(ascii: "\n"))) + 1
        var records = try XCTUnwrap(CSVRecordRuns(columns: 2, format: format))
        var builders = [ColumnBuilder(), ColumnBuilder()]
        for column in textColumns {
            try Array("t".utf8).withUnsafeBufferPointer { try builders[column].append($0, missingMarkers: format.missingMarkers) }
        }
        return try bytes.withUnsafeBufferPointer { bytes in
            var tokenizer = CSVTokenizer(bytes: bytes, separator: UInt8(ascii: ","), start: headerEnd, line: 2)
            XCTAssertTrue(tokenizer.startRecord())
            let read = try builders.withUnsafeMutableBufferPointer { try records.read(&tokenizer, into: $0, limit: bytes.count) }
            return (read, tokenizer.position, tokenizer.line, builders.map(\.kind), builders.map(\.rowCount))
        }
    }

    /// The driver reads a run through the kernel and leaves the tokenizer at the next record.
    func testDriverReadsARunAndMovesTheTokenizer() throws {
        let format = CSVFormat(separator: UInt8(ascii: ","), missingMarkers: MissingMarkers(["", "NA"]), numberMarks: NumberMarks(),
                               atFileStart: true)
        let run = try driverRun("x,y\n" + String(repeating: "1,2.5\n", count: 3000) + "oops,3\n", format: format)
        XCTAssertGreaterThan(run.read, 1000)
        XCTAssertEqual(run.position, 4 + run.read * 6)
        XCTAssertEqual(run.line, 2 + run.read)
        XCTAssertEqual(run.rows, [run.read, run.read])
        XCTAssertEqual(run.kinds, [.integer, .numeric])
        // Quoted numbers alone: the first call finds the quote it stopped at and reads them all.
        let quoted = try driverRun("\"x\",\"y\"\n" + String(repeating: "\"1\",\"2.5\"\n", count: 3000), format: format)
        XCTAssertGreaterThan(quoted.read, 1000)
        XCTAssertEqual(quoted.kinds, [.integer, .numeric])
        // Quoted line breaks: the tokenizer's line counts them.
        let broken = try driverRun("t,y\n" + String(repeating: "\"a\nb\",1\n", count: 3000), format: format, textColumns: [0])
        XCTAssertGreaterThan(broken.read, 1000)
        XCTAssertEqual(broken.position, 4 + broken.read * 8)
        XCTAssertEqual(broken.line, 2 + 2 * broken.read)
        XCTAssertEqual(broken.rows, [broken.read + 1, broken.read])
        let without = CSVFormat(separator: UInt8(ascii: ","), missingMarkers: MissingMarkers(["-99"]), numberMarks: NumberMarks(),
                                atFileStart: true)
        XCTAssertNil(CSVRecordRuns(columns: 2, format: without), "a number as a missing marker is for the field-by-field path")
    }

    /// A generated file of every shape of number (exponents, long mantissas, missing values),
    /// quoted and unquoted text (with separators, escaped quotes, line breaks, long fields),
    /// booleans, blank lines, CRLF and a column that turns to text late, reads the same with the
    /// kernel as without it, and every number equals Swift's correctly rounded `Double(String)`.
    /// Deep in a large file, where the kernel delimits the fields and a text column takes a run
    /// of them at once, a bad field still names its own line, in every variant of the kernel.
    func testBadTextInLongRunsNamesItsLine() throws {
        func file(badRow: Int, bad: [UInt8]) -> [UInt8] {
            var bytes = Array("id,city,name\n".utf8)
            for row in 0..<20_000 {
                bytes += Array("\(row),\(["Oslo", "\"Paris, FR\"", "Lima"][row % 3]),".utf8)
                bytes += row == badRow ? bad : Array("name \(row % 7_000)".utf8)
                bytes += Array("\n".utf8)
            }
            return bytes
        }
        // In one block the names are codes of levels; in blocks of 16 KiB the column turns to
        // strings (7,000 names, more than a categorical column of 20,000 rows may have).
        for plan in [CSVReadingPlan(), CSVReadingPlan(blockSize: 16 << 10, minimumPieceSize: 4 << 10)] {
            try inEveryVariant { _ in
                assertError(try CSVReader.read(bytes: file(badRow: 15_000, bad: [0x43, 0x61, 0x66, 0xE9]), sourceName: "t.csv", options: CSVOptions(), plan: plan), .data,
                            "t.csv:15002: invalid UTF-8 in column 'name' (is the file in another encoding, such as Excel's Windows-1252? load … encoding=cp1252 reads it)")
                assertError(try CSVReader.read(bytes: file(badRow: 12_345, bad: [0x61, 0x00, 0x62]), sourceName: "t.csv", options: CSVOptions(), plan: plan), .data,
                            "t.csv:12347: a NUL byte in column 'name' (is it a binary file, or text in UTF-16?)")
            }
        }
    }

    /// Of two bad fields in one run, the one named is the file's first, as the field-by-field path
    /// names it, though the run's columns are appended one after another (found by the CSV fuzz
    /// target: the kernel named a later row's field of an earlier column).
    func testTheFirstBadFieldOfARunIsNamed() throws {
        var bytes = Array("x,y\n".utf8)
        for row in 0..<2_000 {
            bytes += Array("a\(row % 5),".utf8) + (row == 700 ? [0x62, 0x00] : Array("b\(row % 3)".utf8)) + Array("\n".utf8)
            if row == 900 { bytes += [0x61, 0xE9, 0x2C, 0x62, 0x0A] }
        }
        try inEveryVariant { _ in
            for kernel in [true, false] {
                assertError(try CSVReader.read(bytes: bytes, sourceName: "t.csv", options: CSVOptions(), plan: CSVReadingPlan(readsRecordRuns: kernel)),
                            .data, "t.csv:702: a NUL byte in column 'y' (is it a binary file, or text in UTF-16?)")
            }
        }
    }

    /// Records with line breaks inside quotes (LF, CRLF, a lone CR) are read by the kernel, and the
    /// lines after them counted as the field-by-field path counts them: a bad field within a run,
    /// and a ragged record after runs, are named at the same line with the kernel as without it.
    func testLinesAfterQuotedLineBreaksAreCountedAsTheTokenizerCounts() throws {
        func file(badRow: Int, raggedRow: Int) -> [UInt8] {
            var bytes = Array("id,note,name\n".utf8)
            for row in 0..<20_000 {
                let note = ["plain", "\"two\nlines\"", "\"crlf\r\ninside\"", "\"lone\rcr\"", "\"a, b\"", "\"\n\n\""][row % 6]
                bytes += Array("\(row),\(note),".utf8)
                bytes += row == badRow ? [0x43, 0x61, 0x66, 0xE9] : Array("name \(row % 7_000)".utf8)
                bytes += Array((row == raggedRow ? ",extra\n" : "\n").utf8)
            }
            return bytes
        }
        let lines = { (row: Int) in 2 + row + (0..<row).map { [0, 1, 1, 1, 0, 2][$0 % 6] }.reduce(0, +) }
        for plan in [CSVReadingPlan(), CSVReadingPlan(blockSize: 16 << 10, minimumPieceSize: 4 << 10)] {
            let byField = CSVReadingPlan(blockSize: plan.blockSize, minimumPieceSize: plan.minimumPieceSize, readsRecordRuns: false)
            for reading in [plan, byField] {
                try inEveryVariant { _ in
                    assertError(try CSVReader.read(bytes: file(badRow: 15_001, raggedRow: -1), sourceName: "t.csv", options: CSVOptions(), plan: reading), .data,
                                "t.csv:\(lines(15_001)): invalid UTF-8 in column 'name' (is the file in another encoding, such as Excel's Windows-1252? load … encoding=cp1252 reads it)")
                    assertError(try CSVReader.read(bytes: file(badRow: -1, raggedRow: 17_003), sourceName: "t.csv", options: CSVOptions(), plan: reading), .data,
                                "t.csv:\(lines(17_003)): row has 4 fields, expected 3 (header has 3 columns)")
                    let data = try CSVReader.read(bytes: file(badRow: -1, raggedRow: -1), sourceName: "t.csv", options: CSVOptions(), plan: reading)
                    XCTAssertEqual(data.column(named: "note")?.text(at: 2), "crlf\r\ninside")
                }
            }
        }
    }

    /// A blank line (empty, or only spaces and tabs) is skipped, as the tokenizer skips it, also
    /// in a file of one column, where it would read as a record of one field (found by the CSV
    /// fuzz target, which compares the two paths: the kernel read each as a missing value).
    func testBlankLinesAreSkippedInFilesOfOneColumn() throws {
        for (body, type) in [("2g", ColumnType.categorical), ("2.5", .numeric)] {
            let bytes = Array(("x\n" + String(repeating: String(repeating: "\n", count: 17) + body + "\n" + "\r\n" + " \t \n", count: 1000)).utf8)
            let reference = try CSVReader.read(bytes: bytes, sourceName: "b.csv", options: CSVOptions(), plan: CSVReadingPlan(readsRecordRuns: false))
            XCTAssertEqual(reference.rowCount, 1000)
            try inEveryVariant { variant in
                let data = try CSVReader.read(bytes: bytes, sourceName: "b.csv", options: CSVOptions(), plan: CSVReadingPlan())
                XCTAssertEqual(data.rowCount, 1000, "\(variant): \(body)")
                XCTAssertEqual(data.columns.first?.type, type, "\(variant): \(body)")
                XCTAssertEqual(data.columns.first?.missing.setCount, 0, "\(variant): \(body)")
            }
        }
    }

    func testFilesReadTheSameWithAndWithoutTheKernel() throws {
        var random = Xoshiro256StarStar(seed: 2026)
        func draw(_ count: Int) -> Int { Int(random.nextUInt64() % UInt64(count)) }
        func number(_ column: Int, _ row: Int, burst: Bool) -> String {
            // Long runs of what the kernel takes (up to 15 digits), then bursts of what it leaves.
            let digits = draw(burst ? 16 : 15) + 1
            var text = String((0..<digits).map { _ in Character(String(draw(10))) })
            let shape = burst ? draw(100) : 10 + draw(90)
            if column == 1 { return String(row * 7 - 30_000) }  // integers throughout
            if column == 2, row < 15_000 { return String(row % 1000) }  // integers until a late decimal
            if shape < 2 { return "NA" }
            if shape < 4 { text += "e-\(draw(30))" }
            if shape < 6 { text = "12345678901234567\(text)" }
            if shape >= 10 { text.insert(".", at: text.index(text.startIndex, offsetBy: draw(digits + 1))) }
            if shape % 3 == 0 { text = "-" + text }
            if shape == 97 { return "" }
            return text
        }
        func text(_ row: Int, burst: Bool) -> String {
            let plain = ["Oslo", "\"New York, NY\"", "\"Paris, FR\"", "", "\"\"", "Lima", "  Cairo "][draw(7)]
            guard burst else { return plain }
            return ["\"say \"\"hi\"\"\"", "\"two\nlines\"", "5'11\"", String(repeating: "long ", count: draw(60)),
                    "\"" + String(repeating: "quoted, long ", count: draw(30)) + "\"",
                    "\"" + String(repeating: "a \"\"review\"\",\n", count: draw(300)) + "\"", String(repeating: "very long ", count: 380 + draw(40)),
                    plain][draw(8)]
        }
        // Many distinct names (a level table that grows, looked up in batches), some missing with
        // blanks around the marker; and booleans that turn to text within a run.
        func name() -> String { draw(50) == 0 ? " NA " : "\"Smith\(draw(5000)), J.\"" }
        func flip(_ row: Int) -> String { row < 12_345 ? ["true", "false"][draw(2)] : ["true", "maybe"][draw(2)] }
        let names = ["a", "b", "c", "d", "e", "city", "flag", "grade", "name", "flip"]
        var lines = [names.joined(separator: ",")]
        var fields: [[String]] = []
        for row in 0..<20_000 {
            let burst = row % 1000 >= 900
            var record = (0..<5).map { number($0, row, burst: burst) }
            if row == 19_000 { record[3] = "late text" }
            record += [text(row, burst: burst), ["true", "false", "TRUE", "", "False", "\"true\""][draw(6)], ["A", "B", "NA", "\"C\""][draw(4)], name(), flip(row)]
            fields.append(record)
            lines.append(record.joined(separator: ",") + (row % 97 == 0 ? "\r" : ""))
            if row % 4999 == 0 { lines.append("") }
        }
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        // Field by field in one block, where the names stay codes of levels; in blocks, where
        // they turn to strings (5,000 names in 20,000 rows), field by field and by the kernel.
        let reference = try CSVReader.read(bytes: bytes, sourceName: "t.csv", options: CSVOptions(),
                                           plan: CSVReadingPlan(blockSize: bytes.count + 1, readsRecordRuns: false))
        let blocks = CSVReadingPlan(blockSize: 256 << 10, minimumPieceSize: 64 << 10)
        XCTAssertLessThan(blocks.blockSize * 4, bytes.count)
        try inEveryVariant { variant in
            for plan in [blocks, CSVReadingPlan(blockSize: blocks.blockSize, minimumPieceSize: blocks.minimumPieceSize, readsRecordRuns: false)] {
                let data = try CSVReader.read(bytes: bytes, sourceName: "t.csv", options: CSVOptions(), plan: plan)
                for name in reference.columnNames {
                    let got = try XCTUnwrap(data.column(named: name)), expected = try XCTUnwrap(reference.column(named: name))
                    let context = "\(variant), kernel \(plan.readsRecordRuns): \(name)"
                    XCTAssertEqual(got.type, expected.type, context)
                    XCTAssertEqual(got.missing, expected.missing, context)
                    XCTAssertEqual(got.numbers?.map(\.bitPattern), expected.numbers?.map(\.bitPattern), context)
                    XCTAssertEqual(got.levels, expected.levels, context)
                    XCTAssertEqual((0..<got.count).map { got.text(at: $0) }, (0..<expected.count).map { expected.text(at: $0) }, context)
                }
            }
        }
        XCTAssertEqual(reference.columnNames, names)
        XCTAssertEqual(reference.column(named: "b")?.type, .integer)
        XCTAssertEqual(reference.column(named: "c")?.type, .numeric)
        XCTAssertEqual(reference.column(named: "d")?.type, .text)
        XCTAssertEqual(reference.column(named: "d")?.text(at: 19_000), "late text")
        XCTAssertEqual(reference.column(named: "d")?.text(at: 7), fields[7][3], "a backfilled number keeps its text")
        XCTAssertEqual(reference.column(named: "flag")?.type, .boolean)
        XCTAssertEqual(reference.column(named: "grade")?.levels, ["A", "B", "C"])
        XCTAssertEqual(reference.column(named: "name")?.type, .text)
        let quoted = try XCTUnwrap(fields.firstIndex { $0[8].hasPrefix("\"") }), blank = try XCTUnwrap(fields.firstIndex { $0[8] == " NA " })
        XCTAssertEqual(reference.column(named: "name")?.text(at: quoted), String(fields[quoted][8].dropFirst().dropLast()))
        XCTAssertEqual(reference.column(named: "name")?.missing[blank], true)
        XCTAssertEqual(reference.column(named: "flip")?.levels, ["false", "maybe", "true"])
        var wrong = 0
        for (row, record) in fields.enumerated() {
            for (index, name) in ["a", "c", "e"].enumerated() {
                let text = record[[0, 2, 4][index]]
                let value = reference.column(named: name)!.numbers![row]
                if text == "NA" || text.isEmpty ? !value.isNaN : value.bitPattern != Double(text)!.bitPattern { wrong += 1 }
            }
        }
        XCTAssertEqual(wrong, 0)
    }
}
