#!/usr/bin/env bash
# bench/link/run.sh BUILD_DIR [ROUNDS]: the link benchmark matrix of
# BENCHMARKS.md, every row next to its raw ZeroMQ ceiling in the same run:
#   closed loop, 1 and 8 agents, 400,000 events (each agent keeps 5,000
#   unacknowledged, the agent's default max_in_flight, in frames of 100);
#   open loop at 5,000 and 20,000 events/s offered (one envelope per frame,
#   latency from the scheduled send time), 1 and 8 agents;
#   and, as a control that is NOT durable, the open loop with 1 agent and
#   the dispatcher's data on tmpfs (/dev/shm): the same software without
#   the disk, to tell the dispatcher's own latency from the disk's.
# Prints the key=value line of each run, prefixed with where the data was.
# Durable data goes to a temporary directory on the same disk as the
# checkout (fsync is real).
set -euo pipefail
BUILD="${1:?usage: bench/link/run.sh BUILD_DIR [ROUNDS]}"
ROUNDS="${2:-1}"
source "$(dirname "$0")/lib.sh"
link_bench_setup "$BUILD" link-bench

run() {  # run DIR MODE AGENTS EVENTS RATE
  local dir="$1/run" store=disk
  [[ "$1" == "$SHM" ]] && store=tmpfs
  rm -rf "$dir" && mkdir -p "$dir"
  echo "store=$store $("$BENCH" --dispatcher "$DISPATCHER" --mode "$2" --agents "$3" \
    --events "$4" --rate "$5" --dir "$dir" | tail -1)"
}

for ((round = 1; round <= ROUNDS; ++round)); do
  echo "# round $round"
  for agents in 1 8; do
    run "$WORK" raw "$agents" 400000 0
    run "$WORK" dispatcher "$agents" 400000 0
  done
  for rate in 5000 20000; do
    for agents in 1 8; do
      events=$((rate * 10))
      run "$WORK" raw "$agents" "$events" "$rate"
      run "$WORK" dispatcher "$agents" "$events" "$rate"
    done
    run "$SHM" dispatcher 1 "$((rate * 10))" "$rate"
  done
done
