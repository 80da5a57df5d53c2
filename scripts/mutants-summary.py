#!/usr/bin/env python3
"""Tallies cargo-mutants results per module (TESTING.md, "Mutation testing").

    scripts/mutants-summary.py DIR...

Reads every outcomes.json under the given directories (scripts/mutants.sh writes
one per module; `--iterate`, `--shard` and restarted runs leave several, and
cargo-mutants keeps the previous one as mutants.out.old). Each mutant's latest
outcome counts. Prints a Markdown table: per module, the mutants cargo-mutants
lists, then caught, timeout, missed, unviable and not yet tested, and the score
(caught + timeout) / (caught + timeout + missed); then the missed mutants.
"""
import json
import pathlib
import sys

MODULES = ["manifest", "procfile", "locate", "source", "env", "generate", "addons", "formation", "hooks"]


def module_of(file):
    p = pathlib.PurePosixPath(file)
    if len(p.parts) >= 3 and p.parts[0] == "src":
        return p.parts[1]
    return p.stem


def main(dirs):
    latest = {}  # name -> (start_time, outcome kind, module)
    listed = {}  # module -> set of names cargo-mutants listed
    for d in dirs:
        for f in sorted(pathlib.Path(d).rglob("outcomes.json")):
            data = json.loads(f.read_text())
            start = data.get("start_time", "")
            for o in data["outcomes"]:
                scenario = o["scenario"]
                if not isinstance(scenario, dict) or "Mutant" not in scenario:
                    continue
                m = scenario["Mutant"]
                name, mod = m["name"], module_of(m["file"])
                kind = o["summary"]
                if kind not in ("CaughtMutant", "MissedMutant", "Timeout", "Unviable"):
                    continue
                if name not in latest or latest[name][0] <= start:
                    latest[name] = (start, kind, mod)
            mj = f.parent / "mutants.json"
            if mj.exists():
                for m in json.loads(mj.read_text()):
                    listed.setdefault(module_of(m["file"]), set()).add(m["name"])
            for line in (f.parent / "previously_caught.txt").read_text().splitlines() if (f.parent / "previously_caught.txt").exists() else []:
                mod = module_of(line.split(":", 1)[0])
                if line not in latest:
                    latest[line] = ("", "CaughtMutant", mod)
    print("| module | mutants | caught | timeout | missed | unviable | not tested | score |")
    print("|---|---|---|---|---|---|---|---|")
    missed = []
    for mod in MODULES:
        names = listed.get(mod, set())
        counts = {"CaughtMutant": 0, "MissedMutant": 0, "Timeout": 0, "Unviable": 0}
        for n in names:
            if n in latest:
                counts[latest[n][1]] += 1
                if latest[n][1] == "MissedMutant":
                    missed.append(n)
        tested = sum(counts.values())
        c, t, mi, u = counts["CaughtMutant"], counts["Timeout"], counts["MissedMutant"], counts["Unviable"]
        viable = c + t + mi
        score = f"{100 * (c + t) / viable:.1f}%" if viable else "n/a"
        print(f"| {mod} | {len(names)} | {c} | {t} | {mi} | {u} | {len(names) - tested} | {score} |")
    print()
    for n in sorted(missed):
        print(f"- missed: `{n}`")


if __name__ == "__main__":
    main(sys.argv[1:] or ["mutants.out"])
