"""Reference values for Tests/NumericsTests/LogisticRegressionTests.swift (penalised binary and
multinomial fits, the normal CDF): scikit-learn, numpy and mpmath, independent of modelsh.
Run: python3 Tests/References/logistic.py"""
import warnings

import mpmath
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

np.set_printoptions(precision=17, linewidth=150)
DATA = "/work/main/sessions/data"
iris = pd.read_csv(f"{DATA}/iris.csv")
wine = pd.read_csv(f"{DATA}/wine.csv")
IRIS_FEATURES = ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]
WINE_FEATURES = ["alcohol", "malic_acid", "ash"]


def show(name, values):
    print(f"{name}: [{', '.join(repr(float(v)) for v in np.ravel(values))}]")


def kkt_violation(model, X, y, alpha, l1):
    """How far the fitted point is from optimal: max |gradient| over the unpenalised and nonzero
    coordinates (minus the subgradient α·sign for L1), excess over α for zero L1 coordinates."""
    eta = X @ model.coef_.ravel() + model.intercept_[0]
    mu = 1 / (1 + np.exp(-eta))
    gradient = X.T @ (mu - y)
    w = model.coef_.ravel()
    worst = abs(np.sum(mu - y)) if model.fit_intercept else 0.0
    for g, wj in zip(gradient, w):
        if l1:
            worst = max(worst, abs(g + alpha * np.sign(wj)) if wj != 0 else max(0.0, abs(g) - alpha))
        else:
            worst = max(worst, abs(g + alpha * wj))
    return worst


def binary_penalised():
    X = iris[IRIS_FEATURES].to_numpy()
    y = (iris["Species"] == "versicolor").to_numpy(dtype=float)
    cases = [("l2 alpha=1 intercept", 1.0, 0.0, True, "newton-cholesky"),
             ("l2 alpha=1 intercept", 1.0, 0.0, True, "lbfgs"),
             ("l2 alpha=10 no intercept", 10.0, 0.0, False, "newton-cholesky"),
             ("l1 alpha=5 intercept", 5.0, 1.0, True, "saga"),
             ("l1 alpha=1 intercept", 1.0, 1.0, True, "saga")]
    for name, alpha, l1_ratio, intercept, solver in cases:
        model = LogisticRegression(C=1 / alpha, l1_ratio=l1_ratio, solver=solver, fit_intercept=intercept,
                                   tol=1e-14, max_iter=10_000_000).fit(X, y)
        p = model.predict_proba(X)[:, 1]
        loss = -np.sum(y * np.log(p) + (1 - y) * np.log1p(-p))
        print(f"== iris versicolor, {name} ({solver}); KKT violation {kkt_violation(model, X, y, alpha, l1_ratio == 1):.2e}")
        show("intercept", model.intercept_)
        show("coefficients", model.coef_)
        print(f"log-loss {loss!r}")
        show("p[0,50,100,149]", p[[0, 50, 100, 149]])


def multinomial(name, X, classes, C, solver):
    """Baseline (class 0) coefficients, their standard errors from the inverse Hessian of the
    negative log-likelihood, deviance, AIC, and probabilities."""
    model = LogisticRegression(C=C, solver=solver, tol=1e-14, max_iter=1_000_000).fit(X, classes)
    P = model.predict_proba(X)
    n, K = P.shape
    deviance = -2 * np.sum(np.log(P[np.arange(n), classes]))
    print(f"== {name} ({solver}, C={C}); deviance {deviance!r}; n_iter {model.n_iter_}")
    if np.isinf(C):
        beta = np.column_stack([model.intercept_ - model.intercept_[0], model.coef_ - model.coef_[0]])[1:]  # (K-1) x (1+p)
        show("baseline coefficients (class-major, intercept first)", beta)
        Z = np.column_stack([np.ones(n), X])
        q = Z.shape[1]
        H = np.zeros(((K - 1) * q, (K - 1) * q))
        for c in range(1, K):
            for d in range(1, K):
                w = P[:, c] * ((c == d) - P[:, d])
                H[(c - 1) * q:c * q, (d - 1) * q:d * q] = Z.T @ (w[:, None] * Z)
        show("standard errors", np.sqrt(np.diag(np.linalg.inv(H))))
        print(f"AIC {deviance + 2 * (K - 1) * q!r}")
    else:
        show("intercepts", model.intercept_)
        show("coefficients (class-major)", model.coef_)
    show("probabilities rows 0, 60, 130 (row-major)", P[[0, 60, 130]])


def normal_cdf():
    mpmath.mp.dps = 40
    for x in [-37, -10, -1.5, 0, 0.3, 2.5, 8]:
        print(f"Phi({x}) = {float(mpmath.ncdf(x))!r}")


warnings.simplefilter("ignore", FutureWarning)
binary_penalised()
wine_classes = wine["class"].to_numpy() - 1
multinomial("wine class ~ alcohol + malic_acid + ash", wine[WINE_FEATURES].to_numpy(), wine_classes, np.inf, "newton-cholesky")
multinomial("wine class ~ alcohol + malic_acid + ash", wine[WINE_FEATURES].to_numpy(), wine_classes, np.inf, "lbfgs")
multinomial("wine, L2 alpha=2", wine[WINE_FEATURES].to_numpy(), wine_classes, 0.5, "newton-cholesky")
multinomial("wine, L2 alpha=2", wine[WINE_FEATURES].to_numpy(), wine_classes, 0.5, "lbfgs")
normal_cdf()
