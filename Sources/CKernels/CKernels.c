#include "CKernels.h"
#include <math.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

// Every multiplication and addition is rounded on its own, as written: a fused multiply-add
// formed by the compiler would change the low bits and differ between the two variants.
#pragma clang fp contract(off)

// Four doubles, one per row (or lane); unaligned loads and stores go through memcpy.
typedef double Lanes __attribute__((vector_size(32)));
// (Macros, not functions: a function returning Lanes would change its ABI with the variant.)
#define LOAD(p) ({ Lanes v_; __builtin_memcpy(&v_, (p), sizeof v_); v_; })
#define STORE(p, v) do { Lanes w_ = (v); __builtin_memcpy((p), &w_, sizeof w_); } while (0)

// a * b = p + error exactly: by a fused multiply-add, or by Dekker's product of Veltkamp's
// 26-bit halves (exact unless a or b is beyond 2^996). For doubles and for Lanes alike.
#define TWO_PRODUCT_FMA(a, b, p) __builtin_elementwise_fma((a), (b), -(p))
#define TWO_PRODUCT_DEKKER(a, b, p) ({                                                         \
    __typeof__(a) c_ = 134217729.0 * (a), ah_ = c_ - (c_ - (a)), al_ = (a) - ah_;             \
    __typeof__(b) d_ = 134217729.0 * (b), bh_ = d_ - (d_ - (b)), bl_ = (b) - bh_;             \
    ((ah_ * bh_ - (p)) + ah_ * bl_ + al_ * bh_) + al_ * bl_; })

// The kernels' bodies, instantiated once per variant below. Each row's arithmetic is the same
// whether it is done in a lane or alone.
#define SUBTRACT_ROW(T, v, b_hi, b_lo, h, l, TWO_PRODUCT) do {                                  \
        T p = (v) * (b_hi), product_error = TWO_PRODUCT((v), (b_hi), p);                         \
        T a = (h), b = -p, s = a + b, bb = s - a, sum_error = (a - (s - bb)) + (b - bb);         \
        (h) = s;                                                                                 \
        (l) = (l) + ((sum_error - product_error) - (v) * (b_lo));                                \
    } while (0)
#define DOT_ROW(T, x, hv, lv, sum, error, TWO_PRODUCT) do {                                     \
        T p = (x) * (hv), product_error = TWO_PRODUCT((x), (hv), p);                             \
        T t = (sum) + p, bb = t - (sum), sum_error = ((sum) - (t - bb)) + (p - bb);              \
        (error) = (error) + ((sum_error + product_error) + (x) * (lv));                          \
        (sum) = t;                                                                               \
    } while (0)
#define DEFINE_KERNELS(SUFFIX, ATTRIBUTES, TWO_PRODUCT)                                                      \
    ATTRIBUTES static void subtract_##SUFFIX(const double *column, double b_hi, double b_lo, double *h,      \
                                             double *l, long count) {                                        \
        long i = 0;                                                                                          \
        Lanes high = {b_hi, b_hi, b_hi, b_hi}, low = {b_lo, b_lo, b_lo, b_lo};                               \
        for (; i + 4 <= count; i += 4) {                                                                     \
            Lanes v = LOAD(column + i), hv = LOAD(h + i), lv = LOAD(l + i);                                  \
            SUBTRACT_ROW(Lanes, v, high, low, hv, lv, TWO_PRODUCT);                                          \
            STORE(h + i, hv);                                                                                \
            STORE(l + i, lv);                                                                                \
        }                                                                                                    \
        for (; i < count; i++) SUBTRACT_ROW(double, column[i], b_hi, b_lo, h[i], l[i], TWO_PRODUCT);         \
    }                                                                                                        \
    ATTRIBUTES static void dot_##SUFFIX(const double *column, const double *h, const double *l, long count, \
                                        double sums[5], double errors[5]) {                                 \
        Lanes s = {0, 0, 0, 0}, e = {0, 0, 0, 0};                                                            \
        long i = 0;                                                                                          \
        for (; i + 4 <= count; i += 4) {                                                                     \
            Lanes x = LOAD(column + i), hv = LOAD(h + i), lv = LOAD(l + i);                                  \
            DOT_ROW(Lanes, x, hv, lv, s, e, TWO_PRODUCT);                                                    \
        }                                                                                                    \
        double rest = 0, rest_error = 0;                                                                     \
        for (; i < count; i++) DOT_ROW(double, column[i], h[i], l[i], rest, rest_error, TWO_PRODUCT);        \
        for (int k = 0; k < 4; k++) { sums[k] = s[k]; errors[k] = e[k]; }                                    \
        sums[4] = rest;                                                                                      \
        errors[4] = rest_error;                                                                              \
    }

// The upper triangle of Xᵀ diag(w) X, in tiles of two columns by four, the tile's eight sums
// held in lanes of four rows (sixteen registers with the loads, as AVX2 has) and added up at
// the end. The two columns of a tile are weighed as they are loaded (w · x_a, then times x_b),
// so the rows are read where they lie, without a weighed copy.
#define MULTIPLY_ADD_FMA(x, y, sum) __builtin_elementwise_fma((x), (y), (sum))
#define MULTIPLY_ADD_SEPARATE(x, y, sum) ((sum) + (x) * (y))
#define DEFINE_GRAM(SUFFIX, ATTRIBUTES, MULTIPLY_ADD, WEIGHED)                                               \
    ATTRIBUTES static void gram_##SUFFIX(const double *const *columns, const double *weights, long rows,    \
                                         long count, double *gram, long size) {                              \
        long whole = rows / 4 * 4;                                                                           \
        /* Tiles of two columns a, a + 1 by four b, …, b + 3 with b from a: columns past the last */        \
        /* repeat it, and their entries (and those below the diagonal) are not stored. */                    \
        const double *column[count + 5];                                                                     \
        for (long j = 0; j < count + 5; j++) column[j] = columns[j < count ? j : count - 1];                 \
        for (long a = 0; a < count; a += 2) {                                                                \
            for (long b = a; b < count; b += 4) {                                                            \
                const double *x0 = column[a], *x1 = column[a + 1];                                           \
                const double *y[4] = {column[b], column[b + 1], column[b + 2], column[b + 3]};               \
                Lanes sums[2][4] = {{0}};                                                                    \
                for (long k = 0; k < whole; k += 4) {                                                        \
                    Lanes u = LOAD(x0 + k), v = LOAD(x1 + k);                                                \
                    if (WEIGHED) {                                                                           \
                        Lanes weight = LOAD(weights + k);                                                    \
                        u = u * weight;                                                                      \
                        v = v * weight;                                                                      \
                    }                                                                                        \
                    for (int j = 0; j < 4; j++) {                                                            \
                        Lanes w = LOAD(y[j] + k);                                                            \
                        sums[0][j] = MULTIPLY_ADD(u, w, sums[0][j]);                                         \
                        sums[1][j] = MULTIPLY_ADD(v, w, sums[1][j]);                                         \
                    }                                                                                        \
                }                                                                                            \
                for (int i = 0; i < 2; i++) {                                                                \
                    for (int j = 0; j < 4; j++) {                                                            \
                        if (a + i > b + j || b + j >= count) continue;                                       \
                        const double *x = i == 0 ? x0 : x1, *z = y[j];                                       \
                        double rest = 0;                                                                     \
                        for (long k = whole; k < rows; k++) rest += (WEIGHED ? x[k] * weights[k] : x[k]) * z[k]; \
                        Lanes t = sums[i][j];                                                                \
                        gram[(a + i) + (b + j) * size] += ((t[0] + t[1]) + (t[2] + t[3])) + rest;            \
                    }                                                                                        \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }
// One row of R's binomial IRLS with the logit link at η (family.c's logit_linkinv and
// logit_mu_eta, clamped beyond |η| = 30; glm's deviance residual and working values), for a
// double or for Lanes alike: T the type, EXP and LOG the functions, SELECT(c, a, b) a where c.
#define BINOMIAL_ROW(T, eta, y, EXP, LOG, SELECT, mu_out, derivative_out, deviance, weight_out, residual_out) do { \
        T t_ = SELECT((eta) < -30.0, (T){0} + EPSILON, SELECT((eta) > 30.0, (T){0} + 1 / EPSILON, EXP(eta)));       \
        T one_plus_ = 1.0 + t_, m_ = t_ / one_plus_;                                                                  \
        T d_ = SELECT((eta) < -30.0 | (eta) > 30.0, (T){0} + EPSILON, t_ / (one_plus_ * one_plus_));                  \
        (mu_out) = m_;                                                                                                \
        (derivative_out) = d_;                                                                                        \
        (deviance) = (deviance) + -2.0 * LOG(SELECT((y) == 1.0, m_, 1.0 - m_));                                      \
        (weight_out) = d_ * d_ / (m_ * (1.0 - m_));                                                                   \
        (residual_out) = ((y) - m_) / d_;                                                                             \
    } while (0)
#define EPSILON 2.220446049250313080847263336181640625e-16
#define SELECT_SCALAR(c, a, b) ((c) ? (a) : (b))
typedef long long Mask __attribute__((vector_size(32)));
#define SELECT_LANES(c, a, b) ((Lanes)(((Mask)(a) & (Mask)(c)) | ((Mask)(b) & ~(Mask)(c))))
// Four rows at a time (the deviance in four lanes, added up at the end as ((0 + 1) + (2 + 3))
// + the rest, in both variants), the last few alone.
#define DEFINE_BINOMIAL(SUFFIX, ATTRIBUTES, LANE_EXP, LANE_LOG)                                                      \
    ATTRIBUTES static double binomial_##SUFFIX(const double *eta, const double *y, double *mu, double *derivative,  \
                                               double *weights, double *residuals, long count) {                    \
        Lanes sums = {0, 0, 0, 0}, weight, residual;                                                                 \
        long i = 0;                                                                                                  \
        for (; i + 4 <= count; i += 4) {                                                                             \
            Lanes e = LOAD(eta + i), v = LOAD(y + i), m, d;                                                          \
            BINOMIAL_ROW(Lanes, e, v, LANE_EXP, LANE_LOG, SELECT_LANES, m, d, sums, weight, residual);               \
            STORE(mu + i, m);                                                                                        \
            STORE(derivative + i, d);                                                                                \
            if (weights) { STORE(weights + i, weight); STORE(residuals + i, residual); }                             \
        }                                                                                                            \
        double rest = 0;                                                                                             \
        for (; i < count; i++) {                                                                                     \
            double w, r;                                                                                             \
            BINOMIAL_ROW(double, eta[i], y[i], exp, log, SELECT_SCALAR, mu[i], derivative[i], rest, w, r);           \
            if (weights) { weights[i] = w; residuals[i] = r; }                                                       \
        }                                                                                                            \
        return ((sums[0] + sums[1]) + (sums[2] + sums[3])) + rest;                                                   \
    }
// The baseline's lanes call the scalar functions lane by lane.
#define LANEWISE(f, v) ((Lanes){f((v)[0]), f((v)[1]), f((v)[2]), f((v)[3])})
#define LANEWISE_EXP(v) LANEWISE(exp, v)
#define LANEWISE_LOG(v) LANEWISE(log, v)

// out[i] + Σ_j x_j[i] · b_j, the terms added in column order, each product and sum rounded on
// its own: the same for every row as the loop written out, in four rows at a time (eight
// independent rows per step, so the additions' latency overlaps).
#define DEFINE_ADD_PRODUCTS(SUFFIX, ATTRIBUTES)                                                                      \
    ATTRIBUTES static void add_products_##SUFFIX(const double *const *columns, const double *coefficients,          \
                                                 long count, long rows, double *out) {                              \
        long i = 0;                                                                                                  \
        for (; i + 8 <= rows; i += 8) {                                                                              \
            Lanes a = LOAD(out + i), b = LOAD(out + i + 4);                                                          \
            for (long j = 0; j < count; j++) {                                                                       \
                a = a + LOAD(columns[j] + i) * coefficients[j];                                                      \
                b = b + LOAD(columns[j] + i + 4) * coefficients[j];                                                  \
            }                                                                                                        \
            STORE(out + i, a);                                                                                       \
            STORE(out + i + 4, b);                                                                                   \
        }                                                                                                            \
        for (; i < rows; i++) {                                                                                      \
            double sum = out[i];                                                                                     \
            for (long j = 0; j < count; j++) sum = sum + columns[j][i] * coefficients[j];                            \
            out[i] = sum;                                                                                            \
        }                                                                                                            \
    }

// How many of the values exceed each edge, and how many are not NaN: each comparison's mask
// (all ones, that is −1, where true) subtracted from a lane's count, four values at a time.
// Counts are exact, so both variants give the same.
typedef long Counts __attribute__((vector_size(32)));
#define DEFINE_COUNT_ABOVE(SUFFIX, ATTRIBUTES)                                                                       \
    ATTRIBUTES static void count_above_##SUFFIX(const double *values, long count, const double *edges,              \
                                                long edgeCount, long *above, long *present) {                       \
        Counts lanes[edgeCount > 0 ? edgeCount : 1], numbers = {0, 0, 0, 0};                                        \
        for (long k = 0; k < edgeCount; k++) lanes[k] = (Counts){0, 0, 0, 0};                                       \
        long i = 0;                                                                                                  \
        for (; i + 4 <= count; i += 4) {                                                                             \
            Lanes v = LOAD(values + i);                                                                              \
            numbers -= (Counts)(v == v);                                                                             \
            for (long k = 0; k < edgeCount; k++) lanes[k] -= (Counts)(v > edges[k]);                                 \
        }                                                                                                            \
        for (long k = 0; k < edgeCount; k++) above[k] = lanes[k][0] + lanes[k][1] + lanes[k][2] + lanes[k][3];       \
        *present = numbers[0] + numbers[1] + numbers[2] + numbers[3];                                                \
        for (; i < count; i++) {                                                                                     \
            *present += values[i] == values[i];                                                                      \
            for (long k = 0; k < edgeCount; k++) above[k] += values[i] > edges[k];                                   \
        }                                                                                                            \
    }

DEFINE_KERNELS(generic, , TWO_PRODUCT_DEKKER)
DEFINE_GRAM(generic, , MULTIPLY_ADD_SEPARATE, 0)
DEFINE_GRAM(weighed_generic, , MULTIPLY_ADD_SEPARATE, 1)
DEFINE_BINOMIAL(generic, , LANEWISE_EXP, LANEWISE_LOG)
DEFINE_ADD_PRODUCTS(generic, )
DEFINE_COUNT_ABOVE(generic, )
#if defined(__x86_64__)
DEFINE_KERNELS(fma, __attribute__((target("avx2,fma"))), TWO_PRODUCT_FMA)
DEFINE_GRAM(fma, __attribute__((target("avx2,fma"))), MULTIPLY_ADD_FMA, 0)
DEFINE_GRAM(weighed_fma, __attribute__((target("avx2,fma"))), MULTIPLY_ADD_FMA, 1)
// glibc's vector exp and log for AVX2 (libmvec), four lanes per call.
__attribute__((target("avx2"))) extern Lanes _ZGVdN4v_exp(Lanes);
__attribute__((target("avx2"))) extern Lanes _ZGVdN4v_log(Lanes);
DEFINE_BINOMIAL(fma, __attribute__((target("avx2,fma"))), _ZGVdN4v_exp, _ZGVdN4v_log)
DEFINE_ADD_PRODUCTS(fma, __attribute__((target("avx2,fma"))))
DEFINE_COUNT_ABOVE(fma, __attribute__((target("avx2,fma"))))

static int prefer_baseline = 0;

int msh_kernels_use_fma(void) {
    static int supported = -1;  // a benign race: every thread computes the same answer
    if (supported < 0) supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return supported && !prefer_baseline;
}

void msh_kernels_prefer_baseline(int yes) { prefer_baseline = yes != 0; }

int msh_cpu_vector_class(void) {
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) return 2;
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 0;
}
#else
int msh_cpu_vector_class(void) { return 0; }
int msh_kernels_use_fma(void) { return 0; }
void msh_kernels_prefer_baseline(int yes) { (void)yes; }
#define subtract_fma subtract_generic
#define dot_fma dot_generic
#define gram_fma gram_generic
#define gram_weighed_fma gram_weighed_generic
#define binomial_fma binomial_generic
#define add_products_fma add_products_generic
#define count_above_fma count_above_generic
#endif

void msh_dd_subtract(const double *column, double b_hi, double b_lo, double *h, double *l, long count) {
    if (msh_kernels_use_fma()) subtract_fma(column, b_hi, b_lo, h, l, count);
    else subtract_generic(column, b_hi, b_lo, h, l, count);
}

void msh_dd_dot(const double *column, const double *h, const double *l, long count, double sums[5], double errors[5]) {
    if (msh_kernels_use_fma()) dot_fma(column, h, l, count, sums, errors);
    else dot_generic(column, h, l, count, sums, errors);
}

void msh_gram_add(const double *const *columns, const double *weights, long rows, long count, double *gram, long size) {
    int fma = msh_kernels_use_fma();
    if (weights) (fma ? gram_weighed_fma : gram_weighed_generic)(columns, weights, rows, count, gram, size);
    else (fma ? gram_fma : gram_generic)(columns, weights, rows, count, gram, size);
}

double msh_binomial_rows(const double *eta, const double *y, double *mu, double *derivative, double *weights, double *residuals,
                         long count) {
    if (msh_kernels_use_fma()) return binomial_fma(eta, y, mu, derivative, weights, residuals, count);
    return binomial_generic(eta, y, mu, derivative, weights, residuals, count);
}

void msh_add_products(const double *const *columns, const double *coefficients, long count, long rows, double *out) {
    if (msh_kernels_use_fma()) add_products_fma(columns, coefficients, count, rows, out);
    else add_products_generic(columns, coefficients, count, rows, out);
}

void msh_count_above(const double *values, long count, const double *edges, long edgeCount, long *above, long *present) {
    if (msh_kernels_use_fma()) count_above_fma(values, count, edges, edgeCount, above, present);
    else count_above_generic(values, count, edges, edgeCount, above, present);
}

double msh_centre(const double *values, long count, double *out) {
    Lanes a = {0, 0, 0, 0}, b = a;
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        a = a + LOAD(values + i);
        b = b + LOAD(values + i + 4);
    }
    a = a + b;
    double sum = (a[0] + a[1]) + (a[2] + a[3]);
    for (; i < count; i++) sum = sum + values[i];
    double mean = count > 0 ? sum / (double)count : 0;
    for (i = 0; i < count; i++) out[i] = values[i] - mean;
    return mean;
}

// Bits into a mask at any bit offset: the low part into bit's word, the rest into the next (only
// when there is some, so the next word need exist only when a bit falls in it).
static inline void put_bits(uint64_t *words, long bit, uint64_t bits) {
    long shift = bit & 63;
    words[bit >> 6] |= bits << shift;
    if (shift != 0 && (bits >> (64 - shift)) != 0) words[(bit >> 6) + 1] |= bits >> (64 - shift);
}

long msh_nan_bits(const double *values, long count, uint64_t *words, long offset, int *infinite) {
    long found = 0, i = 0;
    int any_infinite = 0;
#if defined(__x86_64__)
    // Two values a compare (SSE2, which every x86-64 has), 64 into a word.
    const __m128d magnitude = _mm_castsi128_pd(_mm_set1_epi64x(0x7FFFFFFFFFFFFFFFLL)), infinity = _mm_set1_pd(INFINITY);
    for (; i + 64 <= count; i += 64) {
        uint64_t bits = 0;
        int infinities = 0;
        for (int k = 0; k < 64; k += 2) {
            __m128d v = _mm_loadu_pd(values + i + k);
            bits |= (uint64_t)_mm_movemask_pd(_mm_cmpunord_pd(v, v)) << k;
            infinities |= _mm_movemask_pd(_mm_cmpeq_pd(_mm_and_pd(v, magnitude), infinity));
        }
        any_infinite |= infinities != 0;
        if (bits) {
            put_bits(words, offset + i, bits);
            found += __builtin_popcountll(bits);
        }
    }
#endif
    for (; i < count; i++) {
        double v = values[i];
        if (v != v) {
            put_bits(words, offset + i, 1);
            found++;
        } else if (v == INFINITY || v == -INFINITY) {
            any_infinite = 1;
        }
    }
    if (any_infinite) *infinite = 1;
    return found;
}
