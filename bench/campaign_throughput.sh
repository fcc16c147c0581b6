#!/usr/bin/env bash
# Campaign throughput (issue 8): scenarios per second of `leakhunt campaign` on 1 and 2 threads
# and on 1 and 2 MPI ranks (1 thread each), the same runs each time, and the parallel
# efficiency 1 -> 2 (speed-up / 2). The peer of each 2-way figure is its 1-way figure in the
# same run. Not a test: nothing is asserted. The load average is printed beside the figures:
# other work on the machine takes cores from the 2-way runs first.
#
#   bash bench/campaign_throughput.sh [BUILD_DIR] [RUNS]     (default: build, the spec's 24)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "${1:-build}" && pwd)"
runs="${2:-}"
leakhunt="$build/apps/leakhunt/leakhunt"
spec="$here/campaign-throughput.yaml"
[ -x "$leakhunt" ] || { echo "campaign_throughput: $leakhunt is missing" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
extra=()
[ -n "$runs" ] && extra+=(--runs "$runs")

# One configuration: THREADS then the launcher words (none for a plain process). Records
# "scenarios wall_s", wall from before the start to after the exit (MPI start-up and each
# process's spin-up included).
run() {
  local label="$1" threads="$2"; shift 2
  local t0 t1 n wall
  t0="$(date +%s.%N)"
  # THREADS 0: the command's default (the cores of its CPU affinity mask, issue 15).
  local flag=()
  [ "$threads" != 0 ] && flag=(--threads "$threads")
  "$@" "$leakhunt" campaign "$spec" --json --no-journal "${flag[@]}" "${extra[@]}" \
    > "$work/out.json" 2> "$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  t1="$(date +%s.%N)"
  read -r n wall used < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["runs"], float(sys.argv[3]) - float(sys.argv[2]), d["threads"])' \
    "$work/out.json" "$t0" "$t1")
  printf '%-12s %4d scenarios %8.2f s wall %8.3f scenarios/s, %d thread(s) per process   (load average %s)\n' \
    "$label" "$n" "$wall" "$(python3 -c "print($n / $wall)")" "$used" "$(cut -d' ' -f1 /proc/loadavg)"
  echo "$n $wall" > "$work/$label"
}

echo "== campaign throughput: $(nproc) hardware threads; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run "1 thread" 1
run "2 threads" 2
run "1 MPI rank" 1 mpirun --oversubscribe -np 1
run "2 MPI ranks" 1 mpirun --oversubscribe -np 2
# Issue 15: under mpirun a rank is bound to one core; the default threads follow the binding
# (2 threads on one core ran at half speed: 40.0 s against 20.3 s on 2 ranks).
run "1 MPI rank, default threads" 0 mpirun -np 1
efficiency() {
  read -r n1 w1 < "$work/$1"
  read -r n2 w2 < "$work/$2"
  python3 -c "
n1, w1, n2, w2 = $n1, $w1, $n2, $w2
s = (n2 / w2) / (n1 / w1)
print(f'$3: speed-up {s:.3f} on 2, parallel efficiency {100 * s / 2:.1f} % (goal >= 90 %)')"
}
efficiency "1 thread" "2 threads" "threads 1 -> 2"
efficiency "1 MPI rank" "2 MPI ranks" "MPI ranks 1 -> 2"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
