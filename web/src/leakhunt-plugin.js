// leakhunt's Open MCT plugin: the object tree (station > segments > modules > channels, leak
// detection, events, schematic, isolation plan, leak status, the overview layout) from the
// server's dictionary; history and
// realtime telemetry providers over /api/history and the /api/realtime WebSocket; limit
// colouring from the server's monitoringResult; the schematic and plan views.
/* global openmct */
(function () {
  const NS = 'leakhunt';
  const COLOURS = { WATCH: 'cyan', WARNING: 'yellow', DISTRESS: 'orange', CRITICAL: 'red', SEVERE: 'purple' };

  // One WebSocket for every subscription; sends queue until it opens; reconnects with backoff.
  class Realtime {
    constructor(token) {
      this.token = token;
      this.listeners = new Map(); // id -> Set(callback)
      this.pending = [];
      this.delay = 500;
      this.missed = 0;
      this.connect();
    }
    connect() {
      const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host +
        '/api/realtime?access_token=' + encodeURIComponent(this.token);
      this.socket = new WebSocket(url);
      this.socket.onopen = () => {
        this.delay = 500;
        for (const id of this.listeners.keys()) this.socket.send(JSON.stringify({ op: 'subscribe', id }));
        for (const m of this.pending.splice(0)) this.socket.send(m);
      };
      this.socket.onmessage = (event) => {
        const m = JSON.parse(event.data);
        if (m.type === 'telemetry' || m.type === 'events') {
          for (const datum of m.data) {
            const set = this.listeners.get(datum.id);
            if (set) set.forEach((cb) => cb(datum));
          }
        } else if (m.type === 'missed') {
          this.missed += m.count; // the server dropped these for us: we were too slow
          console.warn('leakhunt: the server dropped ' + m.count + ' datums for this slow client');
        }
      };
      this.socket.onclose = () => {
        setTimeout(() => this.connect(), this.delay);
        this.delay = Math.min(this.delay * 2, 10000);
      };
    }
    send(message) {
      const text = JSON.stringify(message);
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
      else if (!message.op || message.op !== 'unsubscribe') this.pending.push(text);
    }
    subscribe(id, callback) {
      if (!this.listeners.has(id)) {
        this.listeners.set(id, new Set());
        this.send({ op: 'subscribe', id });
      }
      this.listeners.get(id).add(callback);
      return () => {
        const set = this.listeners.get(id);
        if (!set) return;
        set.delete(callback);
        if (set.size === 0) {
          this.listeners.delete(id);
          this.send({ op: 'unsubscribe', id });
        }
      };
    }
  }

  function id(key) { return { namespace: NS, key }; }

  // DOM from text (style.md 11): data only ever becomes a text node or an attribute value,
  // never markup, so a plan or a name holding "<iframe>" shows as those characters.
  // append() turns each string child into a text node.
  function node(tag, attributes, ...children) {
    const e = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) e.setAttribute(name, value);
    e.append(...children);
    return e;
  }
  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svgNode(tag, attributes, ...children) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {})) e.setAttribute(name, String(value));
    e.append(...children);
    return e;
  }

  // A view redrawn from the server every 2 s. `render` returns the nodes under the heading.
  // A failed request must not leave the view blank (or silently stale): the view says what
  // failed, above the last good drawing, and tries again. The next poll is set up when this
  // one has ended, so on a slow machine requests queue one at a time, never pile up.
  function pollingView(title, render) {
    return () => {
      let timer;
      let stopped = false;
      return {
        show(element) {
          const error = node('div', { class: 'error' });
          error.hidden = true;
          const body = node('div');
          element.replaceChildren(node('div', { class: 'leakhunt-view' }, node('h2', {}, title), error, body));
          const poll = async () => {
            try {
              const nodes = await render();
              if (stopped) return;
              body.replaceChildren(...nodes);
              error.hidden = true;
            } catch (e) {
              if (stopped) return;
              error.textContent = 'Could not update this view: ' + e.message + '. Retrying every 2 s.';
              error.hidden = false;
              console.error('leakhunt: ' + title + ': ' + e.message);
            }
            timer = setTimeout(poll, 2000);
          };
          poll();
        },
        destroy() {
          stopped = true;
          clearTimeout(timer);
        }
      };
    };
  }

  // The station's own graph, laid out as a tree drawn both ways from its centre (the module
  // whose farthest module is nearest), as the report's schematic runs left to right: columns
  // are hops from the centre (the centre's branches split left and right to balance them), rows
  // give each leaf its own line and a module the middle of its branches. Hatches that close a
  // loop are drawn too. Each connected part below the last. Returns module id -> [column, row].
  function layout(station) {
    const ids = station.modules.map((m) => m.id);
    const index = new Map(ids.map((m, i) => [m, i]));
    const neighbours = ids.map(() => []);
    for (const h of station.hatches) {
      const a = index.get(h.a), b = index.get(h.b);
      if (a === undefined || b === undefined || a === b) continue;
      neighbours[a].push(b);
      neighbours[b].push(a);
    }
    const bfs = (start) => {
      const depth = new Map([[start, 0]]), parent = new Map([[start, -1]]), order = [start];
      for (let k = 0; k < order.length; ++k) {
        for (const n of neighbours[order[k]]) {
          if (depth.has(n)) continue;
          depth.set(n, depth.get(order[k]) + 1);
          parent.set(n, order[k]);
          order.push(n);
        }
      }
      return { depth, parent, order };
    };
    const place = new Map();
    const seen = new Set();
    let rowOffset = 0;
    for (let first = 0; first < ids.length; ++first) {
      if (seen.has(first)) continue;
      const part = bfs(first).order;
      part.forEach((m) => seen.add(m));
      let root = part[0], best = Infinity;
      for (const m of part) {
        const e = Math.max(...bfs(m).depth.values());
        if (e < best) { best = e; root = m; }
      }
      const tree = bfs(root);
      const children = new Map(part.map((m) => [m, []]));
      for (const m of tree.order) if (tree.parent.get(m) >= 0) children.get(tree.parent.get(m)).push(m);
      const leaves = new Map();
      for (const m of [...tree.order].reverse()) {
        const c = children.get(m);
        leaves.set(m, c.length ? c.reduce((sum, k) => sum + leaves.get(k), 0) : 1);
      }
      const sides = [[], []];
      const weight = [0, 0];
      for (const c of [...children.get(root)].sort((x, y) => leaves.get(y) - leaves.get(x))) {
        const side = weight[0] <= weight[1] ? 0 : 1;
        sides[side].push(c);
        weight[side] += leaves.get(c);
      }
      const pos = new Map();
      const put = (m, depth, sign, next) => {
        const c = children.get(m);
        if (!c.length) { pos.set(m, [sign * depth, next.row++]); return; }
        c.forEach((k) => put(k, depth + 1, sign, next));
        pos.set(m, [sign * depth, (pos.get(c[0])[1] + pos.get(c[c.length - 1])[1]) / 2]);
      };
      const rows = sides.map((group, i) => {
        const next = { row: 0 };
        group.forEach((c) => put(c, 1, i === 0 ? 1 : -1, next));
        return next.row;
      });
      // Centre the shorter side on the taller one; the root between its branches.
      const height = Math.max(1, ...rows);
      sides.forEach((group, i) => {
        const shift = (height - rows[i]) / 2;
        const stack = [...group];
        while (stack.length) {
          const m = stack.pop();
          pos.get(m)[1] += shift;
          stack.push(...children.get(m));
        }
      });
      const top = children.get(root).map((c) => pos.get(c)[1]);
      pos.set(root, [0, top.length ? (Math.min(...top) + Math.max(...top)) / 2 : 0]);
      const minCol = Math.min(...[...pos.values()].map((p) => p[0]));
      for (const [m, p] of pos) place.set(ids[m], [p[0] - minCol, p[1] + rowOffset]);
      rowOffset += height + 0.5;
    }
    return place;
  }

  // White through amber to red, as the report's schematic (src/report/schematic.cpp).
  function probabilityColour(p) {
    p = Math.max(0, Math.min(1, Number.isFinite(p) ? p : 0));
    const mix = (a, b, f) => Math.round(a + (b - a) * f);
    const first = p < 0.5, f = first ? p / 0.5 : (p - 0.5) / 0.5;
    const rgb = first ? [mix(255, 255, f), mix(255, 193, f), mix(255, 7, f)] : [mix(255, 211, f), mix(193, 47, f), mix(7, 47, f)];
    return `rgb(${rgb.join(',')})`;
  }
  const SEGMENT_COLOURS = ['#4fc3f7', '#aed581', '#ffb74d', '#ba68c8', '#4db6ac', '#f06292', '#90a4ae', '#dce775'];
  const MMHG = 133.322387415;
  const pressureText = (pa) => `${(pa / MMHG).toFixed(1)} mmHg`;
  const percent = (p) => `${(100 * p).toFixed(p > 0.001 && p < 0.999 ? 1 : 0)}%`;
  const minutes = (s) => (s >= 5400 ? `${(s / 3600).toFixed(1)} h` : `${Math.round(s / 60)} min`);
  const utc = (ms) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

  // "Cornered in MODULE" or "No safe test remains (suspects ...)": the line a flight director
  // looks for first, in the plan view and on the schematic.
  function verdictNode(plan) {
    if (plan.status === 'cornered') {
      const c = plan.cornered || {};
      return node('div', { class: 'verdict cornered' },
        `Cornered in ${plan.localized_modules.join(' and ')}` + (c.probability ? ` (probability ${c.probability.toFixed(3)})` : ''));
    }
    if (plan.status === 'no-safe-test') {
      const n = plan.no_safe_test || { suspects: [], why: '' };
      return node('div', { class: 'verdict no-safe-test' },
        `No safe test remains (suspects ${n.suspects.map((s) => `${s.module} ${percent(s.probability)}`).join(', ')})` + (n.why ? `: ${n.why}` : ''));
    }
    return null;
  }

  // The schematic: the station's graph with each module filled by the leak posterior and
  // labelled with its live pressure, modules of one segment outlined in one colour (alarmed
  // segments dashed red), hatches drawn open (solid) or closed (dashed red, with a bar).
  function schematicView(dictionary, api) {
    const station = dictionary.station;
    const place = layout(station);
    const SX = 150, SY = 60, W = 126, H = 50, PAD = 20;
    const xy = (m) => { const p = place.get(m); return [PAD + p[0] * SX, PAD + 30 + p[1] * SY]; };
    const width = PAD * 2 + W + SX * Math.max(0, ...[...place.values()].map((p) => p[0]));
    const height = PAD * 2 + 30 + H + SY * Math.max(0, ...[...place.values()].map((p) => p[1]));
    const alarmText = (a) =>
      `Leak alarm ${a.id}${a.acknowledged ? ' (acknowledged by ' + a.acknowledged_by + ')' : ''}: ` +
      `${(a.leak_rate_kg_s * 86400).toFixed(1)} kg/day, hole ${(a.diameter_m * 1000).toFixed(2)} mm, segment ${a.segment.join(', ')}`;
    const render = async () => {
      const [status, plan] = await Promise.all([api('/api/status'), api('/api/plan')]);
      const posterior = plan.available && plan.posterior && Object.keys(plan.posterior).length ? plan.posterior : null;
      const segmentOf = new Map();
      const alarmed = new Set();
      (status.segments || []).forEach((s, i) => s.modules.forEach((m) => {
        segmentOf.set(m, i);
        if (s.alarmed) alarmed.add(m);
      }));
      const hatchOpen = status.hatches || {};
      const pressures = status.module_pressure_pa || {};
      const svg = svgNode('svg', { class: 'leakhunt-schematic', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'xMinYMin meet' });
      for (const h of station.hatches) {
        const [x1, y1] = xy(h.a), [x2, y2] = xy(h.b);
        const open = h.id in hatchOpen ? hatchOpen[h.id] : h.open;
        const cx = (x1 + x2) / 2 + W / 2, cy = (y1 + y2) / 2 + H / 2;
        svg.append(svgNode('g', { 'data-hatch': h.id, 'data-open': String(open) },
          svgNode('line', { x1: x1 + W / 2, y1: y1 + H / 2, x2: x2 + W / 2, y2: y2 + H / 2,
            stroke: open ? '#9ccc65' : '#e53935', 'stroke-width': open ? 3 : 2, 'stroke-dasharray': open ? '' : '6 4' }),
          ...(open ? [] : [svgNode('rect', { x: cx - 3, y: cy - 9, width: 6, height: 18, fill: '#e53935' })]),
          svgNode('title', {}, `${h.id}: ${open ? 'open' : 'closed'}`)));
      }
      for (const m of station.modules) {
        const [x, y] = xy(m.id);
        const p = posterior ? (posterior[m.id] || 0) : null;
        const fill = p !== null ? probabilityColour(p) : '#2d3b4a';
        const seg = segmentOf.get(m.id);
        const outline = alarmed.has(m.id) ? '#ff5252' : seg !== undefined ? SEGMENT_COLOURS[seg % SEGMENT_COLOURS.length] : '#9ab';
        const dark = p !== null && p < 0.75;
        const text = dark ? '#111' : '#eee';
        const lines = [m.id, (p !== null ? `P(leak) ${percent(p)}` : 'no posterior'), (m.id in pressures ? pressureText(pressures[m.id]) : 'no pressure')];
        svg.append(svgNode('g', { 'data-module': m.id, 'data-probability': p === null ? '' : String(p), 'data-segment': seg === undefined ? '' : String(seg) },
          svgNode('rect', { x, y, width: W, height: H, rx: 5, fill, stroke: outline, 'stroke-width': 4, 'stroke-dasharray': alarmed.has(m.id) ? '8 3' : '' }),
          ...lines.map((t, i) => svgNode('text', { x: x + 8, y: y + 15 + 14 * i, fill: text, class: i === 0 ? 'id' : '' }, t)),
          svgNode('title', {}, m.name || m.id)));
      }
      const legend = (status.segments || []).map((s, i) => node('span', { class: 'segment', style: `border-color: ${s.alarmed ? '#ff5252' : SEGMENT_COLOURS[i % SEGMENT_COLOURS.length]}` },
        `segment ${i + 1}: ${s.modules.join(', ')}, ${pressureText(s.pressure_pa)}${s.alarmed ? ' (alarmed)' : ''}`));
      const verdict = verdictNode(plan);
      return [
        ...(verdict ? [verdict] : []),
        ...(posterior ? [] : [node('div', { class: 'note' }, 'No leak posterior yet: it appears on the alarm. Modules are outlined by segment; an alarmed segment dashed red.')]),
        ...(status.alarms || []).map((a) => node('div', { class: 'alarm' }, alarmText(a))),
        svg,
        node('div', { class: 'legend' }, ...legend)
      ];
    };
    return {
      key: 'leakhunt.schematic',
      name: 'Station schematic',
      cssClass: 'icon-object',
      canView: (d) => d.type === 'leakhunt.schematic',
      view: pollingView(`${station.name}: leak posterior by module`, render)
    };
  }

  // One proposed step: the operations in order, the dwell, what each reading would mean, why
  // it is safe; and the Confirm button (an operator's token; the server says if it is not).
  function stepNode(step, confirm) {
    const ops = step.operations.length
      ? node('ol', { class: 'operations' }, ...step.operations.map((o) =>
        node('li', {}, `${o.text} (at +${minutes(o.start_s)}, takes ${minutes(o.duration_s)})`)))
      : node('div', { class: 'note' }, 'No operations: hold the station as it is.');
    const reads = node('table', { class: 'reads' },
      node('tr', {}, node('th', {}, 'read segment'), node('th', {}, 'P(leak in it)'), node('th', {}, 'if losing'), node('th', {}, 'if steady')),
      ...step.reads.map((r) => node('tr', {}, node('td', {}, r.segment.join(', ')), node('td', {}, percent(r.leak_probability)),
        node('td', {}, r.if_losing), node('td', {}, r.if_steady))));
    const w = step.why_safe;
    const safe = node('ul', { class: 'why-safe' },
      ...(w.paths.length ? w.paths.map((p) => node('li', {}, `${p.crew} to ${p.lifeboat}: ${p.modules.join(' > ')}`))
        : [node('li', {}, 'no crew aboard: no path to a lifeboat to keep')]),
      node('li', {}, `pressure margin ${(w.pressure_margin_pa / MMHG).toFixed(1)} mmHg above evacuation at the leak's upper rate over the ${minutes(w.hold_s)} hold` +
        (w.longest_hold_s === null ? ' (safe for any hold)' : `; safe for ${minutes(w.longest_hold_s)} at most`)),
      ...w.violations.map((v) => node('li', { class: 'alarm' }, 'RULE BROKEN: ' + v)));
    const state = step.state === 'under way'
      ? `under way, reading due ${utc(step.reading_due_ms)}`
      : step.state === 'confirmed' ? `confirmed by ${step.confirmed_by}, waiting for the crew` : 'proposed';
    const button = node('button', { class: 'confirm', type: 'button' }, `Confirm step ${step.step + 1}`);
    button.disabled = step.state !== 'proposed';
    button.addEventListener('click', () => confirm(step.step, button));
    return node('div', { class: 'step', 'data-step': String(step.step) },
      node('h3', {}, `Step ${step.step + 1}: ${state}`),
      node('h4', {}, 'Operations, in order'), ops,
      node('div', {}, `Settle ${minutes(step.settle_s)}, then dwell ${minutes(step.dwell_s)}` +
        (step.closed_hatches.length ? `; hatches held closed: ${step.closed_hatches.join(', ')}` : '; every hatch open')),
      node('h4', {}, 'What it reads'), reads,
      node('h4', {}, 'Why it is safe'), safe,
      button);
  }

  // The isolation plan of the operations core: status, the step to do now, what was read so far,
  // the repair; and a plan an outside program posted, if any, shown as whose it is.
  function planView(api, post) {
    let message = '';  // the last confirmation's answer, kept across redraws
    const confirm = async (step, button) => {
      button.disabled = true;
      try {
        const r = await post('/api/actions', { kind: 'confirm', step });
        message = `Step ${step + 1} confirmed by ${r.by}.`;
      } catch (e) {
        message = `Step ${step + 1} not confirmed: ${e.message}`;
        button.disabled = false;
      }
    };
    const render = async () => {
      const plan = await api('/api/plan');
      const out = [];
      if (!plan.available) out.push(node('div', { class: 'note' }, 'No plan yet. ' + plan.message));
      const verdict = verdictNode(plan);
      if (verdict) out.push(verdict);
      if (plan.alarm) out.push(node('div', { class: 'alarm' }, `Leak alarm ${utc(plan.alarm.alarm_time_ms)} in segment [${plan.alarm.segment.join(', ')}], ${(plan.alarm.leak_rate_kg_s * 86400).toFixed(1)} kg/day`));
      if (plan.available) {
        const p = Object.entries(plan.posterior).sort((a, b) => b[1] - a[1]);
        out.push(node('div', { class: 'posterior' }, 'P(leak) by module: ' + p.map(([m, v]) => `${m} ${percent(v)}`).join(', ')));
      }
      if (message) out.push(node('div', { class: 'message' }, message));
      for (const step of plan.steps || []) out.push(stepNode(step, confirm));
      if ((plan.history || []).length) {
        out.push(node('h4', {}, 'Read so far'));
        out.push(node('ul', { class: 'history' }, ...plan.history.map((h) => node('li', {},
          `Step ${h.step + 1} (${utc(h.from_ms)} .. ${utc(h.to_ms)}): ` + h.segments.map((s) =>
            `[${s.segment.join(', ')}] ${!s.read ? 'not read' : s.losing ? `losing ${(s.leak_rate_kg_s * 86400).toFixed(1)} kg/day` : 'steady'}`).join('; ')))));
      }
      if (plan.repair) {
        const r = plan.repair;
        out.push(node('div', { class: 'repair' }, r.verdict === 'watching'
          ? 'Repair: watching the patched segment, no verdict yet.'
          : `Repair of [${r.segment.join(', ')}]: ${r.verdict}; residual ${(r.residual_rate_kg_s * 86400).toFixed(2)} kg/day (bound ${(r.upper_bound_kg_s * 86400).toFixed(2)}, target ${(r.target_kg_s * 86400).toFixed(2)}), watched ${minutes(r.watched_s)}`));
      }
      if (plan.outside) {
        const o = plan.outside;
        const steps = o.plan && Array.isArray(o.plan.steps) ? o.plan.steps : null;
        out.push(node('h4', {}, 'Plan from an outside program'),
          node('div', { class: 'note outside-by' }, `from ${o.by}, ${new Date(o.updated_ms).toISOString()}`),
          ...(steps ? [node('ol', { class: 'outside-steps' }, ...steps.map((s) => node('li', {}, typeof s === 'string' ? s : JSON.stringify(s))))] : []),
          node('pre', {}, JSON.stringify(o.plan, null, 2)));
      }
      return out;
    };
    return {
      key: 'leakhunt.plan',
      name: 'Isolation plan',
      cssClass: 'icon-plan',
      canView: (d) => d.type === 'leakhunt.plan',
      view: pollingView('Isolation plan', render)
    };
  }

  // Leak status at a glance: the alarm, the rate, the reserve time, the plan's status.
  function statusView(api) {
    const render = async () => {
      const [status, plan] = await Promise.all([api('/api/status'), api('/api/plan')]);
      const a = (status.alarms || [])[status.alarms.length - 1];
      const out = [];
      if (!a) out.push(node('div', { class: 'big ok' }, 'No leak alarm'));
      else {
        out.push(node('div', { class: 'big alarm' }, `LEAK ALARM ${a.id}`));
        out.push(node('div', {}, `since ${utc(a.alarm_time_ms)}, segment ${a.segment.join(', ')}`));
        out.push(node('div', {}, `leak rate ${(a.leak_rate_kg_s * 86400).toFixed(1)} ± ${((a.leak_rate_sigma_kg_s || 0) * 86400).toFixed(1)} kg/day, hole ${((a.diameter_m || 0) * 1000).toFixed(2)} mm`));
        out.push(node('div', { class: 'reserve' }, a.reserve_time_s ? `reserve time ${(a.reserve_time_s / 3600).toFixed(1)} h` : 'reserve time: not yet estimated'));
      }
      out.push(node('div', {}, `plan: ${plan.status}` + (plan.localized_module ? `, cornered in ${plan.localized_modules.join(' and ')}` : '')));
      if (status.active_sensor_faults) out.push(node('div', { class: 'alarm' }, `${status.active_sensor_faults} sensor fault(s) active`));
      return out;
    };
    return {
      key: 'leakhunt.status',
      name: 'Leak status',
      cssClass: 'icon-alert-rect',
      canView: (d) => d.type === 'leakhunt.status',
      view: pollingView('Leak status', render)
    };
  }

  // The landing page: an Open MCT display layout of the overview (grid cells of 10 px; 1150 x
  // 840 px, a control-room screen less Open MCT's panes).
  function overviewLayout(objects) {
    const item = (key, x, y, width, height, viewKey) => ({
      type: 'subobject-view', id: 'overview-' + key, identifier: id(key), x, y, width, height,
      hasFrame: true, fontSize: 'default', font: 'default', ...(viewKey ? { viewKey } : {})
    });
    const items = [
      item('schematic', 0, 0, 50, 34),
      item('status', 50, 0, 25, 17),
      item('plot.reserve', 50, 17, 25, 17),
      item('plot.inventory', 0, 34, 37, 26),
      item('plot.rate', 37, 34, 38, 26),
      item('plan', 75, 0, 40, 60),
      item('events', 0, 60, 115, 24, 'table')
    ].filter((i) => objects.has(i.identifier.key));
    return { composition: items.map((i) => i.identifier), configuration: { items, layoutGrid: [10, 10] } };
  }

  window.LeakhuntPlugin = function (options) {
    const dictionary = options.dictionary;
    const headers = options.token ? { Authorization: 'Bearer ' + options.token } : {};
    const api = (path, init) => fetch(path, Object.assign({ headers }, init)).then((r) => {
      if (!r.ok) throw new Error(path + ': ' + r.status);
      return r.json();
    });
    // A write: the server's own message when it refuses (a viewer token, a stale step).
    const post = (path, body) => fetch(path, {
      method: 'POST', headers: Object.assign({ 'Content-Type': 'application/json' }, headers), body: JSON.stringify(body)
    }).then(async (r) => {
      const reply = await r.json().catch(() => ({}));
      if (!r.ok) throw new Error(`${r.status} ${reply.error || ''}`.trim());
      return reply;
    });
    const measurements = new Map(dictionary.measurements.map((m) => [m.key, m]));

    return function install(openmct) {
      const realtime = new Realtime(options.token);
      const station = dictionary.station;
      const objects = new Map();
      const add = (o) => objects.set(o.identifier.key, o);
      const rootKey = 'station';
      const folder = (key, name, location, children) => add({
        identifier: id(key), name, type: 'folder', location,
        composition: children.map(id)
      });

      // The tree.
      const top = ['overview', 'schematic', 'plan', 'status', 'detection', 'events'];
      for (const s of station.segments) top.push('segment.' + s.id);
      const moduleIds = new Set(station.modules.map((m) => m.id));
      const hatchChannels = dictionary.measurements.filter((m) => !m.derived && !moduleIds.has(m.module)).map((m) => m.key);
      if (hatchChannels.length) {
        top.push('hatches');
        folder('hatches', 'Hatches', NS + ':' + rootKey, hatchChannels);
      }
      folder(rootKey, station.name || dictionary.name, 'ROOT', top);
      add({ identifier: id('schematic'), name: 'Station schematic', type: 'leakhunt.schematic', location: NS + ':' + rootKey });
      add({ identifier: id('plan'), name: 'Isolation plan', type: 'leakhunt.plan', location: NS + ':' + rootKey });
      add({ identifier: id('status'), name: 'Leak status', type: 'leakhunt.status', location: NS + ':' + rootKey });
      const plotOf = (key, name, channels) => add({
        identifier: id(key), name, type: 'telemetry.plot.overlay', location: NS + ':' + rootKey,
        composition: channels.filter((c) => measurements.has(c)).map(id), configuration: { series: [] }
      });
      plotOf('plot.inventory', 'Segment inventory', ['leakhunt.segment_inventory']);
      plotOf('plot.rate', 'Leak rate', ['leakhunt.leak_rate', 'leakhunt.leak_rate_sigma']);
      plotOf('plot.reserve', 'Reserve time', ['leakhunt.reserve_time']);
      const derived = dictionary.measurements.filter((m) => m.derived).map((m) => m.key);
      folder('detection', 'Leak detection', NS + ':' + rootKey, derived);
      add({
        identifier: id('events'), name: 'Events', type: 'leakhunt.events', location: NS + ':' + rootKey,
        telemetry: { values: [
          { key: 'utc', source: 'timestamp', name: 'Time', format: 'utc', hints: { domain: 1 } },
          { key: 'severity', name: 'Severity', format: 'string', hints: { range: 1 } },
          { key: 'message', name: 'Message', format: 'string', hints: { range: 2 } }
        ] }
      });
      for (const s of station.segments) {
        folder('segment.' + s.id, 'Segment ' + s.id.replace('segment-', '') + ' (' + s.modules.length + ' modules)',
          NS + ':' + rootKey, s.modules.map((m) => 'module.' + m));
        for (const m of s.modules) {
          const module = station.modules.find((x) => x.id === m);
          const channels = dictionary.measurements.filter((c) => c.module === m).map((c) => c.key);
          folder('module.' + m, (module && module.name) || m, NS + ':segment.' + s.id, channels);
        }
      }
      add(Object.assign({ identifier: id('overview'), name: 'Overview', type: 'layout', location: NS + ':' + rootKey },
        overviewLayout(objects)));
      for (const m of dictionary.measurements) {
        const parent = m.derived ? 'detection' : moduleIds.has(m.module) ? 'module.' + m.module : 'hatches';
        add({
          identifier: id(m.key), name: m.name, type: 'leakhunt.telemetry',
          location: NS + ':' + parent, telemetry: { values: m.values }, limits: m.limits
        });
      }

      openmct.types.addType('leakhunt.telemetry', { name: 'leakhunt channel', description: 'A station sensor or a value leakhunt derives', cssClass: 'icon-telemetry' });
      openmct.types.addType('leakhunt.events', { name: 'leakhunt events', description: 'Alarms and sensor faults', cssClass: 'icon-bullet' });
      openmct.types.addType('leakhunt.schematic', { name: 'Station schematic', description: 'Modules, hatches and the leak posterior', cssClass: 'icon-object' });
      openmct.types.addType('leakhunt.plan', { name: 'Isolation plan', description: 'The operations core\'s plan: the step to do now, and why it is safe', cssClass: 'icon-plan' });
      openmct.types.addType('leakhunt.status', { name: 'Leak status', description: 'The alarm, the leak rate and the reserve time', cssClass: 'icon-alert-rect' });

      openmct.objects.addRoot(id(rootKey), openmct.priority.HIGH);
      openmct.objects.addProvider(NS, {
        get(identifier) {
          const o = objects.get(identifier.key);
          return o ? Promise.resolve(JSON.parse(JSON.stringify(o))) : Promise.reject(new Error('unknown object ' + identifier.key));
        },
        // Open MCT's plots and layouts write their own configuration (series colours, items),
        // which it allows only on a provider that can create and update: updates are kept for
        // this page's life, persisted nowhere (the server owns what the objects are), and new
        // objects go to My Items, never here.
        create() {
          return Promise.resolve(false);
        },
        update(domainObject) {
          if (!objects.has(domainObject.identifier.key)) return Promise.resolve(false);
          objects.set(domainObject.identifier.key, JSON.parse(JSON.stringify(domainObject)));
          return Promise.resolve(true);
        }
      });

      const isTelemetry = (d) => d.identifier.namespace === NS && (d.type === 'leakhunt.telemetry' || d.type === 'leakhunt.events');
      const channelOf = (d) => (d.type === 'leakhunt.events' ? 'leakhunt.events' : d.identifier.key);
      openmct.telemetry.addProvider({
        supportsRequest: isTelemetry,
        request(d, options) {
          const q = new URLSearchParams({ start: Math.floor(options.start), end: Math.ceil(options.end) });
          if (options.strategy === 'latest') q.set('strategy', 'latest');
          if (options.strategy === 'minmax' && options.size) { q.set('strategy', 'minmax'); q.set('size', String(options.size * 2)); }
          return fetch('/api/history/' + encodeURIComponent(channelOf(d)) + '?' + q, { headers, signal: options.signal })
            .then((r) => { if (!r.ok) throw new Error('history ' + r.status); return r.json(); });
        },
        supportsSubscribe: isTelemetry,
        subscribe(d, callback) { return realtime.subscribe(channelOf(d), callback); },
        supportsLimits: (d) => d.type === 'leakhunt.telemetry',
        getLimitEvaluator() {
          return {
            evaluate(datum, valueMetadata) {
              if (valueMetadata && valueMetadata.key !== 'value') return undefined;
              const colour = COLOURS[datum.monitoringResult];
              if (!colour) return undefined;
              return { cssClass: (datum.rangeCondition === 'HIGH' ? 'is-limit--upr ' : 'is-limit--lwr ') + 'is-limit--' + colour,
                       name: datum.monitoringResult + (datum.rangeCondition ? ' ' + datum.rangeCondition : '') };
            }
          };
        },
        getLimits(d) {
          const m = measurements.get(d.identifier.key);
          return {
            limits: () => {
              const out = {};
              for (const [level, band] of Object.entries((m && m.limits) || {})) {
                const colour = COLOURS[level] || 'yellow';
                out[level] = {};
                if (band.low !== undefined) out[level].low = { color: colour, value: band.low };
                if (band.high !== undefined) out[level].high = { color: colour, value: band.high };
              }
              return Promise.resolve(out);
            }
          };
        }
      });

      openmct.objectViews.addProvider(schematicView(dictionary, api));
      openmct.objectViews.addProvider(planView(api, post));
      openmct.objectViews.addProvider(statusView(api));
      window.leakhuntRealtime = realtime; // for the browser test and the console
    };
  };
})();
