#!/usr/bin/env python3
"""Prints the last `cargo bench --bench engine` run as ratios to its floors (PERFORMANCE.md).

Reads criterion's estimates under target/criterion (or the folder given as the only
argument). In each group, a benchmark is compared with the floor measured beside it in the
same run: the benchmark whose name starts with `floor`, on the same input, and whose name ends
with the benchmark's own when there are several floors. Criterion keeps the last estimate of
every benchmark, whichever run made it, so each row says when it was measured (UTC), and a
floor measured more than ten minutes apart from its benchmark (a filtered run, `cargo bench
-- check`) gives no ratio. Prints a Markdown table (when, mean time, floor, ratio; time per
element where the group counts elements) and the machine it ran on. Exit status 1 when no
estimate is found.
"""

import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path


# A benchmark and its floor measured further apart than this were not measured in one run.
SAME_RUN_SECONDS = 600


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        rustc = "rustc unknown"
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, {rustc}"


def human(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "target" / "criterion"
    rows = []
    for bench in sorted(root.glob("**/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        est = json.loads((bench.parent / "estimates.json").read_text())
        rows.append({
            "group": meta["group_id"],
            "function": meta.get("function_id") or "",
            "value": meta.get("value_str") or "",
            "throughput": meta.get("throughput") or {},
            "mean": est["mean"]["point_estimate"],
            "when": (bench.parent / "estimates.json").stat().st_mtime,
        })
    if not rows:
        print(f"no criterion estimates under {root}: run `cargo bench --bench engine` first", file=sys.stderr)
        return 1
    print(f"Machine: {machine()}\n")
    print("| measured (UTC) | group | benchmark | input | mean | floor | ratio to floor | per element |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r["function"].startswith("floor"):
            continue
        floors = [f for f in rows if f["group"] == r["group"] and f["value"] == r["value"]
                  and f["function"].startswith("floor")]
        if len(floors) > 1:
            floors = [f for f in floors if f["function"].endswith(r["function"])]
        floor = floors[0] if floors else None
        # A floor from another run is no floor: the ratio would mix two machines' states.
        apart = floor is not None and abs(floor["when"] - r["when"]) > SAME_RUN_SECONDS
        ratio = "(floor from another run)" if apart else (f"{r['mean'] / floor['mean']:.2f}x" if floor else "")
        when = datetime.datetime.fromtimestamp(r["when"], datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
        elements = r["throughput"].get("Elements")
        per = human(r["mean"] / elements) if elements else ""
        print("| {} | {} | {} | {} | {} | {} | {} | {} |".format(
            when, r["group"], r["function"], r["value"], human(r["mean"]),
            human(floor["mean"]) if floor else "", ratio, per))
    return 0


if __name__ == "__main__":
    sys.exit(main())
