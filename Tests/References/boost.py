# Reference values for GradientBoostingTests (histogram gradient boosting), from scikit-learn's
# HistGradientBoostingRegressor/Classifier and its _BinMapper. Run from the repository root:
#   python3 Tests/References/boost.py            the figures pasted into the tests
#   python3 Tests/References/boost.py synthetic  R² on the 200,000-row synthetic set
#   python3 Tests/References/boost.py bench      1,000,000 × 20 classification: time, accuracy, peak memory
import sys, time, gc
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper

def read(name):
    import csv
    with open(f"sessions/data/{name}.csv") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]

def columns(name, wanted):
    header, rows = read(name)
    return np.array([[float(r[header.index(c)]) for c in wanted] for r in rows])

# ---- the synthetic sets, shared with the Swift tests ----------------------------------------
# u(i, j) is output number 32·i + j + 1 of SplitMix64 seeded with 0 (the generator that seeds
# Xoshiro256StarStar), as a double in [0, 1): (z >> 11) · 2⁻⁵³. Features x_j = 2·u(i, j) − 1.
GOLDEN = np.uint64(0x9E3779B97F4A7C15)

def uniforms(rows, first_row, width):
    with np.errstate(over="ignore"):
        k = (np.arange(first_row, first_row + rows, dtype=np.uint64)[:, None] * np.uint64(32)
             + np.arange(width, dtype=np.uint64)[None, :] + np.uint64(1))
        z = k * GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53

def synthetic(rows, first_row, regression):
    """Classification: 20 features, y = [f + e > 0] with
         f = 2·x0·x1 + 1.5·x2² − 0.5 + x3 − 0.5·x4 + |x5 + x6| − 0.5 + 2·x7·x8·x9,
         e = 1.5·(u20 + u21 + u22 − 1.5) (noise); x10…x19 are noise features.
       Regression: the same 20 features but x9 missing (NaN) where u(i, 23) < 0.1 and x10 replaced
       by the level ⌊6·u(i, 10)⌋; y = 2·x0·x1 + 1.5·x2² + x3 − 0.5·x4 + |x5 + x6| + x7·x8
         + effect[level] + (x9 if present else 1) + e, effect = [0, 1.5, −1, 0.5, 2, −2]."""
    X = np.empty((rows, 20)); y = np.empty(rows)
    effect = np.array([0, 1.5, -1, 0.5, 2, -2])
    for start in range(0, rows, 100_000):
        stop = min(rows, start + 100_000)
        u = uniforms(stop - start, first_row + start, 24)
        x = 2.0 * u[:, :20] - 1.0
        e = 1.5 * (u[:, 20] + u[:, 21] + u[:, 22] - 1.5)
        if regression:
            level = np.floor(6.0 * u[:, 10])
            missing = u[:, 23] < 0.1
            f = (2.0 * x[:, 0] * x[:, 1] + 1.5 * x[:, 2] * x[:, 2] + x[:, 3] - 0.5 * x[:, 4]
                 + np.abs(x[:, 5] + x[:, 6]) + x[:, 7] * x[:, 8] + effect[level.astype(int)]
                 + np.where(missing, 1.0, x[:, 9]))
            x[:, 10] = level
            x[missing, 9] = np.nan
            y[start:stop] = f + e
        else:
            f = (2.0 * x[:, 0] * x[:, 1] + 1.5 * x[:, 2] * x[:, 2] - 0.5 + x[:, 3] - 0.5 * x[:, 4]
                 + np.abs(x[:, 5] + x[:, 6]) - 0.5 + 2.0 * x[:, 7] * x[:, 8] * x[:, 9])
            y[start:stop] = (f + e > 0)
        X[start:stop] = x
    return X, y

def show(label, values):
    print(f"{label}: [" + ", ".join(repr(float(v)) for v in values) + "]")

def r2(y, p):
    return 1 - ((y - p) ** 2).sum() / ((y - y.mean()) ** 2).sum()

# ---- binning -----------------------------------------------------------------------------
def binning():
    bmi = columns("diabetes", ["BMI"])
    for n_bins in (256, 11):
        mapper = _BinMapper(n_bins=n_bins, subsample=None).fit(bmi)
        t = mapper.bin_thresholds_[0]
        print(f"// BMI, max_bins {n_bins - 1}: {len(t)} thresholds")
        show("first 5", t[:5]) if n_bins == 256 else show("all", t)
    # more distinct values than bins, with ties: the quantile path and its de-duplication
    col = np.round(uniforms(1000, 0, 1) * 1000) / 100
    t = _BinMapper(subsample=None).fit(col).bin_thresholds_[0]
    print(f"// round(u(i,0)·1000)/100, i < 1000: {len(t)} thresholds")
    show("every 25th", t[::25])

# ---- one round of depth-1 trees: the first split and leaf values --------------------------
def describe_tree(model):
    nodes = model._predictors[0][0].nodes
    for n in nodes:
        print(f"   feature {n['feature_idx']} threshold {float(n['num_threshold'])!r} missing_left {n['missing_go_to_left']} "
              f"leaf {n['is_leaf']} value {float(n['value'])!r} count {n['count']}")

def stumps():
    X = columns("diabetes", ["AGE", "SEX", "BMI", "BP", "S1", "S2", "S3", "S4", "S5", "S6"])
    y = columns("diabetes", ["Y"])[:, 0]
    m = HistGradientBoostingRegressor(max_iter=1, max_depth=1, early_stopping=False).fit(X, y)
    print("// diabetes regression stump, baseline", repr(float(m._baseline_prediction[0, 0])))
    describe_tree(m)
    m = HistGradientBoostingRegressor(max_iter=1, max_depth=1, early_stopping=False, l2_regularization=100).fit(X, y)
    print("// the same with l2_regularization=100")
    describe_tree(m)
    W = columns("wine", ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
                         "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
                         "od280_od315_of_diluted_wines", "proline"])
    c = columns("wine", ["class"])[:, 0]
    m = HistGradientBoostingClassifier(max_iter=1, max_depth=1, early_stopping=False).fit(W, (c == 2).astype(int))
    print("// wine class 2 against the rest, stump, baseline", repr(float(m._baseline_prediction[0, 0])))
    describe_tree(m)

# ---- missing values and levels on hand-made data -----------------------------------------
def hand_made():
    # x = i mod 10, missing on every 7th row; y = x, or 20 where x is missing: missing goes with the high side.
    i = np.arange(140)
    x = (i % 10).astype(float); x[i % 7 == 0] = np.nan
    y = np.where(np.isnan(x), 20.0, i % 10)
    m = HistGradientBoostingRegressor(max_iter=1, max_depth=1, min_samples_leaf=5, early_stopping=False).fit(x[:, None], y)
    print("// missing values: x = i mod 10 (NaN when 7 | i), y = x or 20")
    describe_tree(m)
    y = np.where(np.isnan(x), 0.0, i % 10)
    m = HistGradientBoostingRegressor(max_iter=1, max_depth=1, min_samples_leaf=5, early_stopping=False).fit(x[:, None], y)
    print("// the same with y = x or 0: missing values go left with the low ones")
    describe_tree(m)
    # a level feature whose effect is not monotone in the level: levels {1, 4} high, {0, 2, 3, 5} low; and -1 missing
    level = i % 6
    effect = np.array([0.0, 5.0, 1.0, 0.5, 6.0, -1.0])
    y = effect[level] + 0.01 * (i % 5)
    lv = level.astype(float); lv[i % 13 == 0] = np.nan
    m = HistGradientBoostingRegressor(max_iter=1, max_depth=1, min_samples_leaf=5, early_stopping=False,
                                      categorical_features=[0]).fit(lv[:, None], y)
    print("// levels: i mod 6 (missing when 13 | i), y = effect[level] + 0.01·(i mod 5)")
    describe_tree(m)
    bitset = m._predictors[0][0].raw_left_cat_bitsets[0][0]
    print("   left levels", [k for k in range(6) if bitset >> k & 1])

# ---- whole fits on the sample data: test rows are those with i mod 4 = 0 ------------------
def split(X, y):
    test = np.arange(len(y)) % 4 == 0
    return X[~test], y[~test], X[test], y[test]

def fits():
    for name, features, target in [
        ("iris", ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"], "Species"),
        ("wine", ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
                  "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280_od315_of_diluted_wines",
                  "proline"], "class")]:
        header, rows = read(name)
        X = np.array([[float(r[header.index(c)]) for c in features] for r in rows])
        labels = sorted(set(r[header.index(target)] for r in rows))
        y = np.array([labels.index(r[header.index(target)]) for r in rows])
        Xtr, ytr, Xte, yte = split(X, y)
        m = HistGradientBoostingClassifier(early_stopping=False).fit(Xtr, ytr)
        p = m.predict_proba(Xte)
        print(f"// {name}: test accuracy {float((p.argmax(1) == yte).mean())!r}")
        for row in range(3):
            show(f"   test row {row} probabilities", p[row])
    X = columns("diabetes", ["AGE", "SEX", "BMI", "BP", "S1", "S2", "S3", "S4", "S5", "S6"])
    y = columns("diabetes", ["Y"])[:, 0]
    Xtr, ytr, Xte, yte = split(X, y)
    for label, kwargs in [("numbers", {}), ("SEX as levels 0/1", {"categorical_features": [1]})]:
        Xa, Xb = Xtr.copy(), Xte.copy()
        if kwargs:
            Xa[:, 1] -= 1; Xb[:, 1] -= 1
        m = HistGradientBoostingRegressor(early_stopping=False, **kwargs).fit(Xa, ytr)
        p = m.predict(Xb)
        print(f"// diabetes, {label}: test R² {float(r2(yte, p))!r}")
        show("   first 3 test predictions", p[:3])

def synthetic_head():
    X, y = synthetic(1000, 0, True)
    print("// synthetic regression, rows 0..<1000: first 4 y", [float(v) for v in y[:4]], "sum", float(y.sum()),
          "missing x9", int(np.isnan(X[:, 9]).sum()), "first 4 levels", [int(v) for v in X[:4, 10]])
    X, y = synthetic(1000, 0, False)
    print("// synthetic classification, rows 0..<1000: class 1 count", int(y.sum()), "first 8", [int(v) for v in y[:8]],
          "x0 sum", float(X[:, 0].sum()))

def synthetic_fit():
    X, y = synthetic(200_000, 0, True)
    Xt, yt = synthetic(50_000, 200_000, True)
    t = time.perf_counter()
    # max_iter 1000 so that early stopping ends the fit: at 100 rounds the fit is far from
    # converged and R² depends on which rows the validation split held out, by several points.
    m = HistGradientBoostingRegressor(categorical_features=[10], max_iter=1000, random_state=0).fit(X, y)
    print(f"// synthetic regression, 200,000 rows: test R² {float(r2(yt, m.predict(Xt)))!r}, "
          f"{m.n_iter_} rounds, {time.perf_counter() - t:.1f} s")

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024

def bench():
    X, y = synthetic(1_000_000, 0, False)
    Xt, yt = synthetic(200_000, 1_000_000, False)
    gc.collect()
    before = status("VmRSS")
    open("/proc/self/clear_refs", "w").write("5")  # resets the peak (VmHWM) to the current size
    t, cpu = time.perf_counter(), time.process_time()
    m = HistGradientBoostingClassifier(random_state=0).fit(X, y)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    print(f"1,000,000 × 20, rounds=100: fit {elapsed:.2f} s ({cpu:.2f} s of CPU), {m.n_iter_} rounds, "
          f"test accuracy {(m.predict(Xt) == yt).mean():.4f}; "
          f"memory {before:.0f} MB before the fit, peak {status('VmHWM'):.0f} MB during it")

if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "tests"
    if what == "synthetic":
        synthetic_fit()
    elif what == "bench":
        bench()
    else:
        binning(); stumps(); hand_made(); fits(); synthetic_head()
