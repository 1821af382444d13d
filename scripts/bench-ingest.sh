#!/usr/bin/env bash
# CSV ingest beside pandas, polars and data.table::fread on generated 1,000,000-row files (numeric
# and mixed-type), interleaved runs, medians and ratios, peak memory, and a whole-file check that
# every number equals its correctly rounded parse. A measurement, not a test:
#   scripts/bench-ingest.sh [ROWS] [RUNS]
# Installs the peers on first use: pandas and polars into .venv (PyPI), data.table from Debian.
# Data is generated once into ${BENCH_DIR:-/tmp/modelsh-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory build >/dev/null  # the Debian packages it links against, then the release build
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/python -c "import numpy, pandas, polars, sklearn" 2>/dev/null || .venv/bin/pip install --quiet numpy pandas polars scikit-learn joblib
if ! Rscript -e 'library(data.table)' >/dev/null 2>&1; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  # A fresh machine's package lists may be empty: update them first.
  $sudo apt-get update -q >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q r-base-core r-cran-data.table >/dev/null
fi
PATH="$PWD/.venv/bin:$PATH" python3 scripts/bench_ingest.py .build/release/modelsh "${1:-1000000}" "${2:-3}" "${BENCH_DIR:-/tmp/modelsh-bench}"
