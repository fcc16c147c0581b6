// Browser test of the dashboard, the flight director's console: `leakhunt serve` runs a 2 mm
// hole in module-b of the two-module test article (tests/server/two-module-2mm.yaml) at
// --speed 600; Chromium (headless, driven by playwright-core) lands on the overview layout
// (screenshot, not blank), opens a module's pressure plot and sees points arrive; once the
// server reports the leak alarm it sees step 1 in the plan view, clicks Confirm (an operator's
// token), sees the posterior change on the schematic and "Cornered in module-b"; it sees the
// alarm on the events table and the alarm channel; a plan and an operator name full of markup
// show as text, never as elements; and it saves screenshots.
//   node dashboard_test.js LEAKHUNT_BINARY SOURCE_DIR OUTPUT_DIR
// The feed keeps running at --speed 600 whatever the machine's load, so nothing here races
// it: the test asks the server (GET /api/status, /api/plan, /api/events) for the state it needs
// before it looks at the page, and pins the time conductor to fixed bounds around the alarm.
// The simulated crew does a step only once it is confirmed, so the loop waits for the test's
// click, however slow the machine. Every wait has a bound. Any failure leaves failure.png, console.log (every console message and page
// error since the first load) and status.json (the last /api/status) in OUTPUT_DIR.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { chromium } = require('playwright-core');

const [binary, source, out] = process.argv.slice(2);
const VIEWER = 'dashboard-viewer-token-0123456789';
const OPERATOR = 'dashboard-operator-token-01234567';
const ADMIN = 'dashboard-admin-token-0123456789';
const PAGE_MS = 60000;       // bound on each wait for the page
const SERVER_MS = 180000;    // bound on each wait for a server state (the whole feed is ~145 s)
const REQUEST_MS = 15000;    // bound on each HTTP request the test makes itself
const POLL_MS = 250;         // pause between two polls of the server's state
// Markup where the dashboard shows data (style.md 11): an operator's name (64 characters at
// most) becomes the plan's `by` and the alarm's `acknowledged_by`; plan steps are strings or
// objects. Parsed as HTML, each would make one of the elements in INJECTED.
const MARKUP_NAME = '<style></style><form></form><img src=x onerror=1><iframe>';
const MARKUP_STEPS = [
  '<iframe src="/"></iframe>close hatch zvezda-pkhz',
  '<form action="/"><input name="password" placeholder="password"></form>',
  '<style>.leakhunt-view { display: none }</style>',
  '<img src="x" onerror="document.title = \'pwned\'">',
  { action: '<iframe src="/"></iframe>', note: '<b>bold</b>' }
];
const INJECTED = 'iframe, form, style, img, input, b';

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'tokens.txt'), `viewer browser ${VIEWER}\noperator flight ${OPERATOR}\nadmin lead ${ADMIN}\n`);

const consoleLog = []; // what the page said, from its first load
let lastStatus = null; // the last /api/status the test saw
let base = null;

function fail(message) {
  throw new Error(message);
}

// A promise that rejects after `ms` with a message naming what did not happen.
function bounded(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// The server's HTTP API, from the test itself (not the page).
async function api(route, token, body) {
  const init = { headers: { Authorization: 'Bearer ' + token }, signal: AbortSignal.timeout(REQUEST_MS) };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const reply = await fetch(new URL(route, base), init);
  const text = await reply.text();
  if (!reply.ok) fail(`${init.method || 'GET'} ${route}: ${reply.status} ${text}`);
  return JSON.parse(text);
}

// Polls /api/status until `ready` holds for it: the server's own state decides when the page is
// looked at, not how fast this machine happens to be.
async function untilStatus(what, ready) {
  const deadline = Date.now() + SERVER_MS;
  for (;;) {
    lastStatus = await api('/api/status', VIEWER);
    const found = ready(lastStatus);
    if (found) return found;
    if (Date.now() > deadline) fail(`the server did not report ${what} within ${SERVER_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// Polls /api/plan until `ready` holds for it.
async function untilPlan(what, ready) {
  const deadline = Date.now() + SERVER_MS;
  for (;;) {
    const plan = await api('/api/plan', VIEWER);
    const found = ready(plan);
    if (found) return found;
    if (Date.now() > deadline) fail(`the plan did not reach ${what} within ${SERVER_MS / 1000} s: ${JSON.stringify(plan).slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// The share of a screenshot's pixels that differ from its most common colour (the background),
// counted in the page itself (a canvas decodes the PNG): a blank page is close to 0.
async function inkShare(page, png) {
  return page.evaluate(async (b64) => {
    const image = new Image();
    image.src = 'data:image/png;base64,' + b64;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, image.width, image.height).data;
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    const background = Math.max(...counts.values());
    return 1 - background / (data.length / 4);
  }, png.toString('base64'));
}

// Opens a dashboard route (a '#/browse/...' hash without time-conductor parameters) and waits
// until Open MCT has written its time parameters into that same hash. Open MCT writes the hash
// through a 300 ms debounce, with the path it had when the write was asked for: a navigation
// made while such a write is pending is undone when it lands, and the page goes back to the
// previous object (the browser test's old failure: the schematic never showed because the page
// was back on the pressure plot). Waiting for the write on our own path leaves none pending.
async function open(page, route) {
  await page.goto(base + route);
  const routePath = route.split('?')[0];
  await page.waitForFunction((p) => location.hash.split('?')[0] === p && /[?&]tc\.mode=/.test(location.hash), routePath);
}

async function writeFailureReport(page) {
  if (page) {
    await page.screenshot({ path: path.join(out, 'failure.png'), timeout: 20000 })
      .catch((e) => console.error('could not save failure.png: ' + e.message));
  }
  if (base) {
    try {
      lastStatus = await api('/api/status', VIEWER);
    } catch (e) {
      console.error('could not read /api/status for status.json: ' + e.message);
    }
  }
  fs.writeFileSync(path.join(out, 'status.json'), JSON.stringify(lastStatus, null, 2) + '\n');
  console.error(`failure report in ${out}: failure.png, console.log, status.json`);
}

(async () => {
  const server = spawn(binary, ['serve', '--scenario', path.join(source, 'tests/server/two-module-2mm.yaml'),
    '--speed', '600', '--port', '0', '--db', path.join(out, 'run.db'), '--tokens', path.join(out, 'tokens.txt')],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  let browser;
  let page;
  try {
    const line = await bounded(new Promise((resolve, reject) => {
      readline.createInterface({ input: server.stdout }).once('line', resolve);
      server.once('exit', (code) => reject(new Error('serve exited with ' + code)));
      server.once('error', reject); // e.g. the binary is missing
    }), REQUEST_MS, 'serve printing its address');
    base = line.match(/http:\/\/[0-9.]+:\d+\//)[0];
    console.log('server: ' + base);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium', headless: true, timeout: PAGE_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage']
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page.on('console', (m) => {
      consoleLog.push(`${m.type()}: ${m.text()}`);
      if (m.type() === 'error') errors.push(m.text());
      if (m.type() === 'error' || m.type() === 'warning') console.log('browser ' + m.type() + ': ' + m.text().slice(0, 200));
    });
    page.on('pageerror', (e) => {
      consoleLog.push('pageerror: ' + (e.stack || e.message));
      errors.push(e.message);
      console.log('browser pageerror: ' + e.message.slice(0, 200));
    });
    page.on('requestfailed', (r) => consoleLog.push(`requestfailed: ${r.url()} ${r.failure() && r.failure().errorText}`));
    page.on('response', (r) => { if (r.status() >= 400) consoleLog.push(`response: ${r.status()} ${r.url()}`); });
    page.setDefaultTimeout(PAGE_MS);

    // The page holds an operator's token: the flight director confirms steps from it.
    await page.goto(base + '?token=' + OPERATOR, { waitUntil: 'load' });
    const station = await api('/api/station', VIEWER);
    await page.locator('.c-tree__item', { hasText: station.name }).first().waitFor();
    console.log('tree: ' + station.name);

    // The landing page is the overview layout: schematic, leak status, plots, plan, events.
    await page.waitForFunction(() => location.hash.startsWith('#/browse/leakhunt:station/leakhunt:overview'));
    await page.locator('.l-layout .leakhunt-schematic g[data-module]').first().waitFor();
    await page.locator('.l-layout .leakhunt-view', { hasText: 'Leak status' }).first().waitFor();
    await page.locator('.l-layout .leakhunt-view', { hasText: 'Isolation plan' }).first().waitFor();
    const frames = await page.locator('.l-layout .c-frame, .l-layout .l-layout__frame').count();
    if (frames < 6) fail(`the overview layout shows ${frames} frames, expected 7`);
    const landing = await page.screenshot({ path: path.join(out, 'landing.png') });
    const ink = await inkShare(page, landing);
    if (!(ink > 0.05)) fail(`the landing page looks blank: ${(100 * ink).toFixed(1)} % of pixels differ from the background`);
    console.log(`landing: overview layout, ${frames} frames, ${(100 * ink).toFixed(1)} % of pixels not background`);

    // A module's pressure plot, by deep link through the tree path.
    const plot = '#/browse/leakhunt:station/leakhunt:segment.segment-1/leakhunt:module.module-b/' +
      'leakhunt:module-b.pressure?view=plot-single';
    await open(page, plot);
    await page.waitForSelector('.gl-plot canvas, .c-plot canvas');
    // Points arrive: the plot's own subscription path, counted through the same provider.
    const arrived = await bounded(page.evaluate(() => new Promise((resolve) => {
      openmct.objects.get({ namespace: 'leakhunt', key: 'module-b.pressure' }).then((o) => {
        const seen = [];
        const stop = openmct.telemetry.subscribe(o, (d) => {
          seen.push(d.timestamp);
          if (seen.length >= 20) { stop(); resolve(seen); }
        });
      });
    })), PAGE_MS, '20 realtime pressure points reaching the page');
    if (!(arrived.length >= 20 && arrived[19] > arrived[0])) fail('pressure points did not arrive in time order');
    console.log(`plot: ${arrived.length} realtime points, ${new Date(arrived[0]).toISOString()} .. ${new Date(arrived[19]).toISOString()}`);
    await page.waitForFunction(() => document.querySelectorAll('.c-plot-legend .plot-series-value, .c-plot-legend__item').length > 0);
    await page.screenshot({ path: path.join(out, 'pressure-plot.png') });

    // The alarm, then the plan's first step, from the server; then the page.
    const alarm = await untilStatus('a leak alarm', (s) => (s.alarms || [])[0]);
    console.log(`server: leak alarm ${alarm.id} at ${new Date(alarm.alarm_time_ms).toISOString()}, segment ${alarm.segment.join(', ')}`);
    const first = await untilPlan('a proposed step', (p) => p.status === 'planning' && p.steps.length && p.steps[0]);
    await open(page, '#/browse/leakhunt:station/leakhunt:plan');
    const stepCard = page.locator(`.leakhunt-view .step[data-step="${first.step}"]`);
    await stepCard.locator('h3', { hasText: `Step ${first.step + 1}` }).waitFor();
    const cardText = await stepCard.textContent();
    for (const o of first.operations) if (!cardText.includes(o.text)) fail(`the plan view does not show the operation "${o.text}"`);
    for (const want of ['dwell', 'If losing', 'Why it is safe', 'pressure margin']) {
      if (!cardText.toLowerCase().includes(want.toLowerCase())) fail(`the plan view's step does not say "${want}"`);
    }
    await page.locator('.leakhunt-view .alarm', { hasText: 'Leak alarm' }).first().waitFor();
    await page.screenshot({ path: path.join(out, 'plan-step.png') });
    console.log(`plan view: step ${first.step + 1}: ${first.operations.map((o) => o.text).join('; ')}; dwell ${first.dwell_s} s`);
    const prior = (await api('/api/plan', VIEWER)).posterior;

    // Confirm each step by clicking until the hole is cornered (the crew does only what is
    // confirmed). The first click must be step 1's.
    const deadline = Date.now() + SERVER_MS;
    let clicks = 0;
    for (;;) {
      const plan = await api('/api/plan', VIEWER);
      if (plan.status === 'cornered' || plan.status === 'no-safe-test') break;
      if (Date.now() > deadline) fail(`not cornered within ${SERVER_MS / 1000} s: ${JSON.stringify(plan).slice(0, 400)}`);
      const step = plan.steps[0];
      if (step && step.state === 'proposed') {
        const button = page.locator(`.leakhunt-view .step[data-step="${step.step}"] button.confirm`);
        await button.waitFor();
        if (await button.isEnabled()) {
          await button.click();
          await page.locator('.leakhunt-view .message', { hasText: `Step ${step.step + 1} confirmed by flight` }).waitFor();
          console.log(`plan view: clicked Confirm on step ${step.step + 1}`);
          ++clicks;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const done = await api('/api/plan', VIEWER);
    if (done.status !== 'cornered') fail(`the plan ended ${done.status}: ${JSON.stringify(done).slice(0, 400)}`);
    if (done.localized_module !== 'module-b') fail(`cornered in ${done.localized_module}, the hole is in module-b`);
    if (clicks < 1) fail('no step was confirmed by a click');
    const audit = await api(`/api/events?start=0&end=${Date.now() + 1e11}`, VIEWER);
    console.log(`server: cornered in ${done.localized_module} after ${clicks} confirmed step(s); ${audit.length} events`);

    // The schematic shows it: the posterior changed from the prior, module-b holds the most,
    // the closed hatch is drawn closed, and the verdict line names module-b.
    await open(page, '#/browse/leakhunt:station/leakhunt:schematic');
    await page.locator('.leakhunt-view .verdict.cornered', { hasText: 'Cornered in module-b' }).waitFor();
    const shownP = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.leakhunt-schematic g[data-module]')]
      .map((g) => [g.getAttribute('data-module'), Number(g.getAttribute('data-probability'))])));
    if (!(Math.abs(shownP['module-b'] - prior['module-b']) > 0.05)) fail(`the schematic's posterior did not change: prior ${JSON.stringify(prior)}, shown ${JSON.stringify(shownP)}`);
    if (!(shownP['module-b'] > shownP['module-a'])) fail('the schematic does not show module-b as the likeliest: ' + JSON.stringify(shownP));
    const pressureLabels = await page.locator('.leakhunt-schematic g[data-module] text', { hasText: 'mmHg' }).count();
    if (pressureLabels < 2) fail(`the schematic shows ${pressureLabels} live module pressures, expected 2`);
    await page.screenshot({ path: path.join(out, 'schematic.png') });
    console.log(`schematic: Cornered in module-b; posterior ${JSON.stringify(prior)} -> ${JSON.stringify(shownP)}`);

    // The alarm on the events table and the alarm channel, with the time conductor fixed
    // around it: what they must show no longer depends on how far the feed has run.
    const around = { start: Math.floor(alarm.alarm_time_ms - 3600e3), end: Math.ceil(alarm.alarm_time_ms + 3600e3) };
    await page.evaluate((bounds) => openmct.time.setMode('fixed', bounds), around);
    // The same debounced hash write carries the new bounds: let it land before navigating.
    await page.waitForFunction((b) => location.hash.includes('tc.startBound=' + b.start) && location.hash.includes('tc.endBound=' + b.end), around);
    await open(page, '#/browse/leakhunt:station/leakhunt:events?view=table');
    const bounds = await page.evaluate(() => openmct.time.getBounds());
    if (bounds.start !== around.start || bounds.end !== around.end) fail('the time conductor is not fixed around the alarm: ' + JSON.stringify(bounds));
    const alarmRow = page.locator('.c-telemetry-table__body tr', { hasText: 'leak alarm' }).first();
    await alarmRow.waitFor();
    console.log('events: ' + (await alarmRow.textContent()).replace(/\s+/g, ' ').trim().slice(0, 160));
    await open(page, '#/browse/leakhunt:station/leakhunt:detection/leakhunt:leakhunt.leak_alarm?view=table');
    await page.locator('.c-telemetry-table__body td[class*="is-limit--red"]', { hasText: 'LEAK' }).first().waitFor();
    console.log('alarm channel: LEAK with red limit colouring');
    await open(page, '#/browse/leakhunt:station/leakhunt:schematic');
    await page.locator('.leakhunt-view .alarm', { hasText: `Leak alarm ${alarm.id}` }).first().waitFor();
    await open(page, '#/browse/leakhunt:station/leakhunt:plan');
    await page.locator('.leakhunt-view .verdict', { hasText: 'Cornered in module-b' }).first().waitFor();

    // Markup in data stays text: an operator publishes a plan of markup steps and acknowledges
    // the alarm. The server no longer lets a token be named in markup (token names are
    // [A-Za-z0-9._-]), so the name reaches the views the way a forged or older server would
    // send it: the plan's `by` and the alarm's `acknowledged_by` are rewritten in the responses.
    const refused = await fetch(new URL('/api/tokens', base), {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: MARKUP_NAME, role: 'operator' }),
      signal: AbortSignal.timeout(REQUEST_MS),
    });
    if (refused.status !== 400) fail(`a token named in markup was not refused: HTTP ${refused.status}`);
    const operator = await api('/api/tokens', ADMIN, { name: 'ops-markup', role: 'operator' });
    await api('/api/plan', operator.token, { steps: MARKUP_STEPS });
    await api('/api/actions', operator.token, { kind: 'ack', alarm: alarm.id });
    await untilStatus('the alarm acknowledged', (s) => s.alarms[alarm.id - 1].acknowledged);
    const rewrite = (url, edit) =>
      page.route(url, async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        edit(body);
        await route.fulfill({ response, json: body });
      });
    await rewrite('**/api/plan', (p) => { if (p.outside) p.outside.by = MARKUP_NAME; });
    await rewrite('**/api/status', (s) => {
      for (const a of s.alarms || []) if (a.acknowledged) a.acknowledged_by = MARKUP_NAME;
    });
    // First the view has the plan (whatever it made of it), then nothing in it is an element made
    // from data, then each string reads as written.
    await page.waitForFunction(() => {
      const view = document.querySelector('.leakhunt-view');
      return view && /Plan from an outside program/.test(view.textContent);
    });
    const planInjected = await page.locator('.leakhunt-view').locator(INJECTED).count();
    if (planInjected) fail(`the plan view made ${planInjected} element(s) from data (${INJECTED})`);
    const shown = await page.locator('.leakhunt-view ol.outside-steps li').allTextContents();
    const expected = MARKUP_STEPS.map((s) => (typeof s === 'string' ? s : JSON.stringify(s)));
    if (JSON.stringify(shown) !== JSON.stringify(expected)) fail('plan steps not shown as written: ' + JSON.stringify(shown));
    await page.locator('.leakhunt-view .outside-by', { hasText: 'from ' + MARKUP_NAME }).first().waitFor();
    await page.screenshot({ path: path.join(out, 'plan.png') });
    console.log('plan view: markup in steps and by shown as text');
    await open(page, '#/browse/leakhunt:station/leakhunt:schematic');
    await page.locator('.leakhunt-view .alarm', { hasText: `(acknowledged by ${MARKUP_NAME})` }).first().waitFor();
    const schematicInjected = await page.locator('.leakhunt-view').locator(INJECTED).count();
    if (schematicInjected) fail(`the schematic made ${schematicInjected} element(s) from data (${INJECTED})`);
    console.log('schematic: markup in acknowledged_by shown as text');

    // A failed request says so on the view instead of leaving it blank or silently stale, and
    // the view recovers once the server answers again.
    await page.route('**/api/status', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"test"}' }));
    const error = page.locator('.leakhunt-view .error', { hasText: '/api/status: 503' });
    await error.waitFor();
    await page.unroute('**/api/status');
    await error.waitFor({ state: 'hidden' });
    console.log('schematic: says when /api/status fails, and recovers');
    const expected503 = /leakhunt: .*\/api\/status: 503/;

    const serious = errors.filter((e) => !expected503.test(e)).filter((e) => !/favicon|ERR_ABORTED|AbortError|Failed to load resource/.test(e));
    if (serious.length) fail('console errors: ' + serious.join(' | '));
    console.log('screenshots in ' + out);
  } catch (e) {
    console.error('FAIL: ' + (e.stack || e.message));
    process.exitCode = 1;
    await writeFailureReport(page);
  } finally {
    fs.writeFileSync(path.join(out, 'console.log'), consoleLog.join('\n') + '\n');
    if (browser) await browser.close();
    server.kill('SIGTERM');
  }
})();
