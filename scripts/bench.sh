#!/usr/bin/env bash
# Prints wall times of modelsh's main paths on a generated table (default 1,000,000 rows × 20
# numeric columns + a 3-level category), with the release build. A measurement, not a test:
#   scripts/bench.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --product modelsh >/dev/null
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
