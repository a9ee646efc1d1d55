#!/usr/bin/env python3
"""Cross-check `when_wins` (the means over the draws each finalist wins) against NumPy.

The draws come from the independent NumPy peer's own samplers (../shared/peer/runoff_numpy.py,
or $PEER): for every flow (source -> A, B, abstain), the late swing's shift and the turnout, the
mean over the draws each finalist wins and its Monte Carlo standard error. Each of runoff's means
must agree within 4 combined standard errors, except a mean that a few rare draws make (see
`rare` below), which no standard error describes.

Usage: scripts/check-wins-vs-numpy.py SUMMARY.json SCENARIO.toml [DRAWS] [SEED]
(SUMMARY.json: what `runoff run SCENARIO.toml` wrote.) Needs Python >= 3.11 and numpy.
"""
import importlib.util
import json
import math
import os
import sys
import tomllib

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
peer_path = os.environ.get("PEER", os.path.join(here, "..", "..", "shared", "peer", "runoff_numpy.py"))
spec = importlib.util.spec_from_file_location("peer", peer_path)
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)


def conditional_means(sc, draws, seed):
    """Per finalist: (wins, {column: (mean, se)}) over the draws it wins, as the peer samples."""
    fin = sc["finalists"]
    first = {k: float(v) for k, v in sc["first_round"].items()}
    total1 = sum(first.values())
    default = sc.get("default_transfer")
    rows = []
    for cand, votes in first.items():
        row = sc.get("transfers", {}).get(cand) or default
        rows.append((cand, votes) + peer.row_alphas(row, fin))
    nv = sc.get("new_voters")
    sw = sc.get("swing", {})
    sd = float(sw.get("sd", 0.0))
    dist = sw.get("distribution", "normal")
    df = float(sw.get("df", 5.0))
    rng = np.random.default_rng(seed)
    names = [f"{c} -> {d}" for c, *_ in rows for d in (fin[0], fin[1], "abstain")]
    if nv:
        names += [f"New voters -> {fin[0]}", f"New voters -> {fin[1]}"]
    names += ["swing", "turnout"]
    # Powers 1-4 of each column less a shift near its mean (the first chunk's), for the mean, its
    # standard error and the kurtosis, without the cancellation of raw powers of a turnout.
    sums = np.zeros((4, 2, len(names)))
    shift = None
    wins = np.zeros(2)
    done = 0
    while done < draws:
        m = min(peer.CHUNK, draws - done)
        cols = []
        a = np.zeros(m)
        b = np.zeros(m)
        for _, votes, means, kappa in rows:
            p = peer.sample_rows(rng, means, kappa, m)
            cols += [votes * p[:, 0], votes * p[:, 1], votes * p[:, 2]]
            a += votes * p[:, 0]
            b += votes * p[:, 1]
        if nv:
            n = np.maximum(0.0, rng.normal(float(nv.get("share", 0.0)), float(nv.get("sd", 0.0)), m)) * total1
            means, kappa = peer.row_alphas(nv, fin, with_abstain=False)
            q = peer.sample_rows(rng, means, kappa, m)
            cols += [n * q[:, 0], n * q[:, 1]]
            a += n * q[:, 0]
            b += n * q[:, 1]
        t = a + b
        pre = np.divide(a, t, out=np.full(m, 0.5), where=t > 0)
        s = pre
        if sd > 0:
            z = rng.standard_t(df, m) if dist == "student-t" else rng.standard_normal(m)
            s = np.clip(pre + sd * z, 0.0, 1.0)
        cols += [s - pre, t]
        x = np.stack(cols, axis=1)
        if shift is None:
            shift = x.mean(axis=0)
        for k, won in enumerate((s > 0.5, s < 0.5)):
            wins[k] += won.sum()
            d = x[won] - shift
            for p in range(4):
                sums[p, k] += (d ** (p + 1)).sum(axis=0)
        done += m
    out = []
    for k in range(2):
        n = max(wins[k], 1)
        d1, d2, d3, d4 = (sums[p, k] / n for p in range(4))
        mean = shift + d1
        var = np.maximum(d2 - d1**2, 0.0)
        m4 = d4 - 4 * d1 * d3 + 6 * d1**2 * d2 - 3 * d1**4
        kurtosis = np.divide(m4, var**2, out=np.zeros_like(var), where=var > 0)
        se = np.sqrt(var / n)
        out.append((int(wins[k]), dict(zip(names, zip(mean, se, kurtosis)))))
    return out


def main():
    summary_path, scenario_path = sys.argv[1], sys.argv[2]
    draws = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    summary = json.load(open(summary_path))
    if isinstance(summary, list):
        summary = summary[0]
    with open(scenario_path, "rb") as f:
        sc = tomllib.load(f)
    peer_means = conditional_means(sc, draws, seed)
    fin = summary["finalists"]
    worst, ok, zs, rare = 0.0, True, [], []
    for k, name in enumerate(fin):
        mine = summary["when_wins"][name]
        n_peer, theirs = peer_means[k]
        if mine["draws"] < 100 or n_peer < 100:
            print(f"{name}: too few wins to compare ({mine['draws']} and {n_peer})")
            continue
        mine_cols = {f"{f['from']} -> {f['to']}": f["mean_votes"] for f in mine["flows"]}
        mine_cols["swing"] = mine.get("swing_mean", 0.0)
        mine_cols["turnout"] = mine.get("turnout_mean", 0.0)
        # runoff's spread is taken to be the peer's; its count of wins is its own.
        for col, (mean, se_peer, kurtosis) in theirs.items():
            # A mean made by a few rare draws (a row whose share is near 0 but for a handful of
            # draws near 1: a tiny Dirichlet parameter) is not normal about the truth, and its
            # standard error, from those same few draws, can be near 0: with kurtosis k, the
            # mean of n draws is near normal only for n well past k (about n/k draws in the tail).
            if kurtosis > n_peer / 100:
                rare.append(f"{name} wins, {col} (kurtosis {kurtosis:.3g})")
                continue
            se_mine = se_peer * math.sqrt(n_peer / mine["draws"])
            se = math.hypot(se_peer, se_mine)
            # A flow runoff leaves out (new voters that never come) is zero in every draw.
            got = mine_cols.get(col, 0.0)
            z = 0.0 if se == 0 and abs(got - mean) < 1e-9 * max(1.0, abs(mean)) else (got - mean) / se if se > 0 else math.inf
            worst = max(worst, abs(z))
            if math.isfinite(z):
                zs.append(z)
            if os.environ.get("VERBOSE") and abs(z) > 2.5:
                print(f"  {name} wins, {col}: runoff {got:.8g}, numpy {mean:.8g} (se {se:.3g}), z {z:+.2f}")
            if abs(z) >= 4:
                ok = False
                print(f"{name} wins, {col}: runoff {got:.6g}, numpy {mean:.6g}, z {z:+.2f}  DISAGREE")
    spread = math.sqrt(sum(z * z for z in zs) / len(zs)) if zs else 0.0
    if rare:
        print(f"not compared, made by fewer than about 100 rare draws: {'; '.join(rare)}")
    print(f"{os.path.basename(scenario_path)}: when_wins, {len(zs)} means compared, largest |z| "
          f"{worst:.2f}, root mean square z {spread:.2f} (about 1 when they agree)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
