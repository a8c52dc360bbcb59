#!/usr/bin/env bash
# bench/link/steal.sh BUILD_DIR [ROUNDS]: is the ack latency on the disk the
# dispatcher's, or the machine's?
#
# 1. The dispatcher runs with its data on tmpfs (no disk at all, 1 agent,
#    5,000 events/s offered, open loop), first alone and then while another
#    process (link_bench --mode fsync) writes 24 KiB and fdatasyncs on the
#    real disk, 2,000 and then 500 times a second, about what the
#    dispatcher's own commits do at that rate without and with its 1 ms
#    commit interval; then while it writes 24 KiB 1,000 times a second
#    through O_DIRECT | O_DSYNC (no page cache, no fdatasync). The load runs
#    alone too. If the tmpfs dispatcher's p99 and the steal time rise with
#    another process's syncs, the disk's syncs cost this machine's CPUs
#    time (on a virtual machine: the host's I/O work for a sync takes the
#    guest's vCPUs), whoever issues them and however.
# 2. Which programs does it hit? link_bench --mode wakeups (threads that
#    wake every 200 µs and compute, no disk, no ZeroMQ) next to 1,000 syncs
#    a second: one thread busy 90 % of the time (one vCPU), then two threads
#    busy 50 % each (the same work over both vCPUs).
# 3. The dispatcher on the disk at 5,000 events/s, as run.sh runs it, and
#    then with the dispatcher and the load generator both confined to the
#    first CPU (taskset -c 0), leaving the other to the host's I/O work; and
#    on that CPU, for what the work itself costs: the raw ZeroMQ ceiling
#    (CURVE, an ack per envelope, no storage) and the tmpfs dispatcher.
set -euo pipefail
BUILD="${1:?usage: bench/link/steal.sh BUILD_DIR [ROUNDS]}"
ROUNDS="${2:-1}"
source "$(dirname "$0")/lib.sh"
link_bench_setup "$BUILD" steal-bench

dispatcher_5000() {  # dispatcher_5000 DATA_DIR [taskset CPUS]
  local dir="$1"
  shift
  rm -rf "$dir"
  "$@" "$BENCH" --dispatcher "$DISPATCHER" --mode dispatcher --agents 1 --events 50000 \
    --rate 5000 --dir "$dir" | tail -1
}
fsync_load() {  # fsync_load SYNCS_PER_S SECONDS [--direct]
  local rate="$1" seconds="$2"
  shift 2
  "$BENCH" --mode fsync --rate "$rate" --kib 24 --seconds "$seconds" --dir "$WORK/load" "$@"
}
next_to_load() {  # next_to_load "LOAD ARGS" COMMAND...: runs COMMAND while the load runs
  # The load outlasts the command's run (about 11 s with start-up).
  fsync_load $1 > "$WORK/load.out" &
  local load=$!
  shift
  echo "$("$@")"
  wait "$load"
  echo "  the load meanwhile: $(cat "$WORK/load.out")"
}
wakeups() { "$BENCH" --mode wakeups --seconds 6 "$@"; }

for ((round = 1; round <= ROUNDS; ++round)); do
  echo "# round $round"
  echo "tmpfs dispatcher alone: $(dispatcher_5000 "$SHM/run")"
  for syncs in 2000 500; do
    echo "load alone: $(fsync_load "$syncs" 10)"
    echo -n "tmpfs dispatcher with $syncs syncs/s elsewhere: "
    next_to_load "$syncs 14" dispatcher_5000 "$SHM/run"
  done
  echo "direct load alone: $(fsync_load 1000 10 --direct)"
  echo -n "tmpfs dispatcher with 1000 O_DIRECT|O_DSYNC writes/s elsewhere: "
  next_to_load "1000 14 --direct" dispatcher_5000 "$SHM/run"

  for shape in "--threads 1 --duty 90" "--threads 2 --duty 50"; do
    echo "wakeups alone: $(wakeups $shape)"
    echo -n "wakeups with 1000 syncs/s elsewhere: "
    next_to_load "1000 8" wakeups $shape
  done

  echo "disk dispatcher on both CPUs: $(dispatcher_5000 "$WORK/run")"
  echo "disk dispatcher and load generator on CPU 0: $(dispatcher_5000 "$WORK/run" taskset -c 0)"
  echo "raw ZeroMQ on CPU 0: $(taskset -c 0 "$BENCH" --mode raw --agents 1 --events 50000 \
    --rate 5000 --dir "$SHM/raw" | tail -1)"
  echo "tmpfs dispatcher on CPU 0: $(dispatcher_5000 "$SHM/run" taskset -c 0)"
done
