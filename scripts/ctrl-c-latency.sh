#!/usr/bin/env bash
# Measures how fast Ctrl-C stops long commands: starts modelsh on a pseudo-terminal, runs each
# command below on a generated dataset, sends ^C once it has run a while, and times the wait for
# "interrupted" and the next prompt; then checks `vars` shows the session unchanged. Prints one
# line per command (latency in ms, median of REPEATS, default 3; ^C goes DELAY s after the
# command, default 0.3; a small machine load makes `load` finish sooner, so give a later DELAY to
# the slow commands alone with ONLY=cv,tune).
#   MODELSH=.build/release/modelsh scripts/ctrl-c-latency.sh   (default: .build/debug/modelsh)
#   ROWS=N sets the dataset's size (default 2000000)
set -euo pipefail
modelsh=$(realpath "${MODELSH:-$(dirname "$0")/../.build/debug/modelsh}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk -v n="${ROWS:-2000000}" 'BEGIN { print "x1,x2,x3,x4,group,y,label"; srand(2)
  for (i = 0; i < n; i++) { a = rand(); b = rand(); c = rand(); d = rand()
    printf "%.6f,%.6f,%.6f,%.6f,g%d,%.6f,%s\n", a, b, c, d, i % 5, 3 * a - b + c * d + rand(), (a + b > 1 ? "yes" : "no") } }' > "$work/big.csv"
cd "$work"
MODELSH="$modelsh" ONLY="${ONLY:-}" REPEATS="${REPEATS:-3}" DELAY="${DELAY:-0.3}" python3 - <<'PY'
import os, pty, select, statistics, sys, time

modelsh = os.environ["MODELSH"]
commands = [
    ("load",   'load "big.csv" as other'),
    ("fit",    'fit logistic big target=label as slow'),
    ("forest", 'fit forest big target=y trees=200 as slow'),
    ("cv",     'cv forest big target=y folds=5 trees=50 seed=1'),
    ("tune",   'tune forest big target=y trees=20,40 folds=5 seed=1 as slow'),
]
if os.environ["ONLY"]:
    commands = [c for c in commands if c[0] in os.environ["ONLY"].split(",")]

def start():
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"NO_COLOR": "1", "TERM": "dumb", "XDG_STATE_HOME": os.getcwd() + "/state"})
        os.execv(modelsh, [modelsh])
    return pid, fd

def read_until(fd, marker, timeout, seen=b""):
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise SystemExit(f"timed out waiting for {marker!r}; output: {seen[-400:]!r}")
        seen += os.read(fd, 65536)
    return seen

pid, fd = start()
read_until(fd, b"]> ", 30)
os.write(fd, b'load "big.csv" as big\r')
read_until(fd, b"]> ", 120)
for name, command in commands:
    latencies = []
    for _ in range(int(os.environ["REPEATS"])):
        os.write(fd, command.encode() + b"\r")
        time.sleep(float(os.environ["DELAY"]))  # into the work
        sent = time.monotonic()
        os.write(fd, b"\x03")
        out = read_until(fd, b"interrupted", 60)
        stopped = time.monotonic()
        read_until(fd, b"]> ", 30, out[out.index(b"interrupted"):])
        latencies.append((stopped - sent) * 1000)
    os.write(fd, b"vars\r")
    listing = read_until(fd, b"]> ", 30).decode(errors="replace")
    unchanged = "slow" not in listing and "other" not in listing
    print(f"ctrl-c {name:7s} {statistics.median(latencies):7.0f} ms (runs: {', '.join(f'{l:.0f}' for l in latencies)}) "
          f"session {'unchanged' if unchanged else 'CHANGED'}   {command}", flush=True)
os.write(fd, b"quit\r")
PY
