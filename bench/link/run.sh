#!/usr/bin/env bash
# bench/link/run.sh BUILD_DIR [ROUNDS]: the link benchmark matrix of
# BENCHMARKS.md, every row next to its raw ZeroMQ ceiling in the same run:
#   closed loop, 1 and 8 agents, 200,000 events (window 2000, frames of 100);
#   open loop at 5,000 and 20,000 events/s offered (one envelope per frame,
#   latency from the scheduled send time), 1 and 8 agents.
# Prints the key=value line of each run. Data goes to a temporary directory
# on the same disk as the checkout (fsync is real).
set -euo pipefail
BUILD="${1:?usage: bench/link/run.sh BUILD_DIR [ROUNDS]}"
ROUNDS="${2:-1}"
BENCH="$BUILD/bench/link/link_bench"
DISPATCHER="$BUILD/dispatcher/anding-dispatcher"
WORK="$(mktemp -d "$(dirname "$BUILD")/link-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

run() {  # run MODE AGENTS EVENTS RATE
  rm -rf "$WORK/run" && mkdir -p "$WORK/run"
  "$BENCH" --dispatcher "$DISPATCHER" --mode "$1" --agents "$2" --events "$3" --rate "$4" \
    --dir "$WORK/run" | tail -1
}

for ((round = 1; round <= ROUNDS; ++round)); do
  echo "# round $round"
  for agents in 1 8; do
    run raw "$agents" 200000 0
    run dispatcher "$agents" 200000 0
  done
  for rate in 5000 20000; do
    for agents in 1 8; do
      events=$((rate * 10))
      run raw "$agents" "$events" "$rate"
      run dispatcher "$agents" "$events" "$rate"
    done
  done
done
