#!/usr/bin/env bash
# Kills modelsh (SIGKILL) at random moments while it opens a workspace, changes it and saves it
# over itself, RUNS times (default 200). After each kill the workspace must open, and be either
# the previous file or the complete new one (told apart by their cell counts), never a mixture.
# Prints a tally; exits 1 if any run left a file that does not open or is neither.
#   scripts/kill-save.sh [RUNS]      ROWS=N sets the dataset's size (default 200000 rows)
set -uo pipefail
runs=${1:-200}
rows=${ROWS:-200000}
modelsh=$(realpath "${MODELSH:-$(dirname "$0")/../.build/debug/modelsh}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

awk -v n="$rows" 'BEGIN { print "id,x,y,group"; srand(1)
  for (i = 0; i < n; i++) printf "%d,%.6f,%.4f,g%d\n", i, rand(), rand() * 100, i % 7 }' > data.csv
"$modelsh" -c 'load "data.csv" as data; save workspace "w.msw"' > /dev/null || exit 1

# The number of cells the workspace holds; empty when it does not open.
cells() { "$modelsh" -c 'open "w.msw"' 2>/dev/null | sed -nE 's/^opened .* ([0-9]+) cells?$/\1/p'; }
# One run: open, change (a new split), save over the file. Each save adds its open and split cells.
# `exec`, so that `$!` of `change N &` is modelsh itself.
change() { exec "$modelsh" -c "open \"w.msw\"; split data test=0.5 seed=$1 as a, b; save workspace \"w.msw\"" > /dev/null 2>&1; }

# Kills are spread from a little before the save starts (a run without the save) to a little
# after a whole run ends, in microseconds.
microseconds() { local started=$(date +%s%N); "$@"; echo $(( ($(date +%s%N) - started) / 1000 )); }
first=$(microseconds "$modelsh" -c 'open "w.msw"; split data test=0.5 seed=0 as a, b' 2> /dev/null | tail -1)
span=$(microseconds bash -c "$(declare -f change); modelsh='$modelsh'; change 0" | tail -1)
before=$(cells)
finished=0 mid_save=0 kept=0 replaced=0 damaged=0
for ((run = 1; run <= runs; run++)); do
  change "$run" &
  pid=$!
  sleep "$(awk -v first="$first" -v span="$span" -v r="$RANDOM" 'BEGIN { from = 0.8 * first; printf "%.6f", (from + (1.15 * span - from) * r / 32768) / 1e6 }')"
  kill -KILL "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  [ $? -eq 0 ] && finished=$((finished + 1))
  # AtomicFile's temporary file is there only when the kill came mid-save.
  if compgen -G ".w.msw.*.tmp" > /dev/null; then mid_save=$((mid_save + 1)); fi
  rm -f .w.msw.*.tmp .w.msw.*.tmp-journal
  after=$(cells)
  if [ "$after" = "$before" ]; then
    kept=$((kept + 1))
  elif [ -n "$after" ] && [ -n "$before" ] && [ "$after" -eq $((before + 2)) ]; then
    replaced=$((replaced + 1))
  else
    damaged=$((damaged + 1))
    echo "run $run: the workspace has '${after:-no}' cells (before: $before)" >&2
    cp w.msw "$OLDPWD/kill-save-damaged-$run.msw" 2> /dev/null
  fi
  before=${after:-$before}
done
echo "kill-save: $runs runs of $rows rows (one run ~$((span / 1000)) ms, its save from ~$((first / 1000)) ms): $mid_save killed mid-save, $((runs - finished)) killed in all; old file kept $kept, new file complete $replaced, damaged $damaged"
[ "$damaged" -eq 0 ]
