#!/usr/bin/env bash
# The out-of-sample check of docs/fit.md on every race of a unit-level table, each fitted
# scenario's statewide runoff share against the actual one, and any written share at a corner
# (an interval of no width at 0% or 100%).
# Usage: scripts/fit-check.sh [DATA.csv] [SPLITS] [METHOD]
#        (default data/runoffs_county_dev.csv, 20, bayes; METHOD bayes or regression)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-data/runoffs_county_dev.csv}
splits=${2:-20}
method=${3:-bayes}
cargo build --release -q
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for race in $(tail -n +2 "$data" | cut -d, -f1 | awk '!seen[$0]++'); do
  ./target/release/runoff fit "$data" --race "$race" --method "$method" --holdout "$splits" --no-charts --out "$tmp/$race" | grep "out of sample"
  ./target/release/runoff run "$tmp/$race/$race.toml" --draws 200000 --quiet --no-charts --format csv --out "$tmp/run" \
    | awk -F, -v r="$race" 'NR == 2 { printf "  %s: runoff run on the fitted scenario: median share %.2f%%\n", r, 100 * $16 }'
  corners=$(grep -cE '# 90% (0\.0–0\.0|100\.0–100\.0)%' "$tmp/$race/$race.toml" || true)
  echo "  $race: written shares at a corner: $corners"
done
