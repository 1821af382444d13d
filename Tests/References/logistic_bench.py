"""Speed reference for LogisticRegressionTests.testBenchmarkMillionRows (run with MODELSH_BENCH=1):
1,000,000 × 20 standard normal features (numpy seed 20261130), y ~ Bernoulli(logistic(0.3 + X·β)).
Writes /tmp/logistic_bench.csv (x1..x20,y), then times scikit-learn's lbfgs without penalty at
tightening tolerances until its mean log-loss is within 1e-6 of the optimum (newton-cholesky at
tol 1e-12), and prints that time (best of three). Run: python3 Tests/References/logistic_bench.py"""
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression

ROWS, FEATURES, PATH = 1_000_000, 20, "/tmp/logistic_bench.csv"
rng = np.random.default_rng(20261130)
X = rng.standard_normal((ROWS, FEATURES))
beta = rng.uniform(-1, 1, FEATURES)
y = (rng.uniform(size=ROWS) < 1 / (1 + np.exp(-(0.3 + X @ beta)))).astype(float)
np.savetxt(PATH, np.column_stack([X, y]), delimiter=",", fmt="%.17g",
           header=",".join([f"x{j + 1}" for j in range(FEATURES)] + ["y"]), comments="")


def mean_log_loss(model):
    eta = X @ model.coef_.ravel() + model.intercept_[0]
    return np.mean(np.logaddexp(0, eta) - y * eta)


warnings.simplefilter("ignore")
optimum = mean_log_loss(LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12, max_iter=100).fit(X, y))
print(f"optimal mean log-loss {optimum!r}")
for tol in [1e-4, 1e-6, 1e-8, 1e-10]:
    times = []
    for _ in range(3):  # best of three: the machine is shared
        start = time.perf_counter()
        model = LogisticRegression(C=np.inf, solver="lbfgs", tol=tol, max_iter=10_000).fit(X, y)
        times.append(time.perf_counter() - start)
    gap = mean_log_loss(model) - optimum
    print(f"lbfgs tol {tol:g}: best {min(times):.3f} s of {', '.join(f'{t:.3f}' for t in times)}; "
          f"{model.n_iter_[0]} iterations, log-loss gap {gap:.2e}")
    if gap < 1e-6:
        print(f"sklearn lbfgs at equal log-loss (within 1e-6): {min(times):.3f} s")
        break
