# R's logLik.lm / AIC / BIC and confint.lm, from the exact fits (mpmath 40 digits; qt from scipy.stats.t.ppf).
import csv, sympy as sp, mpmath as mp, scipy.stats as st
mp.mp.dps = 40
def N(x): return mp.mpf(sp.N(x, 45))
rows = list(csv.DictReader(open("/work/main/sessions/data/diabetes.csv"))); feats = [k for k in rows[0] if k != "Y"]
X = sp.Matrix([[1]+[sp.Rational(r[k]) for k in feats] for r in rows]); Y = sp.Matrix([sp.Rational(r["Y"]) for r in rows])
XtXi = (X.T*X).inv(); b = XtXi*X.T*Y; res = Y-X*b; rss = N(sum(r*r for r in res)); n = len(rows); p = 11
ll = -mp.mpf(n)/2*(mp.log(2*mp.pi) + 1 - mp.log(n) + mp.log(rss))
print("loglik", mp.nstr(ll,17), "AIC", mp.nstr(-2*ll+2*(p+1),17), "BIC", mp.nstr(-2*ll+mp.log(n)*(p+1),17))
s2 = rss/(n-p); q = mp.mpf(st.t.ppf(0.975, n-p))
for i in [0, 3]:
    se = mp.sqrt(s2*N(XtXi[i,i])); print(i, mp.nstr(N(b[i])-q*se,17), mp.nstr(N(b[i])+q*se,17))
