// The CSV reader's fast path for runs of records: the bytes of a window are classified
// 64 at a time by vector compares (field ends outside quotes, quotes, line breaks, points, minus
// signs, anything else but a digit), so each field's length and shape come from bit masks and
// every byte is checked without a branch per byte. A field of a number column is converted (its
// digits together: 16 at a time in vector registers where the CPU has SSE4.1, as simdjson
// converts, else eight at a time in a word, as Lemire's fast_float) and divided once by an exact
// power of ten (at most EXACT_DIGITS digits), or, longer and with a point, rounded as the
// reader's DecimalParser does (Eisel-Lemire above 2^53); a field of any other column is
// delimited, for the reader to take a column at a time, and looked up in its column's levels
// where the reader gives the kernel their table.
#include "CKernels.h"
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

typedef char Block __attribute__((ext_vector_type(64)));
typedef _Bool BlockBits __attribute__((ext_vector_type(64)));

// A window is 64 words of 64 bytes, classified at once, and the word after them. Number fields
// longer than LONGEST_NUMBER bytes, with more than SIGNIFICANT_DIGITS significant digits, or
// integers of more than EXACT_DIGITS digits are left to the reader's own parse, as are other
// fields longer than LONGEST_TEXT bytes (quotes included). A field is measured only among the
// bytes classified (beyond them the masks hold nothing of these bytes): a number field that
// starts within the last NUMBER_RESERVE bytes, or another within the last TEXT_RESERVE (which
// most texts are shorter than), has the window classified anew from it first; a longer text
// whose end lies beyond the window, when its record is read again (`TEXT_BEYOND_WINDOW`).
enum {
    WINDOW_WORDS = 64, WINDOW_BYTES = 64 * WINDOW_WORDS, CLASSIFIED_BYTES = WINDOW_BYTES + 64,
    LONGEST_NUMBER = 24, LONGEST_TEXT = 4000, EXACT_DIGITS = 15, SIGNIFICANT_DIGITS = 19,
    NUMBER_RESERVE = 192, TEXT_RESERVE = 256, TEXT_BEYOND_WINDOW = -2
};

// The classes of a window's bytes, a bit per byte.
typedef struct {
    uint64_t ends[WINDOW_WORDS + 1];    // the separator, LF or CR, outside quotes
    uint64_t quotes[WINDOW_WORDS + 1];  // '"' (none before the window's first field)
    uint64_t breaks[WINDOW_WORDS + 1];  // LF or CR, inside quotes or not
    uint64_t points[WINDOW_WORDS + 1];  // '.'
    uint64_t minus[WINDOW_WORDS + 1];   // '-'
    uint64_t other[WINDOW_WORDS + 1];   // anything else that is not a digit
    uint64_t unquoted[WINDOW_WORDS + 1]; // outside quotes and not a quote (with quotes classified)
} Classes;

// The bits from each odd quote up to the next, as simdjson finds what lies inside quotes.
static inline uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

static inline uint64_t bits_of(BlockBits b) {
    uint64_t m;
    memcpy(&m, &b, sizeof m);
    return m;
}

// Bits [s, s + length) of a window's mask, length ≤ 57 (one unaligned load of the mask's bytes).
static inline uint64_t range_bits(const uint64_t *mask, long s, long length) {
    uint64_t v;
    memcpy(&v, (const unsigned char *)mask + (s >> 3), sizeof v);
    return (v >> (s & 7)) & ((1ULL << length) - 1);
}

// The first set bit of a window's mask in [s, s + length) as an offset from s, or -1.
static inline long first_bit(const uint64_t *mask, long s, long length) {
    long word = s >> 6, end = s + length;
    uint64_t bits = mask[word] & (~0ULL << (s & 63));
    for (;;) {
        if (bits) {
            long p = (word << 6) + __builtin_ctzll(bits);
            return p < end ? p - s : -1;
        }
        if (++word << 6 >= end) return -1;
        bits = mask[word];
    }
}

// How many bits of a window's mask are set in [s, s + length).
static inline long bit_count(const uint64_t *mask, long s, long length) {
    long count = 0, end = s + length;
    for (long word = s >> 6; word << 6 < end; word++) {
        uint64_t bits = mask[word];
        if (word == s >> 6) bits &= ~0ULL << (s & 63);
        if (end - (word << 6) < 64) bits &= (1ULL << (end - (word << 6))) - 1;
        count += __builtin_popcountll(bits);
    }
    return count;
}

static inline int bit_at(const uint64_t *mask, long p) { return (int)((mask[p >> 6] >> (p & 63)) & 1); }

// The shape of the text field at bit s of a window: its length in *length, and 0 when it is
// unquoted (holds no quote), 1 when it is quoted (a quote first and last, none between), 2 when it
// is quoted with doubled quotes inside, -1 for anything else (or no end within LONGEST_TEXT
// bytes), TEXT_BEYOND_WINDOW when its end may lie beyond the bytes classified; *has_breaks set
// where a quoted one holds a line break. Short fields, the common case, are read from one load of
// each mask. Inlined always (the compiler left it a call: 15% of the kernel's time over a file of
// text columns, 4% over the mixed file, in paired comparisons).
__attribute__((always_inline)) static inline int text_field(const Classes *c, long s, long *length, int *has_breaks) {
    uint64_t ahead = range_bits(c->ends, s, 57);
    if (ahead) {
        long n = __builtin_ctzll(ahead);
        uint64_t quotes = range_bits(c->quotes, s, n);
        *length = n;
        if (!quotes) return 0;
        if (n < 2 || !(quotes & 1)) return -1;
        *has_breaks = range_bits(c->breaks, s, n) != 0;
        if (quotes == (1ULL | 1ULL << (n - 1))) return 1;
        // Opened at its first byte, the field is well formed when every byte but a quote lies inside
        // the quotes (an odd count of quotes up to it): so its quotes inside are doubled, and its last
        // byte is the closing quote (the field ends outside quotes).
        return ~quotes & ~prefix_xor(quotes) & ((1ULL << n) - 1) ? -1 : 2;
    }
    long classified = CLASSIFIED_BYTES - s;
    long n = first_bit(c->ends, s, classified < LONGEST_TEXT + 1 ? classified : LONGEST_TEXT + 1);
    if (n < 0) return classified < LONGEST_TEXT + 1 ? TEXT_BEYOND_WINDOW : -1;
    *length = n;
    long quotes = bit_count(c->quotes, s, n);
    if (!quotes) return 0;
    if (!bit_at(c->quotes, s) || !bit_at(c->quotes, s + n - 1)) return -1;
    *has_breaks = bit_count(c->breaks, s, n) != 0;
    if (quotes == 2) return 1;
    // As above, by the window's quote state: no byte but a quote outside the quotes.
    return bit_count(c->unquoted, s, n) ? -1 : 2;
}

// Whether the line from `position` is blank as the tokenizer sees it: nothing but spaces and tabs
// (that do not separate fields) before a line break or the end of the bytes. Rare, so kept out of
// the records' loop (inlined, its loop cost a numeric file's load 3 %).
__attribute__((noinline, cold)) static int is_blank_line(const unsigned char *bytes, long position, long count,
                                                        unsigned char separator) {
    while (position < count && (bytes[position] == ' ' || bytes[position] == '\t') && bytes[position] != separator) position++;
    return position == count || bytes[position] == '\n' || bytes[position] == '\r';
}

// The line breaks in the n bytes at p, counted as the tokenizer counts them: CRLF, LF or a lone
// CR each one (a rare field's, so byte by byte, where the masks would cost every window a pass).
static long count_line_breaks(const unsigned char *p, long n) {
    long count = 0;
    for (long i = 0; i < n; i++) count += p[i] == '\n' || (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n'));
    return count;
}

static const uint64_t powers_of_ten[SIGNIFICANT_DIGITS + 1] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
    1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
    1000000000000000000ULL, 10000000000000000000ULL};
// The powers of ten a double holds exactly.
static const double exact_powers_of_ten[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// m (below 2^52) as a double by its bits: no conversion instruction, which would wait on
// whatever last wrote its register.
static inline double exact_double(uint64_t m) {
    uint64_t bits = 0x4330000000000000ULL | m;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d - 4503599627370496.0;
}

static inline uint64_t load_word(const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

// The value of eight ASCII digits, the first in the lowest byte (Lemire's SWAR conversion).
static inline uint64_t eight_digits(uint64_t chunk) {
    const uint64_t mask = 0x000000FF000000FFULL;
    uint64_t v = chunk - 0x3030303030303030ULL;
    v = v * 10 + (v >> 8);
    return ((v & mask) * (100 + (1000000ULL << 32)) + ((v >> 16) & mask) * (1 + (10000ULL << 32))) >> 32;
}

// The value of the first n (≤ 8) digits of word: moved to its top bytes, '0's below them.
static inline uint64_t leading_digits(uint64_t word, long n) {
    if (n <= 0) return 0;
    if (n >= 8) return eight_digits(word);
    unsigned shift = (unsigned)(8 * n);
    return eight_digits((word << (64 - shift)) | (0x3030303030303030ULL >> shift));
}

// The value of the first n (≤ 16) digits of low then high.
static inline uint64_t words_digits(uint64_t low, uint64_t high, long n) {
    return n <= 8 ? leading_digits(low, n) : eight_digits(low) * powers_of_ten[n - 8] + leading_digits(high, n - 8);
}

// The value of the `digits` (≤ 16) digits at p, a point after the first `point` of them (point ==
// digits: none), converted in words.
static inline uint64_t mantissa_by_words(const unsigned char *p, long digits, long point) {
    uint64_t low = load_word(p), high = load_word(p + 8);
    if (point == digits) return words_digits(low, high, digits);
    unsigned shift = (unsigned)(8 * (point + 1));
    uint64_t fraction_low = shift < 64 ? (low >> shift) | (high << (64 - shift)) : high >> (shift - 64);
    uint64_t fraction_high = shift < 64 ? high >> shift : 0;
    long fraction = digits - point;
    return words_digits(low, high, point) * powers_of_ten[fraction] + words_digits(fraction_low, fraction_high, fraction);
}

// The same as a double, for at most EXACT_DIGITS digits.
static inline double value_by_words(const unsigned char *p, long digits, long point) {
    return exact_double(mantissa_by_words(p, digits, point));
}

// The value of the first n (≤ 19) digits at p (which has 24 bytes to read).
static inline uint64_t digits_value(const unsigned char *p, long n) {
    if (n <= 16) return words_digits(load_word(p), load_word(p + 8), n);
    return words_digits(load_word(p), load_word(p + 8), 16) * powers_of_ten[n - 16]
           + leading_digits(load_word(p + 16), n - 16);
}

// w × 10^q correctly rounded into *value, for an exact mantissa w > 0, by the Eisel-Lemire
// algorithm (Lemire 2021, as fast_float computes it): w times a 128-bit approximation of 5^q
// gives the significand's bits and enough bits below them to round. `five` points at 5^0's
// entry of a table of 5^q as (high, low) words that covers q. 0 where the product cannot settle
// the rounding (the conservative check of the original algorithm) and for subnormal results;
// infinity above the largest double. The one implementation, for the kernel and (through
// msh_eisel_lemire) for DecimalParser.
static inline int eisel_lemire(uint64_t w, long q, const uint64_t *five, double *value) {
    int leading_zeros = __builtin_clzll(w);
    uint64_t normalised = w << leading_zeros;
    const uint64_t *power = five + 2 * q;
    __uint128_t product = (__uint128_t)normalised * power[0];
    uint64_t high = (uint64_t)(product >> 64), low = (uint64_t)product;
    // 55 bits are needed (52 + 3); when the bits below them are all ones, the next word counts.
    const uint64_t below_precision = ~0ULL >> 55;
    if ((high & below_precision) == below_precision) {
        uint64_t second = (uint64_t)(((__uint128_t)normalised * power[1]) >> 64);
        uint64_t sum = low + second;
        if (sum < low) high++;
        low = sum;
    }
    if (low == ~0ULL && (q < -27 || q > 55)) return 0;
    int upper_bit = (int)(high >> 63);
    int shift = upper_bit + 9;
    uint64_t significand = high >> shift;
    // floor(log2(10^q)) + 63, and the exponent's bias.
    long power2 = (((152170L + 65536L) * q) >> 16) + 63 + upper_bit - leading_zeros + 1023;
    if (power2 <= 0) return 0;
    // Exactly halfway between two doubles (possible only for these q): round to even.
    if (low <= 1 && q >= -4 && q <= 23 && (significand & 3) == 1 && (significand << shift) == high) significand &= ~1ULL;
    significand += significand & 1;
    significand >>= 1;
    if (significand >= (2ULL << 52)) {
        significand = 1ULL << 52;
        power2++;
    }
    significand &= ~(1ULL << 52);
    if (power2 >= 0x7FF) {
        *value = __builtin_inf();
        return 1;
    }
    uint64_t bits = significand | ((uint64_t)power2 << 52);
    memcpy(value, &bits, sizeof bits);
    return 1;
}

int msh_eisel_lemire(uint64_t w, long q, const uint64_t *five, double *value) { return eisel_lemire(w, q, five, value); }

// How many of the first n (≤ 24) bytes at p are '0's before any other.
static inline long leading_zeros(const unsigned char *p, long n) {
    for (long zeros = 0; zeros < n; zeros += 8) {
        uint64_t others = load_word(p + zeros) ^ 0x3030303030303030ULL;
        if (others) {
            long found = zeros + (__builtin_ctzll(others) >> 3);
            return found < n ? found : n;
        }
    }
    return n;
}

// The value of more than EXACT_DIGITS digits at p with a point after the first `point` (< digits)
// of them, correctly rounded into *value: at most 19 significant digits (more only as zeros
// leading the fraction of a number below 1), exact in 64 bits; up to 2^53, over an exact power
// of ten, one division rounds them, above it Eisel-Lemire. 0 where it cannot say.
static inline int long_decimal(const unsigned char *p, long digits, long point, const uint64_t *five, double *value) {
    long fraction = digits - point;
    uint64_t m;
    if (digits <= SIGNIFICANT_DIGITS) {
        m = digits_value(p, point) * powers_of_ten[fraction] + digits_value(p + point + 1, fraction);
    } else {
        if (point > 1 || (point == 1 && p[0] != '0')) return 0;
        const unsigned char *first = p + point + 1;
        long zeros = leading_zeros(first, fraction);
        if (fraction - zeros > SIGNIFICANT_DIGITS) return 0;
        m = digits_value(first + zeros, fraction - zeros);
    }
    if (m <= 1ULL << 53 && fraction <= 22) {
        *value = (double)m / exact_powers_of_ten[fraction];
        return 1;
    }
    if (m == 0) {
        *value = 0;
        return 1;
    }
    return eisel_lemire(m, -fraction, five, value);
}

// 1 for the n bytes at p reading `true`, `True` or `TRUE`, 0 for `false`, `False` or `FALSE`,
// else -1: the booleans the reader's field-by-field path takes (p has 8 bytes to read).
static inline int boolean_value(const unsigned char *p, long n) {
    uint64_t word = load_word(p);
    if (n == 4) {
        uint32_t four = (uint32_t)word;
        // Little-endian words of the texts.
        if (four == 0x65757274u || four == 0x65757254u || four == 0x45555254u) return 1;
    } else if (n == 5) {
        uint64_t five = word & 0xFFFFFFFFFFULL;
        if (five == 0x65736c6166ULL || five == 0x65736c6146ULL || five == 0x45534c4146ULL) return 0;
    }
    return -1;
}

// The code of the n bytes at p (16 of which may be read) in `table`, or -1 where they are not
// one of its levels of at most 15 bytes: the key, hash and probe of Swift's LevelTable, which
// the table's arrays are.
static inline int32_t level_code(const MSHLevelLookup *table, const unsigned char *p, long n) {
    if (n > 15) return -1;
    uint64_t low = load_word(p) & (n >= 8 ? ~0ULL : (1ULL << (8 * n)) - 1);
    uint64_t high = n > 8 ? load_word(p + 8) & ((1ULL << (8 * (n - 8))) - 1) : 0;
    high |= (uint64_t)(n + 1) << 56;
    uint64_t hash = (table->seed ^ low) * 0xFF51AFD7ED558CCDULL;
    hash ^= hash >> 29;
    hash = (hash ^ high) * 0xC4CEB9FE1A85EC53ULL;
    hash ^= hash >> 32;
    uint64_t tag = hash & 0xFFFFFFFF00000000ULL, mask = (uint64_t)table->slot_count - 1;
    for (uint64_t slot = hash & mask;; slot = (slot + 1) & mask) {
        uint64_t entry = table->slots[slot];
        if (!entry) return -1;
        if ((entry & 0xFFFFFFFF00000000ULL) == tag) {
            uint64_t code = (entry & 0xFFFFFFFFULL) - 1;
            if (table->keys[2 * code] == low && table->keys[2 * code + 1] == high) return (int32_t)code;
        }
    }
}

#if defined(__x86_64__)
// The same in vector registers: one shuffle moves the digits right-aligned into 16 lanes (lanes
// before them zero, the point skipped), then pairs, fours and eights are summed by multiply-adds,
// and the two eights joined as doubles (exact below 10^15, and without a trip through the
// general registers, which cost a twentieth of the kernel's time).
__attribute__((target("sse4.1,ssse3"))) static inline double value_by_vector(const unsigned char *p, long digits, long point) {
    __m128i lane = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    // The digit each lane takes (negative, so zeroed by the shuffle, before the first), one byte
    // further from the point on.
    __m128i digit = _mm_sub_epi8(lane, _mm_set1_epi8((char)(16 - digits)));
    __m128i control = _mm_sub_epi8(digit, _mm_cmpgt_epi8(digit, _mm_set1_epi8((char)(point - 1))));
    __m128i v = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)p), _mm_set1_epi8('0'));
    v = _mm_shuffle_epi8(v, control);
    v = _mm_maddubs_epi16(v, _mm_set_epi8(1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10));
    v = _mm_madd_epi16(v, _mm_set_epi16(1, 100, 1, 100, 1, 100, 1, 100));
    v = _mm_packus_epi32(v, v);
    v = _mm_madd_epi16(v, _mm_set_epi16(1, 10000, 1, 10000, 1, 10000, 1, 10000));
    __m128d eights = _mm_cvtepi32_pd(v);
    return _mm_cvtsd_f64(eights) * 1e8 + _mm_cvtsd_f64(_mm_unpackhi_pd(eights, eights));
}
#endif

// One variant of the kernel: NAME, its target attribute and how it converts digits. The body is
// the same for every variant, so they read the same records into the same values.
#define DEFINE_RECORDS(NAME, TARGET, VALUE)                                                                     \
    /* The window from `bytes`, whose first `skip` bytes (before the field reached) are not read for   \
       quotes; WITH_QUOTES (a constant) 0 when every column is a number column, which a quote stops. */   \
    TARGET __attribute__((always_inline)) static inline void classify_##NAME(const unsigned char *bytes, long skip, \
                                                                             char separator, Classes *c,        \
                                                                             int with_quotes) {                 \
        uint64_t inside = 0; /* all ones while inside quotes at the end of the word before */                    \
        for (long word = 0; word <= WINDOW_WORDS; word++) {                                                       \
            Block v;                                                                                              \
            /* The bytes two windows on, asked for now: a mapped file's pages lie apart in memory, and            \
               the processor's own prefetch stops at each page's end (the mixed file 0.98 of the time,            \
               the numeric 0.96, 21 alternating pairs). A prefetch never faults. */                               \
            __builtin_prefetch(bytes + 64 * word + 2 * WINDOW_BYTES);                                             \
            memcpy(&v, bytes + 64 * word, sizeof v);                                                              \
            __typeof__(v == v) line = (v == '\n') | (v == '\r'), end = (v == separator) | line;                  \
            __typeof__(v == v) point = v == '.', minus = v == '-', digit = (v >= '0') & (v <= '9');               \
            uint64_t ends = bits_of(__builtin_convertvector(end, BlockBits));                                     \
            if (with_quotes) {                                                                                    \
                uint64_t quotes = bits_of(__builtin_convertvector(v == '"', BlockBits));                         \
                if (word == 0) quotes &= ~((1ULL << skip) - 1);                                                   \
                uint64_t quoted = prefix_xor(quotes) ^ inside;                                                    \
                inside = (uint64_t)((int64_t)quoted >> 63);                                                       \
                ends &= ~quoted;                                                                                  \
                c->quotes[word] = quotes;                                                                         \
                c->unquoted[word] = ~(quoted | quotes);                                                           \
                c->breaks[word] = bits_of(__builtin_convertvector(line, BlockBits));                              \
            }                                                                                                     \
            c->ends[word] = ends;                                                                                 \
            c->points[word] = bits_of(__builtin_convertvector(point, BlockBits));                                 \
            c->minus[word] = bits_of(__builtin_convertvector(minus, BlockBits));                                  \
            c->other[word] = ~bits_of(__builtin_convertvector(end | point | minus | digit, BlockBits));           \
        }                                                                                                         \
    }                                                                                                             \
    TARGET static void classify_window_##NAME(const unsigned char *bytes, long skip, char separator, Classes *c) { \
        classify_##NAME(bytes, skip, separator, c, 1);                                                            \
    }                                                                                                             \
    TARGET static void classify_numbers_window_##NAME(const unsigned char *bytes, char separator, Classes *c) {   \
        classify_##NAME(bytes, 0, separator, c, 0);                                                               \
    }                                                                                                             \
    /* NUMBERS_ONLY (a constant) 1 when every column is a number column. */                                      \
    TARGET __attribute__((always_inline)) static inline long records_body_##NAME(                                 \
        int numbers_only, const unsigned char *bytes, long count, long start, long limit, unsigned char separator, \
        long columns, const unsigned char *numeric, int options, const uint64_t *five, long capacity,             \
        double *values, long *spans, unsigned char *flags, const MSHLevelLookup *levels, int32_t *codes,          \
        long *rows_read, long *lines_read) {                                                                      \
        Classes classes;                                                                                          \
        /* Records of numbers alone are classified without quotes, unless numbers may be quoted. */               \
        int quote_masks = !numbers_only || (options & MSH_CSV_QUOTED_NUMBERS);                                    \
        long window = -1; /* the window's first byte; none yet */                                                 \
        long position = start, rows = 0, line_breaks = 0;                                                         \
        while (rows < capacity && position < limit) {                                                             \
            long record = position, record_breaks = 0;                                                            \
            /* A blank line, which the tokenizer skips: in a file of one column it would read as a \
               record of one field. (Only a line that starts with a byte up to a space may be one.) */ \
            if (bytes[position] <= ' ' && is_blank_line(bytes, position, count, separator)) goto stop;             \
            for (long column = 0; column < columns; column++) {                                                   \
                long s = position - window;                                                                       \
                long reserve = numbers_only || numeric[column] ? NUMBER_RESERVE : TEXT_RESERVE;                  \
                if (window < 0 || s >= CLASSIFIED_BYTES - reserve) {                                              \
                    window = position & ~63L;                                                                     \
                    if (window + CLASSIFIED_BYTES > count) goto stop;                                                \
                    if (!quote_masks) classify_numbers_window_##NAME(bytes + window, (char)separator, &classes);  \
                    else classify_window_##NAME(bytes + window, position - window, (char)separator, &classes);    \
                    s = position - window;                                                                        \
                }                                                                                                 \
                long slot = column * capacity + rows, length;                                                     \
                if (numbers_only || numeric[column]) {                                                            \
                    uint64_t ahead = range_bits(classes.ends, s, LONGEST_NUMBER + 1);                             \
                    if (!ahead) goto stop;                                                                        \
                    length = __builtin_ctzll(ahead);                                                              \
                    /* The number's bytes: [first, first + n) of the window, a quoted one's quotes excluded. */   \
                    long first = s, n = length;                                                                   \
                    if (quote_masks && n >= 2 && bytes[position] == '"') {                                        \
                        /* No quote between, and no separator or line break (which end no field inside quotes). */ \
                        if (range_bits(classes.quotes, s, n) != (1ULL | 1ULL << (n - 1))                           \
                            || range_bits(classes.breaks, s, n) || memchr(bytes + position, separator, (size_t)n))  \
                            goto stop;                                                                            \
                        first++;                                                                                  \
                        n -= 2;                                                                                   \
                    }                                                                                             \
                    const unsigned char *number = bytes + window + first;                                         \
                    if (n == 0 || (n == 2 && number[0] == 'N' && number[1] == 'A')) {                             \
                        if (!(options & (n == 0 ? MSH_CSV_EMPTY_IS_MISSING : MSH_CSV_NA_IS_MISSING))) goto stop;  \
                        values[slot] = __builtin_nan("");                                                         \
                        flags[column] |= MSH_CSV_MISSING;                                                         \
                    } else if (!numbers_only && numeric[column] == MSH_CSV_BOOLEAN_COLUMN) {                      \
                        int truth = boolean_value(number, n);                                                     \
                        if (truth < 0) goto stop;                                                                 \
                        values[slot] = truth;                                                                     \
                        flags[column] |= MSH_CSV_NUMBER;                                                          \
                    } else {                                                                                      \
                        if (range_bits(classes.other, first, n)) goto stop;                                       \
                        uint64_t minus = range_bits(classes.minus, first, n);                                     \
                        uint64_t points = range_bits(classes.points, first, n);                                   \
                        /* A minus sign only first, at most one point. */                                         \
                        if ((minus & ~1ULL) || (points & (points - 1))) goto stop;                                \
                        long negative = (long)minus, digits = n - negative - (points != 0);                       \
                        if (digits < 1) goto stop;                                                                \
                        long point = points ? __builtin_ctzll(points) - negative : digits;                        \
                        double value;                                                                             \
                        if (digits <= EXACT_DIGITS) {                                                             \
                            /* Below 10^15 < 2^53 over at most 10^15: exact operands, one correctly rounded division. */ \
                            value = VALUE(number + negative, digits, point)                                       \
                                    / exact_powers_of_ten[digits - point];                                        \
                        } else if (point == digits || !long_decimal(number + negative, digits, point, five, &value)) { \
                            /* A long integer (whose type the reader judges) or a rounding left open. */          \
                            goto stop;                                                                            \
                        }                                                                                         \
                        values[slot] = negative ? -value : value;                                                 \
                        flags[column] |= points ? MSH_CSV_NUMBER | MSH_CSV_POINT : MSH_CSV_NUMBER;                \
                    }                                                                                             \
                } else {                                                                                          \
                    int has_breaks = 0;                                                                           \
                    int shape = text_field(&classes, s, &length, &has_breaks);                                    \
                    if (shape == TEXT_BEYOND_WINDOW && s >= 64) {                                                 \
                        /* Classified anew from the field (a window that starts there holds its end, or \
                           it is too long), and read again. */                                                    \
                        window = -1;                                                                              \
                        column--;                                                                                 \
                        continue;                                                                                 \
                    }                                                                                             \
                    if (has_breaks) record_breaks += count_line_breaks(bytes + position, length);                 \
                    if (shape < 0) goto stop;                                                                     \
                    /* Its contents: a quoted one's without its quotes. */                                        \
                    long contents = shape == 0 ? position : position + 1, n = shape == 0 ? length : length - 2;   \
                    spans[2 * slot] = contents;                                                                   \
                    /* Their length as ~length where they hold doubled quotes. */                                 \
                    spans[2 * slot + 1] = shape == 2 ? ~n : n;                                                    \
                    if (shape == 2) flags[column] |= MSH_CSV_DOUBLED_QUOTES;                                      \
                    if (levels && levels[column].slot_count)                                                      \
                        codes[slot] = shape == 2 ? -1 : level_code(&levels[column], bytes + contents, n);         \
                }                                                                                                 \
                long end = position + length;                                                                     \
                unsigned char next = bytes[end];                                                                  \
                if (column < columns - 1) {                                                                       \
                    if (next != separator) goto stop;                                                             \
                    position = end + 1;                                                                           \
                } else if (next == '\n') {                                                                        \
                    position = end + 1;                                                                           \
                } else if (next == '\r' && bytes[end + 1] == '\n') {                                              \
                    position = end + 2;                                                                           \
                } else {                                                                                          \
                    goto stop;                                                                                    \
                }                                                                                                 \
            }                                                                                                     \
            rows++;                                                                                               \
            line_breaks += record_breaks;                                                                         \
            continue;                                                                                             \
        stop:                                                                                                     \
            position = record;                                                                                    \
            break;                                                                                                \
        }                                                                                                         \
        *rows_read = rows;                                                                                        \
        *lines_read = rows + line_breaks;                                                                         \
        return position;                                                                                          \
    }                                                                                                             \
    /* The body twice: once for records of numbers alone, where no field asks which kind its column is \
       (7% faster over the numeric file in a paired comparison), once for the rest. */                   \
    TARGET static long records_##NAME(const unsigned char *bytes, long count, long start, long limit,            \
                                      unsigned char separator, long columns, const unsigned char *numeric,        \
                                      int options, const uint64_t *five, long capacity, double *values,          \
                                      long *spans, unsigned char *flags, const MSHLevelLookup *levels,           \
                                      int32_t *codes, long *rows_read, long *lines_read) {                       \
        int numbers_only = 1;                                                                                     \
        for (long column = 0; column < columns; column++) numbers_only &= numeric[column] == MSH_CSV_NUMBER_COLUMN;  \
        if (numbers_only)                                                                                         \
            return records_body_##NAME(1, bytes, count, start, limit, separator, columns, numeric, options, five, \
                                       capacity, values, spans, flags, levels, codes, rows_read, lines_read);     \
        return records_body_##NAME(0, bytes, count, start, limit, separator, columns, numeric, options, five,     \
                                   capacity, values, spans, flags, levels, codes, rows_read, lines_read);         \
    }

DEFINE_RECORDS(generic, , value_by_words)
#if defined(__x86_64__)
DEFINE_RECORDS(avx2, __attribute__((target("avx2,sse4.1,ssse3,popcnt"))), value_by_vector)
DEFINE_RECORDS(avx512, __attribute__((target("avx512bw,avx512f,sse4.1,ssse3,popcnt"))), value_by_vector)
#endif

long msh_csv_records(const unsigned char *bytes, long count, long start, long limit, unsigned char separator, long columns,
                     const unsigned char *numeric, int options, const uint64_t *powers_of_five, long capacity,
                     double *values, long *spans, unsigned char *flags, const MSHLevelLookup *levels, int32_t *codes,
                     long *rows_read, long *lines_read) {
#if defined(__x86_64__)
    // The vector variants run where the other kernels' AVX2 variants do (msh_kernels_prefer_baseline
    // makes tests run the word variant on any machine).
    if (msh_kernels_use_fma()) {
        static int vector_class = -1;  // a benign race: every thread computes the same answer
        if (vector_class < 0) vector_class = msh_cpu_vector_class();
        if (vector_class == 2)
            return records_avx512(bytes, count, start, limit, separator, columns, numeric, options, powers_of_five, capacity,
                                  values, spans, flags, levels, codes, rows_read, lines_read);
        return records_avx2(bytes, count, start, limit, separator, columns, numeric, options, powers_of_five, capacity, values,
                            spans, flags, levels, codes, rows_read, lines_read);
    }
#endif
    return records_generic(bytes, count, start, limit, separator, columns, numeric, options, powers_of_five, capacity, values,
                           spans, flags, levels, codes, rows_read, lines_read);
}
