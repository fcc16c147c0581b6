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

failed=()
ran=0
for source in "$here"/fuzz_*.cpp; do
  name="$(basename "$source" .cpp)"
  [ -z "$only" ] || [ "$only" = "$name" ] || continue
  binary="$(find "$build" -type f -name "$name" -perm -u+x | head -n 1)"
  if [ -z "$binary" ]; then
    echo "fuzz: $name is not built in $build" >&2
    failed+=("$name (not built)")
    continue
  fi
  corpus="$build/fuzz-corpus/$name"  # grows run after run; the seeds stay as they are
  mkdir -p "$corpus"
  seeds=()
  [ -d "$here/seeds/$name" ] && seeds+=("$here/seeds/$name")
  data="$(bundled "$name")"
  [ -n "$data" ] && seeds+=("$data")
  echo "== $name: ${seconds} s from ${seeds[*]:-an empty corpus}"
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$corpus" "${seeds[@]}" \
       > "$build/fuzz-$name.log" 2>&1; then
    tail -n 12 "$build/fuzz-$name.log" | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' || true
  else
    echo "fuzz: $name FAILED; log: $build/fuzz-$name.log; input: $(ls -t "$artifacts/$name-"* 2>/dev/null | head -n 1)" >&2
    tail -n 40 "$build/fuzz-$name.log" >&2
    failed+=("$name")
  fi
  ran=$((ran + 1))
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
[ "$ran" -gt 0 ] || { echo "fuzz: no target matched '${only}'" >&2; exit 1; }
echo "fuzz: $ran target(s), ${seconds} s each, no failure"
