"""Side-by-side fit times of modelsh and scikit-learn on the same generated data.

Run by scripts/bench-models.sh (which builds modelsh and provides scikit-learn in a virtual
environment). Prints the machine, versions, then per model: median and min–max of the fit
time over the runs for each tool, the ratio modelsh/scikit-learn, and for logistic regression
both training log-losses. A measurement, not a test: nothing here fails on a slow figure.

Fit times exclude reading the CSV: modelsh's come from `set timer on` around the fit command
in one process that loaded the file first; scikit-learn's from time.perf_counter around
.fit() on arrays already in memory. The runs alternate between the tools.
"""
import os, platform, re, subprocess, sys, time
import numpy as np

rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
binary = sys.argv[1]
work = os.environ.get("BENCH_DIR", "/tmp/modelsh-bench")
os.makedirs(work, exist_ok=True)

import sklearn
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import log_loss

rng = np.random.default_rng(20261130)
p = 20
X = rng.standard_normal((rows, p))
beta = np.linspace(-1, 1, p)
y_reg = 3 + X @ beta + rng.standard_normal(rows)
y_cls = (rng.random(rows) < 1 / (1 + np.exp(-(0.5 + X @ beta * 0.5)))).astype(int)
names = [f"x{j + 1}" for j in range(p)]


def write(path, y):
    if os.path.exists(path):
        return
    table = np.column_stack([y, X])
    fmt = ["%d" if y.dtype.kind == "i" else "%.17g"] + ["%.17g"] * p
    np.savetxt(path, table, delimiter=",", fmt=fmt, header=",".join(["y"] + names), comments="")


reg_csv, cls_csv = f"{work}/reg-{rows}.csv", f"{work}/cls-{rows}.csv"
write(reg_csv, y_reg)
write(cls_csv, y_cls)

MODELSH_FITS = [
    ("linear", "reg", "fit linear reg target=y as a"),
    ("ridge", "reg", "fit ridge reg target=y alpha=1 as b"),
    ("logistic", "cls", "fit logistic cls target=y as c"),
]


def run_modelsh():
    commands = [f'load "{reg_csv}" as reg', f'load "{cls_csv}" as cls', "set timer on"]
    commands += [command for _, _, command in MODELSH_FITS] + ["evaluate c on cls"]
    result = subprocess.run([binary] + sum((["-c", c] for c in commands), []), capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"modelsh failed:\n{result.stderr}")
    times = [float(t) for t in re.findall(r"^time: ([0-9.]+) s$", result.stderr, re.M)]
    fit_times = dict(zip([name for name, _, _ in MODELSH_FITS], times[1:1 + len(MODELSH_FITS)]))
    loss = float(re.search(r"^log_loss\s+([-0-9.e+]+)", result.stdout, re.M).group(1))
    return fit_times, loss


def run_sklearn():
    times = {}
    start = time.perf_counter(); LinearRegression().fit(X, y_reg); times["linear"] = time.perf_counter() - start
    start = time.perf_counter(); Ridge(alpha=1.0).fit(X, y_reg); times["ridge"] = time.perf_counter() - start
    start = time.perf_counter()
    model = LogisticRegression(C=np.inf, solver="lbfgs", max_iter=1000).fit(X, y_cls)
    times["logistic"] = time.perf_counter() - start
    return times, log_loss(y_cls, model.predict_proba(X))


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
print(f"machine: {os.cpu_count()} cores, {cpu()}")
print(f"modelsh {version}; scikit-learn {sklearn.__version__}, numpy {np.__version__}, Python {platform.python_version()}")
print(f"data: {rows} rows × {p} numeric features (+ intercept); {runs} runs, alternating")
ours, theirs, losses = {}, {}, []
for _ in range(runs):
    m, m_loss = run_modelsh()
    s, s_loss = run_sklearn()
    for key in m:
        ours.setdefault(key, []).append(m[key])
        theirs.setdefault(key, []).append(s[key])
    losses.append((m_loss, s_loss))

print(f"{'fit':10} {'modelsh median (min–max)':>28} {'scikit-learn median (min–max)':>32} {'ratio':>7}")
for key in ours:
    a, b = np.array(ours[key]), np.array(theirs[key])
    print(f"{key:10} {np.median(a):10.3f} s ({a.min():.3f}–{a.max():.3f}) {np.median(b):14.3f} s ({b.min():.3f}–{b.max():.3f}) {np.median(a) / np.median(b):7.3f}")
m_loss, s_loss = losses[-1]
print(f"logistic training log-loss: modelsh {m_loss:.10f}, scikit-learn lbfgs {s_loss:.10f} (difference {m_loss - s_loss:+.2e})")
