// Browser test of the dashboard: `leakhunt serve` runs the 2018 scenario at high speed;
// Chromium (headless, driven by playwright-core) loads the dashboard, opens a module's pressure
// plot and sees points arrive, sees the leak alarm appear, and saves a screenshot.
//   node dashboard_test.js LEAKHUNT_BINARY SOURCE_DIR OUTPUT_DIR
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { chromium } = require('playwright-core');

const [binary, source, out] = process.argv.slice(2);
const VIEWER = 'dashboard-viewer-token-0123456789';
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'tokens.txt'), `viewer browser ${VIEWER}\n`);

function fail(message) {
  console.error('FAIL: ' + message);
  process.exitCode = 1;
  throw new Error(message);
}

(async () => {
  const server = spawn(binary, ['serve', '--scenario', path.join(source, 'data/scenarios/soyuz-ms09-2018.yaml'),
    '--speed', '1000', '--port', '0', '--db', path.join(out, 'run.db'), '--tokens', path.join(out, 'tokens.txt')],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  let browser;
  try {
    const line = await new Promise((resolve, reject) => {
      readline.createInterface({ input: server.stdout }).once('line', resolve);
      server.once('exit', (code) => reject(new Error('serve exited with ' + code)));
    });
    const base = line.match(/http:\/\/[0-9.]+:\d+\//)[0];
    console.log('server: ' + base);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium', headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage']
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.setDefaultTimeout(60000);
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('browser ' + m.type() + ': ' + m.text().slice(0, 200)); });

    await page.goto(base + '?token=' + VIEWER, { waitUntil: 'load' });
    const stationName = await page.evaluate(() =>
      fetch('/api/station', { headers: { Authorization: 'Bearer ' + localStorage.getItem('leakhunt.token') } })
        .then((r) => r.json()).then((s) => s.name));
    await page.locator('.c-tree__item', { hasText: stationName }).first().waitFor();
    console.log('tree: ' + stationName);

    // A module's pressure plot, by deep link through the tree path.
    const plot = base + '#/browse/leakhunt:station/leakhunt:segment.segment-1/leakhunt:module.soyuz-ms09-om/' +
      'leakhunt:soyuz-ms09-om.pressure?view=plot-single';
    await page.goto(plot);
    await page.waitForSelector('.gl-plot canvas, .c-plot canvas');
    // Points arrive: the plot's own subscription path, counted through the same provider.
    const arrived = await page.evaluate(() => new Promise((resolve) => {
      openmct.objects.get({ namespace: 'leakhunt', key: 'soyuz-ms09-om.pressure' }).then((o) => {
        const seen = [];
        const stop = openmct.telemetry.subscribe(o, (d) => {
          seen.push(d.timestamp);
          if (seen.length >= 20) { stop(); resolve(seen); }
        });
      });
    }));
    if (!(arrived.length >= 20 && arrived[19] > arrived[0])) fail('pressure points did not arrive in time order');
    console.log(`plot: ${arrived.length} realtime points, ${new Date(arrived[0]).toISOString()} .. ${new Date(arrived[19]).toISOString()}`);
    const legend = await page.locator('.c-plot-legend, .plot-legend-item').first().textContent();
    console.log('plot legend: ' + legend.replace(/\s+/g, ' ').trim().slice(0, 120));

    // The leak alarm: its channel turns LEAK and the event appears.
    await page.goto(base + '#/browse/leakhunt:station/leakhunt:events?view=table');
    const alarmRow = page.locator('.c-telemetry-table__body tr', { hasText: 'leak alarm' }).first();
    await alarmRow.waitFor({ timeout: 120000 });
    console.log('events: ' + (await alarmRow.textContent()).replace(/\s+/g, ' ').trim().slice(0, 160));
    await page.goto(base + '#/browse/leakhunt:station/leakhunt:detection/leakhunt:leakhunt.leak_alarm?view=table');
    await page.locator('.c-telemetry-table__body td[class*="is-limit--red"]', { hasText: 'LEAK' }).first().waitFor();
    console.log('alarm channel: LEAK with red limit colouring');

    await page.goto(plot);
    await page.waitForSelector('.gl-plot canvas, .c-plot canvas');
    await page.waitForFunction(() => document.querySelectorAll('.c-plot-legend .plot-series-value, .c-plot-legend__item').length > 0);
    await page.screenshot({ path: path.join(out, 'pressure-plot.png') });
    await page.goto(base + '#/browse/leakhunt:station/leakhunt:schematic');
    await page.locator('.leakhunt-view .alarm').first().waitFor();
    await page.screenshot({ path: path.join(out, 'schematic.png') });
    await page.goto(base + '#/browse/leakhunt:station/leakhunt:plan');
    await page.locator('.leakhunt-view', { hasText: 'No plan yet' }).first().waitFor();
    console.log('plan view: says "No plan yet"');
    const serious = errors.filter((e) => !/favicon|ERR_ABORTED|AbortError|Failed to load resource/.test(e));
    if (serious.length) fail('console errors: ' + serious.join(' | '));
    console.log('screenshots in ' + out);
  } catch (e) {
    console.error(e.stack || e.message);
    if (browser) {
      const pages = browser.contexts().flatMap((c) => c.pages());
      if (pages.length) await pages[0].screenshot({ path: path.join(out, 'failure.png') }).catch(() => {});
    }
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close();
    server.kill('SIGTERM');
  }
})();
