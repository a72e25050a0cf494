#!/usr/bin/env bash
# Fuzz one of keytrail's input parsers.
#
#   Scripts/fuzz.sh TARGET SECONDS      TARGET: scanner | gzip | inventory | sigma | all
#
# Builds Sources/keytrail-fuzz with libFuzzer and AddressSanitizer (-sanitize=fuzzer,address) into .build-fuzz and
# runs it on a seed corpus made from the bundled real records, SampleLogs, the credential report and SigmaHQ's rules
# (.build-fuzz/corpus/TARGET; what libFuzzer learns is kept there between runs). Where the toolchain has no libFuzzer,
# it falls back to the plain driver (random mutations, AddressSanitizer still on) in .build-fuzz-plain.
#
# `all` builds once and runs the four targets side by side, one per core (KEYTRAIL_FUZZ_JOBS to change that).
#
# A crash leaves its input in Fuzz/crashes/ (libFuzzer's crash-<sha1>, or the plain driver's crash-TARGET-<pid>.bin)
# and exits non-zero. Copy the input to Tests/Fixtures/fuzz/TARGET/ and FuzzRegressionTests replays it in every
# `swift test`. Replay by hand: .build-fuzz/debug/keytrail-fuzz FILE (libFuzzer) with KEYTRAIL_FUZZ_TARGET=TARGET.
set -euo pipefail
# The Swift runtime's own crash backtracer would wait on a crashed fuzzer; libFuzzer and ASan print the report.
export SWIFT_BACKTRACE=enable=no
cd "$(dirname "$0")/.."

target="${1:?usage: Scripts/fuzz.sh scanner|gzip|inventory|sigma|all SECONDS}"
seconds="${2:?usage: Scripts/fuzz.sh TARGET SECONDS}"
targets=(scanner gzip inventory sigma)
case " ${targets[*]} all " in
    *" $target "*) ;;
    *) echo "unknown target $target (one of: ${targets[*]} all)" >&2; exit 2 ;;
esac
mkdir -p .build-fuzz

log() { printf '== %s\n' "$*"; }

# Builds the fuzzer once (the libFuzzer build, else the plain driver); KEYTRAIL_FUZZ_BUILT names the one that built
# so that the targets of `all` do not each take SwiftPM's build lock.
build() {
    if [ -n "${KEYTRAIL_FUZZ_BUILT:-}" ]; then return; fi
    if swift build --product keytrail-fuzz --build-path .build-fuzz -Xswiftc -sanitize=fuzzer,address \
        -Xswiftc -DKEYTRAIL_LIBFUZZER -Xswiftc -parse-as-library >.build-fuzz/build.log 2>&1; then
        KEYTRAIL_FUZZ_BUILT=libfuzzer
    else
        log "libFuzzer build failed (see .build-fuzz/build.log); using the plain driver with AddressSanitizer"
        swift build --product keytrail-fuzz --build-path .build-fuzz-plain -Xswiftc -sanitize=address >/dev/null
        KEYTRAIL_FUZZ_BUILT=plain
    fi
    export KEYTRAIL_FUZZ_BUILT
}

# `all`: each fuzzer runs on one core, so the targets run side by side, KEYTRAIL_FUZZ_JOBS (the core count) at a
# time, each for SECONDS; their reports are printed in order once they end.
if [ "$target" = all ]; then
    build
    jobs="${KEYTRAIL_FUZZ_JOBS:-$(nproc)}"
    logs=$(mktemp -d)
    trap 'rm -rf "$logs"' EXIT
    running=0
    for each in "${targets[@]}"; do
        if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
        (
            status=0
            "$0" "$each" "$seconds" >"$logs/$each.log" 2>&1 || status=$?
            echo "$status" >"$logs/$each.status"
        ) &
        running=$((running + 1))
    done
    wait
    failed=()
    for each in "${targets[@]}"; do
        cat "$logs/$each.log"
        [ "$(cat "$logs/$each.status" 2>/dev/null || echo 1)" -eq 0 ] || failed+=("$each")
    done
    [ ${#failed[@]} -eq 0 ] || { echo "fuzzing found crashes in: ${failed[*]} (inputs in Fuzz/crashes/)" >&2; exit 1; }
    exit 0
fi

corpus=".build-fuzz/corpus/$target"
crashes="Fuzz/crashes"
mkdir -p "$corpus" "$crashes"

# Seeds: small real inputs of the target's kind (the corpus only grows; seeds are added once).
seed() { python3 - "$target" "$corpus" <<'PY'
import gzip, hashlib, json, os, pathlib, sys
target, corpus = sys.argv[1], pathlib.Path(sys.argv[2])
def keep(data):
    if len(data) <= 64 * 1024:
        (corpus / ("seed-" + hashlib.sha1(data).hexdigest())).write_bytes(data)
real = sorted(pathlib.Path("Tests/Fixtures/realdata").rglob("*.json*")) + sorted(pathlib.Path("SampleLogs").rglob("*.json.gz"))[:20]
if target in ("scanner", "gzip"):
    for path in real:
        raw = path.read_bytes()
        keep(raw if target == "gzip" and path.suffix == ".gz" else (gzip.decompress(raw) if path.suffix == ".gz" else raw))
elif target == "inventory":
    keep(pathlib.Path("SampleLogs/credential-report.csv").read_bytes())
    keep(pathlib.Path("Tests/Fixtures/ip-ranges-sample.json").read_bytes())
    keep(json.dumps({"AccessKeyMetadata": [{"UserName": "alice", "AccessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "Status": "Active", "CreateDate": "2024-01-02T03:04:05Z"}]}).encode())
elif target == "sigma":
    for path in sorted(pathlib.Path("Tests/Fixtures/sigma").glob("*.yml")):
        keep(path.read_bytes())
PY
}
seed

build
if [ "$KEYTRAIL_FUZZ_BUILT" = libfuzzer ]; then
    log "libFuzzer: $target for ${seconds}s"
    KEYTRAIL_FUZZ_TARGET="$target" .build-fuzz/debug/keytrail-fuzz "$corpus" \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$crashes/$target-" 2>&1 \
        | grep -vE '^(#[0-9]+\s+(NEW|REDUCE|pulse)|".*# Uses: [0-9]+$|###### )' | tail -n 40
    exit "${PIPESTATUS[0]}"
fi
log "plain driver with AddressSanitizer: $target for ${seconds}s"
cd "$crashes"
"$OLDPWD/.build-fuzz-plain/debug/keytrail-fuzz" "$target" --seconds "$seconds" --corpus "$OLDPWD/$corpus"
