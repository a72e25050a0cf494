#!/usr/bin/env bash
# keytrail's micro benchmarks (package-benchmark, Benchmarks/Package.swift): each stage of the hot path over the
# same in-memory workload, with MB/s of JSON beside the zlib inflate floor measured in the same run, and exact
# malloc counts.
#
#   Scripts/benchmark.sh            run every benchmark and print the table (3 seconds each)
#   Scripts/benchmark.sh check      run (1 second each) and check against Benchmarks/Thresholds: malloc counts within
#                                   200 or 25% (whichever is less), time and MB/s within the wide tolerances set in
#                                   Benchmarks/Benchmarks/KeytrailBenchmarks/KeytrailBenchmarks.swift (CI); fails on
#                                   a regression only: a result better than the thresholds passes with a note
#   Scripts/benchmark.sh update     run and record Benchmarks/Thresholds anew (after an intended change)
#
# The workload is up to KEYTRAIL_BENCH_MEGABYTES (32) MB of JSON from Benchmarks/corpus-micro, written here once by
# generate-corpus.py (deterministic). The end-to-end comparison with jq and Python is Benchmarks/compare.py.
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
if [ ! -d corpus-micro ]; then
    python3 generate-corpus.py --out corpus-micro --megabytes 40 --keys 2000 >/dev/null
fi
case "${1:-run}" in
    run) swift package benchmark --no-progress ;;
    check)
        # package-benchmark fails a check that comes out *better* than the thresholds as well as one that comes out
        # worse (`swift package` turns both into exit 1; the plugin names which). Malloc counts move a little between
        # machines and iteration counts, so an improvement passes here with a note; only a regression fails CI.
        report=$(mktemp)
        trap 'rm -f "$report"' EXIT
        status=0
        KEYTRAIL_BENCH_SECONDS=1 swift package benchmark thresholds check --no-progress 2>&1 | tee "$report" ||
            status=$?
        if [ "$status" -eq 0 ]; then
            echo "benchmark check: every metric is within its threshold."
        elif grep -q -e 'benchmarkThresholdRegression' -e 'WORSE than the defined thresholds' "$report"; then
            echo "benchmark check: REGRESSION beyond threshold (see the deviation tables above)." >&2
            exit 1
        elif grep -q -e 'benchmarkThresholdImprovement' -e 'BETTER than the defined thresholds' "$report"; then
            echo "benchmark check: better than the thresholds; after an intended change, record them anew with" \
                "'Scripts/benchmark.sh update'."
        else
            echo "benchmark check: the benchmark run failed (exit $status)." >&2
            exit "$status"
        fi
        ;;
    update)
        swift package --allow-writing-to-package-directory benchmark thresholds update --no-progress ;;
    *) echo "usage: Scripts/benchmark.sh [run|check|update]" >&2; exit 2 ;;
esac
