# Reference values for KMeansTests and PCATests, from scikit-learn 1.9.1 (printed as Swift literals to
# paste). Run from the repository root: python3 Tests/References/cluster.py {kmeans|pca}
#
# Features are standardised with divisor n as SampleTable.standardised does (numpy sums in another
# order, so inputs differ from the test's by a few units in the last place: far below the tolerances).
# k-means cannot share scikit-learn's random stream, so only what does not depend on it is pasted:
# the best inertia and its partition (labels up to a permutation) and centres (in partition order).
# PCA uses svd_solver="full" (LAPACK gesdd on the centred data): "auto" would take the covariance's
# eigendecomposition for these shapes, which squares the condition number.
import sys
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA

DATA = "sessions/data"

def swift(values, per_line=6, indent="    "):
    items = [str(int(v)) if isinstance(v, (int, np.integer)) else repr(float(v)) for v in values]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    inner = indent + "    "
    return "[\n" + inner + (",\n" + inner).join(lines) + ",\n" + indent + "]"

def standardised(name, drop):
    table = pd.read_csv(f"{DATA}/{name}.csv").drop(columns=drop)
    x = table.to_numpy(dtype=float)
    return (x - x.mean(axis=0)) / x.std(axis=0)

def blobs():
    """Four well-separated blobs of 50 points in 3 features, from integer arithmetic so that the
    Swift test builds exactly the same doubles (KMeansTests.blobs)."""
    centres = [(0.0, 0.0, 0.0), (10.0, 0.0, 5.0), (0.0, 10.0, -5.0), (10.0, 10.0, 10.0)]
    primes = (7, 11, 13)
    rows, groups = [], []
    for c, centre in enumerate(centres):
        for i in range(50):
            rows.append([centre[f] + ((i * primes[f] + c) % 50) / 25.0 - 1.0 for f in range(3)])
            groups.append(c)
    return np.array(rows), np.array(groups)

def canonical(labels):
    """Labels renumbered by first appearance, so partitions compare whatever the numbering."""
    mapping = {}
    return [mapping.setdefault(l, len(mapping)) for l in labels]

def kmeans_reference(name, x, k, n_init):
    best = KMeans(n_clusters=k, n_init=n_init, random_state=0, algorithm="lloyd").fit(x)
    # The spread of single k-means++ runs, to know whether the optimum is reached reliably.
    singles = [KMeans(n_clusters=k, n_init=1, random_state=s).fit(x).inertia_ for s in range(50)]
    order = list(dict.fromkeys(best.labels_))  # clusters by first appearance
    print(f"// {name}: k={k}, n_init={n_init}; single runs' inertia over 50 seeds: min {min(singles)!r} max {max(singles)!r}")
    print("inertia", repr(float(best.inertia_)), "iterations", best.n_iter_)
    print("partition", swift(canonical(best.labels_), per_line=30))
    print("centres (first-appearance order, row by row)", swift(best.cluster_centers_[order].ravel(), per_line=4))
    print("sizes", [int((best.labels_ == c).sum()) for c in order])
    return best

def kmeans():
    iris = standardised("iris", ["rownames", "Species"])
    kmeans_reference("iris standardised", iris, 3, 10)
    x, groups = blobs()
    fit = kmeans_reference("blobs", x, 4, 10)
    assert canonical(fit.labels_) == canonical(groups), "scikit-learn finds the blobs"
    # A cluster left empty by the first assignment (the centre at 100) takes the row farthest from
    # its centre (2, at distance 2 from 0) in the first update.
    x = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    fit = KMeans(n_clusters=3, init=np.array([[0.0], [100.0], [11.0]]), n_init=1).fit(x)
    print("// empty cluster from init [0, 100, 11] on [0, 1, 2, 10, 11, 12]")
    print("centres", fit.cluster_centers_.ravel().tolist(), "labels", fit.labels_.tolist(),
          "inertia", repr(fit.inertia_), "iterations", fit.n_iter_)

def pca_reference(name, x, rows):
    full = PCA(svd_solver="full").fit(x)
    print(f"// {name}: {x.shape[0]} x {x.shape[1]}")
    print("means", swift(full.mean_, per_line=4))
    print("components (row by row)", swift(full.components_.ravel(), per_line=4))
    print("singular values", swift(full.singular_values_, per_line=4))
    print("explained variance", swift(full.explained_variance_, per_line=4))
    print("explained variance ratio", swift(full.explained_variance_ratio_, per_line=4))
    print(f"transform of rows {rows}", swift(full.transform(x[rows]).ravel(), per_line=4))
    for threshold in (0.8, 0.95):
        print(f"variance {threshold}: components", PCA(n_components=threshold, svd_solver="full").fit(x).n_components_)
    two = PCA(n_components=2, svd_solver="full").fit(x)
    print(f"k=2 inverse_transform(transform) of rows {rows}", swift(two.inverse_transform(two.transform(x[rows])).ravel(), per_line=4))

def pca():
    pca_reference("iris standardised", standardised("iris", ["rownames", "Species"]), [0, 50, 100, 149])
    pca_reference("wine standardised", standardised("wine", ["class"]), [0, 60, 130, 177])

{"kmeans": kmeans, "pca": pca}[sys.argv[1]]()
