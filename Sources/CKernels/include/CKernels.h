// Inner loops in C so that one source compiles both for any x86-64 and for CPUs with FMA and
// AVX2, chosen at run time: Swift builds target a baseline CPU without FMA, where an error-free
// product costs about fifteen operations instead of two. The double-double kernels of the
// least-squares refinement compute the same exact products in both variants and round every
// other operation in the same order, so their results are bit for bit the same (FP contraction
// is off in the source); the Gram kernel fuses its multiplications and additions where FMA is
// there, so its sums differ in the last bits between the variants (as BLAS's kernels do
// between CPUs), and the binomial rows take libmvec's vector exp and log in the AVX2 variant.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stdint.h>

/// (h, l) -= column * (b_hi + b_lo), row by row: h - column * b_hi error-free into h and the
/// error, the product's error and column * b_lo into l.
void msh_dd_subtract(const double *column, double b_hi, double b_lo, double *h, double *l, long count);

/// Four lanes (rows i ≡ k mod 4 of the first count - count % 4) and the rest of
/// Σ column · (h + l), each lane's running sum and its product and addition errors error-free
/// (Ogita, Rump and Oishi's Dot2): sums[k], errors[k] for k < 4, then sums[4], errors[4] for
/// the rows after the last whole group of four.
void msh_dd_dot(const double *column, const double *h, const double *l, long count, double sums[5], double errors[5]);

/// gram[a + b * size] += Σ_k w[k] · x_a[k] · x_b[k] for a ≤ b < count, x_j = columns[j] (each
/// `rows` values) and w = weights, or 1 for every row when weights is NULL: the upper triangle
/// (with the diagonal) of Xᵀ diag(w) X added to `gram` (size × size, column-major), count ≥ 1
/// and size ≥ count. Each entry is summed in four lanes (rows k ≡ 0, 1, 2, 3 mod 4 of the first
/// rows - rows % 4), added as ((0 + 1) + (2 + 3)) + the rest, whatever the count.
void msh_gram_add(const double *const *columns, const double *weights, long rows, long count, double *gram, long size);

/// out[i] += Σ_j columns[j][i] · coefficients[j] for i < rows, each row's terms added in
/// column order with every product and sum rounded (the loop written out, bit for bit, in
/// both variants).
void msh_add_products(const double *const *columns, const double *coefficients, long count, long rows, double *out);

/// above[k] = how many of the values exceed edges[k] (k < edgeCount), and *present = how many
/// are not NaN; exact, so the same in both variants.
void msh_count_above(const double *values, long count, const double *edges, long edgeCount, long *above, long *present);

/// Sets bit offset + i of `words` (little-endian bit order, 64 a word) for each NaN values[i],
/// i < count: a column's missing numbers as its mask, found while its values are in the cache.
/// The words must reach bit offset + count - 1 and hold no other set bits from offset on.
/// Returns how many NaNs there were; *infinite becomes 1 where any value is ±infinity.
long msh_nan_bits(const double *values, long count, uint64_t *words, long offset, int *infinite);

/// out[i] = values[i] − mean for i < count, where mean is their sum (taken in eight lanes: a
/// single running sum waits on each addition) over count; returns the mean (0 for no values).
double msh_centre(const double *values, long count, double *out);

/// R's binomial IRLS (logit link) for `count` rows at η, y 0 or 1: μ and dμ/dη (clamped beyond
/// |η| = 30 as R's family.c does) into mu and derivative, and, when weights is not NULL, the
/// weight μ′²/(μ(1 − μ)) and working residual (y − μ)/μ′ into weights and residuals; returns
/// the sum of the rows' deviance terms −2 log μ (y = 1) or −2 log(1 − μ). The AVX2 variant
/// takes exp and log four rows at a time from glibc's libmvec (within 4 ulps, where the
/// baseline's libm is within 1), so the variants may differ in the last bits.
double msh_binomial_rows(const double *eta, const double *y, double *mu, double *derivative, double *weights, double *residuals,
                         long count);

/// w × 10^q correctly rounded into *value, for a mantissa w > 0 exact in 64 bits, by the
/// Eisel-Lemire algorithm; `five` points at 5^0's entry of a table of 5^q as 128-bit
/// significands (high word first) that covers q. Returns 0 where the algorithm cannot settle the
/// rounding, and for subnormal results; gives infinity above the largest double.
int msh_eisel_lemire(uint64_t w, long q, const uint64_t *five, double *value);

/// What `msh_csv_records` met in a column's fields (bits of flags[j]): in a number column's,
/// numbers, one with a point, missing ones; in another column's, a quoted field with doubled quotes.
enum { MSH_CSV_NUMBER = 1, MSH_CSV_POINT = 2, MSH_CSV_MISSING = 4, MSH_CSV_DOUBLED_QUOTES = 8 };
/// How `msh_csv_records` reads number columns (bits of its options): an empty field, or `NA`, as
/// missing; numbers that may be quoted.
enum { MSH_CSV_EMPTY_IS_MISSING = 1, MSH_CSV_NA_IS_MISSING = 2, MSH_CSV_QUOTED_NUMBERS = 4 };
/// numeric[j] of a column of numbers, and of one of booleans, for `msh_csv_records`.
enum { MSH_CSV_NUMBER_COLUMN = 1, MSH_CSV_BOOLEAN_COLUMN = 2 };

/// A text column's table of levels as `msh_csv_records` looks fields up in it (the arrays of
/// the reader's LevelTable, read only): level c's key, a text of at most 15 bytes as two words
/// (its bytes from the low byte of the first on, zeros after them, its length + 1 in the top
/// byte of the second), at keys[2c] and keys[2c + 1] (zeros for a longer level); `slot_count`
/// (a power of two, or 0 for no lookups in this column) slots of open addressing, each the
/// upper half of a level's hash and its code + 1 in the lower half, or 0 where empty; the
/// hash's seed.
typedef struct {
    const uint64_t *keys;
    const uint64_t *slots;
    long slot_count;
    uint64_t seed;
} MSHLevelLookup;

/// The CSV reader's fast path: reads records from `start` (a record boundary) while each starts
/// before `limit`, ends at LF or CRLF and holds `columns` fields split by `separator`,
/// at most `capacity` of them. A field of a column j with numeric[j] != 0 must be a plain
/// decimal number (an optional '-', at most 15 digits with at most one '.' among them, or more
/// with one '.' of which at most 19 are significant, at most 24 bytes), read correctly rounded
/// into values[j * capacity + r] for the r-th record (the longer ones as DecimalParser rounds
/// them: `powers_of_five` points at 5^0's entry of DecimalParser's table of 5^q as 128-bit
/// significands, high word first, which must reach down to 5^-23),
/// or empty or `NA` where `options` make it missing (NaN there); with MSH_CSV_QUOTED_NUMBERS it
/// may be quoted (its quotes first and last), else a quote stops a record of numbers alone;
/// flags[j] gets MSH_CSV_NUMBER, MSH_CSV_POINT (one had a point)
/// and MSH_CSV_MISSING as met. Where numeric[j] == MSH_CSV_BOOLEAN_COLUMN the field must instead
/// be `true`, `True` or `TRUE` (read as 1) or `false`, `False` or `FALSE` (0), quoted and missing
/// as a number may be (MSH_CSV_NUMBER for one that is not missing). A field of another column, at most 4,000 bytes, unquoted (without a
/// quote) or quoted (with line breaks and "" inside it allowed), is delimited:
/// the offset and length of its contents, quotes excluded, in spans[2 (j * capacity + r)] and the
/// entry after — the length as ~length (negative) where the contents hold doubled quotes, each
/// to be read as one quote, and flags[j] then gets MSH_CSV_DOUBLED_QUOTES. Stops
/// before the first record that is not such, and before a blank line (only spaces and tabs
/// that do not separate fields; the tokenizer skips it); reads no byte at or past `count`, and so leaves the
/// records of the last few kilobytes (a window of 4160 bytes) to the caller. Returns where it
/// stopped, the records read in *rows_read and the lines they take in *lines_read (more than the
/// records where quoted fields hold line breaks, counted as the tokenizer counts them: CRLF, LF or
/// a lone CR each one). The separator is none of '0'-'9', '.', '-', '"', LF and CR.
/// Where `levels` is not NULL and levels[j].slot_count is not 0, a text field of column j is also
/// looked up in that table: codes[j * capacity + r] gets its level's code, or -1 where it is not
/// one of the table's short levels (a new text, a longer one, one with doubled quotes), for the
/// reader to look up itself.
long msh_csv_records(const unsigned char *bytes, long count, long start, long limit, unsigned char separator, long columns,
                     const unsigned char *numeric, int options, const uint64_t *powers_of_five, long capacity,
                     double *values, long *spans, unsigned char *flags, const MSHLevelLookup *levels, int32_t *codes,
                     long *rows_read, long *lines_read);

/// 1 when the FMA and AVX2 variants run.
int msh_kernels_use_fma(void);

/// Makes the kernels run their baseline variant (nonzero) or the best the CPU has (0), so that
/// tests can check the two against each other on one machine.
void msh_kernels_prefer_baseline(int yes);

/// The class of vector instructions the CPU has (and the system saves the registers of):
/// 2 for AVX-512 (F, CD, BW, DQ and VL, what OpenBLAS's SkylakeX kernels use), 1 for AVX2 with
/// FMA, 0 for less or another architecture.
int msh_cpu_vector_class(void);

/// Asks for the cache line at `address` ahead of its use (Swift has no prefetch of its own); a
/// hint only, so any address may be given. Inline, so it costs one instruction.
static inline void msh_prefetch(const void *address) { __builtin_prefetch(address); }

#endif
