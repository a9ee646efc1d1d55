#!/usr/bin/env python3
"""Write N random valid scenarios, for cross-checking the engine beyond the bundled ones.

Usage: scripts/random-scenarios.py DIR N [SEED] [--polls]
Then:  scripts/check-vs-numpy.sh 1000000 DIR/*.toml

With --polls every scenario also gets 1-6 random polls (sizes 50 to 5,000, shares near or far
from the scenario's, some undecided) and, in half of them, a random [poll_error] (zeros included).

Each scenario has 2-9 candidates with 10 to 10^7 votes (zeros included), transfer rows with
structural zeros and one-hot rows, certainties from 0.04 to 26,000 (so both the log-space and
the Marsaglia-Tsang gamma paths), omitted `abstain` and `certainty` keys, a `[default_transfer]`
for some eliminated candidates, new voters (with and without sd) and normal or Student-t swings
(df from 0.7). No voter noise: the NumPy peer ignores it.
"""
import os
import random
import sys


def main():
    args = [a for a in sys.argv[1:] if a != "--polls"]
    with_polls = "--polls" in sys.argv[1:]
    out, n = args[0], int(args[1])
    seed = int(args[2]) if len(args) > 2 else 1
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)

    def shares():
        """(to A, to B, abstain), summing to 1; sometimes with a structural zero or one-hot."""
        w = [rng.random() ** 2 for _ in range(3)]
        k = rng.random()
        if k < 0.25:
            w[rng.randrange(3)] = 0.0
        if k < 0.05:
            w = [0.0] * 3
            w[rng.randrange(3)] = 1.0
        total = sum(w) or 1.0
        a, b = round(w[0] / total, 6), round(w[1] / total, 6)
        return a, b, max(0.0, round(1.0 - a - b, 6))

    def certainty():
        return rng.choice([0.05, 0.3, 1, 2, 5, 20, 50, 150, 1000, 20000]) * rng.uniform(0.7, 1.3)

    for i in range(n):
        names = [f"Cand {chr(65 + j)}" for j in range(rng.randint(2, 9))]
        scale = 10 ** rng.uniform(1, 7)
        votes = [int(scale * rng.random() ** rng.choice([0.5, 1, 3])) for _ in names]
        votes[0] = votes[0] or (100 if sum(votes) == 0 else 0)
        fa, fb = rng.sample(names, 2)
        lines = [f'finalists = ["{fa}", "{fb}"]', "[first_round]"]
        lines += [f'"{c}" = {v}' for c, v in zip(names, votes)]
        use_default = rng.random() < 0.4
        for c in names:
            if use_default and c not in (fa, fb) and rng.random() < 0.6:
                continue
            a, b, h = shares()
            lines += [f'[transfers."{c}"]', f'"{fa}" = {a}', f'"{fb}" = {b}']
            if rng.random() < 0.5 or a + b > 1.0:
                lines.append(f"abstain = {h}")
            if rng.random() < 0.8:
                lines.append(f"certainty = {certainty():.4g}")
        if use_default:
            a, b, h = shares()
            lines += ["[default_transfer]", f'"{fa}" = {a}', f'"{fb}" = {b}', f"abstain = {h}",
                      f"certainty = {certainty():.4g}"]
        if rng.random() < 0.4:
            a = round(rng.random(), 4)
            lines += ["[new_voters]", f"share = {rng.choice([0.0, 0.01, 0.1, 0.5])}",
                      f"sd = {rng.choice([0, 0.005, 0.05, 0.3])}", f'"{fa}" = {a}',
                      f'"{fb}" = {round(1 - a, 4)}', f"certainty = {certainty():.4g}"]
        if rng.random() < 0.6:
            lines += ["[swing]", f"sd = {rng.choice([0.0, 0.005, 0.03, 0.2])}"]
            if rng.random() < 0.5:
                lines += ['distribution = "student-t"', f"df = {rng.choice([0.7, 1, 2.5, 5, 30])}"]
        if with_polls:
            for _ in range(rng.randint(1, 6)):
                decided = rng.uniform(0.6, 1.0)
                y = rng.uniform(0.2, 0.8)
                a = round(decided * y, 4)
                b = round(decided * (1 - y), 4)
                lines += ["[[polls]]", f"n = {rng.choice([50, 300, 600, 1200, 5000])}",
                          f'"{fa}" = {a}', f'"{fb}" = {b}']
            if rng.random() < 0.5:
                lines += ["[poll_error]", f"shared = {rng.choice([0, 0.01, 0.04, 0.1])}",
                          f"each = {rng.choice([0.005, 0.02, 0.05])}"]
        with open(os.path.join(out, f"random-{seed}-{i:03}.toml"), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
