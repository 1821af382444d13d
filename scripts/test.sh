#!/usr/bin/env bash
# Runs every test: the XCTest suites of each module (the pseudo-terminal test of the interactive
# shell among them), `modelsh check` over the recorded session transcripts, then the ONNX export
# checked in onnxruntime (scripts/check-onnx.sh). Ends with one line, "tests: N passed, N failed",
# counting all three.
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The executable first: the pseudo-terminal test drives it.
swift build --product modelsh || exit 1
# The unit tests expect the kernels the shell picks by the CPU's instructions (BLASThreads),
# whose sums round as their reference values were computed: not an OPENBLAS_CORETYPE inherited
# from the machine (this one sets Haswell for every process, on a CPU with AVX-512), and not what
# OpenBLAS would pick itself for a CPU newer than the library, but the last "Core:" the shell
# reports. (None with an OpenBLAS built for one CPU, which prints no core: then nothing is set.)
unset OPENBLAS_CORETYPE
kernels=$(OPENBLAS_VERBOSE=2 .build/debug/modelsh -c quit 2>&1 | sed -n 's/^Core: //p' | tail -1)
if [ -n "$kernels" ]; then export OPENBLAS_CORETYPE="$kernels"; fi
swift test --disable-swift-testing 2>&1 | tee "$log"
unit_status=${PIPESTATUS[0]}

# The last summary is the whole run's: "Executed N tests, with [S tests skipped and] F failures".
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with .*[0-9]+ failures?" "$log" | tail -1)
unit_run=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
unit_failed=$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$summary")
unit_run=${unit_run:-0}
unit_failed=${unit_failed:-0}
if [ "$unit_status" -ne 0 ] && [ "$unit_failed" -eq 0 ]; then unit_failed=1; fi

# Every transcript twice: with the kernels above, and with OpenBLAS's plainest (SSE2, no fused
# multiply-add), whose sums round differently: a transcript must replay on any machine, so what
# it shows may not hang on the last bits of a BLAS sum (BLAS-independent output: README,
# "Session scripts").
sessions_passed=0
sessions_failed=0
check_transcripts() {
  for script in sessions/*.msh; do
    if .build/debug/modelsh check "$script"; then
      sessions_passed=$((sessions_passed + 1))
    else
      echo "(the failure above is with OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset})"
      sessions_failed=$((sessions_failed + 1))
    fi
  done
}
check_transcripts
OPENBLAS_CORETYPE=Prescott check_transcripts

# The ONNX checks count case by case, from their last line "onnx: N passed, N failed".
scripts/check-onnx.sh > "$log" 2>&1
cat "$log"
onnx_summary=$(tail -1 "$log")
onnx_passed=$(sed -nE 's/^onnx: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' <<<"$onnx_summary")
onnx_failed=$(sed -nE 's/^onnx: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' <<<"$onnx_summary")
onnx_passed=${onnx_passed:-0}
onnx_failed=${onnx_failed:-1}

passed=$((unit_run - unit_failed + sessions_passed + onnx_passed))
failed=$((unit_failed + sessions_failed + onnx_failed))
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$unit_run" -gt 0 ]
