import math, mpmath as mp
def cf(a,b,x):
    tiny=1e-300; eps=2.220446049250313e-16
    s=a+b; ap=a+1; am=a-1; c=1.0; d=1-s*x/ap
    d=1/d; h=d
    for m in range(1,100001):
        m2=2*m
        num=m*(b-m)*x/((am+m2)*(a+m2)); d=1+num*d; c=1+num/c; d=1/d; h*=d*c
        num=-(a+m)*(s+m)*x/((a+m2)*(ap+m2)); d=1+num*d; c=1+num/c; d=1/d; de=d*c; h*=de
        if abs(de-1)<=eps: return h, m
    return h, -1
nu=1e6; t=5.0; a=nu/2; b=0.5; x=nu/(nu+t*t); y=t*t/(nu+t*t)
h,m=cf(a,b,x); print(m, h)
mp.mp.dps=40
exact = mp.betainc(a,b,0,x,regularized=True)
front = mp.exp(a*mp.log(x)+b*mp.log(y)-mp.log(mp.beta(a,b)))
print("exact cf", exact/front*a)
import math
def lbeta(a,b): return math.lgamma(a)+math.lgamma(b)-math.lgamma(a+b)
def pval(nu,t):
    a=nu/2; b=0.5; y=t*t/(nu+t*t); x=nu/(nu+t*t)
    lf = a*(math.log1p(-y)) + b*math.log(y) - float(mp.log(mp.beta(a,b)))
    h,_=cf(a,b,x); return math.exp(lf)*h/a
for nu in [10, 100, 1000, 1e4, 1e5]:
    for t in [2.0, 5.0, 10.0]:
        ex = mp.betainc(nu/2,0.5,0,nu/(nu+t*t),regularized=True)
        print(nu, t, float(abs(pval(nu,t)-ex)/ex))
