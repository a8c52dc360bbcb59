#!/usr/bin/env bash
# The HTTP face under the link's load (bench/http/feed_bench.cc), RUNS times
# (default 3): agent→ack and agent→feed at CLIENTS WebSocket clients
# (default 50) at RATE events/s (default 1,000), /metrics at idle and
# under the load, and an fsync floor, each run in a fresh dispatcher.
#
#   bench/http/run.sh [BUILD_DIR] [RUNS] [CLIENTS] [RATE] [SECONDS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-build-rel}"
RUNS="${2:-3}"
CLIENTS="${3:-50}"
RATE="${4:-1000}"
SECONDS_EACH="${5:-20}"
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
for binary in "$BUILD/dispatcher/anding-dispatcher" "$BUILD/bench/http/feed_bench"; do
  [[ -x "$binary" ]] || { echo "missing $binary: ninja -C $BUILD anding-dispatcher feed_bench" >&2; exit 1; }
done
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
for run in $(seq "$RUNS"); do
  "$BUILD/bench/http/feed_bench" --dispatcher "$BUILD/dispatcher/anding-dispatcher" \
    --clients "$CLIENTS" --rate "$RATE" --seconds "$SECONDS_EACH" --dir "/tmp/anding-feed-bench-$$"
done
