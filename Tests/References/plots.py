"""Reference values for the plot tests (PlottingTests, ShellTests.PlotFigureTests).

ROC points from scikit-learn's roc_curve with its default drop_intermediate=True, precision-recall
points from precision_recall_curve, one-vs-rest for three classes (label_binarize), on the cases
of classify.py; normal quantiles from scipy; histogram counts from numpy; quartiles (type 7) from
numpy's percentile. Run from the repository root: python3 Tests/References/plots.py
"""
import numpy as np
from scipy.stats import norm
from sklearn.metrics import precision_recall_curve, roc_auc_score, roc_curve

binary_actual = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1]
binary_p1 = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.0, 1.0, 0.65, 0.7, 0.2, 0.5]
multi_actual = [0, 0, 1, 2, 1, 2, 0, 1, 2, 2, 1, 0, 2, 1]
multi_p = np.array([
    [0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4], [0.2, 0.2, 0.6],
    [0.3, 0.4, 0.3], [0.0, 1.0, 0.0], [0.25, 0.25, 0.5], [0.4, 0.35, 0.25], [0.1, 0.8, 0.1], [0.6, 0.1, 0.3],
    [0.2, 0.45, 0.35], [0.5, 0.25, 0.25],
])


def show(name, values):
    print(f"{name} = {[float(v) for v in values]}")


fpr, tpr, _ = roc_curve(binary_actual, binary_p1)
show("binary roc fpr", fpr)
show("binary roc tpr", tpr)
print("binary auc", roc_auc_score(binary_actual, binary_p1))
precision, recall, _ = precision_recall_curve(binary_actual, binary_p1)
show("binary pr precision", precision)
show("binary pr recall", recall)
for k in range(3):
    positive = [int(a == k) for a in multi_actual]
    fpr, tpr, _ = roc_curve(positive, multi_p[:, k])
    show(f"class {k} roc fpr", fpr)
    show(f"class {k} roc tpr", tpr)
    print(f"class {k} auc", roc_auc_score(positive, multi_p[:, k]))

show("norm.ppf", norm.ppf([1e-300, 1e-10, 0.001, 0.025, 0.25, 0.5, 0.75, 0.975, 0.999, 1 - 1e-10]))
values = [4.3, 5.1, 5.8, 6.1, 6.3, 7.9, 5.0, 5.0, 4.9, 6.7, 5.5]
counts, edges = np.histogram(values, bins=4)
show("histogram edges", edges)
show("histogram counts", counts)
show("quartiles", np.percentile(values, [25, 50, 75]))
