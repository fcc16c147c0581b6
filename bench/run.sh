#!/usr/bin/env bash
# The speed benchmarks of issue 2 ("Speed"); `make bench` runs this. Not tests: nothing here
# asserts on time. Every figure is printed beside a peer measured in the same process or script.
#
#   bash bench/run.sh [BUILD_DIR]       (default: build)
#   MC_BUDGET_S=60      seconds for the 2-thread Monte Carlo phase (the 1-thread peer then runs
#                       the same runs, about twice as long)
#   SCIPY_BUDGET_S=600  seconds the SciPy reference may take; it stops at whole days and the
#                       comparison is made on the days it ran (labelled)
#   DAYS=30             days of the SciPy comparison
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="$(cd "${1:-build}" && pwd)"
out="$build/bench-out"
mkdir -p "$out"
python="${PYTHON:-/usr/bin/python3}"
"$python" -c 'import scipy' 2>/dev/null || python=python3
days="${DAYS:-30}"
leakhunt="$build/apps/leakhunt/leakhunt"
for b in "$leakhunt" "$build/bench/bench_simulate" "$build/bench/bench_montecarlo" \
         "$build/bench/bench_pressure_run"; do
  [ -x "$b" ] || { echo "run.sh: $b is missing: make bench builds it (cmake --build BUILD --target benchmarks, with -DLEAKHUNT_BENCH=ON)" >&2; exit 2; }
done
scenario="$here/iss-2018-hole.yaml"

echo "== machine: $(nproc) hardware threads, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== 1. one-day ISS 2018 runs, no output kept (Google Benchmark; peer: full vs reduced)"
"$build/bench/bench_simulate"
echo
echo "== 2. Monte Carlo of one-day runs (peer: the same runs on 1 thread)"
"$build/bench/bench_montecarlo" --runs 10000 --threads 2 --budget-s "${MC_BUDGET_S:-60}"
echo "-- as a campaign runs them: one shared spin-up, rtol 1e-6"
"$build/bench/bench_montecarlo" --runs 10000 --threads 2 --budget-s "${MC_BUDGET_S_SHARED:-120}" \
  --shared-spin-up 1 --rtol 1e-6 --target-runs-s 500
echo
echo "== 3. ${days} days at 1 Hz output of every module pressure: leakhunt vs SciPy solve_ivp BDF"
"$leakhunt" export-network "$scenario" -o "$out/network.json"
"$python" "$here/scipy_reference.py" run "$out/network.json" --days "$days" \
  --budget-s "${SCIPY_BUDGET_S:-600}" -o "$out/scipy.json"
ran="$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["days"])' "$out/scipy.json")"
reports=()
for solver in full reduced; do
  "$build/bench/bench_pressure_run" --scenario "$scenario" --solver "$solver" --days "$ran" \
    > "$out/leakhunt-$solver.json"
  reports+=("$out/leakhunt-$solver.json")
  "$build/bench/bench_pressure_run" --scenario "$scenario" --solver "$solver" --days "$ran" \
    --no-output 1 > "$out/leakhunt-$solver-no-output.json"
  reports+=("$out/leakhunt-$solver-no-output.json")
  if [ "$ran" != "$days" ] && [ "$ran" != "$days.0" ]; then
    "$build/bench/bench_pressure_run" --scenario "$scenario" --solver "$solver" --days "$days" \
      > "$out/leakhunt-$solver-${days}d.json"
    reports+=("$out/leakhunt-$solver-${days}d.json")
  fi
done
"$python" "$here/scipy_reference.py" report "$out/scipy.json" "${reports[@]}"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows every figure)"
echo "== after the hole (issue 5): 90 days of ISS 1 Hz telemetry through the streaming trend (peer: every sample held first)"
"$build/bench/bench_trend" --days 90 --peer-days 10

# Issue 7: the server (ingest with durability, realtime fan-out, history), each beside its peer.
if [ -x "$build/bench/bench_server" ]; then
  echo "== server: ingest, history and fan-out (peers: bare SQLite; the durable-commit latency)"
  "$build/bench/bench_server"
fi
# Scale (issue 8): synthetic stations of 10 to 10,000 modules, and campaign throughput on 1 and
# 2 threads and MPI ranks.
echo
echo "== 4. scaling: synthetic stations (chain, tree, mesh) through load, simulate and detect"
"$build/bench/bench_scaling" --minutes "${SCALING_MINUTES:-2}"
echo "-- issue 15: one planning step on the chain at 200 and 1,000 modules, against its targets"
"$build/bench/bench_scaling" --sizes 100,200,1000 --topologies chain --minutes 2
echo
echo "== 5. campaign throughput, 1 and 2 threads, 1 and 2 MPI ranks"
bash "$here/campaign_throughput.sh" "$build"
# "One loop, live" part 3: the drill's world continued, beside the same drill re-simulated from
# the settled state at every step.
if [ -x "$build/bench/bench_drill_continue" ]; then
  echo
  echo "== 6. a 10-step slow-leak drill (Zvezda PrK, 1.4 kg/day): continued vs re-simulated"
  "$build/bench/bench_drill_continue" --steps 10 --repeat "${DRILL_REPEAT:-3}"
fi
echo "== issue 20: one loss estimate with the wanders' profile beside the white one (peer: the white profile alone)"
"$build/bench/bench_estimate" --repeats 200
