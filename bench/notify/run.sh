#!/usr/bin/env bash
# bench/notify/run.sh [ROUNDS]: the notification benchmark of BENCHMARKS.md.
# Builds Release in build-rel (or $BUILD), then, each round, side by side
# in the same run and into the same webhook sink:
#   Alertmanager and Anding at 2,000 and 5,000 events/s offered (10 s
#   each, open loop: latency from the scheduled send to the webhook's
#   arrival), and a burst of 50,000 (the delivery rate); with each, the
#   floor under Anding's row: the same early warnings to a dispatcher
#   without notifications (anding-intake: stored and acknowledged, nothing
#   posted), so that what the notifications add is the difference;
# and once, the end to end time of `anding-agent report early-warning
# --major` to the fake SMSC behind a real Kannel (40 samples).
# Every line carries an fsync probe of the disk the data is on (scratch
# directories under the build directory, on the checkout's disk).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${BUILD:-$ROOT/build-rel}"
ROUNDS="${1:-1}"
if [[ ! -f "$BUILD/build.ninja" ]]; then
  CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1 cmake -S "$ROOT" -B "$BUILD" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache >/dev/null
fi
CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1 ninja -C "$BUILD" anding-dispatcher anding-agent anding \
  notify_bench notify_sms_latency >/dev/null
BENCH="$BUILD/bench/notify/notify_bench"
DISPATCHER="$BUILD/dispatcher/anding-dispatcher"
WORK="$(mktemp -d "$BUILD/notify-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "# $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD)" \
  "nproc=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\"" \
  "alertmanager=$(/usr/bin/prometheus-alertmanager --version 2>&1 | head -1 | awk '{print $3}')"
run() {  # run TARGET RATE EVENTS
  "$BENCH" --target "$1" --rate "$2" --events "$3" --dispatcher "$DISPATCHER" --dir "$WORK/$1"
}
for ((round = 1; round <= ROUNDS; ++round)); do
  echo "# round $round"
  for rate in 2000 5000; do
    run alertmanager "$rate" $((rate * 10))
    run anding "$rate" $((rate * 10))
    run anding-intake "$rate" $((rate * 10))
  done
  run alertmanager 0 50000
  run anding 0 50000
  run anding-intake 0 50000
done
echo "# SMS end to end (real Kannel and fake SMSC)"
TMPDIR="$WORK" "$BUILD/bench/notify/notify_sms_latency" --samples 40
