# Exact OLS (sympy rationals) + mpmath (40 digits) for t/F p-values: R's summary.lm formulas.
import csv, sys, sympy as sp, mpmath as mp
mp.mp.dps = 40
def read(path):
    with open(path) as f: return list(csv.DictReader(f))
def N(x): return mp.mpf(sp.N(x, 45))
def tp(t, df): # two-sided p
    t = mp.mpf(t); return mp.betainc(df/mp.mpf(2), mp.mpf(1)/2, 0, df/(df+t*t), regularized=True)
def fp(f, d1, d2):
    f = mp.mpf(f); return mp.betainc(d2/mp.mpf(2), d1/mp.mpf(2), 0, d2/(d2+d1*f), regularized=True)
def lm(y, cols, names):
    n = len(y); X = sp.Matrix([[1]+[c[i] for c in cols] for i in range(n)]); Y = sp.Matrix(y)
    XtXi = (X.T*X).inv(); b = XtXi*X.T*Y; fit = X*b; res = Y-fit
    rss = sum(r*r for r in res); p = X.shape[1]; df = n-p; s2 = rss/df
    fm = sum(fit)/n; mss = sum((v-fm)**2 for v in fit)
    out = {}
    for i, nm in enumerate(["(Intercept)"]+names):
        se = mp.sqrt(N(s2*XtXi[i,i])); t = N(b[i])/se
        print(f'("{nm}", {mp.nstr(N(b[i]),17)}, {mp.nstr(se,17)}, {mp.nstr(t,17)}, {mp.nstr(tp(t,df),17)}),')
    r2 = N(mss/(mss+rss)); adj = 1-(1-r2)*(mp.mpf(n-1)/df); F = N((mss/(p-1))/s2)
    print(f"sigma {mp.nstr(mp.sqrt(N(s2)),17)} df {df} r2 {mp.nstr(r2,17)} adj {mp.nstr(adj,17)} F {mp.nstr(F,17)} on {p-1},{df} p {mp.nstr(fp(F,p-1,df),17)}")
    srt = sorted(res)
    def q7(pp):
        h = (n-1)*sp.Rational(pp); lo = int(sp.floor(h)); hi = min(lo+1, n-1); return srt[lo]+(h-lo)*(srt[hi]-srt[lo])
    print("resid quantiles", [mp.nstr(N(q7(q)),17) for q in ["0","1/4","1/2","3/4","1"]])
which = sys.argv[1]
if which == "diabetes":
    rows = read("/work/main/sessions/data/diabetes.csv"); feats = [k for k in rows[0] if k != "Y"]
    lm([sp.Rational(r["Y"]) for r in rows], [[sp.Rational(r[k]) for r in rows] for k in feats], feats)
elif which == "iris":
    rows = read("/work/main/sessions/data/iris.csv")
    sp_ = [r["Species"] for r in rows]
    lm([sp.Rational(r["Sepal.Length"]) for r in rows],
       [[int(s=="versicolor") for s in sp_], [int(s=="virginica") for s in sp_], [sp.Rational(r["Petal.Width"]) for r in rows]],
       ["Speciesversicolor","Speciesvirginica","Petal.Width"])
elif which == "reduced":  # iris Sepal.Length ~ Sepal.Width + Petal.Length (the fit without the aliased column)
    rows = read("/work/main/sessions/data/iris.csv")
    lm([sp.Rational(r["Sepal.Length"]) for r in rows], [[sp.Rational(r[k]) for r in rows] for k in ["Sepal.Width","Petal.Length"]], ["Sepal.Width","Petal.Length"])
if which == "diabetes-metrics":
    rows = read("/work/main/sessions/data/diabetes.csv"); feats = [k for k in rows[0] if k != "Y"]
    y=[sp.Rational(r["Y"]) for r in rows]; n=len(y)
    X = sp.Matrix([[1]+[sp.Rational(r[k]) for k in feats] for r in rows]); Y=sp.Matrix(y)
    b=(X.T*X).inv()*X.T*Y; res=Y-X*b
    print("mse", mp.nstr(N(sum(r*r for r in res)/n),17), "mae", mp.nstr(N(sum(abs(r) for r in res)/n),17))
