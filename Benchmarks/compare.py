#!/usr/bin/env python3
"""End-to-end throughput of keytrail against the floor, in one run on the same files.

    python3 Benchmarks/compare.py                      # 1 GB corpus with 50,000 keys, generated if missing
    python3 Benchmarks/compare.py --megabytes 200 --runs 5

The floor is a plain zlib inflate loop with a 256 KiB buffer (zlib-floor.c, built here with cc -O2): reading the
same gzip files and doing nothing else. Every row is timed in this run, on the same files, after a warm-up read,
and reported as MB/s of uncompressed JSON and as a ratio to the floor's speed (1.00 = as fast as inflating alone).
Medians of --runs rounds, each round running every command once in turn (every other round in reverse order).
jq and Python are slow, so they read a subset of the files (in every round); their MB/s is over the subset's JSON,
which is what a rate needs, and keytrail's ratio to each is also given paired by round. Peak RSS is measured per
child process (wait4).
"""
import argparse
import collections
import json
import glob
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


Measurement = collections.namedtuple("Measurement", "seconds peak cpu")


def run_measured(command):
    """Like run, but with the child's own peak RSS and CPU time (user and system, all threads)."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execvp(command[0], command)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(command)}")
    return Measurement(elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


def corpus_files(corpus, megabytes, keys, locality):
    """The corpus's gzip files, sorted; the corpus is generated first (deterministically) if it has none."""
    if not glob.glob(os.path.join(corpus, "**", "*.json.gz"), recursive=True):
        print(f"generating {megabytes:.0f} MB corpus with {keys} keys in {corpus}", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(HERE, "generate-corpus.py"), "--out", corpus,
                        "--megabytes", str(megabytes), "--keys", str(keys), "--locality", locality], check=True)
    return sorted(glob.glob(os.path.join(corpus, "**", "*.json.gz"), recursive=True))


def median_of(runs, command):
    times, peaks = [], []
    for _ in range(runs):
        measurement = run_measured(command)
        times.append(measurement.seconds)
        peaks.append(measurement.peak)
    return statistics.median(times), max(peaks)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    parser.add_argument("--megabytes", type=float, default=1000)
    parser.add_argument("--keys", type=int, default=50000)
    parser.add_argument("--locality", choices=["session", "uniform"], default="session",
                        help="how keys are spread over time when generating the corpus (see generate-corpus.py)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--subset", type=float, default=0.1, help="fraction of files for jq and Python")
    parser.add_argument("--binary", help="keytrail binary (default: build with swift build -c release)")
    parser.add_argument("--skip-slow", action="store_true", help="skip jq and Python")
    parser.add_argument("--sigma", default=os.path.join(ROOT, "Tests", "Fixtures", "sigma"),
                        help="Sigma rules for the --rules rows (default: SigmaHQ's 57 CloudTrail rules)")
    parser.add_argument("--only", choices=["all", "sigma"], default="all",
                        help="sigma: only the floor and the scans with and without --rules")
    parser.add_argument("--sweep", metavar="JSON",
                        help="instead of the table: keytrail's MB/s, floor ratio and peak RSS by jobs (1, 2) and by "
                             "archive size (a quarter, half, all, and --sweep-copies copies of the corpus), written "
                             "to JSON for plot.py")
    parser.add_argument("--sweep-copies", type=int, default=10,
                        help="the largest sweep point: this many copies of the corpus under new names (default 10)")
    parser.add_argument("--key-sweep", metavar="COUNTS",
                        help="instead of the table: jobs 1 and 2 against the floor on corpora of the same size with "
                             "these comma-separated numbers of keys (generated beside --corpus as needed)")
    args = parser.parse_args()

    corpus = args.corpus
    files = corpus_files(corpus, args.megabytes, args.keys, args.locality)

    binary = args.binary
    if not binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "keytrail"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        binary = os.path.join(ROOT, ".build", "release", "keytrail")
    floor = os.path.join("/tmp", f"keytrail-zlib-floor-{os.getpid()}")
    subprocess.run(["cc", "-O2", "-o", floor, os.path.join(HERE, "zlib-floor.c"), "-lz"], check=True)

    # Warm the page cache and learn the uncompressed size.
    json_bytes = int(subprocess.run([floor] + files, check=True, capture_output=True).stdout)
    stored_bytes = sum(os.path.getsize(f) for f in files)
    print(f"corpus: {len(files)} files, {stored_bytes / 1e6:.1f} MB gzip, {json_bytes / 1e6:.1f} MB JSON, "
          f"{args.keys} keys; {os.cpu_count()} cores; medians of {args.runs} runs", file=sys.stderr)

    # A configuration with every rule disabled, for the rules-off rows.
    rule_ids = [line.split()[0] for line in subprocess.run([binary, "rules", "list"], capture_output=True, text=True,
                                                           check=True).stdout.splitlines()
                if line.startswith("  ") and not line.startswith("      ")]
    rules_off = os.path.join("/tmp", f"keytrail-rules-off-{os.getpid()}.yml")
    with open(rules_off, "w") as handle:
        handle.write("rules:\n" + "".join(f"  {rule}:\n    enabled: false\n" for rule in rule_ids))

    if args.key_sweep:
        key_sweep(args, binary, floor)
        os.unlink(floor)
        os.unlink(rules_off)
        return
    if args.sweep:
        sweep(args, binary, floor, files, json_bytes)
        os.unlink(floor)
        os.unlink(rules_off)
        return

    # Every command once per round, the rounds repeated: the machine's speed drifts by tens of percent over minutes
    # on shared hosts, and interleaving spreads that drift over all rows alike instead of onto whichever ran last.
    commands = [("zlib inflate loop (floor)", [floor] + files)]
    if args.only == "all":
        if shutil.which("libdeflate-gunzip"):
            commands.append(("libdeflate-gunzip (Debian libdeflate-tools)",
                             ["sh", "-c", 'libdeflate-gunzip -c "$@" > /dev/null', "libdeflate-gunzip"] + files))
        commands.append(("zcat", ["sh", "-c", 'zcat "$@" > /dev/null', "zcat"] + files))
    sigma_rules = len(glob.glob(os.path.join(args.sigma, "**", "*.yml"), recursive=True))
    stores = []
    # The next night's files: the first 12 files again under new names (every key in them is in the history).
    night = os.path.join("/tmp", f"keytrail-bench-night-{os.getpid()}")
    os.makedirs(night, exist_ok=True)
    for number, path in enumerate(files[:12]):
        name = f"111122223333_CloudTrail_us-east-1_20990101T{number:04d}Z_night.json.gz"
        shutil.copyfile(path, os.path.join(night, name))
    without_rate = set()
    for jobs in (1, 2):
        command = [binary, "scan", "--jobs", str(jobs), "--format", "json", "--output", "/dev/null",
                   "--progress", "never", "--fail-on", "none", corpus]
        commands.append((f"keytrail scan --jobs {jobs}", command))
        commands.append((f"keytrail scan --jobs {jobs} --rules ({sigma_rules} Sigma rules)",
                         command + ["--rules", args.sigma]))
        if args.only == "sigma":
            continue
        commands.append((f"keytrail scan --jobs {jobs}, all {len(rule_ids)} rules off",
                         command + ["--config", rules_off]))
        # The same files as one multi-member gzip stream on stdin (as `cat *.json.gz |` gives it): one input, so
        # one worker, with the stream decompressed beside the scan when a second core is allowed.
        piped = ["sh", "-c", 'cat "$@" | exec ' + shlex.join(command[:-1]) + " -", "stdin"] + files
        commands.append((f"keytrail scan --jobs {jobs} - (the files as one gzip stream on stdin)", piped))
        # A first run into a new state store: everything read, every key's history and the ledgers written; then
        # the next night with nothing new: discovery, the ledger and the key rules over the stored history.
        store = os.path.join("/tmp", f"keytrail-bench-state-{os.getpid()}-{jobs}.db")
        stores.append(store)
        fresh = ["sh", "-c", f'rm -f "{store}" "{store}"-* && exec "$@"', "fresh"] + command + ["--state", store]
        commands.append((f"keytrail scan --jobs {jobs} --state (new store)", fresh))
        commands.append((f"keytrail scan --jobs {jobs} --state (nothing new)", command + ["--state", store]))
        # A nightly cron run: 12 new files merged into a copy of that history (the copy, ~20 MB, is timed too).
        copy = store + "-night"
        nightly = ["sh", "-c", f'rm -f "{copy}" "{copy}"-* && cp "{store}" "{copy}" && '
                   f'{{ [ ! -e "{store}-wal" ] || cp "{store}-wal" "{copy}-wal"; }} && exec "$@"', "nightly",
                   binary, "scan", "--jobs", str(jobs), "--format", "json", "--output", "/dev/null", "--progress",
                   "never", "--fail-on", "none", night, "--state", copy]
        commands.append((f"keytrail scan --jobs {jobs} --state (next night: 12 new files)", nightly))
        without_rate.update({f"keytrail scan --jobs {jobs} --state (nothing new)",
                             f"keytrail scan --jobs {jobs} --state (next night: 12 new files)"})
    # jq and Python are slow, so they read a subset of the files; they run in every round like the rest, as the
    # issue's targets are ratios against them and one run of each swung their rate by half between tables.
    sizes = {name: json_bytes for name, _ in commands}
    baselines = []
    if not args.skip_slow and args.only == "all":
        subset = files[:max(1, int(len(files) * args.subset))]
        subset_json = int(subprocess.run([floor] + subset, check=True, capture_output=True).stdout)
        if shutil.which("jq"):
            pipeline = ("zcat \"$@\" | jq -r '.Records[].userIdentity.accessKeyId // empty' | sort | uniq -c "
                        "> /dev/null")
            baselines.append((f"jq pipeline ({len(subset)} files)", ["sh", "-c", pipeline, "jq"] + subset))
        baselines.append((f"Python stdlib ({len(subset)} files)",
                          [sys.executable, os.path.join(HERE, "python-per-key-count.py")] + subset))
        for name, _ in baselines:
            sizes[name] = subset_json
        commands += baselines
    measured = {name: [] for name, _ in commands}
    for round_number in range(args.runs):
        # Every other round in reverse, so that no row always follows the same neighbour (each pair of rows stays
        # adjacent either way, as the paired Sigma cost below needs).
        for name, command in (commands if round_number % 2 == 0 else commands[::-1]):
            measured[name].append(run_measured(command))
    rows = [(name, statistics.median(m.seconds for m in measured[name]), sizes[name],
             max(m.peak for m in measured[name])) for name, _ in commands]
    floor_time = rows[0][1]
    for store in stores:
        for leftover in glob.glob(store + "*"):
            os.unlink(leftover)
    shutil.rmtree(night)

    floor_rate = json_bytes / floor_time
    print("| command | seconds | MB/s (JSON) | × floor speed | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds, size, rss in rows:
        if name in without_rate:
            print(f"| {name} | {seconds:.2f} | — | — | {rss / 1024:.0f} MiB |")
            continue
        rate = size / seconds
        print(f"| {name} | {seconds:.2f} | {rate / 1e6:.0f} | {rate / floor_rate:.2f} | {rss / 1024:.0f} MiB |")
    print_sigma_cost(measured, sigma_rules)
    print_baseline_ratios(measured, sizes, [name for name, _ in baselines])
    os.unlink(floor)
    os.unlink(rules_off)


def print_sigma_cost(measured, sigma_rules):
    """The Sigma rules' cost from paired runs: each round's scan with --rules against the same round's scan without.

    A ratio of two medians mixes rounds taken minutes apart, and this machine's speed drifts by more than the cost
    being measured; the two scans of one round run back to back, so their ratio cancels most of the drift. The same
    ratio of CPU time (all threads) is printed beside it: other tenants slow a run's wall clock more than its CPU
    time, so it is the steadier of the two, though it counts work that runs beside the critical path.
    """
    for jobs in (1, 2):
        plain = measured[f"keytrail scan --jobs {jobs}"]
        sigma = measured[f"keytrail scan --jobs {jobs} --rules ({sigma_rules} Sigma rules)"]
        print()
        for label, field in (("", "seconds"), (" in CPU time", "cpu")):
            costs = sorted(100 * (getattr(with_rules, field) / getattr(without, field) - 1)
                           for with_rules, without in zip(sigma, plain))
            quartiles = statistics.quantiles(costs, n=4) if len(costs) > 1 else [costs[0]] * 3
            print(f"Sigma rules' cost{label}, {jobs} job{'s' if jobs > 1 else ''}: "
                  f"{statistics.median(costs):+.1f}% (median of {len(costs)} paired rounds; quartiles "
                  f"{quartiles[0]:+.1f}% to {quartiles[2]:+.1f}%, range {costs[0]:+.1f}% to {costs[-1]:+.1f}%)")


def print_baseline_ratios(measured, sizes, baselines):
    """keytrail's rate against the floor's, jq's and Python's, paired by round (as the Sigma cost is): each round's
    scan against the same round's baseline, so the drift between rounds cancels."""
    print()
    for baseline in ["zlib inflate loop (floor)"] + baselines:
        for jobs in (1, 2):
            scan = f"keytrail scan --jobs {jobs}"
            ratios = sorted((sizes[scan] / ours.seconds) / (sizes[baseline] / theirs.seconds)
                            for ours, theirs in zip(measured[scan], measured[baseline]))
            digits = 2 if ratios[-1] < 10 else 1
            print(f"{scan} against the {baseline.split(' (')[0]}: {statistics.median(ratios):.{digits}f}x (median "
                  f"of {len(ratios)} paired rounds; range {ratios[0]:.{digits}f}x to {ratios[-1]:.{digits}f}x)")


def sweep(args, binary, floor, files, json_bytes):
    """Measures scaling: jobs 1 and 2 at each archive size, each point beside its own floor run."""
    points = []
    sizes = [(0.25, files[:len(files) // 4]), (0.5, files[:len(files) // 2]), (1.0, files)]
    copies_root = None
    if args.sweep_copies > 1:
        # Real copies under new names: discovery reads each inode once, so links would not grow the archive.
        copies_root = os.path.join("/tmp", f"keytrail-sweep-{os.getpid()}")
        copied = []
        for copy in range(args.sweep_copies):
            for path in files:
                target = os.path.join(copies_root, f"copy{copy:02d}", os.path.relpath(path, args.corpus))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(path, target)
                copied.append(target)
        sizes.append((float(args.sweep_copies), copied))
    for scale, subset in sizes:
        subset_json = int(subprocess.run([floor] + subset, check=True, capture_output=True).stdout)
        floor_time, _ = median_of(args.runs, [floor] + subset)
        for jobs in (1, 2):
            command = [binary, "scan", "--jobs", str(jobs), "--format", "json", "--output", "/dev/null",
                       "--progress", "never", "--fail-on", "none"] + subset
            if len(subset) > 2000:
                command = command[:command.index("none") + 1] + [copies_root]
            seconds, rss = median_of(args.runs, command)
            point = {"scale": scale, "files": len(subset), "jsonBytes": subset_json, "jobs": jobs,
                     "seconds": seconds, "megabytesPerSecond": subset_json / seconds / 1e6,
                     "floorRatio": floor_time / seconds, "peakRSSKiB": rss}
            print(json.dumps(point), file=sys.stderr)
            points.append(point)
    with open(args.sweep, "w") as handle:
        json.dump({"corpus": args.corpus, "keys": args.keys, "cores": os.cpu_count(), "points": points}, handle,
                  indent=1)
    if copies_root:
        shutil.rmtree(copies_root)


def key_sweep(args, binary, floor):
    """Measures how the number of keys moves the speed: one corpus per key count, all of --megabytes, each scanned
    with jobs 1 and 2 beside its own floor run in every round (rounds interleave the corpora, as the table does).

    The scan's work per byte (inflating, scanning, counting) is the same at any key count; what grows with the keys
    is work per key (resolving, the key rules, the output's key records) and the cache misses of counting into
    more records.
    """
    counts = [int(count) for count in args.key_sweep.split(",")]
    corpora = {}
    for keys in counts:
        corpus = args.corpus if keys == args.keys else f"{args.corpus.rstrip('/')}-keys{keys}"
        files = corpus_files(corpus, args.megabytes, keys, args.locality)
        json_bytes = int(subprocess.run([floor] + files, check=True, capture_output=True).stdout)
        corpora[keys] = (corpus, files, json_bytes)
    samples = collections.defaultdict(list)
    for round_number in range(args.runs):
        for keys in (counts if round_number % 2 == 0 else list(reversed(counts))):
            corpus, files, _ = corpora[keys]
            samples[(keys, "floor")].append(run_measured([floor] + files))
            for jobs in (1, 2):
                samples[(keys, jobs)].append(run_measured(
                    [binary, "scan", "--jobs", str(jobs), "--format", "json", "--output", "/dev/null",
                     "--progress", "never", "--fail-on", "none", corpus]))
    print(f"\n{args.megabytes:.0f} MB of JSON per corpus ({args.locality} locality), {os.cpu_count()} cores, "
          f"medians of {args.runs} rounds\n")
    print("| keys | floor s | jobs 1 s | MB/s | × floor | jobs 2 s | MB/s | × floor | peak RSS (jobs 2) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for keys in counts:
        json_bytes = corpora[keys][2]
        floor_time = statistics.median(m.seconds for m in samples[(keys, "floor")])
        row = [f"{keys:,}", f"{floor_time:.2f}"]
        for jobs in (1, 2):
            seconds = statistics.median(m.seconds for m in samples[(keys, jobs)])
            row += [f"{seconds:.2f}", f"{json_bytes / seconds / 1e6:.0f}", f"{floor_time / seconds:.2f}"]
        row.append(f"{max(m.peak for m in samples[(keys, 2)]) / 1024:.0f} MiB")
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
