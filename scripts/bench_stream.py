"""Streamed fits on generated CSV files of growing size: wall time and peak RSS of
`fit linear "file"` and `fit logistic "file"` (each its own modelsh process under
/usr/bin/time -v), seconds per GB and how linear the time is in the file's size, and on the
first size the largest relative difference between the streamed and the in-memory fit
(`stream=no`) of the same file. A measurement, not a test: run by scripts/bench-stream.sh."""
import json
import os
import platform
import re
import subprocess
import sys
import tempfile

modelsh, generator, directory = sys.argv[1], sys.argv[2], sys.argv[3]
sizes = [float(s) for s in sys.argv[4:]] or [1, 2, 4, 8, 10]
# Logistic makes a pass per IRLS iteration: on a busy machine the largest files may skip it.
logistic_max = float(os.environ.get("BENCH_LOGISTIC_MAX_GB", "inf"))
features = ",".join(f"x{j}" for j in range(1, 21))


def run(script):
    """Runs modelsh -c SCRIPT under /usr/bin/time -v; returns (seconds, peak RSS in MiB, stdout)."""
    done = subprocess.run(["/usr/bin/time", "-v", modelsh, "-c", script], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"modelsh failed: {done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", done.stderr).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** (len(parts) - 1 - k) for k, p in enumerate(parts))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) / 1024
    return seconds, rss, done.stdout


def coefficients(path):
    state = json.load(open(path))["model"]["state"]
    if "estimates" in state:
        return state["estimates"] + state["unscaledCovariance"] + [state["residualSumOfSquares"]]
    return state["coefficients"][0] + state["standardErrors"][0] + [state["deviance"], state["nullDeviance"]]


def max_relative(a, b):
    return max(abs(x - y) / max(abs(y), 1e-300) for x, y in zip(a, b))


cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
memory = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 1024 ** 2
print(f"machine: {os.cpu_count()} cores, {cpu}, {memory:.1f} GiB RAM, {platform.system()} {platform.release()}")
print(subprocess.run([modelsh, "--version"], capture_output=True, text=True).stdout.strip())
print(f"{'GB':>5} {'rows':>12} {'linear s':>9} {'s/GB':>6} {'RSS MiB':>8} {'logistic s':>10} {'s/GB':>6} {'RSS MiB':>8} {'load avg':>8}")
points = []
saved = tempfile.mkdtemp()  # two model files per kind, kept until the end
for index, gb in enumerate(sizes):
    path = os.path.join(directory, f"stream-{gb:g}GB.csv")
    with open(path, "wb") as out:
        subprocess.run([generator, str(int(gb * 1e9)), "8"], stdout=out, check=True)
    rows = int(subprocess.run(["wc", "-l", path], capture_output=True, text=True).stdout.split()[0]) - 1
    fits = {}
    for kind, target in (("linear", "y"), ("logistic", "b")):
        if kind == "logistic" and gb > logistic_max:
            fits[kind] = None
            continue
        model = os.path.join(saved, f"{kind}-streamed.json")
        fits[kind] = run(f'fit {kind} "{path}" target={target} features={features} as m\nsave m to "{model}"')
    linear, logistic = fits["linear"], fits["logistic"]
    points.append((gb, linear[0], logistic[0] if logistic else None))
    logistic_text = f"{logistic[0]:10.1f} {logistic[0] / gb:6.1f} {logistic[1]:8.0f}" if logistic else f"{'skipped':>10} {'':6} {'':8}"
    # The 1-minute load average after the fits: the machine is shared, so the seconds are noisy.
    print(f"{gb:5g} {rows:12d} {linear[0]:9.1f} {linear[0] / gb:6.1f} {linear[1]:8.0f} {logistic_text} {os.getloadavg()[0]:8.2f}", flush=True)
    if index == 0:
        # The same file loaded and fitted in memory, in one process (loaded once).
        files = {kind: os.path.join(saved, f"{kind}-loaded.json") for kind in ("linear", "logistic")}
        seconds, rss, _ = run(f'load "{path}" as d\n'
                              f'fit linear d target=y features={features} as l\nsave l to "{files["linear"]}"\n'
                              f'fit logistic d target=b features={features} as g\nsave g to "{files["logistic"]}"')
        print(f"      in memory: load + fit linear + fit logistic {seconds:.1f} s, peak {rss:.0f} MiB", flush=True)
        for kind in ("linear", "logistic"):
            if fits[kind]:
                difference = max_relative(coefficients(os.path.join(saved, f"{kind}-streamed.json")), coefficients(files[kind]))
                print(f"      {kind}: streamed vs in-memory, largest relative difference (coefficients, SEs or (XᵀX)⁻¹, RSS or deviances): {difference:.2e}", flush=True)
    os.remove(path)
if len(points) > 1:
    for k, kind in ((1, "linear"), (2, "logistic")):
        measured = [point for point in points if point[k] is not None]
        if len(measured) < 2:
            continue
        first, last = measured[0], measured[-1]
        ratio = (last[k] / first[k]) / (last[0] / first[0])
        print(f"linearity ({kind}): time ratio / size ratio from {first[0]:g} to {last[0]:g} GB = {ratio:.2f} (1 is linear)")
