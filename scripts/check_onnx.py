"""Checks modelsh's ONNX export against a real consumer: for each exportable kind, modelsh fits
a model on sample data from sessions/data (with missing values and a categorical column added,
deterministically), exports it to ONNX and writes its predictions for held-out rows to CSV;
onnxruntime then runs the ONNX file on the same rows, and the predictions must agree: labels
exactly, numbers to 1e-9 relative (1e-6 for float32 graphs). onnx.checker checks every file.
Compressed models (`compress`) are checked the same way: the file holds their rounded numbers.

Usage: check_onnx.py MODELSH [--keep DIR]. Prints one line per case and ends with
"onnx: N passed, N failed". Run through scripts/check-onnx.sh, which makes the environment.
"""
import csv
import math
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "sessions", "data")


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def prepare(name, source, keep, categorical, seed):
    """Writes NAME_train.csv and NAME_test.csv from SOURCE: the columns KEEP, a categorical
    column made from CATEGORICAL (column, cut points, level names), about 6% of the feature
    values blanked (the target never), every fourth row held out."""
    header, rows = read_csv(os.path.join(DATA, source))
    target = keep[0]
    index = {h: i for i, h in enumerate(header)}
    column, cuts, levels = categorical
    out_header = keep + ["band"]
    out = []
    rng = random.Random(seed)
    for row in rows:
        values = [row[index[h]] for h in keep]
        x = float(row[index[column]])
        values.append(levels[sum(x > c for c in cuts)])
        for j in range(1, len(values)):
            if rng.random() < 0.06:
                values[j] = ""
        out.append(values)
    train = [r for i, r in enumerate(out) if i % 4 != 0]
    test = [r for i, r in enumerate(out) if i % 4 == 0]
    write_csv(f"{name}_train.csv", out_header, train)
    write_csv(f"{name}_test.csv", out_header, test)
    return target


def number(text):
    return float(text) if text not in ("", "NA") else math.nan


def feeds_for(session, test_csv):
    header, rows = read_csv(test_csv)
    column = {h: i for i, h in enumerate(header)}
    feeds = {}
    for spec in session.get_inputs():
        values = [r[column[spec.name]] for r in rows]
        if spec.type == "tensor(string)":
            feeds[spec.name] = np.array(values, dtype=object).reshape(-1, 1)
        else:
            feeds[spec.name] = np.array([number(v) for v in values], dtype=np.float64).reshape(-1, 1)
    return feeds


def relative_difference(a, b):
    """max |a - b| / max(|a|, |b|) over the entries where modelsh has a value; both 0 counts as 0."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = np.maximum(np.abs(a), np.abs(b))
    diff = np.abs(a - b)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(diff == 0, 0.0, diff / scale)
    return float(np.max(rel)) if rel.size else 0.0


def compare(kind_task, outputs, predicted_csv, tolerance):
    """Returns (max relative difference, problems) of the ONNX outputs against modelsh's CSV."""
    header, rows = read_csv(predicted_csv)
    column = {h: i for i, h in enumerate(header)}
    problems = []
    present = np.array([r[column["predicted"]] not in ("", "NA") for r in rows]) if "predicted" in column else None
    if kind_task == "regression":
        ours = np.array([number(r[column["predicted"]]) for r in rows])
        theirs = outputs["variable"][:, 0]
        if not np.all(np.isnan(theirs[~present])):
            problems.append("rows modelsh does not predict are not NaN in ONNX")
        return relative_difference(ours[present], theirs[present]), problems
    if kind_task == "classification":
        classes = [h[len("predicted_"):] for h in header if h.startswith("predicted_")]
        ours = np.array([[number(r[column["predicted_" + c]]) for c in classes] for r in rows])
        theirs = outputs["probabilities"]
        labels = np.array([r[column["predicted"]] for r in rows], dtype=object)
        if not np.array_equal(labels[present], outputs["label"][present]):
            problems.append(f"labels differ in {int(np.sum(labels[present] != outputs['label'][present]))} rows")
        if not np.all(np.isnan(theirs[~present])):
            problems.append("rows modelsh does not predict are not NaN in ONNX")
        return relative_difference(ours[present], theirs[present]), problems
    if kind_task == "clustering":
        ours = np.array([int(r[column["predicted"]]) - 1 for r in rows if r[column["predicted"]] not in ("", "NA")])
        theirs = outputs["label"][present]
        if not np.array_equal(ours, theirs):
            problems.append(f"clusters differ in {int(np.sum(ours != theirs))} rows")
        scores = outputs["scores"][present]
        if not np.array_equal(np.argmin(scores, axis=1), theirs):
            problems.append("the label is not the nearest centre of the scores")
        return 0.0, problems
    # components: PC1 … PCk
    names = sorted((h for h in header if h.startswith("PC") and h[2:].isdigit()), key=lambda h: int(h[2:]))
    ours = np.array([[number(r[column[h]]) for h in names] for r in rows])
    present = ~np.isnan(ours[:, 0])
    theirs = outputs["variable"]
    if theirs.shape[1] != len(names):
        problems.append(f"{theirs.shape[1]} components in ONNX, {len(names)} in modelsh")
        return math.inf, problems
    return relative_difference(ours[present], theirs[present]), problems


# (name, data, target option, fit options, task). The data sets are made in prepare() below.
CASES = [
    ("linear", "reg", "target=Y", "", "regression"),
    ("linear_poly_mean", "reg", "target=Y", "features=AGE,BMI,BP,band impute=mean poly=2", "regression"),
    ("linear_interactions", "reg", "target=Y", "features=AGE*band,BMI:band,BMI:BP,BP^2 impute=mean", "regression"),
    ("linear_offset", "reg", "target=Y", "features=AGE,BMI,band offset=S5 impute=mean", "regression"),
    ("ridge", "reg", "target=Y", "alpha=0.5 scale=standard impute=median", "regression"),
    ("lasso", "reg", "target=Y", "alpha=0.1 impute=mean scale=minmax", "regression"),
    ("elasticnet", "reg", "target=Y", "alpha=0.05 l1_ratio=0.3 impute=mode", "regression"),
    ("sgd", "reg", "target=Y", "impute=mean", "regression"),
    ("tree", "reg", "target=Y", "max_depth=6", "regression"),
    ("forest", "reg", "target=Y", "trees=20", "regression"),
    ("boost", "reg", "target=Y", "rounds=30", "regression"),
    ("poisson", "reg", "target=Y", "features=AGE,BMI,BP,S5,band scale=standard impute=mean", "regression"),
    ("poisson_offset", "reg", "target=Y", "features=AGE,BMI,BP,band offset=S5 impute=mean", "regression"),
    ("logistic", "bin", "target=diagnosis", "features=mean_radius,mean_texture,mean_smoothness,band impute=mean", "classification"),
    ("logistic_interactions", "bin", "target=diagnosis", "features=band,band:mean_radius,mean_texture*mean_smoothness impute=mean", "classification"),
    ("logistic_offset", "bin", "target=diagnosis", "features=mean_radius,mean_texture,band offset=mean_smoothness impute=mean", "classification"),
    ("logistic_l2", "bin", "target=diagnosis", "penalty=l2 alpha=1 scale=standard impute=median", "classification"),
    ("logistic_l1", "bin", "target=diagnosis", "penalty=l1 alpha=2 scale=standard impute=mean", "classification"),
    ("sgd_binary", "bin", "target=diagnosis", "impute=mean alpha=0.01", "classification"),
    ("naivebayes_binary", "bin", "target=diagnosis", "", "classification"),
    ("tree_binary", "bin", "target=diagnosis", "max_depth=5", "classification"),
    ("forest_binary", "bin", "target=diagnosis", "trees=15 impute=mean", "classification"),
    ("boost_binary", "bin", "target=diagnosis", "rounds=25", "classification"),
    ("logistic_multinomial", "multi", "target=class", "features=alcohol,flavanoids,color_intensity,band impute=mean", "classification"),
    ("logistic_multinomial_l2", "multi", "target=class", "penalty=l2 alpha=1 scale=standard impute=mean", "classification"),
    ("naivebayes", "multi", "target=class", "impute=mode", "classification"),
    ("tree_multiclass", "multi", "target=class", "task=classification ", "classification"),
    ("forest_multiclass", "multi", "target=class", "task=classification trees=15", "classification"),
    ("boost_multiclass", "multi", "target=class", "task=classification rounds=20", "classification"),
    ("kmeans", "multi", "", "k=4 impute=mean", "clustering"),
    ("pca", "reg", "", "k=4 impute=mean scale=standard", "components"),
    ("pca_poly", "multi", "", "features=alcohol,ash,hue,band k=3 impute=median poly=2", "components"),
    # Compressed models (`compress … as c`): the file stores the rounded numbers in a smaller type.
    ("linear_int8", "reg", "target=Y", "impute=mean scale=standard poly=2", "regression", "precision=int8 prune=0.5"),
    ("sgd_binary_float32", "bin", "target=diagnosis", "impute=mean alpha=0.01 poly=2", "classification", "precision=float32"),
    ("logistic_float16", "multi", "target=class", "penalty=l2 alpha=1 scale=standard impute=mean poly=2", "classification", "precision=float16"),
    ("naivebayes_int8", "multi", "target=class", "impute=mode", "classification", "precision=int8"),
    ("tree_binary_float16", "bin", "target=diagnosis", "max_depth=6", "classification", "precision=float16"),
    ("forest_multiclass_int8", "multi", "target=class", "task=classification trees=15", "classification", "precision=int8"),
    ("boost_int8", "reg", "target=Y", "rounds=30", "regression", "precision=int8 prune=0.5"),
    ("poisson_float32", "reg", "target=Y", "scale=standard impute=mean poly=2", "regression", "precision=float32"),
    ("kmeans_float16", "multi", "", "k=4 impute=mean poly=2", "clustering", "precision=float16"),
    ("pca_int8", "reg", "", "k=4 impute=mean scale=standard poly=2", "components", "precision=int8 prune=0.05"),
]
REFUSED = [("knn", "reg", "target=Y", "", "does not support knn")]


def kind_of(name):
    return name.split("_")[0]


def main():
    modelsh = os.path.abspath(sys.argv[1])
    keep = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--keep" else None
    workdir = keep or tempfile.mkdtemp(prefix="modelsh-onnx-")
    os.makedirs(workdir, exist_ok=True)
    os.chdir(workdir)
    prepare("reg", "diabetes.csv", ["Y", "AGE", "SEX", "BMI", "BP", "S1", "S3", "S5", "S6"], ("S4", [3.5, 5], ["low", "mid", "high"]), 1)
    prepare("bin", "breast_cancer.csv", ["diagnosis", "mean_radius", "mean_texture", "mean_smoothness", "mean_compactness", "mean_symmetry",
                                         "worst_concavity"], ("mean_area", [500, 800], ["small", "medium", "large"]), 2)
    prepare("multi", "wine.csv", ["class", "alcohol", "malic_acid", "ash", "flavanoids", "color_intensity", "hue", "proline"],
            ("magnesium", [90, 105], ["low", "mid", "high"]), 3)
    passed = failed = 0
    for name, data, target, options, task, *compression in CASES:
        model = "c" if compression else "m"
        script = "\n".join([
            f'load "{data}_train.csv" as train', f'load "{data}_test.csv" as test',
            f"fit {kind_of(name)} train {target} {options} as m"]
            + ([f"compress m {compression[0]} as c"] if compression else []) + [
            f'export {model} to "{name}.onnx"',
            f"predict {model} on test{' probabilities=yes' if task == 'classification' else ''} as scored",
            f'write scored to "{name}.csv"', ""])
        with open(f"{name}.msh", "w") as f:
            f.write(script)
        run = subprocess.run([modelsh, f"{name}.msh"], capture_output=True, text=True)
        problems = []
        difference = math.nan
        tolerance = 1e-9
        if run.returncode != 0:
            problems.append("modelsh failed: " + (run.stderr.strip().splitlines() or ["?"])[0])
        else:
          try:
            model = onnx.load(f"{name}.onnx")
            onnx.checker.check_model(model, full_check=True)
            session = ort.InferenceSession(f"{name}.onnx", providers=["CPUExecutionProvider"])
            result = session.run(None, feeds_for(session, f"{data}_test.csv"))
            outputs = {spec.name: value for spec, value in zip(session.get_outputs(), result)}
            is_float = any(spec.type == "tensor(float)" for spec in session.get_outputs()) \
                or session.get_modelmeta().custom_metadata_map.get("modelsh.precision") == "float32"
            tolerance = 1e-6 if is_float else 1e-9
            difference, problems = compare(task, outputs, f"{name}.csv", tolerance)
            if difference > tolerance:
                problems.append(f"differs by {difference:.3g} relative (tolerance {tolerance:g})")
          except Exception as error:  # a malformed file or a consumer's refusal is this case's failure
            problems.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
        size = os.path.getsize(f"{name}.onnx") if os.path.exists(f"{name}.onnx") else 0
        status = "ok" if not problems else "FAILED"
        precision = "float32" if tolerance == 1e-6 else "double"
        print(f"onnx {status:6} {name:26} max relative difference {difference:.2e} ({precision}, {size} bytes)" + ("" if not problems else ": " + "; ".join(problems)))
        if problems:
            failed += 1
        else:
            passed += 1
    for name, data, target, options, expected in REFUSED:
        with open(f"{name}.msh", "w") as f:
            f.write(f'load "{data}_train.csv" as train\nfit {kind_of(name)} train {target} {options} as m\nexport m to "{name}.onnx"\n')
        run = subprocess.run([modelsh, f"{name}.msh"], capture_output=True, text=True)
        ok = run.returncode != 0 and expected in run.stderr and not os.path.exists(f"{name}.onnx")
        print(f"onnx {'ok' if ok else 'FAILED':6} {name:26} refused" + ("" if ok else f": expected a refusal containing '{expected}'"))
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    print(f"onnx: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
