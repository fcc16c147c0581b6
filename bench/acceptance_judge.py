#!/usr/bin/env python3
"""Every figure of the acceptance specs beside its target (issue 13, 18, 20), met or missed.

    python3 bench/acceptance_judge.py OUT_DIR [RUNS_SCALE]

Reads OUT_DIR/<spec>.json (`leakhunt campaign --json`), written by bench/acceptance.sh. Only the
standard library. A figure that a run could not produce (no estimate, nothing decided) is shown
as n/a and counts as missed.
"""
import json
import math
import os
import sys

out = sys.argv[1]
scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
rows = []  # (group, figure, measured text, target text, verdict)


def load(name):
    path = os.path.join(out, name + '.json')
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def wilson_lower(k, n, z=1.959964):
    if n == 0:
        return float('nan')
    p = k / n
    d = 1 + z * z / n
    c = p + z * z / (2 * n)
    r = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (c - r) / d


def ok(v):
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def judge(group, figure, value, target, test, shown=None):
    met = ok(value) and test(value)
    rows.append((group, figure, shown if shown is not None else fmt(value), target,
                 'met' if met else 'MISSED'))


def fmt(v, unit=''):
    if not ok(v):
        return 'n/a'
    if isinstance(v, int):
        return f'{v}{unit}'
    return f'{v:.3g}{unit}'


def pct(v):
    return 'n/a' if not ok(v) else f'{100 * v:.1f} %'


def minutes(s):
    return 'n/a (missed)' if not ok(s) else f'{s / 60:.1f} min'


def not_run(group, what):
    rows.append((group, what, 'not run', '', 'MISSED'))


def coverage(group, size, min_runs):
    runs = size['runs'] - size['failed']
    judge(group, f"{size['size']}: runs", runs, f'>= {min_runs}', lambda v: v >= min_runs)
    est, cov = size['estimated'], size['interval95_covers']
    c = cov / est if est else float('nan')
    judge(group, f"{size['size']}: 95 % interval covers (of {est} estimated, {runs} runs)", c,
          '93-97 %', lambda v: 0.93 <= v <= 0.97, pct(c) if est else 'n/a')


def false_alarms(group, doc, rate_max, upper_max=None, years_min=None):
    fa = doc['false_alarms']
    judge(group, f"false alarms per segment-year ({fa['alarms']} in {fa['segment_years']:.3f})",
          fa['per_segment_year'] if fa['segment_years'] > 0 else None, f'<= {rate_max}',
          lambda v: v <= rate_max)
    if upper_max is not None:
        judge(group, 'false alarms, 95 % upper bound', fa['per_segment_year_upper95'],
              f'<= {upper_max}', lambda v: v <= upper_max)
    if years_min is not None:
        judge(group, 'segment-years measured', fa['segment_years'], f'>= {years_min}',
              lambda v: v >= years_min)
    # Not judged: where the statistic's tail goes below the threshold, so a count can be told
    # from a draw (docs/detection.md, "Excursions"). Journals before them have none.
    ex = fa.get('excursions')
    if ex:
        rows.append((group, 'upcrossings of z (K_eff): ' + ', '.join(
            f"{e['z']:.1f}: {e['upcrossings']} ({e['effective_tests']:.2g})" for e in ex),
            '', 'for reading', ''))


# ISS 2018: false alarms
g = 'ISS 2018 false alarms'
d = load('iss-2018-false-alarms')
if d:
    false_alarms(g, d, 1.0, 2.5, 5.0)
else:
    not_run(g, 'iss-2018-false-alarms')

# ISS 2018: 2 mm
g = 'ISS 2018 2 mm'
d = load('iss-2018-2mm')
if d:
    s = d['sizes'][0]
    coverage(g, s, 150)
    judge(g, 'median delay / full-model oracle delay '
          f"({minutes(s['delay_p50_s'])} / {minutes(s['oracle_full_delay_s'])})",
          s['median_delay_over_oracle_full'] or None, '<= 1.5', lambda v: v <= 1.5)
    judge(g, 'p99 delay, 20 % opening during a repress', s['delay_p99_s'], '<= 20 min',
          lambda v: v <= 1200, minutes(s['delay_p99_s']))
    judge(g, f"rate spread / full-model CRB ({fmt(s['rate_spread_kg_s'])} / "
          f"{fmt(s['crb_full_sigma_kg_s'])} kg/s)", s['spread_over_crb_full'] or None, '<= 1.3',
          lambda v: v <= 1.3)
    rows.append((g, 'for reference: spread / white CRB, median / white t*',
                 f"{s['spread_over_crb']:.3g}, {s['median_delay_over_oracle']:.3g}", '', ''))
else:
    not_run(g, 'iss-2018-2mm')

g = 'ISS 2018 1 mm'
d = load('iss-2018-1mm')
if d:
    coverage(g, d['sizes'][0], 100)
else:
    not_run(g, 'iss-2018-1mm')

g = 'ISS 2018 1.4 kg/day'
d = load('iss-2018-slow')
if d:
    s = d['sizes'][0]
    coverage(g, s, 60)
    runs = s['runs'] - s['failed']
    judge(g, 'found in every run', s['detected'], f'{runs}/{runs}', lambda v: v == runs and runs > 0,
          f"{s['detected']}/{runs}")
    judge(g, 'median delay', s['delay_p50_s'], '<= 10 h', lambda v: v <= 36000,
          'n/a (missed)' if not ok(s['delay_p50_s']) else f"{s['delay_p50_s'] / 3600:.2f} h")
else:
    not_run(g, 'iss-2018-slow')


def localisation(name, group, min_runs, min_correct, wilson_min=None, p50_max_s=None,
                 p50_label=''):
    d = load(name)
    if not d:
        not_run(group, name)
        return
    for s in d['summary']:
        if s['strategy'] != 'information':
            continue
        n, k = s['runs'], s['correct']
        judge(group, f"{s['size']}: drills", n, f'>= {min_runs}', lambda v: v >= min_runs)
        frac = k / n if n else float('nan')
        judge(group, f"{s['size']}: correct ({k}/{n})", frac, f'>= {100 * min_correct:.0f} %',
              lambda v: v >= min_correct, pct(frac))
        if wilson_min is not None:
            w = wilson_lower(k, n)
            judge(group, f"{s['size']}: Wilson 95 % lower bound of correct", w,
                  f'>= {100 * wilson_min:.0f} %', lambda v: v >= wilson_min, pct(w))
        if p50_max_s is not None:
            p = s['time_to_module_p50_s']
            judge(group, f"{s['size']}: median time from alarm to module", p, p50_label,
                  lambda v: v <= p50_max_s,
                  'n/a (not localised)' if not ok(p) else f'{p / 3600:.2f} h')


localisation('iss-2018-locate-2mm', 'Localisation 2 mm', 400, 0.99, 0.98, 3600, '<= 1 h')
localisation('iss-2018-locate-slow', 'Localisation 1.4 kg/day', 60, 0.95, None, 2 * 86400,
             '<= 2 days')
localisation('iss-2018-locate-two', 'Localisation two 2 mm', 40, 0.95)

g = 'Outpost-6 (second station)'
quiet, busy = load('outpost-6-quiet'), load('outpost-6-busy')
for name, doc in (('without represses or crew moves', quiet), ('with represses and crew moves', busy)):
    if doc:
        false_alarms(g + ', ' + name, doc, 1.0)
    else:
        not_run(g, name)
if quiet and busy:
    years = quiet['false_alarms']['segment_years'] + busy['false_alarms']['segment_years']
    alarms = quiet['false_alarms']['alarms'] + busy['false_alarms']['alarms']
    judge(g, f'false alarms per segment-year, both ({alarms} in {years:.3f})',
          alarms / years if years > 0 else None, '<= 1.0', lambda v: v <= 1.0)
    judge(g, 'segment-years measured, both', years, '>= 5', lambda v: v >= 5)
d = load('outpost-6-coverage')
if d:
    for s, n in zip(d['sizes'], (150, 100, 60)):
        coverage(g + ' coverage', s, n)
else:
    not_run(g, 'outpost-6-coverage')

g = 'Big leaks (issue 20)'
d = load('big-leaks')
if d:
    for s in d['sizes']:
        a = s.get('after_alarm')
        if a is None:
            not_run(g, s['size'] + ': after-alarm scoring')
            continue
        blocks = a['blocks']
        n0 = blocks[0]['runs'] if blocks and blocks[0]['after_alarm_s'] == 0 else 0
        lbl = f"{s['size']} ({s['detected']}/{s['runs'] - s['failed']} found, {n0} scored)"
        judge(g, lbl + ': interval covers at the alarm', a['interval95_cover_at_alarm'], '>= 93 %',
              lambda v: v >= 0.93, pct(a['interval95_cover_at_alarm']))
        w = a['interval95_cover_worst_block']
        judge(g, f"{s['size']}: interval covers, worst block after it "
              f"(+{fmt((a['interval95_cover_worst_after_alarm_s'] or 0) / 60)} min)", w,
              '>= 93 %', lambda v: v >= 0.93, pct(w))
        decided = blocks[0]['reserve_decided'] if n0 else 0
        r0 = a['reserve_low_above_truth_at_alarm']
        judge(g, f"{s['size']}: reserve lower bound above the truth at the alarm "
              f"({decided} of {n0} decided)", r0, '<= 2.5 %', lambda v: v <= 0.025, pct(r0))
        rw = a['reserve_low_above_truth_worst_block']
        judge(g, f"{s['size']}: reserve lower bound above the truth, worst block", rw,
              '<= 2.5 %', lambda v: v <= 0.025, pct(rw))
else:
    not_run(g, 'big-leaks')

rows.append(('36-day demo story', 'no false alarm', 'not run by this bench',
             'tests/story (the stories work)', ''))

detectors = sorted({doc.get('detector', '?') for doc in
                    (load(os.path.splitext(f)[0]) for f in os.listdir(out) if f.endswith('.json'))
                    if doc and 'detector' in doc})
print('detector judged (from the campaigns\' JSON): ' + (', '.join(detectors) or 'none run'))
width = max(len(r[1]) for r in rows)
group = None
met = sum(1 for r in rows if r[4] == 'met')
judged = sum(1 for r in rows if r[4] in ('met', 'MISSED'))
print(f"{'figure':<{width + 2}} {'measured':>22}  {'target':<18} verdict")
for r in rows:
    if r[0] != group:
        group = r[0]
        print(f'-- {group}')
    print(f'  {r[1]:<{width}} {r[2]:>22}  {r[3]:<18} {r[4]}')
print(f'\n{met} of {judged} figures met' +
      (f' (REDUCED RUN x {scale}: judges nothing)' if scale < 1 else ''))
