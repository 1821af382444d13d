# Reference values for NaiveBayesTests: scikit-learn's GaussianNB (iris, wine) and CategoricalNB
# (a small categorical set), and for mixed features a hand computation in exact rationals and
# mpmath, independent of both. Printed as Swift literals to paste. Run: python3 naivebayes.py
import csv
from fractions import Fraction
import mpmath as mp
import numpy as np
from sklearn.naive_bayes import CategoricalNB, GaussianNB

mp.mp.dps = 40

def swift(values, per_line=4, indent="    "):
    items = [str(int(v)) if isinstance(v, (int, np.integer)) else repr(float(v)) for v in np.ravel(values)]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    inner = indent + "    "
    return "[\n" + inner + (",\n" + inner).join(lines) + ",\n" + indent + "]"

def gaussian(name):
    rows = list(csv.DictReader(open(f"/work/main/sessions/data/{name}.csv")))
    if name == "iris":
        features = ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]
        levels = sorted(set(r["Species"] for r in rows))
        y = np.array([levels.index(r["Species"]) for r in rows])
    else:
        features = [k for k in rows[0] if k != "class"]
        y = np.array([int(r["class"]) - 1 for r in rows])
    x = np.array([[float(r[f]) for f in features] for r in rows])
    train = np.arange(len(rows)) % 3 != 0
    model = GaussianNB().fit(x[train], y[train])
    print(f"    // {name}: GaussianNB fitted on rows whose 0-based index is not a multiple of 3, queries the others")
    print(f"    static let {name}Means: [Double] = {swift(model.theta_)}")
    print(f"    static let {name}Variances: [Double] = {swift(model.var_)}")
    print(f"    static let {name}Predicted = {swift(model.predict(x[~train]), 30)}")
    print(f"    static let {name}Probabilities: [Double] = {swift(model.predict_proba(x[~train]), 3)}")

# Three categorical features with 3, 2 and 4 levels; level 3 of the last never occurs in training,
# and several levels occur in some classes only.
CATEGORICAL = [[0, 1, 0], [0, 0, 1], [1, 1, 2], [2, 0, 0], [1, 1, 1], [0, 0, 0], [2, 1, 2], [2, 1, 1],
               [1, 0, 2], [0, 1, 0], [2, 0, 2], [1, 1, 0]]
CATEGORICAL_Y = [0, 0, 1, 2, 1, 0, 2, 2, 1, 0, 2, 0]
CATEGORICAL_QUERIES = [[0, 1, 3], [2, 0, 1], [1, 0, 0], [0, 0, 2]]

def categorical():
    model = CategoricalNB(alpha=1.0, min_categories=[3, 2, 4]).fit(CATEGORICAL, CATEGORICAL_Y)
    print("    // CategoricalNB(alpha=1, min_categories=[3, 2, 4]): feature_log_prob_[f] is classes × levels")
    for f in range(3):
        print(f"    static let categoricalLogProbabilities{f}: [Double] = {swift(model.feature_log_prob_[f])}")
    print(f"    static let categoricalLogPriors: [Double] = {swift(model.class_log_prior_)}")
    print(f"    static let categoricalProbabilities: [Double] = {swift(model.predict_proba(CATEGORICAL_QUERIES), 3)}")

# Mixed: two numeric and two categorical features (levels 2 and 3), two classes.
MIXED_NUMERIC = [[1.0, 10.5], [1.5, 9.0], [2.25, 11.0], [0.5, 10.0], [3.0, 14.0], [3.5, 12.5], [4.0, 13.0], [2.5, 15.5],
                 [3.25, 12.0]]
MIXED_CATEGORICAL = [[0, 0], [0, 1], [1, 0], [0, 0], [1, 2], [1, 1], [0, 2], [1, 2], [1, 2]]
MIXED_Y = [0, 0, 0, 0, 1, 1, 1, 1, 1]
MIXED_QUERIES = [([2.0, 11.5], [0, 1]), ([3.0, 12.0], [1, 0]), ([1.0, 16.0], [0, 2])]

def mixed():
    """log P(k) + Σ log N(x; μ, σ² + ε) + Σ log((count + 1) / (n_k + L)), normalised; μ and σ² exact."""
    n, K, levels = len(MIXED_Y), 2, [2, 3]
    def variance(values):
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values) / len(values)
    columns = [[Fraction(r[j]) for r in MIXED_NUMERIC] for j in range(2)]
    epsilon = Fraction(1, 10 ** 9) * max(variance(c) for c in columns)  # 1e-9 as a decimal, as the Swift literal
    print(f"    // mixed: ε = 1e-9 × {float(max(variance(c) for c in columns))}")
    jll = [[mp.mpf(0)] * K for _ in MIXED_QUERIES]
    for k in range(K):
        rows = [i for i in range(n) if MIXED_Y[i] == k]
        for q, (numbers, codes) in enumerate(MIXED_QUERIES):
            total = mp.log(mp.mpf(len(rows)) / n)
            for j in range(2):
                values = [columns[j][i] for i in rows]
                mean, var = sum(values) / len(values), variance(values) + epsilon
                mean, var = mp.mpf(mean.numerator) / mean.denominator, mp.mpf(var.numerator) / var.denominator
                total += -mp.log(2 * mp.pi * var) / 2 - (mp.mpf(numbers[j]) - mean) ** 2 / (2 * var)
            for f in range(2):
                count = sum(1 for i in rows if MIXED_CATEGORICAL[i][f] == codes[f])
                total += mp.log(mp.mpf(count + 1) / (len(rows) + levels[f]))
            jll[q][k] = total
    probabilities = []
    for row in jll:
        norm = mp.log(sum(mp.exp(v) for v in row))
        probabilities += [mp.exp(v - norm) for v in row]
    print(f"    static let mixedProbabilities: [Double] = {swift([float(p) for p in probabilities], 2)}")
    print(f"    static let mixedJointLogLikelihoods: [Double] = {swift([float(v) for row in jll for v in row], 2)}")

gaussian("iris")
gaussian("wine")
categorical()
mixed()
