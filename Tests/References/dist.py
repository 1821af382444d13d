# High-precision references (mpmath, 50 digits), cross-checked against scipy where it has them.
import mpmath as mp, scipy.stats as st, scipy.special as sc
mp.mp.dps = 50
def tp(t, df): t=mp.mpf(t); df=mp.mpf(df); return mp.betainc(df/2, mp.mpf(1)/2, 0, df/(df+t*t), regularized=True)
s = lambda x: mp.nstr(x, 17)
print("# t two-sided")
for t, df in [(2.0,5),(0.5,1),(-3.0,10),(10.0,30),(40.0,431),(1e-3,3),(2.5,1000.5),(5.0,1e6),(0.2,2.5)]:
    print(t, df, s(tp(t,df)), repr(2*st.t.sf(abs(t),df)))
print("# t cdf")
for t, df in [(-2.0,5),(1.5,7),(-30.0,4)]:
    v = tp(t,df)/2; v = v if t<0 else 1-v; print(t, df, s(v), repr(st.t.cdf(t,df)))
print("# t quantile")
for p, df in [(0.975,1),(0.975,10),(0.995,3),(0.025,147),(1e-10,5),(0.9,2),(0.6,431)]:
    print(p, df, repr(st.t.ppf(p, df)))
print("# F sf")
for f, a, b in [(3.5,2,20),(46.272439585243209,10,431),(0.5,1,1),(100.0,3,146),(1.0,50,50),(0.01,4,9)]:
    f=mp.mpf(f); v = mp.betainc(mp.mpf(b)/2, mp.mpf(a)/2, 0, b/(b+a*f), regularized=True); print(f, a, b, s(v), repr(st.f.sf(float(f),a,b)))
print("# betainc")
for x, a, b in [(1e-10,2,3),(0.3,0.5,0.5),(0.999,200,3),(0.49,1000,1001),(0.2,1e-3,5)]:
    print(x, a, b, s(mp.betainc(a,b,0,x,regularized=True)), s(mp.betainc(a,b,x,1,regularized=True)))
print("# logBeta")
for a, b in [(0.5,0.5),(3,7),(1e5,0.5),(1e6,1e6+0.5),(15.5,12.25)]:
    print(a, b, s(mp.log(mp.beta(a,b))))
print("# normal", s(mp.ncdf(-10)), s(mp.ncdf(1.5)), repr(st.norm.ppf(0.975)), repr(st.norm.ppf(1e-12)))
