#!/usr/bin/env bash
# Throughput of runoff against the NumPy peer on the same scenario and draws, alternating, in one run;
# then all threads against one, and peak memory at 10^8 draws. Needs python3 with numpy.
# Usage: scripts/bench-vs-numpy.sh [DRAWS] [ROUNDS] [SCENARIO]   (default 10000000 3 scenarios/01-baseline.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
draws=${1:-10000000}
rounds=${2:-3}
scenario=${3:-scenarios/01-baseline.toml}
peer=${PEER:-../shared/peer/runoff_numpy.py}
[ -f "$peer" ] || { echo "error: the NumPy peer is not at $peer (set PEER=...)" >&2; exit 2; }
cargo build --release -q
bin=./target/release/runoff
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }
time_runoff() { local t0 t1; t0=$(ms); "$bin" run "$scenario" --draws "$draws" --quiet --no-charts --format csv --out "$tmp/o" "$@" > /dev/null; t1=$(ms); echo $((t1 - t0)); }
time_numpy() { local t0 t1; t0=$(ms); python3 "$peer" "$scenario" --draws "$draws" --json > /dev/null; t1=$(ms); echo $((t1 - t0)); }
best_r=999999999; best_n=999999999; best_1=999999999
for i in $(seq "$rounds"); do
  r=$(time_runoff); n=$(time_numpy); one=$(time_runoff --threads 1)
  echo "round $i: runoff all threads ${r} ms, runoff 1 thread ${one} ms, numpy ${n} ms"
  (( r < best_r )) && best_r=$r; (( n < best_n )) && best_n=$n; (( one < best_1 )) && best_1=$one
done
awk -v d="$draws" -v r="$best_r" -v n="$best_n" -v o="$best_1" 'BEGIN {
  printf "best of runs at %d draws (whole process, including start-up and summaries):\n", d
  printf "  runoff, all threads: %8.2f M draws/s\n", d / r / 1000
  printf "  runoff, 1 thread:    %8.2f M draws/s\n", d / o / 1000
  printf "  numpy peer:          %8.2f M draws/s\n", d / n / 1000
  printf "  runoff / numpy:      %8.1f x\n", n / r
  printf "  all threads / one:   %8.2f x\n", o / r
}'
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "  peak memory at 10^8 draws: %M KiB (%e s)" "$bin" run "$scenario" --draws 100000000 --quiet --no-charts --format csv --out "$tmp/m" > /dev/null
fi
