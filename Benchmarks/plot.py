#!/usr/bin/env python3
"""Plots compare.py --sweep results: keytrail's speed (× the zlib floor) and peak RSS against archive size, one line
per job count. Writes SVG and PNG beside the given output name.

    python3 Benchmarks/compare.py --sweep /tmp/sweep.json
    python3 Benchmarks/plot.py /tmp/sweep.json docs/performance-scaling
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    source, output = sys.argv[1], sys.argv[2]
    with open(source) as handle:
        sweep = json.load(handle)
    points = sweep["points"]
    figure, (speed, memory) = plt.subplots(1, 2, figsize=(11, 4.2))
    for jobs in sorted({p["jobs"] for p in points}):
        mine = sorted((p for p in points if p["jobs"] == jobs), key=lambda p: p["jsonBytes"])
        gigabytes = [p["jsonBytes"] / 1e9 for p in mine]
        speed.plot(gigabytes, [p["floorRatio"] for p in mine], marker="o", label=f"--jobs {jobs}")
        for p, x in zip(mine, gigabytes):
            speed.annotate(f"{p['megabytesPerSecond']:.0f} MB/s", (x, p["floorRatio"]), textcoords="offset points",
                           xytext=(0, 6), ha="center", fontsize=7)
        memory.plot(gigabytes, [p["peakRSSKiB"] / 1024 for p in mine], marker="o", label=f"--jobs {jobs}")
    speed.axhline(1.0, color="grey", linestyle="--", linewidth=1)
    speed.text(speed.get_xlim()[0], 1.01, " zlib inflate loop (floor)", fontsize=7, color="grey", va="bottom")
    for axis in (speed, memory):
        axis.set_xscale("log")
        axis.set_xlabel("archive size (GB of JSON, log scale)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    speed.set_ylabel("speed relative to the zlib floor (higher is faster)")
    speed.set_ylim(0, max(1.1, max(p["floorRatio"] for p in points) * 1.2))
    memory.set_ylabel("peak RSS (MiB)")
    memory.set_ylim(0, max(p["peakRSSKiB"] for p in points) / 1024 * 1.3)
    figure.suptitle(f"keytrail scan on {sweep.get('cores', '?')} cores, {sweep.get('keys', '?')} keys: "
                    "throughput and memory as the archive grows", fontsize=10)
    figure.tight_layout()
    for extension in ("svg", "png"):
        figure.savefig(f"{output}.{extension}", dpi=110)


if __name__ == "__main__":
    main()
