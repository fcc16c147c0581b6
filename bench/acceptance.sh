#!/usr/bin/env bash
# Issue 13's acceptance bench (with issue 18's second station and issue 20's big leaks): runs
# every spec in data/campaigns/acceptance/ and prints every figure beside its target, met or
# missed (bench/acceptance_judge.py). A benchmark, not a test: at full size it takes an hour or
# more on 2 cores, and it is run only after the calibration is frozen (its seeds are the
# acceptance seeds, >= 1,000,000: never look at them while tuning).
#
#   bash bench/acceptance.sh [--build DIR] [--runs-scale F] [--detector slope-change|state-space]
#                            [--threads N] [--only REGEX] [--out DIR] [--dry-seeds]
#
#   --runs-scale F   run round(F x runs) of every kind (at least 1): a quick look. A reduced run
#                    judges nothing (sample-size targets are missed by construction, and the
#                    other figures are noise); the report says so at the top.
#   --detector D     judge this detector: a copy of each campaign spec with `detector: D` (the
#                    specs name none, so by default they judge the default). Localisation specs
#                    run the operations loop's detector and take no override.
#   --dry-seeds      plan seed 9 (scenario seeds 900,001 on, calibration seeds) instead of the
#                    acceptance seeds: to try the bench itself without looking at them.
#   --only REGEX     only the specs whose file name matches.
#   --out DIR        results (default BUILD/acceptance-out/<detector>-x<F>): each spec's JSON,
#                    stderr and campaign journal, and report.txt. Running again with the same
#                    options resumes the campaigns from their journals.
# The load average is printed before and after: every figure of wall time is a loaded one when
# others share the machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="$root/build"
scale=1
detector=default
threads=2
only=.
dry=0
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$(cd "$2" && pwd)"; shift 2 ;;
    --runs-scale) scale="$2"; shift 2 ;;
    --detector) detector="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --dry-seeds) dry=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "acceptance: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$detector" in default|slope-change|state-space) ;; *)
  echo "acceptance: --detector is slope-change or state-space" >&2; exit 2 ;;
esac
python3 -c "import sys; f = float(sys.argv[1]); sys.exit(0 if 0 < f <= 1 else 1)" "$scale" ||
  { echo "acceptance: --runs-scale must be in (0, 1]" >&2; exit 2; }
leakhunt="$build/apps/leakhunt/leakhunt"
[ -x "$leakhunt" ] || { echo "acceptance: $leakhunt is missing (build the leakhunt target)" >&2; exit 2; }
out="${out:-$build/acceptance-out/$detector-x$scale$([ $dry = 1 ] && echo -dry || true)}"
mkdir -p "$out/specs"
exec > >(tee "$out/report.txt") 2>&1

echo "== leakhunt acceptance bench: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (working tree modified)')"
echo "== detector: $detector; runs x $scale; $threads threads; $(nproc) hardware threads"
[ $dry = 1 ] && echo "== DRY SEEDS: plan seed 9 (calibration seeds), not the acceptance seeds: judges nothing"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1 else 1)" "$scale"; then
  echo "== REDUCED RUN (runs x $scale): it judges nothing. Sample sizes fall short of every"
  echo "   target's minimum and the figures are noise; use it to see that the bench runs."
fi
echo

# A copy of a spec: the station path made absolute, the run counts scaled, the detector set.
prepare() {
  python3 - "$1" "$2" "$scale" "$detector" "$dry" <<'PY'
import os, re, sys
src, dst, scale, detector, dry = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
text = open(src).read()
base = os.path.dirname(os.path.abspath(src))
text = re.sub(r'(?m)^station:\s*(\S+)',
              lambda m: 'station: ' + os.path.normpath(os.path.join(base, m.group(1))), text)
text = re.sub(r'\b(runs:\s*)(\d+)',
              lambda m: m.group(1) + str(max(1, round(int(m.group(2)) * scale))), text)
if dry == '1':
    text = re.sub(r'(?m)^seed:\s*\d+', 'seed: 9', text)
localisation = re.search(r'(?m)^kind:\s*localisation', text) is not None
if detector != 'default' and not localisation:
    text = re.sub(r'(?m)^detector:.*\n', '', text) + '\ndetector: ' + detector + '\n'
open(dst, 'w').write(text)
PY
}

status=0
for spec in "$root"/data/campaigns/acceptance/*.yaml; do
  name="$(basename "$spec" .yaml)"
  [[ "$name" =~ $only ]] || continue
  copy="$out/specs/$name.yaml"
  prepare "$spec" "$copy"
  t0="$(date +%s.%N)"
  printf '%-28s ' "$name"
  if nice -n 5 "$leakhunt" campaign "$copy" --json --threads "$threads" \
       --journal "$out/$name.campaign.jsonl" > "$out/$name.json" 2> "$out/$name.err"; then
    t1="$(date +%s.%N)"
    python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):8.0f} s wall   (load average {sys.argv[3]})')" \
      "$t0" "$t1" "$(cut -d' ' -f1 /proc/loadavg)"
  else
    echo "FAILED (exit $?): $(tail -n 3 "$out/$name.err" | tr '\n' ' ')"
    rm -f "$out/$name.json"
    status=1
  fi
done
echo
python3 "$here/acceptance_judge.py" "$out" "$scale"
echo
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== results in $out"
exit $status
