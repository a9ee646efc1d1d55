#!/usr/bin/env bash
# The out-of-sample check of docs/fit.md on every race of a unit-level table, and each fitted
# scenario's statewide runoff share against the actual one.
# Usage: scripts/fit-check.sh [DATA.csv] [SPLITS]   (default data/runoffs_county_dev.csv, 20)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-data/runoffs_county_dev.csv}
splits=${2:-20}
cargo build --release -q
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for race in $(tail -n +2 "$data" | cut -d, -f1 | awk '!seen[$0]++'); do
  ./target/release/runoff fit "$data" --race "$race" --holdout "$splits" --no-charts --out "$tmp/$race" | grep "out of sample"
  ./target/release/runoff run "$tmp/$race/$race.toml" --draws 200000 --quiet --no-charts --format csv --out "$tmp/run" \
    | awk -F, -v r="$race" 'NR == 2 { printf "  %s: runoff run on the fitted scenario: median share %.2f%%\n", r, 100 * $16 }'
done
