import CKernels

/// Reads decimal numbers from bytes, correctly rounded, as fast as the common case allows.
///
/// Syntax: optional sign, digits with an optional `.` and fraction (`5.`, `.5` and `5.0` are all
/// numbers), an optional exponent `e`/`E` with optional sign. Also `Inf`, `inf`, `INF`, `Infinity`
/// and `infinity` (with optional sign) and `NaN`, `nan`, `NAN` — as R's `read.csv` reads them.
/// No thousands separators, no hexadecimal, no surrounding spaces (the caller trims).
enum DecimalParser {
    struct Number {
        var value: Double
        /// Written without a point or exponent, and exactly representable (|value| ≤ 2^53).
        var isInteger: Bool
    }

    /// Powers of ten that a Double holds exactly.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The number in `text`, or nil if `text` is not one.
    @inline(__always)
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Number? {
        guard !text.isEmpty else { return nil }
        switch prefix(of: text, from: 0) {
        case .number(let number, let end): return end == text.count ? number : nil
        case .noDigits(let afterSign): return special(text, from: afterSign, negative: text[0] == UInt8(ascii: "-"))
        case .malformed: return nil
        }
    }

    /// What `prefix` found.
    enum Prefix {
        /// A number ending before `end` (which may be followed by anything).
        case number(Number, end: Int)
        /// No digit before `afterSign` (the position after an optional sign): perhaps `Inf`.
        case noDigits(afterSign: Int)
        /// Digits, then an exponent marker without digits.
        case malformed
    }

    /// The decimal number that starts at `start` in `text` and runs as far as a number can, so a
    /// caller can parse a field in the same pass that finds its end.
    ///
    /// Fast path: a mantissa of at most 19 significant digits that is below 2^53 and a decimal
    /// exponent within ±22 give an exact integer and an exact power of ten, and one IEEE
    /// multiplication or division of exact operands is correctly rounded. Anything else goes to
    /// Swift's `Double(String)`, which is correctly rounded and ignores the C locale.
    @inline(__always)
    static func prefix(of text: UnsafeBufferPointer<UInt8>, from start: Int) -> Prefix {
        let count = text.count
        var i = start
        var negative = false
        if i < count, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        let afterSign = i
        // The digits accumulate with wrapping arithmetic: exact while there are at most 19
        // significant ones, which is checked below only when there are more than 19 digits.
        var mantissa: UInt64 = 0
        let integerStart = i
        i = accumulateDigits(text, from: i, into: &mantissa)
        let integerDigits = i - integerStart
        var fractionDigits = 0
        var isInteger = true
        if i < count, text[i] == UInt8(ascii: ".") {
            isInteger = false
            let fractionStart = i + 1
            i = accumulateDigits(text, from: fractionStart, into: &mantissa)
            fractionDigits = i - fractionStart
        }
        guard integerDigits + fractionDigits > 0 else { return .noDigits(afterSign: afterSign) }
        let mantissaIsExact = integerDigits + fractionDigits <= 19 || significantDigitCount(text, from: integerStart, to: i) <= 19

        var exponent = 0
        if i < count, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            isInteger = false
            i += 1
            var exponentNegative = false
            if i < count, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                exponentNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            var sawExponentDigit = false
            while i < count, case let digit = text[i] &- UInt8(ascii: "0"), digit < 10 {
                sawExponentDigit = true
                if exponent < 100_000 { exponent = exponent * 10 + Int(digit) }
                i += 1
            }
            guard sawExponentDigit else { return .malformed }
            if exponentNegative { exponent = -exponent }
        }

        let decimalExponent = exponent - fractionDigits
        if mantissaIsExact, mantissa <= 1 << 53, abs(decimalExponent) <= 22 {
            var value = Double(mantissa)
            if mantissa != 0 {
                if decimalExponent > 0 {
                    value *= exactPowersOfTen[decimalExponent]
                } else if decimalExponent < 0 {
                    value /= exactPowersOfTen[-decimalExponent]
                }
            }
            return .number(Number(value: negative ? -value : value, isInteger: isInteger), end: i)
        }
        if mantissaIsExact, let value = eiselLemire(mantissa, decimalExponent) {
            return .number(Number(value: negative ? -value : value, isInteger: false), end: i)
        }
        // Every byte was checked to be ASCII above, so this decoding cannot fail or repair. An
        // integer here has a mantissa above 2^53, which a Double may not hold exactly.
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: text[start..<i]), as: UTF8.self)) else { return .malformed }
        return .number(Number(value: value, isInteger: false), end: i)
    }

    /// The commonest number in a data file, read with two word loads and few branches: an
    /// optional `-`, at most seven digits, and optionally a point and at most seven more, ending
    /// where `text` has neither a digit nor a point nor an exponent marker. Nil for anything else
    /// (and when fewer than 17 bytes follow `start`), which `prefix` then reads; where both read a
    /// number they read the same one. The mantissa is below 10^14 and the power of ten at most
    /// 10^7, both exact, so the one division is correctly rounded.
    @inline(__always)
    static func shortPrefix(of text: UnsafeBufferPointer<UInt8>, from start: Int) -> (number: Number, end: Int)? {
        guard start + 17 <= text.count, let base = UnsafeRawPointer(text.baseAddress) else { return nil }
        let negative = base.load(fromByteOffset: start, as: UInt8.self) == UInt8(ascii: "-")
        let integerStart = negative ? start + 1 : start
        let integerWord = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: integerStart, as: UInt64.self))
        let integerFlags = nonDigitBytes(integerWord)
        guard integerFlags != 0 else { return nil }
        let integerDigits = integerFlags.trailingZeroBitCount &>> 3
        var mantissa = leadingDigitsValue(integerWord, count: integerDigits)
        var end = integerStart &+ integerDigits
        var divisor = 1.0
        let isInteger = base.load(fromByteOffset: end, as: UInt8.self) != UInt8(ascii: ".")
        if !isInteger {
            let fractionWord = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: end &+ 1, as: UInt64.self))
            let fractionFlags = nonDigitBytes(fractionWord)
            guard fractionFlags != 0 else { return nil }
            let fractionDigits = fractionFlags.trailingZeroBitCount &>> 3
            guard integerDigits | fractionDigits != 0 else { return nil }
            mantissa = mantissa &* powersOfTenBelowHundredMillion[fractionDigits] &+ leadingDigitsValue(fractionWord, count: fractionDigits)
            divisor = exactPowersOfTen[fractionDigits]
            end = end &+ 1 &+ fractionDigits
        } else if integerDigits == 0 {
            return nil
        }
        // An exponent or a second point makes a longer number (or none): `prefix` decides.
        let next = base.load(fromByteOffset: end, as: UInt8.self) | 0x20
        guard next != UInt8(ascii: "e"), next != UInt8(ascii: ".") | 0x20 else { return nil }
        // Signed, since the mantissa is far below 2^63: one conversion instruction, not the
        // several an unsigned one takes.
        let value = Double(Int64(bitPattern: mantissa)) / divisor
        return (Number(value: negative ? -value : value, isInteger: isInteger), end)
    }

    /// The bytes of `word` that are not ASCII digits, as their top bits. A byte is '0'...'9'
    /// exactly when neither adding 0x46 nor subtracting 0x30 sets its top bit; carries and
    /// borrows only move up, so the lowest flagged byte is exact (Lemire's fast_float test).
    @inline(__always)
    private static func nonDigitBytes(_ word: UInt64) -> UInt64 {
        ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080
    }

    /// The value of the first `count` (below eight) bytes of `word`, which are digits.
    @inline(__always)
    private static func leadingDigitsValue(_ word: UInt64, count: Int) -> UInt64 {
        guard count > 0 else { return 0 }
        // The digits moved to the top bytes, '0's below them: the same value.
        let shift = UInt64(8 &* count)
        return eightDigitsValue(word &<< (64 &- shift) | allZeroDigits &>> shift)
    }

    /// Adds the digits from `start` on to `mantissa` (times ten per digit, wrapping) and returns
    /// where they end. While eight bytes can be read they are taken as one word (Lemire's
    /// fast_float SWAR test and conversion): the lowest byte that is not a digit ends the run, and
    /// the digits below it are converted together; the last few bytes go one at a time.
    @inline(__always)
    private static func accumulateDigits(_ text: UnsafeBufferPointer<UInt8>, from start: Int, into mantissa: inout UInt64) -> Int {
        var i = start
        let count = text.count
        if let base = UnsafeRawPointer(text.baseAddress) {
            while i + 8 <= count {
                let chunk = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let notDigits = nonDigitBytes(chunk)
                if notDigits == 0 {
                    mantissa = mantissa &* 100_000_000 &+ eightDigitsValue(chunk)
                    i += 8
                    continue
                }
                let digits = notDigits.trailingZeroBitCount >> 3
                if digits > 0 { mantissa = mantissa &* powersOfTenBelowHundredMillion[digits] &+ leadingDigitsValue(chunk, count: digits) }
                return i + digits
            }
        }
        while i < count, case let digit = text[i] &- UInt8(ascii: "0"), digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i += 1
        }
        return i
    }

    private static let allZeroDigits: UInt64 = 0x3030_3030_3030_3030
    private static let powersOfTenBelowHundredMillion: [UInt64] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000]

    /// The value of eight ASCII digits, the first in the lowest byte: pairs, then fours, then
    /// the eight combined by multiplications that keep the partial values in separate lanes.
    @inline(__always)
    private static func eightDigitsValue(_ chunk: UInt64) -> UInt64 {
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let hundredAndMillion: UInt64 = 100 + 1_000_000 << 32
        let oneAndTenThousand: UInt64 = 1 + 10_000 << 32
        var value = chunk &- 0x3030_3030_3030_3030
        value = value &* 10 &+ (value >> 8)
        return ((value & mask) &* hundredAndMillion &+ ((value >> 16) & mask) &* oneAndTenThousand) >> 32
    }

    /// The digits from `start` to `end` (a mantissa with an optional point) after the leading
    /// zeros: the ones that count toward the 19 a UInt64 holds exactly.
    private static func significantDigitCount(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var significant = 0
        for i in start..<end where text[i] != UInt8(ascii: ".") {
            if significant > 0 || text[i] != UInt8(ascii: "0") { significant += 1 }
        }
        return significant
    }

    /// w × 10^q correctly rounded, for an exact mantissa w (at most 19 digits), by the
    /// Eisel-Lemire algorithm (Lemire 2021, as fast_float computes it; `msh_eisel_lemire`, the
    /// implementation the CSV kernel rounds with too): w times a 128-bit approximation of 5^q
    /// (`PowersOfFive`) gives the significand's bits and enough bits below them to round. Nil, for
    /// the exact slow path, where the product cannot settle the rounding and for subnormal results.
    static func eiselLemire(_ w: UInt64, _ q: Int) -> Double? {
        if w == 0 || q < PowersOfFive.smallestExponent { return 0 }
        if q > PowersOfFive.largestExponent { return .infinity }
        var value = 0.0
        return withPowersOfFive { msh_eisel_lemire(w, q, $0, &value) } != 0 ? value : nil
    }

    /// `body` with `PowersOfFive`'s table from 5^0's entry, as the C kernels index it (by q).
    static func withPowersOfFive<R>(_ body: (UnsafePointer<UInt64>) -> R) -> R {
        PowersOfFive.significands.withUnsafeBufferPointer { table in body(table.baseAddress! - 2 * PowersOfFive.smallestExponent) }
    }

    private static let infinitySpellings: [[UInt8]] = ["Inf", "inf", "INF", "Infinity", "infinity"].map { Array($0.utf8) }
    private static let notANumberSpellings: [[UInt8]] = ["NaN", "nan", "NAN"].map { Array($0.utf8) }

    /// `Inf`, `Infinity` and `NaN` in their common spellings, after an optional sign.
    private static func special(_ text: UnsafeBufferPointer<UInt8>, from start: Int, negative: Bool) -> Number? {
        let word = text[start...]
        guard let first = word.first, first | 0x20 == UInt8(ascii: "i") || first | 0x20 == UInt8(ascii: "n") else { return nil }
        if infinitySpellings.contains(where: { $0.elementsEqual(word) }) {
            return Number(value: negative ? -.infinity : .infinity, isInteger: false)
        }
        if notANumberSpellings.contains(where: { $0.elementsEqual(word) }) { return Number(value: .nan, isInteger: false) }
        return nil
    }
}
