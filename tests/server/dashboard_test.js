// Browser test of the dashboard: `leakhunt serve` runs the 2018 scenario at high speed;
// Chromium (headless, driven by playwright-core) loads the dashboard, opens a module's pressure
// plot and sees points arrive; once the server itself reports the leak alarm it sees the alarm
// on the events table, the alarm channel and the schematic; a plan and an operator name full
// of markup show as text, never as elements; and it saves screenshots.
//   node dashboard_test.js LEAKHUNT_BINARY SOURCE_DIR OUTPUT_DIR
// The feed keeps running at --speed 1000 whatever the machine's load, so nothing here races
// it: the test asks the server (GET /api/status, /api/events) for the state it needs before it
// looks at the page, and pins the time conductor to fixed bounds around the alarm. Every wait
// has a bound. Any failure leaves failure.png, console.log (every console message and page
// error since the first load) and status.json (the last /api/status) in OUTPUT_DIR.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { chromium } = require('playwright-core');

const [binary, source, out] = process.argv.slice(2);
const VIEWER = 'dashboard-viewer-token-0123456789';
const ADMIN = 'dashboard-admin-token-0123456789';
const PAGE_MS = 60000;       // bound on each wait for the page
const SERVER_MS = 180000;    // bound on each wait for a server state (the whole feed is ~260 s)
const REQUEST_MS = 15000;    // bound on each HTTP request the test makes itself
const POLL_MS = 250;         // pause between two polls of the server's state
// Markup where the dashboard shows data (style.md 11): an operator's name (64 characters at
// most) becomes the plan's `by` and the alarm's `acknowledgedBy`; plan steps are strings or
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
fs.writeFileSync(path.join(out, 'tokens.txt'), `viewer browser ${VIEWER}\nadmin lead ${ADMIN}\n`);

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
  const server = spawn(binary, ['serve', '--scenario', path.join(source, 'data/scenarios/soyuz-ms09-2018.yaml'),
    '--speed', '1000', '--port', '0', '--db', path.join(out, 'run.db'), '--tokens', path.join(out, 'tokens.txt')],
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

    await page.goto(base + '?token=' + VIEWER, { waitUntil: 'load' });
    const station = await api('/api/station', VIEWER);
    await page.locator('.c-tree__item', { hasText: station.name }).first().waitFor();
    console.log('tree: ' + station.name);

    // A module's pressure plot, by deep link through the tree path. The feed runs for ~260 s
    // of wall time, so realtime points keep coming for that long.
    const plot = '#/browse/leakhunt:station/leakhunt:segment.segment-1/leakhunt:module.soyuz-ms09-om/' +
      'leakhunt:soyuz-ms09-om.pressure?view=plot-single';
    await open(page, plot);
    await page.waitForSelector('.gl-plot canvas, .c-plot canvas');
    // Points arrive: the plot's own subscription path, counted through the same provider.
    const arrived = await bounded(page.evaluate(() => new Promise((resolve) => {
      openmct.objects.get({ namespace: 'leakhunt', key: 'soyuz-ms09-om.pressure' }).then((o) => {
        const seen = [];
        const stop = openmct.telemetry.subscribe(o, (d) => {
          seen.push(d.timestamp);
          if (seen.length >= 20) { stop(); resolve(seen); }
        });
      });
    })), PAGE_MS, '20 realtime pressure points reaching the page');
    if (!(arrived.length >= 20 && arrived[19] > arrived[0])) fail('pressure points did not arrive in time order');
    console.log(`plot: ${arrived.length} realtime points, ${new Date(arrived[0]).toISOString()} .. ${new Date(arrived[19]).toISOString()}`);
    const legend = await page.locator('.c-plot-legend, .plot-legend-item').first().textContent();
    console.log('plot legend: ' + legend.replace(/\s+/g, ' ').trim().slice(0, 120));
    await page.waitForFunction(() => document.querySelectorAll('.c-plot-legend .plot-series-value, .c-plot-legend__item').length > 0);
    await page.screenshot({ path: path.join(out, 'pressure-plot.png') });

    // The leak alarm, once the server has raised it and archived its event. The views are then
    // opened with the time conductor fixed around the alarm: what they must show no longer
    // depends on how far the feed has run since.
    const alarm = await untilStatus('a leak alarm', (s) => (s.alarms || [])[0]);
    console.log(`server: leak alarm ${alarm.id} at ${new Date(alarm.time).toISOString()}, segment ${alarm.modules.join(', ')}`);
    const deadline = Date.now() + SERVER_MS;
    while (!(await api(`/api/events?start=${Math.floor(alarm.time - 1000)}&end=${Math.ceil(alarm.time + 1000)}`, VIEWER)).some((e) => /leak alarm/.test(e.message))) {
      if (Date.now() > deadline) fail(`the alarm's event was not archived within ${SERVER_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }

    const around = { start: Math.floor(alarm.time - 3600e3), end: Math.ceil(alarm.time + 3600e3) };
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
    await page.screenshot({ path: path.join(out, 'schematic.png') });
    console.log('schematic: shows leak alarm ' + alarm.id);
    await open(page, '#/browse/leakhunt:station/leakhunt:plan');
    await page.locator('.leakhunt-view', { hasText: 'No plan yet' }).first().waitFor();
    console.log('plan view: says "No plan yet"');

    // Markup in data stays text: an operator publishes a plan of markup steps and acknowledges
    // the alarm. The server no longer lets a token be named in markup (token names are
    // [A-Za-z0-9._-]), so the name reaches the views the way a forged or older server would
    // send it: the plan's `by` and the alarm's `acknowledgedBy` are rewritten in the responses.
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
    await rewrite('**/api/plan', (p) => { if (p.available) p.by = MARKUP_NAME; });
    await rewrite('**/api/status', (s) => {
      for (const a of s.alarms || []) if (a.acknowledged) a.acknowledgedBy = MARKUP_NAME;
    });
    // First the view has the plan (whatever it made of it), then nothing in it is an element made
    // from data, then each string reads as written.
    await page.waitForFunction(() => {
      const view = document.querySelector('.leakhunt-view');
      return view && /Isolation plan/.test(view.textContent) && !/No plan yet/.test(view.textContent);
    });
    const planInjected = await page.locator('.leakhunt-view').locator(INJECTED).count();
    if (planInjected) fail(`the plan view made ${planInjected} element(s) from data (${INJECTED})`);
    const shown = await page.locator('.leakhunt-view ol li').allTextContents();
    const expected = MARKUP_STEPS.map((s) => (typeof s === 'string' ? s : JSON.stringify(s)));
    if (JSON.stringify(shown) !== JSON.stringify(expected)) fail('plan steps not shown as written: ' + JSON.stringify(shown));
    await page.locator('.leakhunt-view .note', { hasText: 'from ' + MARKUP_NAME }).first().waitFor();
    await page.screenshot({ path: path.join(out, 'plan.png') });
    console.log('plan view: markup in steps and by shown as text');
    await open(page, '#/browse/leakhunt:station/leakhunt:schematic');
    await page.locator('.leakhunt-view .alarm', { hasText: `(acknowledged by ${MARKUP_NAME})` }).first().waitFor();
    const schematicInjected = await page.locator('.leakhunt-view').locator(INJECTED).count();
    if (schematicInjected) fail(`the schematic made ${schematicInjected} element(s) from data (${INJECTED})`);
    console.log('schematic: markup in acknowledgedBy shown as text');

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
