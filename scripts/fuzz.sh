#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/Sources) with -sanitize=fuzzer,address in .build-fuzz and
# runs each for FUZZ_SECONDS (default 600) on its seed corpus (Fuzz/corpus/NAME). New inputs go to
# .build-fuzz/corpus/NAME, crashes to .build-fuzz/crashes/NAME; the repository's corpus is only
# read. Usage: scripts/fuzz.sh [NAME…] with NAME one of csv json-data parser model-json workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-600}
declare -A products=([csv]=FuzzCSV [json-data]=FuzzJSONData [parser]=FuzzParser
                     [model-json]=FuzzModelJSON [workspace]=FuzzWorkspace)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(csv json-data parser model-json workspace)

for name in "${names[@]}"; do
    product=${products[$name]:?unknown fuzz target $name}
    # -parse-as-library: the targets have no top-level code; libFuzzer's driver is the entry point.
    # (The linker warns about every sanitizer symbol; only a failed build's log is shown.)
    log=.build-fuzz/build-$name.log
    mkdir -p .build-fuzz
    if ! MODELSH_FUZZ=1 swift build --build-path .build-fuzz --product "$product" \
            -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >"$log" 2>&1; then
        grep -v "warning: Cannot export" "$log" | tail -30
        exit 1
    fi
    work=.build-fuzz/corpus/$name crashes=.build-fuzz/crashes/$name
    mkdir -p "$work" "$crashes"
    echo "fuzz $name for ${seconds}s"
    # Swift's own backtracer would wait on every crash; libFuzzer reports them itself.
    SWIFT_BACKTRACE=enable=no ".build-fuzz/debug/$product" "$work" "Fuzz/corpus/$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=200000 \
        -artifact_prefix="$crashes/" -print_final_stats=1
done
