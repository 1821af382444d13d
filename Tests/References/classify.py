# Reference values for ClassificationMetricsTests, RegressionScoresTests and NearestNeighboursTests,
# from scikit-learn (printed as Swift literals to paste). Run: python3 classify.py {metrics|regression|knn}
import csv, math, sys
import numpy as np
from sklearn import metrics as M
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

def swift(values, per_line=6, indent="    "):
    """Values as a Swift array literal, shortest round-trip repr."""
    items = [str(int(v)) if isinstance(v, (int, np.integer)) else repr(float(v)) for v in values]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    inner = indent + "    "
    return "[\n" + inner + (",\n" + inner).join(lines) + ",\n" + indent + "]"

# ---- metrics: small hand-made cases with tied scores, zero-division classes and 0/1 probabilities
BINARY_ACTUAL = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1]
BINARY_P1 = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.0, 1.0, 0.65, 0.7, 0.2, 0.5]
MULTI_ACTUAL = [0, 0, 1, 2, 1, 2, 0, 1, 2, 2, 1, 0, 2, 1]
MULTI_P = [[0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4], [0.2, 0.2, 0.6],
           [0.3, 0.4, 0.3], [0.0, 1.0, 0.0], [0.25, 0.25, 0.5], [0.4, 0.35, 0.25], [0.1, 0.8, 0.1], [0.6, 0.1, 0.3],
           [0.2, 0.45, 0.35], [0.5, 0.25, 0.25]]
# class 3 neither occurs nor is predicted; class 2 is predicted but never occurs; class 1 is never predicted
SPARSE_ACTUAL = [0, 0, 1, 1, 0, 1]
SPARSE_PREDICTED = [0, 2, 0, 0, 0, 2]

def label_scores(actual, predicted, name):
    p, r, f, s = M.precision_recall_fscore_support(actual, predicted, average=None, zero_division=0)
    print(f"// {name}: labels present {sorted(set(actual) | set(predicted))}")
    print("accuracy", repr(M.accuracy_score(actual, predicted)), "balanced", repr(M.balanced_accuracy_score(actual, predicted)))
    print("precision", swift(p), "recall", swift(r), "f1", swift(f), "support", list(s))
    for avg in ["macro", "weighted"]:
        print(avg, [repr(float(v)) for v in M.precision_recall_fscore_support(actual, predicted, average=avg, zero_division=0)[:3]])
    print("confusion", M.confusion_matrix(actual, predicted).tolist())

def metrics():
    predicted = [int(p >= 0.5) for p in BINARY_P1]
    label_scores(BINARY_ACTUAL, predicted, "binary, threshold 0.5")
    print("auc", repr(M.roc_auc_score(BINARY_ACTUAL, BINARY_P1)), "logloss", repr(M.log_loss(BINARY_ACTUAL, BINARY_P1)),
          "brier", repr(M.brier_score_loss(BINARY_ACTUAL, BINARY_P1)))
    fpr, tpr, th = M.roc_curve(BINARY_ACTUAL, BINARY_P1, drop_intermediate=False)
    print("roc thresholds", swift(th), "fpr", swift(fpr), "tpr", swift(tpr))
    prec, rec, th = M.precision_recall_curve(BINARY_ACTUAL, BINARY_P1)
    print("pr (sklearn order) thresholds", swift(th), "precision", swift(prec), "recall", swift(rec))

    pm = np.array(MULTI_P)
    assert np.allclose(pm.sum(axis=1), 1)
    label_scores(MULTI_ACTUAL, pm.argmax(axis=1).tolist(), "multiclass, argmax")
    print("predicted", pm.argmax(axis=1).tolist())
    print("auc ovr macro", repr(M.roc_auc_score(MULTI_ACTUAL, pm, multi_class="ovr", average="macro")),
          "weighted", repr(M.roc_auc_score(MULTI_ACTUAL, pm, multi_class="ovr", average="weighted")))
    print("logloss", repr(M.log_loss(MULTI_ACTUAL, pm)), "brier", repr(M.brier_score_loss(MULTI_ACTUAL, pm)))
    label_scores(SPARSE_ACTUAL, SPARSE_PREDICTED, "sparse (K = 4 in the test)")
    print("logloss of certain mistakes (clipped at eps)", repr(M.log_loss([0, 1, 1], [[1.0, 0.0], [1.0, 0.0], [0.5, 0.5]])))

# ---- regression scores: hand-made pairs, one actual value 0 (MAPE's epsilon)
REG_ACTUAL = [3.0, -0.5, 2.0, 7.0, 0.0, 4.5, 1.25, -2.0]
REG_PREDICTED = [2.5, 0.0, 2.0, 8.0, 0.25, 4.0, 1.0, -1.5]

def regression():
    a, p = REG_ACTUAL, REG_PREDICTED
    r2 = M.r2_score(a, p)
    n, k = len(a), 3
    print("mse", repr(M.mean_squared_error(a, p)), "rmse", repr(M.root_mean_squared_error(a, p)),
          "mae", repr(M.mean_absolute_error(a, p)), "mape", repr(M.mean_absolute_percentage_error(a, p)))
    print("r2", repr(r2), "adjusted (3 predictors)", repr(1 - (1 - r2) * (n - 1) / (n - k - 1)),
          "explained variance", repr(M.explained_variance_score(a, p)))
    nz = [i for i in range(n) if a[i] != 0]
    print("mape without the zero", repr(M.mean_absolute_percentage_error([a[i] for i in nz], [p[i] for i in nz])))

# ---- k nearest neighbours on the sample data, standardised with the same arithmetic as the test
def standardise(column):
    n = len(column)
    mean = 0.0
    for v in column: mean += v
    mean /= n
    ss = 0.0
    for v in column: ss += (v - mean) * (v - mean)
    sd = math.sqrt(ss / n)
    return [(v - mean) / sd for v in column]

def dataset(name):
    rows = list(csv.DictReader(open(f"/work/main/sessions/data/{name}.csv")))
    if name == "iris":
        features = ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]
        levels = sorted(set(r["Species"] for r in rows))
        y = [levels.index(r["Species"]) for r in rows]
    elif name == "wine":
        features = [k for k in rows[0] if k != "class"]
        y = [int(r["class"]) - 1 for r in rows]
    else:
        features = [k for k in rows[0] if k != "Y"]
        y = [float(r["Y"]) for r in rows]
    columns = [standardise([float(r[f]) for r in rows]) for f in features]
    x = np.array(columns).T
    test = [i for i in range(len(rows)) if i % 3 == 0]
    train = [i for i in range(len(rows)) if i % 3 != 0]
    return x[train], np.array(y)[train], x[test]

def ties(xtr, ytr, xte, k):
    """Queries whose k-th and (k+1)-th nearest are (nearly) tied and differ in target: the only
    ones where a tie-breaking rule could change a prediction."""
    out = []
    for q, row in enumerate(xte):
        d = np.sqrt(((xtr - row) ** 2).sum(axis=1))
        order = np.argsort(d, kind="stable")
        if d[order[0]] == 0: out.append((q, "zero distance"))
        tied = [j for j in order if abs(d[j] - d[order[k - 1]]) <= 1e-9 * max(1, d[order[k - 1]])]
        if len(tied) > 1 and len(set(ytr[j] for j in tied)) > 1 and any(list(order).index(j) >= k for j in tied):
            out.append((q, [int(j) for j in tied]))
    return out

MEMBER = "    "  # indent of a static member

def knn():
    """Prints the body of NearestNeighboursReferences (Swift)."""
    for name, k in [("iris", 5), ("wine", 5), ("diabetes", 7)]:
        xtr, ytr, xte = dataset(name)
        print(f"    // {name}: {len(xtr)} training rows (row % 3 != 0), {len(xte)} queries (row % 3 == 0), k = {k};"
              f" queries with a tie that matters: {ties(xtr, ytr, xte, k)}")
        for weights in ["uniform", "distance"]:
            if name == "diabetes":
                model = KNeighborsRegressor(n_neighbors=k, weights=weights, algorithm="brute").fit(xtr, ytr)
                print(f"    static let {name}{weights.capitalize()}Predictions: [Double] = {swift(model.predict(xte), 4, MEMBER)}")
            else:
                model = KNeighborsClassifier(n_neighbors=k, weights=weights, algorithm="brute").fit(xtr, ytr)
                print(f"    static let {name}{weights.capitalize()}Predicted = {swift(model.predict(xte), 25, MEMBER)}")
                print(f"    static let {name}{weights.capitalize()}Probabilities: [Double] = {swift(model.predict_proba(xte).ravel(), 6, MEMBER)}")
            if weights == "uniform":
                _, idx = model.kneighbors(xte)
                print(f"    static let {name}Neighbours = {swift(np.sort(idx, axis=1).ravel(), 5 * k, MEMBER)}")

{"metrics": metrics, "regression": regression, "knn": knn}[sys.argv[1]]()
