#!/usr/bin/env bash
# The incidents board's first load with COUNT open incidents (default
# 10,000) in Debian's chromium against a REAL anding-dispatcher (Release),
# before and after the board's light, paged list.
#
#   bench/dashboard/real_first_load.sh [BUILD_DIR] [COUNT] [RUNS]
#
# The dispatcher runs the demo configuration (deploy/demo/dispatcher.yaml:
# the organisation, deadline rules and teams; without its SMS gateway, so
# notifications go to the log) in a fresh directory, with HTTP on a free
# port. first_load.mjs fills it with COUNT open incidents through real
# writes (report_incident over the REST API as the commander: each one
# registered, graded, given its deadlines and a proposal, committed), then
# opens the board RUNS times with this revision's pages ("after": the
# board's view, in pages). The dispatcher is then restarted on the same
# data serving the pages of the revision before the light list (git
# ${BEFORE_REV:-bb133be}: one list_incidents of whole incidents), and the
# same is measured again ("before"). Same dispatcher, same data, same
# browser: only the page's request differs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-build-rel}"
COUNT="${2:-10000}"
RUNS="${3:-5}"
BEFORE_REV="${BEFORE_REV:-bb133be}"
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
DISPATCHER="$BUILD/dispatcher/anding-dispatcher"
ANDING="$BUILD/dispatcher/cli/anding"
for binary in "$DISPATCHER" "$ANDING"; do
  [[ -x "$binary" ]] || { echo "missing $binary: ninja -C $BUILD anding-dispatcher anding" >&2; exit 1; }
done
[[ -f "$ROOT/dispatcher/dashboard/vendor/echarts.min.js" ]] || { echo "run deploy/install-web first" >&2; exit 1; }

DIR="$(mktemp -d /tmp/anding-first-load.XXXXXX)"
PID=""
cleanup() {
  if [[ -n "$PID" ]]; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$DIR"
}
trap cleanup EXIT
mkdir -p "$DIR/keys" "$DIR/logs" "$DIR/before"

# The pages of the revision before, with this tree's ECharts.
git -C "$ROOT" archive "$BEFORE_REV" dispatcher/dashboard | tar -x -C "$DIR/before"
ln -s "$ROOT/dispatcher/dashboard/vendor" "$DIR/before/dispatcher/dashboard/vendor"

# The demo configuration up to its notifications section (no SMS gateway).
awk '/^notifications:/ {exit} {print}' "$ROOT/deploy/demo/dispatcher.yaml" >"$DIR/dispatcher.yaml"
sed -i 's|tcp://127.0.0.1:710[0-9]|tcp://127.0.0.1:*|; s|^  json_file: .*|  json_file: logs/dispatcher.jsonl|; s|^  level: info|  level: warn|' "$DIR/dispatcher.yaml"
sed -i "s|^  listen: 127.0.0.1:7104\(.*\)|  listen: 127.0.0.1:0\n  static_dir: $ROOT/dispatcher/dashboard|" "$DIR/dispatcher.yaml"
printf 'users:\n  password_hashing: minimum\n' >>"$DIR/dispatcher.yaml"
cp "$ROOT/deploy/demo/operator.yaml" "$DIR/"
"$ANDING" keygen --out "$DIR/keys/dispatcher.key" --public-out "$DIR/keys/dispatcher.pub" --comment bench >/dev/null
echo "operator bench $("$ANDING" keygen --out "$DIR/keys/operator.key" --comment bench) commander" >"$DIR/keys/enrolled.txt"

start() {
  rm -f "$DIR/data/dispatcher/endpoints.yaml"
  (cd "$DIR" && exec "$DISPATCHER" --config dispatcher.yaml) >"$DIR/logs/dispatcher.out" 2>&1 &
  PID=$!
  for _ in $(seq 600); do
    [[ -s "$DIR/data/dispatcher/endpoints.yaml" ]] && grep -q '^http:' "$DIR/data/dispatcher/endpoints.yaml" && break
    sleep 0.1
  done
  ADDRESS=$(sed -n 's/^http: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$DIR/data/dispatcher/endpoints.yaml")
  [[ -n "$ADDRESS" ]] || { echo "the dispatcher did not start:"; cat "$DIR/logs/dispatcher.out"; exit 1; } >&2
}
stop() {
  kill -TERM "$PID"
  wait "$PID" || true
  PID=""
}

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
start
printf '%s\n' "bench-password-2026" | (cd "$DIR" && "$ANDING" --config operator.yaml user add bench --role commander --password-stdin) >/dev/null
echo "== after (this revision's pages: the board's view, in pages of 2,500), dispatcher at $ADDRESS"
node "$ROOT/bench/dashboard/first_load.mjs" "http://$ADDRESS" bench bench-password-2026 "$COUNT" "$RUNS"
stop

sed -i "s|^  static_dir: .*|  static_dir: $DIR/before/dispatcher/dashboard|" "$DIR/dispatcher.yaml"
start
echo "== before (the pages of $BEFORE_REV: one list_incidents of whole incidents), same data, dispatcher at $ADDRESS"
node "$ROOT/bench/dashboard/first_load.mjs" "http://$ADDRESS" bench bench-password-2026 "$COUNT" "$RUNS"
stop
