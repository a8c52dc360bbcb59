#!/usr/bin/env bash
# Before and after on the same store: a data directory made by run.sh
# (KEEP=1) with the BEFORE build's scale_gen, measured by the BEFORE
# build's scale_probe, then copied and measured by the AFTER build's (after
# an untimed start that upgrades the copy's schema: a new build's first
# start on an old store migrates it and backs it up first).
#
#   bench/scale/compare.sh DIR BEFORE_BUILD AFTER_BUILD [ROUNDS]
#
# ROUNDS (default 1) alternates before and after that many times.
# SAMPLES (default 100) per query and run.
set -euo pipefail
DIR="$1"
BEFORE="$2"
AFTER="$3"
ROUNDS="${4:-1}"
SAMPLES="${SAMPLES:-100}"
[[ -f "$DIR/dispatcher.yaml" ]] || { echo "$DIR: no dispatcher.yaml (made by run.sh with KEEP=1)" >&2; exit 1; }
COPY="$DIR-after"
rm -rf "$COPY"
cp -a "$DIR" "$COPY"
trap 'rm -rf "$COPY"' EXIT
probe() {  # BUILD DIR LABEL
  echo "== $3"
  (cd "$2" && nice "$1/bench/scale/scale_probe" --config dispatcher.yaml --operator operator.yaml \
     --samples "$SAMPLES" 2>"$2/logs/probe.err") ||
    { echo "scale_probe failed:"; grep -v -e ' warning \[' -e ' info \[' "$2/logs/probe.err" | tail -20; }
  grep -o 'state loaded from the store in .*' "$2/logs/probe.err" | sed 's/^/  /' || true
}
(cd "$COPY" && nice "$AFTER/bench/scale/scale_probe" --config dispatcher.yaml --init >/dev/null 2>&1)
for round in $(seq 1 "$ROUNDS"); do
  sync
  probe "$BEFORE" "$DIR" "before (round $round)"
  sync
  probe "$AFTER" "$COPY" "after (round $round)"
done
