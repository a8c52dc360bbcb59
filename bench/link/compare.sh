#!/usr/bin/env bash
# bench/link/compare.sh ROUNDS AGENTS EVENTS RATE LINK_BENCH:DISPATCHER...
# Runs each (link_bench, anding-dispatcher) pair in turn, ROUNDS times, so
# that builds are compared in the same minutes of a machine whose speed
# drifts (BENCHMARKS.md, the link's alternating comparisons). Copy the
# two binaries of each build aside first, for example:
#   mkdir -p /tmp/old && cp build-bench/bench/link/link_bench \
#     build-bench/dispatcher/anding-dispatcher /tmp/old/
#   bench/link/compare.sh 2 8 400000 0 \
#     /tmp/old/link_bench:/tmp/old/anding-dispatcher \
#     build-bench/bench/link/link_bench:build-bench/dispatcher/anding-dispatcher
# RATE 0 is the closed loop. Data goes next to the current directory (a
# real disk, as in run.sh).
set -euo pipefail
ROUNDS="${1:?usage: compare.sh ROUNDS AGENTS EVENTS RATE LINK_BENCH:DISPATCHER...}"
AGENTS="$2" EVENTS="$3" RATE="$4"
shift 4
WORK="$(mktemp -d "$PWD/link-compare.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
for ((round = 1; round <= ROUNDS; ++round)); do
  for pair in "$@"; do
    bench="${pair%%:*}" dispatcher="${pair#*:}"
    rm -rf "$WORK/run" && mkdir -p "$WORK/run"
    echo "bench=$bench dispatcher=$dispatcher $("$bench" --dispatcher "$dispatcher" \
      --mode dispatcher --agents "$AGENTS" --events "$EVENTS" --rate "$RATE" \
      --dir "$WORK/run" | tail -1)"
  done
done
