#!/usr/bin/env bash
# Cross-check the engine against the independent NumPy implementation of the same model
# (../shared/peer/runoff_numpy.py, or $PEER): for every scenario, both win probabilities must
# agree within 4 combined Monte Carlo standard errors, and so must every mean over the draws each
# finalist wins (scripts/check-wins-vs-numpy.py). Needs python3 with numpy.
# Usage: scripts/check-vs-numpy.sh [DRAWS] [SCENARIO...]   (default: 1000000 draws, scenarios/*.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
draws=${1:-1000000}
shift || true
peer=${PEER:-../shared/peer/runoff_numpy.py}
[ -f "$peer" ] || { echo "error: the NumPy peer is not at $peer (set PEER=path/to/runoff_numpy.py)" >&2; exit 2; }
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(scenarios/*.toml)
cargo build --release -q
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
printf '%-28s %-18s %9s %9s %8s %6s\n' scenario finalist runoff numpy diff z
for f in "${files[@]}"; do
  if grep -Eq '^[[:space:]]*voter_noise[[:space:]]*=[[:space:]]*true' "$f"; then
    # The peer ignores voter_noise (see its docstring), so the two would answer different models.
    echo "${f##*/}: not compared: voter_noise = true, which the NumPy peer ignores"
    continue
  fi
  ./target/release/runoff run "$f" --draws "$draws" --seed 7 --quiet --no-charts --format json --out "$tmp/out" > "$tmp/rust.json"
  python3 "$peer" "$f" --draws "$draws" --seed 8 --json > "$tmp/peer.json"
  python3 - "$f" "$tmp/rust.json" "$tmp/peer.json" <<'PY' || fail=1
import json, math, sys
name = sys.argv[1].split("/")[-1]
rust = json.load(open(sys.argv[2]))[0]
peer = json.load(open(sys.argv[3]))
ok = True
n_r, n_p = rust["draws"], peer["draws"]
polled = "polls" in rust
for fin in rust["finalists"]:
    p_r, p_p = rust["win_probability"][fin], peer["win_probability"][fin]
    # With polls both report the self-normalised importance-sampling error (the peer's is the
    # first finalist's, which the second's equals but for ties).
    se = (math.hypot(rust["win_probability_se"][fin], peer["win_probability_se"]) if polled
          else math.sqrt(p_r * (1 - p_r) / n_r + p_p * (1 - p_p) / n_p))
    z = (p_r - p_p) / se if se > 0 else (0.0 if p_r == p_p else math.inf)
    ok &= abs(z) < 4
    print(f"{name[:28]:<28} {fin[:18]:<18} {p_r:9.5f} {p_p:9.5f} {p_r - p_p:+8.5f} {z:+6.2f}{'' if abs(z) < 4 else '  DISAGREE'}")
sys.exit(0 if ok else 1)
PY
  # The means over each finalist's wins (when_wins), against the peer's samplers; the peer does
  # not weigh them by polls, so a scenario with polls compares its win probabilities only.
  if grep -Eq '^[[:space:]]*\[\[polls\]\]' "$f"; then
    echo "${f##*/}: when_wins not compared: the peer does not weigh its means by the polls"
  else
    PEER="$peer" python3 scripts/check-wins-vs-numpy.py "$tmp/rust.json" "$f" "$draws" 9 || fail=1
  fi
done
if [ "$fail" = 0 ]; then echo "all scenarios agree within 4 combined standard errors"; else echo "DISAGREEMENT: see above" >&2; exit 1; fi
