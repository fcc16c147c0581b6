#!/usr/bin/env bash
# Runs the libFuzzer targets of a fuzz build (make build-fuzz) for a while each, from their
# seed corpus: the bundled files in data/ and fuzz/seeds/<target>/. A crash, a leak, a
# sanitizer report, a timeout (10 s per input) or running out of memory fails the run; the
# input that did it is left in BUILD/fuzz-artifacts/ (make it a regression test in
# tests/campaign/fuzz_regression_test.cpp, then fix the bug).
#
#   bash fuzz/run.sh BUILD SECONDS [TARGET]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="$(cd "$1" && pwd)"
seconds="$2"
only="${3:-}"
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
shopt -s nullglob

# The bundled files each target reads (beside its own seeds in fuzz/seeds/<target>/).
bundled() {
  case "$1" in
    fuzz_station_loader) echo "$root/data/stations" ;;
    fuzz_scenario_loader) echo "$root/data/scenarios" ;;
    fuzz_campaign_spec) echo "$root/data/campaigns" ;;
  esac
}

# One known leak inside udunits2 is suppressed, and only that one (scripts/lsan.supp).
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# Targets run side by side, one per core (FUZZ_JOBS, default nproc): each still gets its full
# time on a core of its own, and CI waits for the slowest round rather than the sum.
jobs="${FUZZ_JOBS:-$(nproc)}"

# One target: its seeds, its run, its verdict in $build/fuzz-$name.verdict.
fuzz_one() {
  local name="$1" binary="$2"
  local corpus="$build/fuzz-corpus/$name"  # grows run after run; the seeds stay as they are
  mkdir -p "$corpus"
  local seeds=()
  [ -d "$here/seeds/$name" ] && seeds+=("$here/seeds/$name")
  local data
  data="$(bundled "$name")"
  [ -n "$data" ] && seeds+=("$data")
  echo "== $name: ${seconds} s from ${seeds[*]:-an empty corpus}"
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$corpus" "${seeds[@]}" \
       > "$build/fuzz-$name.log" 2>&1; then
    { echo "== $name done"
      tail -n 12 "$build/fuzz-$name.log" | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' || true
    }
    echo ok > "$build/fuzz-$name.verdict"
  else
    local inputs=("$artifacts/$name-"*)
    { echo "fuzz: $name FAILED; log: $build/fuzz-$name.log; input: ${inputs[*]:-none written}"
      tail -n 40 "$build/fuzz-$name.log"
    } >&2
    echo failed > "$build/fuzz-$name.verdict"
  fi
}

failed=()
names=()
running=0
for source in "$here"/fuzz_*.cpp; do
  name="$(basename "$source" .cpp)"
  [ -z "$only" ] || [ "$only" = "$name" ] || continue
  binary="$(find "$build" -type f -name "$name" -perm -u+x | head -n 1)"
  if [ -z "$binary" ]; then
    echo "fuzz: $name is not built in $build" >&2
    failed+=("$name (not built)")
    continue
  fi
  rm -f "$build/fuzz-$name.verdict"
  names+=("$name")
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$name" "$binary" &
  running=$((running + 1))
done
wait
for name in "${names[@]}"; do
  [ "$(cat "$build/fuzz-$name.verdict" 2>/dev/null)" = ok ] || failed+=("$name")
done
ran=${#names[@]}
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
[ "$ran" -gt 0 ] || { echo "fuzz: no target matched '${only}'" >&2; exit 1; }
echo "fuzz: $ran target(s), ${seconds} s each, $jobs at a time, no failure"
