# Exact OLS on NIST StRD Longley by rational arithmetic (sympy), SEs to 30 digits with mpmath.
from fractions import Fraction as F
import sympy as sp, mpmath as mp
mp.mp.dps = 40
rows = """60323 83.0 234289 2356 1590 107608 1947
61122 88.5 259426 2325 1456 108632 1948
60171 88.2 258054 3682 1616 109773 1949
61187 89.5 284599 3351 1650 110929 1950
63221 96.2 328975 2099 3099 112075 1951
63639 98.1 346999 1932 3594 113270 1952
64989 99.0 365385 1870 3547 115094 1953
63761 100.0 363112 3578 3350 116219 1954
66019 101.2 397469 2904 3048 117388 1955
67857 104.6 419180 2822 2857 118734 1956
68169 108.4 442769 2936 2798 120445 1957
66513 110.8 444546 4681 2637 121950 1958
68655 112.6 482704 3813 2552 123366 1959
69564 114.2 502601 3931 2514 125368 1960
69331 115.7 518173 4806 2572 127852 1961
70551 116.9 554894 4007 2827 130081 1962"""
data = [[sp.Rational(v) for v in r.split()] for r in rows.splitlines()]
y = sp.Matrix([r[0] for r in data]); X = sp.Matrix([[1]+r[1:] for r in data])
XtXi = (X.T*X).inv(); b = XtXi*X.T*y
res = y - X*b; rss = (res.T*res)[0]; n,p = X.shape; s2 = rss/(n-p)
for i in range(p):
    print(f"b{i} = {mp.mpf(sp.N(b[i],40))} se = {mp.sqrt(mp.mpf(sp.N(s2*XtXi[i,i],40)))}")
ybar = sum(y)/n; tss = sum((v-ybar)**2 for v in y)
print("sigma", mp.sqrt(mp.mpf(sp.N(s2,40))), "R2", mp.mpf(sp.N(1-rss/tss,40)))
