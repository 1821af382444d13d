# Reference values for Tests/NumericsTests/PenalisedRegressionTests.swift and GradientDescentTests.swift.
# Ridge: exact rational solutions (sympy) of ‖y − Xw − b‖² + α‖w‖², cross-checked with scikit-learn.
# Lasso / ElasticNet / lasso_path: scikit-learn's coordinate descent run to a duality gap of 1e-14·‖y‖²
# (residual updates; the Gram variant cannot reach that gap in floating point).
# Logistic: scikit-learn's LogisticRegression (newton-cg) cross-checked with scipy's BFGS.
# Data: sessions/data/diabetes.csv, RAW features (file order) and target Y for everything except the
# logistic fit, which uses features standardised with the population sd (ddof = 0) and y = (Y > 140).
import warnings, numpy as np, pandas as pd, sympy as sp
from fractions import Fraction
from scipy.optimize import minimize
from sklearn.linear_model import Ridge, Lasso, ElasticNet, lasso_path, LogisticRegression
warnings.simplefilter("error")

rows = pd.read_csv("/work/main/sessions/data/diabetes.csv", dtype=str)
features = [c for c in rows.columns if c != "Y"]
Xq = [[Fraction(v) for v in rows[c]] for c in features]          # exact columns
yq = [Fraction(v) for v in rows["Y"]]
X = np.array([[float(v) for v in col] for col in Xq]).T
y = np.array([float(v) for v in yq])
n, p = X.shape

def show(name, values):
    print(f"{name}: [" + ", ".join(f"{float(v):.17g}" for v in values) + "]")

def exact_ridge(cols, yv, alpha, intercept=True):
    """Exact ridge: centre (if intercept), solve (XcᵀXc + αI) w = Xcᵀyc; edf = tr(G (G + αI)⁻¹)."""
    m = len(yv)
    means = [sum(c) / m for c in cols] if intercept else [0] * len(cols)
    ymean = sum(yv) / m if intercept else 0
    Xc = sp.Matrix([[sp.Rational(c[i] - mu) for c, mu in zip(cols, means)] for i in range(m)])
    yc = sp.Matrix([sp.Rational(v - ymean) for v in yv])
    G = Xc.T * Xc
    A = G + sp.Rational(alpha) * sp.eye(len(cols))
    w = A.LUsolve(Xc.T * yc)
    b = sp.Rational(ymean) - sum(w[j] * sp.Rational(means[j]) for j in range(len(cols)))
    r = yc - Xc * w
    edf = (G * A.inv()).trace()
    return [sp.N(v, 20) for v in w], sp.N(b, 20), sp.N(edf, 20), sp.N((r.T * r)[0], 20)

print("# Ridge, raw diabetes")
for alpha, intercept in [(Fraction(1), True), (Fraction(221), True), (Fraction(10), False)]:
    w, b, edf, rss = exact_ridge(Xq, yq, alpha, intercept)
    sk = Ridge(alpha=float(alpha), fit_intercept=intercept, solver="svd").fit(X, y)
    assert np.allclose(sk.coef_, [float(v) for v in w], rtol=1e-9, atol=0) and abs(sk.intercept_ - float(b)) < 1e-7
    print(f"alpha {alpha} intercept {intercept}")
    show("coefficients", w); print(f"intercept {float(b):.17g} edf {float(edf):.17g} rss {float(rss):.17g}")

print("# Ridge, Longley (NIST StRD), alpha 1/2: the centred Gram's condition number is 3e11")
longley = [[60323, "83.0", 234289, 2356, 1590, 107608, 1947], [61122, "88.5", 259426, 2325, 1456, 108632, 1948],
    [60171, "88.2", 258054, 3682, 1616, 109773, 1949], [61187, "89.5", 284599, 3351, 1650, 110929, 1950],
    [63221, "96.2", 328975, 2099, 3099, 112075, 1951], [63639, "98.1", 346999, 1932, 3594, 113270, 1952],
    [64989, "99.0", 365385, 1870, 3547, 115094, 1953], [63761, "100.0", 363112, 3578, 3350, 116219, 1954],
    [66019, "101.2", 397469, 2904, 3048, 117388, 1955], [67857, "104.6", 419180, 2822, 2857, 118734, 1956],
    [68169, "108.4", 442769, 2936, 2798, 120445, 1957], [66513, "110.8", 444546, 4681, 2637, 121950, 1958],
    [68655, "112.6", 482704, 3813, 2552, 123366, 1959], [69564, "114.2", 502601, 3931, 2514, 125368, 1960],
    [69331, "115.7", 518173, 4806, 2572, 127852, 1961], [70551, "116.9", 554894, 4007, 2827, 130081, 1962]]
lq = [[Fraction(str(v)) for v in row] for row in longley]
w, b, edf, rss = exact_ridge([[row[j] for row in lq] for j in range(1, 7)], [row[0] for row in lq], Fraction(1, 2))
show("coefficients", w); print(f"intercept {float(b):.17g} edf {float(edf):.17g} rss {float(rss):.17g}")

def cd(model):
    m = model.fit(X, y)
    return m.coef_, m.intercept_

print("# Lasso alpha 0.1, ElasticNet alpha 0.05 l1_ratio 0.5 (raw diabetes, tol 1e-14)")
for model in [Lasso(alpha=0.1, tol=1e-14, max_iter=10**7, precompute=False),
              ElasticNet(alpha=0.05, l1_ratio=0.5, tol=1e-14, max_iter=10**7, precompute=False)]:
    coef, b = cd(model)
    show(type(model).__name__, coef); print(f"intercept {b:.17g}")

print("# lasso_path on centred raw diabetes: eps 1e-3, 100 alphas (sklearn's defaults), tol 1e-14")
Xc, yc = X - X.mean(0), y - y.mean()
alphas, coefs, _ = lasso_path(Xc, yc, eps=1e-3, alphas=100, tol=1e-14, max_iter=10**7, precompute=False)
print(f"alpha_max {alphas[0]:.17g} alpha_min {alphas[-1]:.17g}")
for k in [0, 1, 20, 50, 99]:
    show(f"path[{k}] alpha {alphas[k]:.17g}", coefs[:, k])
print(f"enet alpha_max (l1_ratio 0.5) {np.max(np.abs(Xc.T @ yc)) / (n * 0.5):.17g}")

print("# Logistic, standardised diabetes, y = (Y > 140), alpha 0.01 per sample (C = 1 / (n alpha))")
Z = (X - X.mean(0)) / X.std(0)
t = (y > 140).astype(float)
alpha = 0.01
lr = LogisticRegression(C=1 / (n * alpha), tol=1e-14, max_iter=10000, solver="newton-cg").fit(Z, t)
def objective(v):
    z = Z @ v[:p] + v[p]
    return np.mean(np.logaddexp(0, z) - t * z) + alpha / 2 * v[:p] @ v[:p]
def gradient(v):
    g = 1 / (1 + np.exp(-(Z @ v[:p] + v[p]))) - t
    return np.r_[Z.T @ g / n + alpha * v[:p], g.mean()]
check = minimize(objective, np.zeros(p + 1), jac=gradient, method="BFGS", options={"gtol": 1e-13, "maxiter": 10000}).x
assert np.allclose(check, np.r_[lr.coef_[0], lr.intercept_], rtol=1e-7, atol=1e-9)
show("coefficients", lr.coef_[0]); print(f"intercept {lr.intercept_[0]:.17g} objective {objective(np.r_[lr.coef_[0], lr.intercept_]):.17g}")

print("# BMI (column 2) duplicated as an 11th column, raw diabetes, tol 1e-14")
X2 = np.column_stack([X, X[:, 2]])
for model in [Lasso(alpha=0.1, tol=1e-14, max_iter=10**7, precompute=False),
              ElasticNet(alpha=0.05, l1_ratio=0.5, tol=1e-14, max_iter=10**7, precompute=False)]:
    m = model.fit(X2, y)
    show(type(model).__name__, m.coef_); print(f"intercept {m.intercept_:.17g}")
