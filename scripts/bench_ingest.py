"""CSV ingest side by side: modelsh's `load` against pandas.read_csv, polars.read_csv and
data.table::fread on the same generated files, runs interleaved, with medians, min-max, ratios and
peak memory; the same for three shapes of public data (text written by pandas with quotes and
line breaks, long reviews, timestamps); a whole script (load, split, fit linear, evaluate, save
the model) as one modelsh process against the same steps in one pandas + scikit-learn process;
then a check that every number modelsh read equals the correctly rounded parse of its text
(Python's float(), as strtod) over the whole numeric file.

    python bench_ingest.py MODELSH ROWS RUNS WORKDIR

Run through scripts/bench-ingest.sh, which builds modelsh and installs the peers.
"""
import csv
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile

import numpy as np

MODELSH, ROWS, RUNS, WORK = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]


def numeric_file(rows):
    """20 features in [0, 10) with six decimals, and y, their weighted sum plus noise."""
    path = os.path.join(WORK, f"numeric-{rows}.csv")
    if os.path.exists(path):
        return path
    rng = np.random.default_rng(42)
    x = rng.uniform(0, 10, size=(rows, 20))
    y = x @ np.arange(1, 21) + rng.normal(size=rows)
    table = np.column_stack([y, x])
    np.savetxt(path + ".tmp", table, fmt="%.6f", delimiter=",",
               header="y," + ",".join(f"x{j}" for j in range(1, 21)), comments="")
    os.rename(path + ".tmp", path)
    return path


def mixed_file(rows):
    """Numbers with ~2 % missing, categories (some quoted with commas), booleans, integers and a
    text column of quoted names with commas."""
    path = os.path.join(WORK, f"mixed-{rows}.csv")
    if os.path.exists(path):
        return path
    rng = np.random.default_rng(7)
    cities = np.array(['Oslo', 'Bergen', '"New York, NY"', '"Paris, FR"', 'Lima', 'Tokyo', '"Washington, DC"', 'Cairo'])
    grades = np.array(['A', 'B', 'C', 'D', 'E'])
    with open(path + ".tmp", "w") as out:
        out.write("id," + ",".join(f"x{j}" for j in range(1, 9)) + ",city,grade,flag,count,name,y\n")
        for start in range(0, rows, 100_000):
            n = min(100_000, rows - start)
            xs = rng.normal(0, 10, size=(n, 8))
            gaps = rng.random((n, 8)) < 0.02
            city = cities[rng.integers(0, len(cities), n)]
            city[rng.random(n) < 0.02] = ""
            grade = grades[rng.integers(0, len(grades), n)]
            grade[rng.random(n) < 0.02] = "NA"
            flag = np.where(rng.random(n) < 0.5, "true", "false")
            count = rng.integers(0, 1000, n)
            name = rng.integers(0, 100_000, n)
            y = rng.random(n) * 100
            lines = []
            for i in range(n):
                numbers = ",".join("" if gaps[i, j] else f"{xs[i, j]:.6f}" for j in range(8))
                lines.append(f'{start + i},{numbers},{city[i]},{grade[i]},{flag[i]},{count[i]},"Smith{name[i]}, J.",{y[i]:.4f}\n')
            out.write("".join(lines))
    os.rename(path + ".tmp", path)
    return path


def written_by_pandas(path, header, rows):
    """`rows` (lists of fields) written as pandas' to_csv writes them (Python's csv module, quoting
    only the fields that need it: separators, quotes doubled, line breaks)."""
    with open(path + ".tmp", "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    os.rename(path + ".tmp", path)


def text_file(rows):
    """A customer table: identifiers and e-mail addresses (2 % missing, the first among them),
    codes of 10,000 and 16,000 levels, a comment with a doubled quote in one row of seven and a
    line break in another, an amount."""
    path = os.path.join(WORK, f"shape-text-{rows}.csv")
    if not os.path.exists(path):
        rng = np.random.default_rng(11)
        comments = ["ok", "say \"hi\", then go", "line\nbreak", "très bien", "naïve café", "", "ok"]
        users, zips, borders = rng.integers(0, 300_000, rows), rng.integers(0, 10_000, rows), rng.integers(0, 16_000, rows)
        missing, kinds, amounts = rng.random(rows) < 0.02, rng.integers(0, 7, rows), rng.gamma(4, 25, rows)
        missing[0] = True
        written_by_pandas(path, ["user_id", "email", "zip", "border", "comment", "amount"],
                          ([f"u{users[i]:07d}", "" if missing[i] else f"person{users[i]}@example.com", f"Z{zips[i]:05d}",
                            f"b{borders[i]}", comments[kinds[i]], f"{amounts[i]:.2f}"] for i in range(rows)))
    return path


def reviews_file(rows):
    """Reviews of 400 bytes on average (half of them longer than 255), with quoted words in one
    of seven and a line break in one of fifteen; a rating, a count and a flag."""
    path = os.path.join(WORK, f"shape-reviews-{rows}.csv")
    if not os.path.exists(path):
        rng = np.random.default_rng(12)
        words = np.array("the quick brown fox jumps over lazy dog great product would buy again terrible quality fast shipping love it".split())
        def review(i):
            text = " ".join(words[rng.integers(0, len(words), 3 + int(rng.exponential(70)))])
            if i % 7 == 3:
                text += ' she said "wow"'
            if i % 15 == 4:
                text = text[:len(text) // 2] + "\n" + text[len(text) // 2:]
            return text
        written_by_pandas(path, ["id", "rating", "helpful", "review", "verified"],
                          ([i, int(rng.integers(1, 6)), int(rng.integers(0, 300)), review(i), bool(rng.random() < 0.8)] for i in range(rows)))
    return path


def timestamps_file(rows):
    """Trips with their start and end as timestamps (text to every reader here, mostly distinct),
    counts, codes and amounts, as taxi records are published."""
    path = os.path.join(WORK, f"shape-timestamps-{rows}.csv")
    if not os.path.exists(path):
        rng = np.random.default_rng(13)
        start = np.datetime64("2019-01-01T00:00:00") + rng.integers(0, 31 * 86400, rows).astype("timedelta64[s]")
        end = start + rng.integers(60, 3600, rows).astype("timedelta64[s]")
        fares = np.round(rng.uniform(2.5, 60, rows), 2)
        tips = np.round(fares * rng.choice([0, 0.1, 0.15, 0.2], rows), 2)
        with open(path + ".tmp", "w") as out:
            out.write("vendor,pickup,dropoff,passengers,distance,flag,pickup_zone,dropoff_zone,fare,tip,total\n")
            for i in range(rows):
                out.write(f"{rng.integers(1, 3)},{str(start[i]).replace('T', ' ')},{str(end[i]).replace('T', ' ')},{rng.integers(1, 7)},"
                          f"{rng.uniform(0.1, 20):.2f},{'Y' if rng.random() < 0.1 else 'N'},{rng.integers(1, 266)},{rng.integers(1, 266)},"
                          f"{fares[i]},{tips[i]},{fares[i] + tips[i] + 1.3:.2f}\n")
        os.rename(path + ".tmp", path)
    return path


PEERS = {
    "pandas": ["python3", "-c", "import sys, time, pandas; t = time.perf_counter(); pandas.read_csv(sys.argv[1]); print(time.perf_counter() - t)"],
    "polars": ["python3", "-c", "import sys, time, polars; t = time.perf_counter(); polars.read_csv(sys.argv[1]); print(time.perf_counter() - t)"],
    "fread": ["Rscript", "-e", "suppressMessages(library(data.table)); a <- commandArgs(TRUE); t <- Sys.time(); d <- fread(a[1]); cat(as.numeric(Sys.time() - t, units = 'secs'), '\\n')"],
}


def timed(command, whole_process):
    """Seconds of the loading call (the peers print it; for modelsh the whole process's wall time,
    start-up included), the process's peak RSS in MB, and the process's stderr."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + command, capture_output=True, text=True, check=True)
    wall, rss_kb = result.stderr.strip().splitlines()[-1].split()
    seconds = float(wall) if whole_process else float(result.stdout.strip().splitlines()[-1])
    return seconds, int(rss_kb) / 1024, result.stderr


def run(path):
    """Each tool's seconds and peak memory, run after run. modelsh is timed twice in one process:
    its `load` command as `set timer on` reports it (as the peers time their loading call), and
    the whole process from start to exit."""
    tools = ["modelsh"] + list(PEERS)
    seconds = {tool: [] for tool in tools + [WHOLE]}
    memory = {tool: [] for tool in tools}
    for _ in range(RUNS):
        for tool in tools:
            if tool == "modelsh":
                command = [MODELSH, "-c", f'set timer on; load "{path}" as d']
            else:
                command = PEERS[tool] + [path]
            elapsed, rss, stderr = timed(command, whole_process=tool == "modelsh")
            if tool == "modelsh":
                seconds[WHOLE].append(elapsed)
                # The last cell's "time: S s", the load's.
                elapsed = float([line for line in stderr.splitlines() if line.startswith("time: ")][-1].split()[1])
            seconds[tool].append(elapsed)
            memory[tool].append(rss)
    return seconds, memory


WHOLE = "modelsh, whole process"


def report(name, path, loaded_mb=None, rows=ROWS):
    """The tools' figures on one file, and modelsh's ratio to the fastest peer: against the issue's
    targets given the loaded columns' size, else (a shape of public data) as it is."""
    seconds, memory = run(path)
    size = os.path.getsize(path) / 1e6
    print(f"\n{name}: {os.path.basename(path)}, {size:.0f} MB, {rows} rows" + (f"; loaded columns ≈ {loaded_mb:.0f} MB" if loaded_mb else ""))
    print(f"{'tool':<24} {'median s':>9} {'min-max s':>14} {'peak RSS MB':>12}")
    for tool in seconds:
        s = seconds[tool]
        rss = f"{statistics.median(memory[tool]):12.0f}" if tool in memory else ""
        print(f"{tool:<24} {statistics.median(s):9.3f} {min(s):6.3f}-{max(s):<7.3f} {rss}")
    fastest = min((statistics.median(seconds[t]), t) for t in PEERS)
    ours, whole = statistics.median(seconds["modelsh"]), statistics.median(seconds[WHOLE])
    if loaded_mb is None:
        print(f"modelsh / fastest peer ({fastest[1]}), each loading call timed inside its process: {ours / fastest[0]:.2f}")
        return
    print(f"modelsh / fastest peer ({fastest[1]}), each loading call timed inside its process: {ours / fastest[0]:.2f} "
          f"(target ≤ 0.5); modelsh's whole process (start-up and exit too) / the peer's call: {whole / fastest[0]:.2f}; "
          f"modelsh peak RSS / loaded columns: {statistics.median(memory['modelsh']) / loaded_mb:.2f} (target ≤ 1.3)")


SCRIPT_PY = """
import sys, joblib, pandas
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
d = pandas.read_csv(sys.argv[1])
train, test = train_test_split(d, test_size=0.2, random_state=42)
features = [c for c in d.columns if c != "y"]
m = LinearRegression().fit(train[features], train["y"])
print(r2_score(test["y"], m.predict(test[features])))
joblib.dump(m, sys.argv[2])
"""


def whole_script(path):
    """The same five steps as one process each, wall time from start to exit."""
    with tempfile.TemporaryDirectory() as folder:
        script = os.path.join(folder, "steps.msh")
        with open(script, "w") as out:
            out.write(f'load "{path}" as d\nsplit d test=0.2 seed=42 as train, test\n'
                      f'fit linear train target=y as m\nevaluate m on test\nsave m to "{folder}/m.json"\n')
        commands = {
            "modelsh": [MODELSH, script],
            "pandas+sklearn": ["python3", "-c", SCRIPT_PY, path, os.path.join(folder, "m.joblib")],
        }
        seconds = {tool: [] for tool in commands}
        for _ in range(RUNS):
            for tool, command in commands.items():
                seconds[tool].append(timed(command, whole_process=True)[0])
    print(f"\nwhole script (load, split, fit linear, evaluate, save model) on {os.path.basename(path)}, one process each")
    for tool, values in seconds.items():
        print(f"{tool:<15} median {statistics.median(values):6.3f} s, {min(values):.3f}-{max(values):.3f}")
    ratio = statistics.median(seconds["modelsh"]) / statistics.median(seconds["pandas+sklearn"])
    print(f"modelsh / pandas+sklearn: {ratio:.2f} (target ≤ 0.25)")


def check_correct_rounding(path):
    """Every value modelsh stored equals float() of its text, bit for bit."""
    with tempfile.TemporaryDirectory() as folder:
        workspace = os.path.join(folder, "w.msw")
        subprocess.run([MODELSH, "-c", f'load "{path}" as d; save workspace "{workspace}"'], check=True, capture_output=True)
        db = sqlite3.connect(workspace)
        stored = {name: np.frombuffer(data, dtype="<f8") for name, data in
                  db.execute("SELECT name, data FROM columns WHERE dataset = 'd' ORDER BY position")}
    with open(path, newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        expected = {name: np.empty(ROWS) for name in header}
        for row_number, row in enumerate(reader):
            for name, text in zip(header, row):
                expected[name][row_number] = float(text)
    mismatches = sum(int(np.count_nonzero(stored[name].view("<u8") != expected[name].view("<u8"))) for name in header)
    print(f"\ncorrect rounding: {ROWS * len(header)} values of {os.path.basename(path)} compared bit for bit with "
          f"float(text): {mismatches} differ")
    return mismatches


def versions():
    pandas = subprocess.run(["python3", "-c", "import pandas, polars; print(pandas.__version__, polars.__version__)"],
                            capture_output=True, text=True).stdout.split()
    fread = subprocess.run(["Rscript", "-e", "cat(as.character(packageVersion('data.table')))"], capture_output=True, text=True).stdout
    modelsh = subprocess.run([MODELSH, "--version"], capture_output=True, text=True).stdout.strip()
    return f"{modelsh}; pandas {pandas[0]}, polars {pandas[1]}, data.table {fread}"


def main():
    os.makedirs(WORK, exist_ok=True)
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
    print(f"machine: {os.cpu_count()} cores, {cpu}; {platform.system()} {platform.release()}")
    print(f"versions: {versions()}; {RUNS} runs each, interleaved; each loading call timed inside its process, and modelsh's whole process too")
    numeric = numeric_file(ROWS)
    mixed = mixed_file(ROWS)
    report("numeric", numeric, ROWS * 21 * 8 / 2**20)
    # 9 Float64 + 2 integer + boolean columns, 2 Int32 code columns, and the names (about 14 bytes each plus a String)
    report("mixed", mixed, ROWS * (12 * 8 + 2 * 4 + 16) / 2**20)
    print("\nshapes of public data (no target; where modelsh stands beside the peers)")
    for name, generate, rows in [("text written by pandas", text_file, ROWS * 3 // 10), ("reviews", reviews_file, ROWS // 5),
                                 ("timestamps", timestamps_file, ROWS)]:
        report(name, generate(rows), rows=rows)
    whole_script(numeric)
    sys.exit(1 if check_correct_rounding(numeric) else 0)


# Guarded, so one table can be measured alone by importing this file.
if __name__ == "__main__":
    main()
