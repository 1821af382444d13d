"""Reference values for the monitoring tests (Tests/NumericsTests/MonitoringStatisticsTests.swift):
scipy.stats.ks_2samp (method='auto'), chi2_contingency (correction=True) and the chi-square
distribution, on samples given by exact decimal formulas so Swift rebuilds them bit for bit.
Run once: python3 Tests/References/monitoring.py (scipy 1.17.1 printed these numbers)."""
import scipy
from scipy import stats

def sample(n, step, modulus, shift):
    return [((i * step) % modulus) / 10 + shift for i in range(n)]

print("scipy", scipy.__version__)
cases = {
    "equal sizes": (sample(60, 37, 101, 0.0), sample(60, 53, 97, 0.7)),
    "unequal sizes": (sample(80, 37, 101, 0.0), sample(50, 53, 97, 1.5)),
    "ties": (sample(45, 7, 10, 0.0), sample(70, 3, 10, 0.2)),
    "identical": (sample(30, 37, 101, 0.0), sample(30, 37, 101, 0.0)),
    "large (asymptotic)": (sample(12000, 37, 1009, 0.0), sample(11000, 53, 997, 0.3)),
}
for name, (a, b) in cases.items():
    r = stats.ks_2samp(a, b, method="auto")
    print(f"ks {name}: statistic={r.statistic!r} pvalue={r.pvalue!r}")

tables = {
    "2x3": [[10, 20, 30], [15, 15, 40]],
    "2x2 (Yates)": [[12, 5], [7, 14]],
    "2x4": [[120, 80, 40, 10], [100, 90, 60, 30]],
}
for name, table in tables.items():
    chi2, p, dof, _ = stats.chi2_contingency(table)
    print(f"chi2 {name}: statistic={chi2!r} pvalue={p!r} dof={dof}")

for x, k in [(29.59, 10), (0.5, 1), (3.0, 4), (150.0, 100), (1e-3, 2)]:
    print(f"chi2.sf({x}, {k}) = {stats.chi2.sf(x, k)!r}")
for k in [1, 2, 10, 30]:
    print(f"chi2.ppf(0.999, {k}) = {stats.chi2.ppf(0.999, k)!r}")
