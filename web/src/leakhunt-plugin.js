// leakhunt's Open MCT plugin: the object tree (station > segments > modules > channels, leak
// detection, events, schematic, isolation plan) from the server's dictionary; history and
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

  // Modules laid out by breadth-first order over the hatch graph: one column per hop.
  function layout(station) {
    const neighbours = new Map(station.modules.map((m) => [m.id, []]));
    for (const h of station.hatches) {
      neighbours.get(h.a).push(h.b);
      neighbours.get(h.b).push(h.a);
    }
    const place = new Map();
    const rows = [];
    for (const start of station.modules) {
      if (place.has(start.id)) continue;
      const queue = [[start.id, 0]];
      place.set(start.id, null);
      while (queue.length) {
        const [m, depth] = queue.shift();
        rows[depth] = rows[depth] || [];
        place.set(m, { col: depth, row: rows[depth].length });
        rows[depth].push(m);
        for (const n of neighbours.get(m)) if (!place.has(n)) { place.set(n, null); queue.push([n, depth + 1]); }
      }
    }
    return place;
  }

  // The schematic: one box per module, hatches as lines, filled by the leak posterior when a
  // localiser has published one; the alarms above it.
  function schematicView(dictionary, api) {
    const station = dictionary.station;
    const place = layout(station);
    const W = 130, H = 34;
    const xy = (m) => { const p = place.get(m); return [20 + p.col * (W + 30), 40 + p.row * (H + 14)]; };
    const cols = Math.max(...[...place.values()].map((p) => p.col)) + 1;
    const rowsN = Math.max(...[...place.values()].map((p) => p.row)) + 1;
    const alarmText = (a) =>
      `Leak alarm ${a.id}${a.acknowledged ? ' (acknowledged by ' + a.acknowledgedBy + ')' : ''}: ` +
      `${(a.rate_kg_s * 86400).toFixed(1)} kg/day, hole ${(a.diameter_m * 1000).toFixed(2)} mm, segment ${a.modules.join(', ')}`;
    const render = async () => {
      const [status, plan] = await Promise.all([api('/api/status'), api('/api/plan')]);
      const posterior = plan.available && plan.posterior ? plan.posterior : null;
      const alarmed = new Set();
      for (const s of status.segments || []) if (s.alarmed) s.modules.forEach((m) => alarmed.add(m));
      const svg = svgNode('svg', { class: 'leakhunt-schematic', width: cols * (W + 30) + 40, height: rowsN * (H + 14) + 60 });
      for (const h of station.hatches) {
        const [x1, y1] = xy(h.a), [x2, y2] = xy(h.b);
        svg.append(svgNode('line', { x1: x1 + W / 2, y1: y1 + H / 2, x2: x2 + W / 2, y2: y2 + H / 2, stroke: '#888', 'stroke-width': 2 }));
      }
      for (const m of station.modules) {
        const [x, y] = xy(m.id);
        const p = posterior ? (posterior[m.id] || 0) : null;
        const fill = p !== null ? `rgba(255,60,60,${0.15 + 0.85 * p})` : (alarmed.has(m.id) ? '#6b1f1f' : '#2d3b4a');
        const label = m.id + (p !== null ? ` ${(100 * p).toFixed(0)}%` : '');
        svg.append(svgNode('g', { 'data-module': m.id },
          svgNode('rect', { x, y, width: W, height: H, rx: 4, fill, stroke: alarmed.has(m.id) ? '#ff6b6b' : '#9ab' }),
          svgNode('text', { x: x + 6, y: y + 21 }, label)));
      }
      return [
        ...(posterior ? [] : [node('div', { class: 'note' }, 'No leak posterior yet: no localiser has published one. Modules in an alarmed segment are outlined red.')]),
        ...(status.alarms || []).map((a) => node('div', { class: 'alarm' }, alarmText(a))),
        svg
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

  // The plan as the localiser published it: who, when, its steps, and the whole document.
  function planView(api) {
    const render = async () => {
      const plan = await api('/api/plan');
      if (!plan.available) return [node('div', { class: 'note' }, 'No plan yet. ' + plan.message)];
      const steps = Array.isArray(plan.plan.steps) ? plan.plan.steps : null;
      return [
        node('div', { class: 'note' }, `from ${plan.by}, ${new Date(plan.updated).toISOString()}`),
        ...(steps ? [node('ol', {}, ...steps.map((s) => node('li', {}, typeof s === 'string' ? s : JSON.stringify(s))))] : []),
        node('pre', {}, JSON.stringify(plan.plan, null, 2))
      ];
    };
    return {
      key: 'leakhunt.plan',
      name: 'Isolation plan',
      cssClass: 'icon-plan',
      canView: (d) => d.type === 'leakhunt.plan',
      view: pollingView('Isolation plan', render)
    };
  }

  window.LeakhuntPlugin = function (options) {
    const dictionary = options.dictionary;
    const headers = options.token ? { Authorization: 'Bearer ' + options.token } : {};
    const api = (path, init) => fetch(path, Object.assign({ headers }, init)).then((r) => {
      if (!r.ok) throw new Error(path + ': ' + r.status);
      return r.json();
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
      const top = ['schematic', 'plan', 'detection', 'events'];
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
      openmct.types.addType('leakhunt.plan', { name: 'Isolation plan', description: 'The localiser\'s plan', cssClass: 'icon-plan' });

      openmct.objects.addRoot(id(rootKey), openmct.priority.HIGH);
      openmct.objects.addProvider(NS, {
        get(identifier) {
          const o = objects.get(identifier.key);
          return o ? Promise.resolve(JSON.parse(JSON.stringify(o))) : Promise.reject(new Error('unknown object ' + identifier.key));
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
      openmct.objectViews.addProvider(planView(api));
      window.leakhuntRealtime = realtime; // for the browser test and the console
    };
  };
})();
