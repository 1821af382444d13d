# lm(Sepal.Length ~ Petal.Width + Species - 1, data = iris): without an intercept R codes the
# first factor with all its levels. Exact rational least squares, then the figures as floats.
import csv, sympy as sp
rows = list(csv.DictReader(open("sessions/data/iris.csv")))
levels = ["setosa", "versicolor", "virginica"]
X = sp.Matrix([[sp.Rational(r["Petal.Width"])] + [1 if r["Species"] == l else 0 for l in levels] for r in rows])
y = sp.Matrix([sp.Rational(r["Sepal.Length"]) for r in rows])
XtXi = (X.T * X).inv(); b = XtXi * X.T * y; res = y - X * b
rss = sum(v * v for v in res); df = len(rows) - 4; s2 = rss / df
for name, i in zip(["Petal.Width"] + ["Species" + l for l in levels], range(4)):
    print(name, sp.N(b[i], 17), sp.N(sp.sqrt(s2 * XtXi[i, i]), 17))
tss = sum(v * v for v in y)  # uncentred, as R without an intercept
print("r2", sp.N(1 - rss / tss, 17), "sigma", sp.N(sp.sqrt(s2), 17))
