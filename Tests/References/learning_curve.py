"""learning-curve and diagnose against scikit-learn, on the rows modelsh uses.

Input: a JSON of modelsh's folds (Split.folds) and shuffled training orders
(LearningCurve.trainingOrders), written by
  MODELSH_WRITE_SPLITS=/tmp/splits.json swift test --filter LearningCurveReferenceTests.testWriteSplitsWhenAsked
Output: Tests/References/learning_curve.json, the same with scikit-learn's scores added:
  python3 Tests/References/learning_curve.py /tmp/splits.json > Tests/References/learning_curve.json
For each curve, sklearn.model_selection.learning_curve is given cv = [(order, held-out fold)]
with shuffle=False, so it fits the first `size` rows of each order, as modelsh does. diagnose's
figures are the model fitted on the first trainRows rows scored on them and on the rest, and
cross_validate on the stored folds of the training rows. linear is LinearRegression;
logistic is LogisticRegression(C=inf, no penalty) run to convergence (R's glm, as modelsh fits).
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, f1_score, log_loss, mean_absolute_error,
                             r2_score, roc_auc_score, root_mean_squared_error)
from sklearn.model_selection import cross_validate, learning_curve

spec = json.load(open(sys.argv[1]))


def problem(entry):
    data = pd.read_csv("sessions/data/" + entry["data"])
    features = entry["features"] or [c for c in data.columns if c != entry["target"]]
    X = data[features].to_numpy(float)
    if entry["kind"] == "linear":
        return X, data[entry["target"]].to_numpy(float), LinearRegression()
    classes = sorted(data[entry["target"]].unique())
    y = (data[entry["target"]] == classes[1]).to_numpy(int)
    return X, y, LogisticRegression(C=np.inf, tol=1e-12, max_iter=100000)


scorers = {"r2": "r2", "accuracy": "accuracy", "log_loss": "neg_log_loss"}
for curve in spec["curves"]:
    X, y, estimator = problem(curve)
    folds = np.array(curve["foldOfRow"])
    cv = [(np.array(order), np.flatnonzero(folds == k)) for k, order in enumerate(curve["orders"])]
    sizes, train, held = learning_curve(estimator, X, y, cv=cv, train_sizes=curve["sizes"], shuffle=False,
                                        scoring=scorers[curve["metric"]])
    assert list(sizes) == curve["sizes"]
    sign = -1 if curve["metric"] == "log_loss" else 1
    curve["train"], curve["validation"] = (sign * train).tolist(), (sign * held).tolist()

metrics = {
    "linear": [("rmse", root_mean_squared_error), ("mae", mean_absolute_error), ("r2", r2_score)],
    "logistic": [("accuracy", accuracy_score), ("balanced_accuracy", balanced_accuracy_score),
                 ("f1_macro", lambda y, p: f1_score(y, p, average="macro")), ("log_loss", log_loss), ("roc_auc", roc_auc_score)],
}


def scores(kind, model, X, y):
    values = []
    for name, metric in metrics[kind]:
        if kind == "logistic" and name in ("log_loss", "roc_auc"):
            values.append(metric(y, model.predict_proba(X)[:, 1]))
        else:
            values.append(metric(y, model.predict(X)))
    return values


for entry in spec["diagnoses"]:
    X, y, estimator = problem(entry)
    n = entry["trainRows"]
    model = estimator.fit(X[:n], y[:n])
    folds = np.array(entry["foldOfRow"])
    cv = [(np.flatnonzero(folds != k), np.flatnonzero(folds == k)) for k in range(entry["folds"])]
    per_fold = []
    for train, test in cv:
        fitted = type(estimator)(**estimator.get_params()).fit(X[:n][train], y[:n][train])
        per_fold.append(scores(entry["kind"], fitted, X[:n][test], y[:n][test]))
    per_fold = np.array(per_fold)
    entry["metrics"] = [name for name, _ in metrics[entry["kind"]]]
    entry["training"] = scores(entry["kind"], model, X[:n], y[:n])
    entry["cvMean"] = per_fold.mean(axis=0).tolist()
    entry["cvSd"] = per_fold.std(axis=0, ddof=1).tolist()
    entry["test"] = scores(entry["kind"], model, X[n:], y[n:])

json.dump(spec, sys.stdout, sort_keys=True)
print()
