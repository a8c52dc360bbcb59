#!/usr/bin/env bash
# bench/agents/run.sh [ROUNDS] [AGENTS] [HEARTBEAT_S] [BEFORE]: thousands of
# agents on one dispatcher (BENCHMARKS.md). Builds Release in build-rel (or
# $BUILD), then, each round, the floor (a bare CURVE ROUTER answering
# heartbeats and acknowledging reports), the BEFORE anding-dispatcher binary
# if one is given (another build to compare with), and this build's, one
# after the other, with the same simulated agents: connect storm, idle
# heartbeats, a day of reports compressed into DAY seconds (default 60; 0
# for none), restart storm.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${BUILD:-$ROOT/build-rel}"
ROUNDS="${1:-1}"
AGENTS="${2:-5000}"
HEARTBEAT="${3:-5}"
BEFORE="${4:-}"
DAY="${DAY:-60}"
if [[ ! -f "$BUILD/build.ninja" ]]; then
  CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1 cmake -S "$ROOT" -B "$BUILD" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DANDING_BUILD_BENCH=ON -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache >/dev/null
fi
CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1 ninja -C "$BUILD" anding-dispatcher agent_swarm >/dev/null
WORK="$(mktemp -d "$BUILD/agent-swarm.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
echo "# $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD)" \
  "nproc=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\""
for ((round = 1; round <= ROUNDS; ++round)); do
  swarm() {  # swarm TARGET DISPATCHER
    "$BUILD/bench/agents/agent_swarm" --target "$1" --dispatcher "$2" --agents "$AGENTS" \
      --heartbeat "$HEARTBEAT" --idle 30 --day "$DAY" --dir "$WORK/swarm"
  }
  swarm raw ""
  if [[ -n "$BEFORE" ]]; then swarm anding "$BEFORE"; fi
  swarm anding "$BUILD/dispatcher/anding-dispatcher"
done
