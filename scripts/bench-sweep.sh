#!/usr/bin/env bash
# Time the two sweep benchmarks of docs/sensitivity.md on this machine (release build, all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N); echo "$(( (t1 - t0) / 1000000 )) ms"; }
echo -n "21-point one-key sweep, 10^6 draws per point: "
run ./target/release/runoff sweep scenarios/01-baseline.toml --quiet --no-charts --out "$tmp/a" \
  --vary 'transfers."Bradley Byrne"."Jeff Sessions"=0.2..0.6:21' --draws 1000000
echo -n "21x21 two-key sweep, 2*10^5 draws per point:  "
run ./target/release/runoff sweep scenarios/01-baseline.toml --quiet --no-charts --out "$tmp/b" \
  --vary 'transfers."Bradley Byrne"."Jeff Sessions"=0.2..0.6:21' \
  --vary 'transfers."Jeff Sessions"."Tommy Tuberville"=0..0.2:21' --draws 200000
