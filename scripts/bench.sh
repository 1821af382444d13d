#!/usr/bin/env bash
# Prints wall times of modelsh's main paths on a generated table (default 1,000,000 rows × 20
# numeric columns + a 3-level category), with the release build. A measurement, not a test:
#   scripts/bench.sh [ROWS]
set -euo pipefail
shopt -s inherit_errexit  # a failing modelsh run inside $(…) stops the script, not prints a time
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make --no-print-directory build >/dev/null  # the Debian packages it links against, then the release build
bin=.build/release/modelsh

# Deterministic data: y depends linearly on x1..x20 plus the category, with noise from a fixed LCG.
awk -v n="$rows" 'BEGIN {
  srand(42); printf "y"; for (j = 1; j <= 20; j++) printf ",x%d", j; printf ",g\n";
  for (i = 0; i < n; i++) {
    y = 0; line = "";
    for (j = 1; j <= 20; j++) { x = rand() * 10; y += j * x; line = line sprintf(",%.6f", x) }
    g = int(rand() * 3); y += g * 5 + rand();
    printf "%.6f%s,%s\n", y, line, substr("abc", g + 1, 1)
  }
}' > "$work/data.csv"
size=$(du -m "$work/data.csv" | cut -f1)

time_of() {  # seconds for one modelsh -c run
  local start end
  start=$(date +%s.%N)
  "$bin" -c "$1" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

echo "modelsh $($bin --version), $rows rows × 22 columns, ${size} MB CSV, $(nproc) cores"
printf "%-40s %8s s\n" "start and exit (-c vars)" "$(time_of 'vars')"
printf "%-40s %8s s\n" "load" "$(time_of "load \"$work/data.csv\" as d")"
printf "%-40s %8s s\n" "load + describe" "$(time_of "load \"$work/data.csv\" as d; describe d")"
printf "%-40s %8s s\n" "load + fit linear (21 features)" "$(time_of "load \"$work/data.csv\" as d; fit linear d target=y as m")"
printf "%-40s %8s s\n" "load + save workspace" "$(time_of "load \"$work/data.csv\" as d; save workspace \"$work/w.msw\"")"
printf "%-40s %8s s\n" "open workspace" "$(time_of "open \"$work/w.msw\"")"

# The issue's workspace figure: the dataset and 10 models of several kinds, saved and opened, the
# time of the command alone (`set timer on`), medians and min–max of 3 runs.
models='fit linear d target=y as m1; fit ridge d target=y alpha=1 as m2; fit ridge d target=y alpha=10 as m3;
fit lasso d target=y alpha=0.1 as m4; fit elasticnet d target=y alpha=0.1 l1_ratio=0.5 as m5;
fit linear d target=y features=x1,x2,x3,g as m6; fit tree d target=y max_depth=6 as m7;
fit boost d target=y rounds=20 as m8; fit logistic d target=g as m9; fit naivebayes d target=g as m10'
command_times() {  # the `time:` figures of one modelsh -c run, one per line
  "$bin" -c "$1" 2>&1 >/dev/null | sed -n 's/^time: \([0-9.]*\) s$/\1/p'
}
summary() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f (%.3f–%.3f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
"$bin" -c "load \"$work/data.csv\" as d; $models; save workspace \"$work/w10.msw\"" >/dev/null
# Each timed save starts once the disk has written what came before (`sync`): otherwise it
# waits behind the previous file's 175 MB of writeback, which measures the disk, not the save.
save_times=$(for run in 1 2 3 4 5; do
  sync
  command_times "open \"$work/w10.msw\"; set timer on; save workspace \"$work/w10-copy.msw\"" | tail -1
done | summary)
open_times=$(for run in 1 2 3 4 5; do command_times "set timer on; open \"$work/w10.msw\"" | tail -1; done | summary)
printf "%-40s %s s (%s MB)\n" "save workspace: data + 10 models" "$save_times" "$(du -m "$work/w10.msw" | cut -f1)"
printf "%-40s %s s\n" "open workspace: data + 10 models" "$open_times"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
