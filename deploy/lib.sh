# Shared by deploy/quickstart and deploy/test. Source it; do not run it.

ANDING_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# anding_build DIR BUILD_TYPE [extra cmake args...]: configure (once) and build.
anding_build() {
  local dir="$1" type="$2"
  shift 2
  cmake -S "$ANDING_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  ninja -C "$dir"
}

# anding_wait_for SECONDS COMMAND...: polls COMMAND until it succeeds or the
# deadline passes (returns 1 then).
anding_wait_for() {
  local seconds="$1"
  shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.1
  done
}
