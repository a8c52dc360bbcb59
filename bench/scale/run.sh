#!/usr/bin/env bash
# A dispatcher with years of history, at several sizes: for each event
# count, a fresh store is filled by scale_gen and measured by scale_probe
# (start-up, recovery after a failed commit, memory, the operator queries).
# The same open state at every size: the same open incidents, about the
# same open 台账 items (one per unit and category at most).
#
#   bench/scale/run.sh [BUILD_DIR] [EVENTS...]
#       e.g. bench/scale/run.sh build-bench 100000 1000000 10000000
#
# Environment: UNITS (extra mines besides the demo's, default 100), YEARS
# (default 5), OPEN_INCIDENTS (default 200), OPEN_AFTERMATH (of those, how
# many are settled and in aftermath; default 0), DAILY_REPORTS (days of
# every unit's daily report before today, default 0), SCREENING_REPORTS
# (days of every unit's screening reports of the periods ending in them,
# default 0), MATTER_EVERY (a petition matter from every this many visits,
# default 0: none), SAMPLES (per query, default
# 200), KEEP=1 keeps the data directories (under /tmp; they are large) for
# bench/scale/compare.sh (before and after on the same store).
#
# The configuration is the demo's (deploy/demo/dispatcher.yaml: its
# organisation, deadline rules, teams and reserve funds) up to its
# notifications section, with UNITS more mines in Hebi, every endpoint on
# 127.0.0.1 with a free port, logging at info.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-build-bench}"
shift || true
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(100000 1000000)
UNITS="${UNITS:-100}"
YEARS="${YEARS:-5}"
OPEN_INCIDENTS="${OPEN_INCIDENTS:-200}"
OPEN_AFTERMATH="${OPEN_AFTERMATH:-0}"
DAILY_REPORTS="${DAILY_REPORTS:-0}"
SCREENING_REPORTS="${SCREENING_REPORTS:-0}"
MATTER_EVERY="${MATTER_EVERY:-0}"
SAMPLES="${SAMPLES:-200}"
GEN="$BUILD/bench/scale/scale_gen"
PROBE="$BUILD/bench/scale/scale_probe"
ANDING="$BUILD/dispatcher/cli/anding"
for binary in "$GEN" "$PROBE" "$ANDING"; do
  [[ -x "$binary" ]] || { echo "missing $binary: ninja -C $BUILD scale_gen scale_probe anding" >&2; exit 1; }
done

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git -C "$ROOT" rev-parse --short HEAD)"
for EVENTS in "${SIZES[@]}"; do
  DIR="$(mktemp -d /tmp/anding-scale.XXXXXX)"
  mkdir -p "$DIR/keys" "$DIR/logs"
  awk '/^notifications:/ {exit} {print}' "$ROOT/deploy/demo/dispatcher.yaml" >"$DIR/dispatcher.yaml"
  sed -i 's|tcp://127.0.0.1:710[0-9]|tcp://127.0.0.1:*|; s|^  json_file: .*|  json_file: logs/dispatcher.jsonl|; s|^  level: info|  level: info|; s|^  listen: 127.0.0.1:7104|  listen: 127.0.0.1:0|' "$DIR/dispatcher.yaml"
  # UNITS more mines, after the demo's units.
  extra="$DIR/units.yaml"
  : >"$extra"
  for i in $(seq 1 "$UNITS"); do
    printf '  - {id: mine-g%03d, name: 矿%03d, kind: mine, region: hebi, location: {lat: 35.8, lon: 114.2},\n     leaders: [{name: 矿长%03d, phone: "+86138%08d", title: 矿长}]}\n' "$i" "$i" "$i" "$i" >>"$extra"
  done
  sed -i "/^# ---- incidents:/e cat $extra" "$DIR/dispatcher.yaml"
  printf 'users:\n  password_hashing: minimum\n' >>"$DIR/dispatcher.yaml"
  cp "$ROOT/deploy/demo/operator.yaml" "$DIR/"
  "$ANDING" keygen --out "$DIR/keys/dispatcher.key" --public-out "$DIR/keys/dispatcher.pub" --comment bench >/dev/null
  echo "operator bench $("$ANDING" keygen --out "$DIR/keys/operator.key" --comment bench) commander" >"$DIR/keys/enrolled.txt"

  echo "== $EVENTS events, $YEARS years, $((UNITS + 4)) reporting units, $OPEN_INCIDENTS open incidents ($OPEN_AFTERMATH in aftermath)"
  (cd "$DIR" && nice "$PROBE" --config dispatcher.yaml --init >/dev/null 2>&1)
  (cd "$DIR" && nice "$GEN" --config dispatcher.yaml --events "$EVENTS" --years "$YEARS" --open-incidents "$OPEN_INCIDENTS" --open-aftermath "$OPEN_AFTERMATH" --daily-reports "$DAILY_REPORTS" --screening-reports "$SCREENING_REPORTS" --matter-every "$MATTER_EVERY")
  # Floors measured on the same store: a raw scan of the events table and
  # one indexed row, in the sqlite3 shell (no dispatcher).
  if command -v sqlite3 >/dev/null; then
    DB="$DIR/data/dispatcher/anding.db"
    echo "db_mib=$(( $(stat -c %s "$DB") / 1048576 ))"
    s=$(date +%s%N); sqlite3 "$DB" 'SELECT COUNT(*) FROM events' >/dev/null; e=$(date +%s%N)
    echo "floor_count_events_ms=$(( (e - s) / 1000000 ))"
    s=$(date +%s%N); sqlite3 "$DB" 'SELECT length(envelope) FROM events ORDER BY id DESC LIMIT 50' >/dev/null; e=$(date +%s%N)
    echo "floor_newest_50_events_ms=$(( (e - s) / 1000000 ))"
  fi
  sync
  (cd "$DIR" && nice "$PROBE" --config dispatcher.yaml --operator operator.yaml --samples "$SAMPLES" 2>"$DIR/logs/probe.err") ||
    { echo "scale_probe failed:"; grep -v -e ' warning \[' -e ' info \[' "$DIR/logs/probe.err" | tail -20; }
  # What each module's load took (the dispatcher's own log line), at the
  # start and after the failed commit.
  grep -o 'state loaded from the store in .*' "$DIR/logs/probe.err" | sed 's/^/  /' || true
  if [[ "${KEEP:-0}" = 1 ]]; then echo "kept $DIR"; else rm -rf "$DIR"; fi
done
