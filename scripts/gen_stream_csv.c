/* Writes a seeded CSV for scripts/bench-stream.sh: y (linear in the features plus noise), b (a
 * logistic draw on them, 0/1) and x1..x20, each feature with six decimals, until the file holds
 * at least BYTES bytes. Plain C so that gigabytes take seconds:
 *   gen_stream_csv BYTES SEED > file.csv */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;
static uint64_t next(void) { /* xorshift64* */
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    return state * 2685821657736338717ULL;
}
static double uniform(void) { return (next() >> 11) * 0x1p-53; }

/* Writes v (|v| < 1e6) with six decimals; returns the bytes written. */
static int decimal(char *out, double v) {
    char *p = out;
    if (v < 0) { *p++ = '-'; v = -v; }
    long long scaled = llround(v * 1e6), whole = scaled / 1000000, fraction = scaled % 1000000;
    char digits[24]; int n = 0;
    do { digits[n++] = (char)('0' + whole % 10); whole /= 10; } while (whole);
    while (n) *p++ = digits[--n];
    *p++ = '.';
    for (int k = 5; k >= 0; k--) { p[k] = (char)('0' + fraction % 10); fraction /= 10; }
    return (int)(p + 6 - out);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: gen_stream_csv BYTES SEED\n"); return 2; }
    long long target = atoll(argv[1]);
    state = (uint64_t)atoll(argv[2]) * 0x9E3779B97F4A7C15ULL + 1;
    enum { P = 20 };
    double beta[P], gamma[P];
    for (int j = 0; j < P; j++) { beta[j] = (j % 5) - 2 + 0.25 * j; gamma[j] = 0.1 * ((j % 7) - 3); }
    static char buffer[1 << 22];
    size_t used = 0;
    used += (size_t)sprintf(buffer, "y,b");
    for (int j = 1; j <= P; j++) used += (size_t)sprintf(buffer + used, ",x%d", j);
    buffer[used++] = '\n';
    long long written = 0;
    char row[512];
    while (written < target) {
        double x[P], y = 1, eta = 0.3;
        for (int j = 0; j < P; j++) {
            x[j] = 2 * (uniform() + uniform() - 1);
            y += beta[j] * x[j];
            eta += gamma[j] * x[j];
        }
        y += uniform() + uniform() + uniform() - 1.5;
        int b = uniform() < 1 / (1 + exp(-eta));
        int n = decimal(row, y);
        row[n++] = ','; row[n++] = (char)('0' + b);
        for (int j = 0; j < P; j++) { row[n++] = ','; n += decimal(row + n, x[j]); }
        row[n++] = '\n';
        if (used + (size_t)n > sizeof buffer) { fwrite(buffer, 1, used, stdout); written += (long long)used; used = 0; }
        memcpy(buffer + used, row, (size_t)n);
        used += (size_t)n;
    }
    fwrite(buffer, 1, used, stdout);
    return 0;
}
