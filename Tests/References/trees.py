# Reference values for DecisionTreeTests and RandomForestTests (scikit-learn 1.9.1), printed as
# Swift literals to paste. Run from the repository root: python3 Tests/References/trees.py
#
# `--bench` instead writes the synthetic data sets the MODELSH_BENCH tests read (little-endian
# float64: the n × p features column by column, then the n targets) to /tmp/modelsh-trees, and
# times scikit-learn on them, each fit in a fresh process (`--time NAME`) so its peak memory is
# its own. Figures on the 2-core machine: classification-200000x20 test accuracy 0.9657 (71 s
# of CPU), regression-200000x10 test R² 0.94589 (140 s of CPU), classification-1000000x20 899 s
# of CPU, peak memory 1161 MB.
import csv
import os
import resource
import subprocess
import sys
import time

import numpy as np
from sklearn.datasets import make_classification, make_friedman1
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../sessions/data")
BENCH = "/tmp/modelsh-trees"


def swift(values, per_line=6, indent="    "):
    items = [str(int(v)) if isinstance(v, (int, np.integer)) else repr(float(v)) for v in np.ravel(values)]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    inner = indent + "    "
    return "[\n" + inner + (",\n" + inner).join(lines) + ",\n" + indent + "]"


def table(name):
    rows = list(csv.DictReader(open(f"{DATA}/{name}.csv")))
    if name == "iris":
        features = ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]
        levels = sorted(set(r["Species"] for r in rows))
        y = np.array([levels.index(r["Species"]) for r in rows])
    elif name == "wine":
        features = [k for k in rows[0] if k != "class"]
        y = np.array([int(r["class"]) - 1 for r in rows])
    else:
        features = [k for k in rows[0] if k != "Y"]
        y = np.array([float(r["Y"]) for r in rows])
    return features, np.array([[float(r[f]) for f in features] for r in rows]), y


def preorder(tree):
    """The nodes depth first, left child first (scikit-learn's own numbering)."""
    order, stack = [], [0]
    while stack:
        i = stack.pop()
        order.append(i)
        if tree.children_left[i] >= 0:
            stack += [tree.children_right[i], tree.children_left[i]]
    return order


def single_tree(label, name, columns, model):
    """A tree whose splits have no ties: the same for 30 random states (scikit-learn visits the
    features in a random order and keeps the first of equal splits)."""
    features, x, y = table(name)
    x = x[:, [features.index(c) for c in columns]]
    fits = [model.set_params(random_state=r).fit(x, y).tree_ for r in range(30)]
    assert len({(tuple(t.feature), tuple(t.threshold)) for t in fits}) == 1, f"{label}: ties between splits"
    tree = fits[0]
    model.set_params(random_state=None)
    order = preorder(tree)
    leaf = tree.children_left[order] < 0
    print(f"    // {model}, features {columns}")
    print(f"    static let {label} = ScikitLearnTree(")
    print(f"        features: {swift(np.where(leaf, -1, tree.feature[order]), 20, '        ')},")
    print(f"        thresholds: {swift(np.where(leaf, 0, tree.threshold[order]), 4, '        ')},")
    print(f"        samples: {swift(tree.weighted_n_node_samples[order].astype(int), 20, '        ')},")
    print(f"        impurities: {swift(tree.impurity[order], 4, '        ')},")
    print(f"        values: {swift(tree.value[order].reshape(len(order), -1), 3, '        ')},")
    print(f"        importances: {swift(model.feature_importances_, 4, '        ')})")


def forest_scores(label, name, model, seeds=100):
    """The mean out-of-bag score of 100 forests (random_state 0-99): a single forest's score on
    a few hundred rows moves by about a point with the seed, the mean of a hundred by a tenth."""
    _, x, y = table(name)
    scores = [model.set_params(random_state=s, oob_score=True).fit(x, y).oob_score_ for s in range(seeds)]
    model.set_params(random_state=None)
    print(f"    // {label}: {model}, mean out-of-bag score over random_state 0-{seeds - 1} (sd of one {np.std(scores):.4f})")
    print(f"    static let {label}OutOfBag = {float(np.mean(scores))!r}")


def synthetic():
    """The 200,000-row sets of the accuracy comparison (the first 150,000 rows train, the rest
    test) and the 1,000,000 × 20 set of the timing."""
    x, y = make_classification(n_samples=200_000, n_features=20, n_informative=10, n_redundant=5, random_state=1)
    yield "classification-200000x20", x, y.astype(float)
    x, y = make_friedman1(n_samples=200_000, n_features=10, noise=1.0, random_state=2)
    yield "regression-200000x10", x, y
    x, y = make_classification(n_samples=1_000_000, n_features=20, n_informative=10, n_redundant=5, random_state=0)
    yield "classification-1000000x20", x, y.astype(float)


def load(name):
    n, p = (int(v) for v in name.split("-")[1].split("x"))
    raw = np.fromfile(f"{BENCH}/{name}.f64", dtype="<f8")
    return raw[: n * p].reshape(p, n).T, raw[n * p:]


def time_fit(name):
    """One scikit-learn fit in this process: time, out-of-bag or test score, peak memory."""
    x, y = load(name)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if name.startswith("classification-1000000"):
        model, train = RandomForestClassifier(n_estimators=100, n_jobs=-1, random_state=0), slice(None)
    elif name.startswith("classification"):
        model, train = RandomForestClassifier(n_estimators=100, n_jobs=-1, random_state=0), slice(0, 150_000)
    else:
        model, train = RandomForestRegressor(n_estimators=100, n_jobs=-1, random_state=0), slice(0, 150_000)
    start, cpu = time.time(), time.process_time()
    model.fit(x[train], y[train].astype(int) if name.startswith("classification") else y[train])
    seconds, cpu = time.time() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    nodes = sum(e.tree_.node_count for e in model.estimators_)
    score = "" if train == slice(None) else f", test score {model.score(x[150_000:], y[150_000:])!r}"
    print(f"{name}: scikit-learn {model}: fit {seconds:.1f} s ({cpu:.1f} s of CPU){score}, {nodes} nodes, "
          f"peak memory {peak:.0f} MB ({before:.0f} MB after loading the data)", flush=True)


if len(sys.argv) == 3 and sys.argv[1] == "--time":
    time_fit(sys.argv[2])
elif len(sys.argv) == 2 and sys.argv[1] == "--bench":
    os.makedirs(BENCH, exist_ok=True)
    for name, x, y in synthetic():
        np.concatenate([x.T.ravel(), y]).astype("<f8").tofile(f"{BENCH}/{name}.f64")
    for name in ["classification-200000x20", "regression-200000x10", "classification-1000000x20"]:
        subprocess.run([sys.executable, __file__, "--time", name], check=True)
else:
    print("    // DecisionTreeTests references, from Tests/References/trees.py")
    single_tree("irisGini", "iris", ["Sepal.Length", "Sepal.Width", "Petal.Length"],
                DecisionTreeClassifier(criterion="gini", max_depth=3))
    single_tree("irisEntropy", "iris", ["Sepal.Length", "Sepal.Width", "Petal.Width"],
                DecisionTreeClassifier(criterion="entropy", max_depth=5))
    diabetes = table("diabetes")[0]
    single_tree("diabetesLeaf5", "diabetes", diabetes, DecisionTreeRegressor(min_samples_leaf=5))
    single_tree("diabetesSplit30", "diabetes", diabetes, DecisionTreeRegressor(min_samples_leaf=5, min_samples_split=30))
    print()
    print("    // RandomForestTests references, from Tests/References/trees.py")
    forest_scores("iris", "iris", RandomForestClassifier(n_estimators=100))
    forest_scores("wine", "wine", RandomForestClassifier(n_estimators=100))
    forest_scores("diabetes", "diabetes", RandomForestRegressor(n_estimators=100))
