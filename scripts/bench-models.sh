#!/usr/bin/env bash
# Side-by-side fit times of modelsh and scikit-learn on generated data, with ratios. A
# measurement, not a test:
#   scripts/bench-models.sh [ROWS] [RUNS]               OLS, ridge, logistic (1,000,000 × 20)
#   scripts/bench-models.sh --ensembles [ROWS] [RUNS]   forest and boost: time, accuracy, peak memory
#   KINDS=boost scripts/bench-models.sh --ensembles …   one of them (scikit-learn's 1M forest takes an hour)
# Installs numpy and scikit-learn into .venv (PyPI) on first use; the product never needs Python.
set -euo pipefail
cd "$(dirname "$0")/.."
script=scripts/bench_models.py
if [ "${1:-}" = "--ensembles" ]; then
  script=scripts/bench_ensembles.py
  shift
fi
make --no-print-directory build >/dev/null  # the Debian packages it links against, then the release build
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet numpy scikit-learn
fi
.venv/bin/python "$script" .build/release/modelsh "${1:-1000000}" "${2:-3}"
