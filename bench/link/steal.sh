#!/usr/bin/env bash
# bench/link/steal.sh BUILD_DIR [ROUNDS]: is the ack latency on the disk the
# dispatcher's, or the machine's? The dispatcher runs with its data on tmpfs
# (no disk at all, 1 agent, 5,000 events/s offered, open loop), first alone
# and then while another process (link_bench --mode fsync) writes 24 KiB
# and fdatasyncs on the real disk, 2,000 and then 500 times a second,
# about what the dispatcher's own commits do at that rate without and with
# its 1 ms commit interval. The load runs alone too. If the tmpfs
# dispatcher's p99 and the steal time rise with another process's syncs,
# the disk's syncs cost this machine's CPUs time (on a virtual machine: the
# host's I/O work for a sync takes the guest's vCPUs), whoever issues them.
set -euo pipefail
BUILD="${1:?usage: bench/link/steal.sh BUILD_DIR [ROUNDS]}"
ROUNDS="${2:-1}"
source "$(dirname "$0")/lib.sh"
link_bench_setup "$BUILD" steal-bench

tmpfs_dispatcher() {
  "$BENCH" --dispatcher "$DISPATCHER" --mode dispatcher --agents 1 --events 50000 \
    --rate 5000 --dir "$SHM/run" | tail -1
}
fsync_load() {  # fsync_load SYNCS_PER_S SECONDS
  "$BENCH" --mode fsync --rate "$1" --kib 24 --seconds "$2" --dir "$WORK/load"
}

for ((round = 1; round <= ROUNDS; ++round)); do
  echo "# round $round"
  echo "alone: $(tmpfs_dispatcher)"
  for syncs in 2000 500; do
    echo "load alone: $(fsync_load "$syncs" 10)"
    # The load outlasts the dispatcher's run (about 11 s with start-up).
    fsync_load "$syncs" 14 > "$WORK/load.out" &
    load=$!
    echo "with $syncs syncs/s elsewhere: $(tmpfs_dispatcher)"
    wait "$load"
    echo "  the load meanwhile: $(cat "$WORK/load.out")"
  done
done
