#!/usr/bin/env bash
# Runs modelsh's exported ONNX models in onnxruntime and checks their predictions equal
# modelsh's (scripts/check_onnx.py). Makes the Python environment it needs, .venv-onnx
# (gitignored), on first use: `pip install onnxruntime onnx numpy` from PyPI; later runs reuse it.
# MODELSH: the binary to test (default .build/debug/modelsh). Extra arguments go to the checker
# (`--keep DIR` keeps the data, scripts, models and predictions in DIR).
# Ends with one line, "onnx: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

venv=.venv-onnx
modelsh=${MODELSH:-.build/debug/modelsh}
if ! "$venv/bin/python" -c "import onnxruntime, onnx, numpy" 2>/dev/null; then
  echo "setting up $venv (onnxruntime, onnx, numpy)"
  rm -rf "$venv"
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q onnxruntime onnx numpy; }; then
    echo "onnx: 0 passed, 1 failed (could not set up $venv)"
    exit 1
  fi
fi
exec "$venv/bin/python" scripts/check_onnx.py "$modelsh" "$@"
