# NIST StRD linear least squares (Filip, Wampler1-5, Longley) and an exact dyadic degree-10
# polynomial problem: exact rational least squares with `fractions`, square roots with mpmath.
#
# For each NIST problem it (1) solves the problem on the exact decimal data and checks that NIST's
# 15-digit certified values reproduce, and (2) solves it on the data as a Swift test holds it in
# doubles (x and y rounded to the nearest double, powers x^k formed by repeated multiplication in
# double, as the test forms them) and prints those exact solutions for Tests/NumericsTests/
# NISTLeastSquaresTests.swift. The two differ for Filip by ~1e-8: rounding x^k to double moves
# Filip's exact solution that much (its condition number is ~1e15), so no solver given the powers
# as doubles can match Filip's certificate to more than ~8 digits; the test holds 12 digits against
# (2). Given the powers in double-double (hi + lo, as Numerics' ColumnProduct forms them), the
# exact solution is the certificate's to 14 digits: (3) prints that solution for x as double.
# Run: python3 Tests/References/nist.py
from fractions import Fraction as Fr
import mpmath as mp
mp.mp.dps = 50

FILIP = """
0.8116 -6.860120914 0.9072 -4.324130045 0.9052 -4.358625055 0.9039 -4.358426747 0.8053 -6.955852379 0.8377 -6.661145254
0.8667 -6.355462942 0.8809 -6.118102026 0.7975 -7.115148017 0.8162 -6.815308569 0.8515 -6.519993057 0.8766 -6.204119983
0.8885 -5.853871964 0.8859 -6.109523091 0.8959 -5.79832982 0.8913 -5.482672118 0.8959 -5.171791386 0.8971 -4.851705903
0.9021 -4.517126416 0.909 -4.143573228 0.9139 -3.709075441 0.9199 -3.499489089 0.8692 -6.300769497 0.8872 -5.953504836
0.89 -5.642065153 0.891 -5.031376979 0.8977 -4.680685696 0.9035 -4.329846955 0.9078 -3.928486195 0.7675 -8.56735134
0.7705 -8.363211311 0.7713 -8.107682739 0.7736 -7.823908741 0.7775 -7.522878745 0.7841 -7.218819279 0.7971 -6.920818754
0.8329 -6.628932138 0.8641 -6.323946875 0.8804 -5.991399828 0.7668 -8.781464495 0.7633 -8.663140179 0.7678 -8.473531488
0.7697 -8.247337057 0.77 -7.971428747 0.7749 -7.676129393 0.7796 -7.352812702 0.7897 -7.072065318 0.8131 -6.774174009
0.8498 -6.478861916 0.8741 -6.159517513 0.8061 -6.835647144 0.846 -6.53165267 0.8751 -6.224098421 0.8856 -5.910094889
0.8919 -5.598599459 0.8934 -5.290645224 0.894 -4.974284616 0.8957 -4.64454848 0.9047 -4.290560426 0.9129 -3.885055584
0.9209 -3.408378962 0.9219 -3.13200249 0.7739 -8.726767166 0.7681 -8.66695597 0.7665 -8.511026475 0.7703 -8.165388579
0.7702 -7.886056648 0.7761 -7.588043762 0.7809 -7.283412422 0.7961 -6.995678626 0.8253 -6.691862621 0.8602 -6.392544977
0.8809 -6.067374056 0.8301 -6.684029655 0.8664 -6.378719832 0.8834 -6.065855188 0.8898 -5.752272167 0.8964 -5.132414673
0.8963 -4.811352704 0.9074 -4.098269308 0.9119 -3.66174277 0.9228 -3.2644011"""
filip_y = [Fr(v) for v in FILIP.split()[0::2]]
filip_x = [Fr(v) for v in FILIP.split()[1::2]]
FILIP_CERTIFIED = dict(
    b=["-1467.48961422980", "-2772.17959193342", "-2316.37108160893", "-1127.97394098372", "-354.478233703349",
       "-75.1242017393757", "-10.8753180355343", "-1.06221498588947", "-0.670191154593408E-01",
       "-0.246781078275479E-02", "-0.402962525080404E-04"],
    se=["298.084530995537", "559.779865474950", "466.477572127796", "227.204274477751", "71.6478660875927",
        "15.2897178747400", "2.23691159816033", "0.221624321934227", "0.142363763154724E-01",
        "0.535617408889821E-03", "0.896632837373868E-05"],
    sd="0.334801051324544E-02", r2="0.996727416185620")

# Wampler3-5 are Wampler1 plus 1, 100 and 10000 times this alternating perturbation.
WAMPLER_PERTURBATION = [759, -2048, 2048, -2048, 2523, -2048, 2048, -2048, 1838, -2048, 2048, -2048, 1838,
                        -2048, 2048, -2048, 2523, -2048, 2048, -2048, 759]
wampler_x = [Fr(x) for x in range(21)]
def wampler_y(which):
    if which == 2:
        return [sum(Fr(1, 10**k) * x**k for k in range(6)) for x in wampler_x]
    scale = {1: 0, 3: 1, 4: 100, 5: 10000}[which]
    return [sum(x**k for k in range(6)) + scale * e for x, e in zip(wampler_x, WAMPLER_PERTURBATION)]
WAMPLER_SE = ["21523262.4678170", "23635517.3469681", "7793435.24331583", "1014755.07550350",
              "56456.6512170752", "1123.24854679312"]
def wampler_certified(which):
    b = ["1", "0.1", "0.01", "0.001", "0.0001", "0.00001"] if which == 2 else ["1"] * 6
    if which in (1, 2):
        return dict(b=b, se=["0"] * 6, sd="0", r2="1")
    shift = {3: 4, 4: 2, 5: 0}[which]  # SEs and the residual SD scale with the perturbation
    return dict(b=b, se=[str(mp.mpf(s) / 10**shift) for s in WAMPLER_SE],
                sd=str(mp.mpf("23601450.2379268") / 10**shift),
                r2={3: "0.999995559025820", 4: "0.957478440825662", 5: "0.224668921574940E-02"}[which])

LONGLEY = """60323 83.0 234289 2356 1590 107608 1947
61122 88.5 259426 2325 1456 108632 1948
60171 88.2 258054 3682 1616 109773 1949
61187 89.5 284599 3351 1650 110929 1950
63221 96.2 328975 2099 3099 112075 1951
63639 98.1 346999 1932 3594 113270 1952
64989 99.0 365385 1870 3547 115094 1953
63761 100.0 363112 3578 3350 116219 1954
66019 101.2 397469 2904 3048 117388 1955
67857 104.6 419180 2822 2857 118734 1956
68169 108.4 442769 2936 2798 120445 1957
66513 110.8 444546 4681 2637 121950 1958
68655 112.6 482704 3813 2552 123366 1959
69564 114.2 502601 3931 2514 125368 1960
69331 115.7 518173 4806 2572 127852 1961
70551 116.9 554894 4007 2827 130081 1962"""
LONGLEY_CERTIFIED = dict(
    b=["-3482258.63459582", "15.0618722713733", "-0.358191792925910E-01", "-2.02022980381683",
       "-1.03322686717359", "-0.511041056535807E-01", "1829.15146461355"],
    se=["890420.383607373", "84.9149257747669", "0.334910077722432E-01", "0.488399681651699",
        "0.214274163161675", "0.226073200069370", "455.478499142212"],
    sd="304.854073561965", r2="0.995479004577296")

def polynomial_design(x, degree, as_double):
    """Rows 1, x, x², … ; with as_double, x and each power rounded as a double computation does."""
    rows = []
    for v in x:
        if as_double:
            v = float(v); row = [1.0]
            for _ in range(degree): row.append(row[-1] * v)
            rows.append([Fr(e) for e in row])
        else:
            rows.append([v**k for k in range(degree + 1)])
    return rows

def double_double_power(v, k):
    """v^k (v a double, k ≥ 1) as Numerics' ColumnProduct.of([v] * k) forms it: starting from v, multiply
    the double-double (hi, lo) by v, k − 1 times: p = hi·v and its exact error e (two-product), t = e + lo·v,
    then hi', lo' = p + t and its error (quick two-sum). Python floats round as Swift's doubles do."""
    hi, lo = v, 0.0
    for _ in range(k - 1):
        p = hi * v
        e = float(Fr(hi) * Fr(v) - Fr(p))  # exact: the error of a product of doubles is a double
        t = e + lo * v
        hi = p + t
        lo = t - (hi - p)
    return Fr(hi) + Fr(lo)

def exact_least_squares(X, y):
    """Exact b, (XᵀX)⁻¹, residual variance and R² (intercept model) by rational Gauss-Jordan."""
    n, p = len(X), len(X[0])
    a = [[sum(X[i][r] * X[i][c] for i in range(n)) for c in range(p)] + [Fr(int(r == c)) for c in range(p)]
         + [sum(X[i][r] * y[i] for i in range(n))] for r in range(p)]
    for c in range(p):
        pivot = next(r for r in range(c, p) if a[r][c] != 0)
        a[c], a[pivot] = a[pivot], a[c]
        a[c] = [v / a[c][c] for v in a[c]]
        for r in range(p):
            if r != c and a[r][c] != 0:
                f = a[r][c]; a[r] = [v - f * w for v, w in zip(a[r], a[c])]
    b = [a[r][2 * p] for r in range(p)]
    inverse = [[a[r][p + c] for c in range(p)] for r in range(p)]
    residuals = [yi - sum(xij * bj for xij, bj in zip(row, b)) for row, yi in zip(X, y)]
    rss = sum(r * r for r in residuals)
    mean = sum(y) / n
    return b, inverse, rss / (n - p), 1 - rss / sum((v - mean) ** 2 for v in y)

def summary(X, y):
    b, inverse, s2, r2 = exact_least_squares(X, y)
    root = lambda q: mp.sqrt(mp.mpf(q.numerator) / q.denominator)
    value = lambda q: mp.mpf(q.numerator) / q.denominator
    return dict(b=[value(v) for v in b], se=[root(s2 * inverse[j][j]) for j in range(len(b))],
                sd=root(s2), r2=value(r2))

def agreement(exact, certified):
    """Smallest number of agreeing significant digits (an exact zero certificate needs |value| < 1e-30)."""
    worst = mp.inf
    for key in ("b", "se", "sd", "r2"):
        ours, theirs = (exact[key], certified[key]) if key in ("b", "se") else ([exact[key]], [certified[key]])
        for e, c in zip(ours, theirs):
            c = mp.mpf(c)
            error = abs(e - c) / abs(c) if c != 0 else abs(e) * 1e30
            worst = min(worst, -mp.log10(error) if error > 0 else mp.inf)
    return worst

def swift(name, values):
    print(f"    static let {name}: [Double] = [" + ", ".join(mp.nstr(v, 17) for v in values) + "]")

def report(name, decimal_X, double_X, y, certified):
    exact = summary(decimal_X, y)
    digits = agreement(exact, certified)
    held = summary(double_X, [Fr(float(v)) for v in y])
    print(f"// {name}: exact solution agrees with the certificate to {mp.nstr(digits, 3)} digits; "
          f"the solution for the double data agrees to {mp.nstr(agreement(held, certified), 3)}")
    assert digits > 13.5, name
    print(f"//   exact on the decimal data: b = {[mp.nstr(v, 19) for v in exact['b']]}")
    print(f"//   se = {[mp.nstr(v, 19) for v in exact['se']]}, sd = {mp.nstr(exact['sd'], 19)}, R² = {mp.nstr(exact['r2'], 19)}")
    swift(f"{name}Coefficients", held["b"]); swift(f"{name}StandardErrors", held["se"])
    print(f"    static let {name}ResidualSD = {mp.nstr(held['sd'], 17)}, {name}RSquared = {mp.nstr(held['r2'], 17)}")

report("filip", polynomial_design(filip_x, 10, False), polynomial_design(filip_x, 10, True), filip_y, FILIP_CERTIFIED)
# Filip with x rounded to double but the powers not: (a) exactly, (b) in double-double as
# NISTLeastSquaresTests forms them with ColumnProduct and hands them to the fit as hi + lo. Both
# reproduce the certificate (x's own rounding is harmless; rounding x^k was not), and (b) is (a) to
# within what double-double's 2^-104 per power can move the solution.
filip_x_double = [Fr(float(v)) for v in filip_x]
filip_y_double = [Fr(float(v)) for v in filip_y]
exact_powers = summary([[v**k for k in range(11)] for v in filip_x_double], filip_y_double)
held_powers = summary([[Fr(1)] + [double_double_power(float(v), k) for k in range(1, 11)] for v in filip_x_double],
                      filip_y_double)
print(f"// filip, x as double: with exact powers the solution agrees with the certificate to "
      f"{mp.nstr(agreement(exact_powers, FILIP_CERTIFIED), 3)} digits; with double-double powers to "
      f"{mp.nstr(agreement(held_powers, FILIP_CERTIFIED), 3)}, and with the exact-powers solution to "
      f"{mp.nstr(agreement(held_powers, exact_powers), 3)}")
assert agreement(held_powers, exact_powers) > 15
swift("filipExactPowersCoefficients", exact_powers["b"]); swift("filipExactPowersStandardErrors", exact_powers["se"])
print(f"    static let filipExactPowersResidualSD = {mp.nstr(exact_powers['sd'], 17)}, "
      f"filipExactPowersRSquared = {mp.nstr(exact_powers['r2'], 17)}")
print("    static let filipCertifiedStandardErrors = [" + ", ".join(FILIP_CERTIFIED["se"]) + "]")
print(f"    static let filipCertifiedResidualSD = {FILIP_CERTIFIED['sd']}, filipCertifiedRSquared = {FILIP_CERTIFIED['r2']}")

for which in range(1, 6):
    report(f"wampler{which}", polynomial_design(wampler_x, 5, False), polynomial_design(wampler_x, 5, True),
           wampler_y(which), wampler_certified(which))
longley = [[Fr(v) for v in line.split()] for line in LONGLEY.splitlines()]
report("longley", [[Fr(1)] + r[1:] for r in longley], [[Fr(1)] + [Fr(float(v)) for v in r[1:]] for r in longley],
       [r[0] for r in longley], LONGLEY_CERTIFIED)

# Filip-like but exactly representable: x = m/4 for m = -39 … -12 (so every x^k, k ≤ 10, is an exact
# double: 39^10 < 2^53), two responses per x, each a multiple of 2^-14. No rounding anywhere, so the
# exact rational solution is the answer a solver must reproduce, at a condition number like Filip's.
dyadic_x = [Fr(m, 4) for m in range(-39, -11) for _ in range(2)]
state = 12345
dyadic_numerators = []
for x in dyadic_x:
    state = (state * 1103515245 + 12345) % 2**31  # a fixed LCG: deterministic "noise"
    smooth = mp.mpf(0.85) + mp.mpf(0.06) * mp.sin(mp.mpf(x.numerator) / x.denominator)
    dyadic_numerators.append(int(mp.nint(smooth * 2**14)) + state % 41 - 20)
dyadic_y = [Fr(k, 2**14) for k in dyadic_numerators]
exact = summary(polynomial_design(dyadic_x, 10, False), dyadic_y)
print("// dyadic degree-10 polynomial, x = m/4 for m in -39 ... -12 twice, y = k / 2^14 with k:")
print("    static let dyadicNumerators: [Double] = [" + ", ".join(map(str, dyadic_numerators)) + "]")
swift("dyadicCoefficients", exact["b"]); swift("dyadicStandardErrors", exact["se"])
print(f"    static let dyadicResidualSD = {mp.nstr(exact['sd'], 17)}, dyadicRSquared = {mp.nstr(exact['r2'], 17)}")
