#!/bin/bash
# Runs one libFuzzer target for a bounded time on its seeds plus the corpus it has grown, and
# appends "target executions seconds crashes" to a stats file. Exit 1 (with the crashing input
# kept in ARTIFACTS) when the fuzzer found a crash, a leak, a timeout or undefined behaviour.
#
# usage: RunFuzz.sh TARGET SEEDS CORPUS ARTIFACTS SECONDS STATS
set -u
target=$1 seeds=$2 corpus=$3 artifacts=$4 seconds=$5 stats=$6
mkdir -p "$corpus" "$artifacts"
log="$artifacts/fuzz.log"
# -timeout: one input taking 10 s is a hang; -rss_limit_mb: bounded memory; the corpus folder
# (first) keeps what the fuzzer finds interesting, the seeds are only read.
"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" "$seeds" >"$log" 2>&1
status=$?
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
time=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1)
crashes=$(find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
echo "$(basename "$target") ${runs:-0} executions in ${time:-$seconds} s, corpus $(ls "$corpus" | wc -l) files, artifacts $crashes" | tee -a "$stats"
if [ $status -ne 0 ]; then
    grep -m1 -A30 -e 'ERROR: ' -e 'runtime error' -e 'deadly signal' "$log"
    echo "FAIL: $(basename "$target") found a problem; the input is in $artifacts"
    exit 1
fi
