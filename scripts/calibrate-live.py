#!/usr/bin/env python3
"""Calibration of election night (docs/election-night.md): replay every race of a county table in
random orders (SEEDS seeds) and largest- and smallest-first, and at 25% and 50% of the round-one
vote counted check how often the 80% and 95% intervals of the final share cover the result, and how
often the eventual loser is called at 95% or more.

usage: scripts/calibrate-live.py [DATA.csv] [SEEDS] [DRAWS] [STEPS]
       (defaults: data/runoffs_county_dev.csv 10 20000 40; needs `cargo build --release`)
"""
import csv
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "runoffs_county_dev.csv"
SEEDS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
DRAWS = sys.argv[3] if len(sys.argv) > 3 else "20000"
STEPS = sys.argv[4] if len(sys.argv) > 4 else "40"
BINARY = ROOT / "target" / "release" / "runoff"

races = sorted({r["race_id"] for r in csv.DictReader(open(DATA)) if r.get("round") == "2"})
runs = [("random", seed) for seed in range(1, SEEDS + 1)] + [("largest-first", 1), ("smallest-first", 1)]
# (race, order kind, checkpoint) -> [cases, in 80%, in 95%, loser called at >= 95%]
tally = defaultdict(lambda: [0, 0, 0, 0])
with tempfile.TemporaryDirectory() as tmp:
    for race in races:
        for order, seed in runs:
            out = Path(tmp) / f"{race}-{order}-{seed}"
            subprocess.run(
                [BINARY, "replay", DATA, "--race", race, "--order", order, "--seed", str(seed),
                 "--steps", STEPS, "--draws", DRAWS, "--no-charts", "--quiet", "--out", out],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            rows = list(csv.DictReader(open(out / "replay.csv")))
            for checkpoint in (0.25, 0.5):
                row = next(r for r in rows if float(r["reported_fraction"]) >= checkpoint)
                final = float(row["final_share"])
                p = float(row["win_probability"])
                t = tally[(race, order, checkpoint)]
                t[0] += 1
                t[1] += float(row["share_p10"]) <= final <= float(row["share_p90"])
                t[2] += float(row["share_p025"]) <= final <= float(row["share_p975"])
                loser_called = (p >= 0.95 and final < 0.5) or (p <= 0.05 and final > 0.5)
                t[3] += loser_called

def line(label, keys):
    n = sum(tally[k][0] for k in keys)
    if n == 0:
        return
    c80, c95, wrong = (sum(tally[k][i] for k in keys) for i in (1, 2, 3))
    print(f"| {label} | {n} | {100 * c80 / n:.0f}% | {100 * c95 / n:.0f}% | {wrong} |")

for checkpoint in (0.25, 0.5):
    print(f"\n{checkpoint:.0%} of the round-one vote counted\n")
    print("| race, order | replays | 80% covers | 95% covers | loser called at 95% |")
    print("|---|---:|---:|---:|---:|")
    for race in races:
        for order in ("random", "largest-first", "smallest-first"):
            line(f"{race}, {order}", [(race, order, checkpoint)])
    for order in ("random", "largest-first", "smallest-first"):
        line(f"all races, {order}", [(r, order, checkpoint) for r in races])
    line("all", [(r, o, checkpoint) for r in races for o in ("random", "largest-first", "smallest-first")])
