"""Side-by-side fits of modelsh's forest and boost against scikit-learn's
RandomForestClassifier(n_jobs=-1) and HistGradientBoostingClassifier on the same generated
binary-classification data: fit time, test accuracy and peak memory (max RSS of a process that
loads the data and fits once). Run by scripts/bench-models.sh --ensembles. A measurement, not a test.
"""
import os, re, subprocess, sys
import numpy as np

binary, rows, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
work = os.environ.get("BENCH_DIR", "/tmp/modelsh-bench")
os.makedirs(work, exist_ok=True)
p = 20
train_csv, test_csv = f"{work}/ens-train-{rows}.csv", f"{work}/ens-test-{rows}.csv"


def make(path, n, seed):
    if os.path.exists(path):
        return
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    # A non-linear rule trees can learn: interactions and thresholds, plus label noise.
    score = X[:, 0] * X[:, 1] + np.sin(2 * X[:, 2]) + (X[:, 3] > 0.5) - 0.5 * X[:, 4] ** 2 + 0.3 * X[:, 5:10].sum(axis=1)
    y = (score + 0.5 * rng.standard_normal(n) > 0).astype(int)
    np.savetxt(path, np.column_stack([y, X]), delimiter=",", fmt=["%d"] + ["%.17g"] * p,
               header=",".join(["y"] + [f"x{j + 1}" for j in range(p)]), comments="")


make(train_csv, rows, 1)
make(test_csv, max(rows // 5, 1000), 2)

SKLEARN = r'''
import sys, time, numpy as np
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier
train = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1); test = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
model = RandomForestClassifier(n_estimators=100, n_jobs=-1, random_state=1) if sys.argv[3] == "forest" else HistGradientBoostingClassifier(max_iter=100, random_state=1)
start = time.perf_counter(); model.fit(train[:, 1:], train[:, 0].astype(int)); took = time.perf_counter() - start
print(f"fit {took:.3f} accuracy {(model.predict(test[:, 1:]) == test[:, 0]).mean():.6f}")
'''

MODELSH = {"forest": "fit forest train target=y task=classification trees=100 seed=1 as m",
           "boost": "fit boost train target=y task=classification rounds=100 seed=1 as m"}


def measured(command):
    result = subprocess.run(["/usr/bin/time", "-f", "maxrss %M"] + command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    rss = int(re.search(r"maxrss (\d+)", result.stderr).group(1)) / 1024
    return result.stdout, result.stderr, rss


def run_modelsh(kind):
    commands = [f'load "{train_csv}" as train', f'load "{test_csv}" as test', "set timer on", MODELSH[kind], "evaluate m on test"]
    out, err, rss = measured([binary] + sum((["-c", c] for c in commands), []))
    took = float(re.findall(r"^time: ([0-9.]+) s$", err, re.M)[1])
    accuracy = float(re.search(r"^accuracy\s+([0-9.]+)", out, re.M).group(1))
    return took, accuracy, rss


def run_sklearn(kind):
    out, _, rss = measured([sys.executable, "-c", SKLEARN, train_csv, test_csv, kind])
    took, accuracy = re.search(r"fit ([0-9.]+) accuracy ([0-9.]+)", out).groups()
    return float(took), float(accuracy), rss


print(f"ensembles: {rows} training rows × {p} features, binary; {runs} runs alternating; peak RSS of a process that loads and fits once")
print(f"{'fit':8} {'modelsh s (min–max)':>22} {'acc':>8} {'MB':>6}   {'sklearn s (min–max)':>22} {'acc':>8} {'MB':>6} {'time ratio':>10}")
for kind in os.environ.get("KINDS", "forest boost").split():  # KINDS=boost: one of them
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(run_modelsh(kind))
        theirs.append(run_sklearn(kind))
    a, b = np.array([o[0] for o in ours]), np.array([t[0] for t in theirs])
    print(f"{kind:8} {np.median(a):8.2f} ({a.min():.2f}–{a.max():.2f}) {ours[-1][1]:8.4f} {max(o[2] for o in ours):6.0f}   "
          f"{np.median(b):8.2f} ({b.min():.2f}–{b.max():.2f}) {theirs[-1][1]:8.4f} {max(t[2] for t in theirs):6.0f} {np.median(a) / np.median(b):10.3f}")
