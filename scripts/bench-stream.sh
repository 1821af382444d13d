#!/usr/bin/env bash
# Streamed fits (fit linear|logistic "file.csv") on seeded CSV files of the sizes given in GB
# (default 1 2 4 8 10): wall time and peak RSS per size, seconds per GB, linearity, and on the first
# size the largest relative difference to the in-memory fit. A measurement, not a test:
#   scripts/bench-stream.sh [GB ...]
# BENCH_LOGISTIC_MAX_GB=N skips logistic above N GB. Files are written to ${BENCH_DIR:-/tmp/modelsh-bench} one at a time and deleted after use.
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory build >/dev/null  # the Debian packages it links against, then the release build
directory="${BENCH_DIR:-/tmp/modelsh-bench}"
mkdir -p "$directory"
cc -O2 -o "$directory/gen_stream_csv" scripts/gen_stream_csv.c -lm
python3 scripts/bench_stream.py .build/release/modelsh "$directory/gen_stream_csv" "$directory" "$@"
