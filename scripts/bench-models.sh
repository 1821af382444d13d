#!/usr/bin/env bash
# Side-by-side fit times of modelsh and scikit-learn (OLS, ridge, logistic) on 1,000,000 × 20
# generated rows, with ratios. A measurement, not a test:
#   scripts/bench-models.sh [ROWS] [RUNS]
# Installs scikit-learn into .venv (PyPI) on first use; the product itself never needs Python.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product modelsh >/dev/null
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet numpy scikit-learn
fi
.venv/bin/python scripts/bench_models.py .build/release/modelsh "${1:-1000000}" "${2:-3}"
