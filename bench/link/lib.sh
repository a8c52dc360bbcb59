# Sourced by the link benchmark scripts.
# link_bench_setup BUILD_DIR NAME: the programs of BUILD_DIR (BENCH,
# DISPATCHER) and two scratch directories removed at exit: WORK on the
# checkout's disk (fsync is real) and SHM on tmpfs.
link_bench_setup() {
  BENCH="$1/bench/link/link_bench"
  DISPATCHER="$1/dispatcher/anding-dispatcher"
  WORK="$(mktemp -d "$(dirname "$1")/$2.XXXXXX")"
  SHM="$(mktemp -d "/dev/shm/$2.XXXXXX")"
  trap 'rm -rf "$WORK" "$SHM"' EXIT
}
