/*
 * Perfkit dashboard. Plain JavaScript, no framework, no network beyond this server's own /perf API.
 * Every value from the server is rendered with textContent or DOM APIs, never as HTML.
 */
(function () {
  'use strict';

  var RANGE_STEPS = { '5m': '2s', '15m': '5s', '1h': '15s', '6h': '1m', '1d': '5m', '7d': '30m' };
  // Each chart: one or more history queries ("series"); each query's series are grouped into lines by one
  // tag (or all into one line named by its label), optionally filtered by tags, then combined per timestamp.
  var MIB = 1 / 1048576, GIB = 1 / 1073741824, KIB = 1 / 1024;
  // Lines whose meaning has a colour keep it (errors red, warnings amber) whatever else the chart shows.
  var LINE_COLOURS = { '2xx': '#1f9d55', '3xx': '#2f6fdf', '4xx': '#d08a00', '5xx': '#d0342c', 'p50': '#2f6fdf',
    'p95': '#d08a00', 'p99': '#d0342c' };
  var CHARTS = [
    { id: 'rate', group: 'http', title: 'Requests /s by status class', scale: 1, agg: 'sum', fixedColours: true,
      series: [{ metric: 'perfkit.http.server.requests.count', groupBy: 'status.class' }] },
    { id: 'latency', group: 'http', title: 'Latency p50 / p95 / p99 (ms)', scale: 1000, agg: 'max', fixedColours: true,
      series: [{ metric: 'perfkit.http.server.latency', groupBy: 'quantile',
        names: { '0.5': 'p50', '0.95': 'p95', '0.99': 'p99' } }] },
    { id: 'http-errors', group: 'http', title: 'Errors /s by class', scale: 1, agg: 'sum', fixedColours: true,
      series: [{ metric: 'perfkit.http.server.requests.count', groupBy: 'status.class', only: ['4xx', '5xx'] }] },
    { id: 'heap', group: 'jvm', title: 'Heap used (MiB)', metric: 'perfkit.jvm.heap.used', scale: MIB, agg: 'sum',
      series: [{ metric: 'perfkit.jvm.heap.used', label: 'used' }, { metric: 'perfkit.jvm.heap.max', label: 'max' }] },
    { id: 'pools', group: 'jvm', title: 'Heap by pool (MiB)', scale: MIB, agg: 'sum',
      series: [{ metric: 'perfkit.jvm.memory.used', groupBy: 'pool', where: { area: 'heap' } }] },
    { id: 'gc-pause', group: 'jvm', title: 'GC pause, longest (ms)', scale: 1000, agg: 'max',
      series: [{ metric: 'perfkit.jvm.gc.pause.max', groupBy: 'gc' }] },
    { id: 'gc', group: 'jvm', title: 'GC pressure (% of time)', scale: 100, agg: 'avg',
      series: [{ metric: 'perfkit.jvm.gc.pressure', label: 'time in GC' }] },
    { id: 'states', group: 'jvm', title: 'Threads by state', scale: 1, agg: 'sum',
      series: [{ metric: 'perfkit.jvm.threads.states', groupBy: 'state' }] },
    { id: 'threads', group: 'jvm', title: 'Live threads', scale: 1, agg: 'sum',
      series: [{ metric: 'perfkit.jvm.threads.live', label: 'live' }, { metric: 'perfkit.jvm.threads.daemon', label: 'daemon' }] },
    { id: 'cpu', group: 'system', title: 'System CPU (%)', scale: 100, agg: 'avg',
      series: [{ metric: 'perfkit.system.cpu.usage', label: 'system' }] },
    { id: 'cores', group: 'system', title: 'CPU per core (%)', scale: 100, agg: 'avg',
      series: [{ metric: 'perfkit.system.cpu.core.usage', groupBy: 'core' }] },
    { id: 'memory', group: 'system', title: 'Memory (GiB)', scale: GIB, agg: 'sum',
      series: [{ metric: 'perfkit.system.memory.used', label: 'used' },
        { metric: 'perfkit.system.memory.total', label: 'total' }, { metric: 'perfkit.system.swap.used', label: 'swap used' }] },
    { id: 'disk', group: 'system', title: 'Disk I/O (KiB/s)', scale: KIB, agg: 'sum',
      series: [{ metric: 'perfkit.system.disk.read', label: 'read' }, { metric: 'perfkit.system.disk.written', label: 'written' }] },
    { id: 'network', group: 'system', title: 'Network (KiB/s)', scale: KIB, agg: 'sum',
      series: [{ metric: 'perfkit.system.network.received', label: 'received' },
        { metric: 'perfkit.system.network.sent', label: 'sent' }] },
    { id: 'ws-open', group: 'websockets', title: 'Open WebSocket sessions by channel', scale: 1, agg: 'sum',
      series: [{ metric: 'perfkit.websocket.connections.active', groupBy: 'channel' }] },
    { id: 'ws-messages', group: 'websockets', title: 'WebSocket messages /s', scale: 1, agg: 'sum',
      series: [{ metric: 'perfkit.websocket.messages', groupBy: 'direction' }] }
  ];
  var MAX_LINES = 12;
  var PALETTE = ['#2f6fdf', '#d0342c', '#1f9d55', '#d08a00', '#7b4fd6', '#0f8b8d', '#c2417a', '#5d6b82',
    '#8a6d00', '#2d9cdb', '#a83232', '#3f7f3f'];
  var CARDS = [
    { id: 'cpu', label: 'CPU' }, { id: 'heap', label: 'Heap' }, { id: 'rps', label: 'Requests /s' },
    { id: 'p95', label: 'Slowest p95' }, { id: 'errors', label: 'Error rate' },
    { id: 'threads', label: 'Threads' }, { id: 'health', label: 'Health' },
    { id: 'cache', label: 'Cache hits', optional: true }, { id: 'alerts', label: 'Active alerts', optional: true }
  ];
  var STREAM_INTERVAL = '2s';
  var POLL_MILLIS = 5000;
  var TABLES_EVERY = 5;
  // Sections (alerts, cache) refresh more often than the rest: a fired alert should show within seconds.
  var SECTIONS_EVERY = 2;

  var state = {
    range: '5m', live: true, source: null, pollTimer: null, events: 0, lastSummary: null,
    ops: [], sortKey: 'count', sortDir: -1, charts: {}, open: {}, rps: null, errorRate: null,
    chartRound: 0, sectionsAsked: 0, sectionsShown: 0, actions: {}, csrf: null, alertsSeen: {}, alertsHistory: [], cacheSection: null
  };

  // ------------------------------------------------------------------ DOM helpers (text only)

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function byId(id) { return document.getElementById(id); }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function num(v, digits) {
    if (v === null || v === undefined || typeof v !== 'number' || !isFinite(v)) { return '–'; }
    return v.toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 1 : digits,
      minimumFractionDigits: 0 });
  }
  function bytes(v) {
    if (typeof v !== 'number' || !isFinite(v)) { return '–'; }
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return num(v, 1) + ' ' + units[i];
  }
  function level(v, warn, bad) {
    if (typeof v !== 'number' || !isFinite(v)) { return ''; }
    return v >= bad ? 'bad' : v >= warn ? 'warn' : 'ok';
  }

  function getJson(path) {
    return fetch(path, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) { throw new Error(path + ': HTTP ' + r.status); }
        return r.json();
      });
  }
  function failed(what) {
    return function (e) {
      var c = byId('conn');
      c.textContent = 'error: ' + what;
      c.className = 'badge bad';
      if (window.console) { console.warn('perfkit dashboard', what, e); }
    };
  }

  // ------------------------------------------------------------------ cards

  function buildCards() {
    var root = byId('cards');
    CARDS.forEach(function (c) {
      var card = el('div', 'card');
      card.id = 'card-' + c.id;
      // Cards of optional modules (cache, alerts) show only when the module contributes its section.
      card.hidden = !!c.optional;
      card.appendChild(el('div', 'label', c.label));
      var v = el('div', 'value', '–');
      v.id = 'card-' + c.id + '-value';
      card.appendChild(v);
      var sub = el('div', 'sub', '');
      sub.id = 'card-' + c.id + '-sub';
      card.appendChild(sub);
      root.appendChild(card);
    });
  }
  function setCard(id, text, cls, sub) {
    byId('card-' + id + '-value').textContent = text;
    if (sub !== undefined) { byId('card-' + id + '-sub').textContent = sub; }
    byId('card-' + id).className = 'card' + (cls ? ' ' + cls : '');
  }
  function showCard(id, shown) { byId('card-' + id).hidden = !shown; }

  function onSummary(s) {
    var prev = state.lastSummary;
    state.lastSummary = s;
    var cpu = s.systemCpuUsage;
    setCard('cpu', typeof cpu === 'number' ? num(cpu * 100, 1) + ' %' : '–', level(cpu, 0.7, 0.9));
    var jvm = s.jvm || {};
    var heapRatio = jvm.heapMaxBytes > 0 ? jvm.heapUsedBytes / jvm.heapMaxBytes : null;
    setCard('heap', typeof jvm.heapUsedBytes === 'number' ? bytes(jvm.heapUsedBytes) : '–',
      level(heapRatio, 0.75, 0.9), heapRatio !== null ? num(heapRatio * 100, 1) + ' % of ' + bytes(jvm.heapMaxBytes) : '');
    setCard('threads', num(jvm.threadsLive, 0), level(jvm.threadsLive, 500, 2000));
    var http = s.http || {};
    if (prev && prev.http && s.timestamp > prev.timestamp) {
      var dReq = http.requests - prev.http.requests;
      var dErr = http.serverErrors - prev.http.serverErrors;
      state.rps = dReq * 1000 / (s.timestamp - prev.timestamp);
      state.errorRate = dReq > 0 ? dErr / dReq : 0;
    } else if (state.errorRate === null) {
      state.errorRate = http.requests > 0 ? http.serverErrors / http.requests : 0;
    }
    if (state.rps !== null) { setCard('rps', num(state.rps, 2), ''); }
    setCard('errors', num(state.errorRate * 100, 2) + ' %', level(state.errorRate, 0.01, 0.05));
    byId('updated').textContent = 'updated ' + new Date(s.timestamp).toLocaleTimeString();
  }

  // ------------------------------------------------------------------ charts

  function buildCharts() {
    CHARTS.forEach(function (c) {
      var root = byId('charts-' + c.group);
      var box = el('div', 'chart');
      box.id = 'chart-' + c.id;
      box.appendChild(el('h3', null, c.title));
      var plot = el('div', 'plot');
      box.appendChild(plot);
      var empty = el('p', 'muted empty', 'No data in this range yet.');
      empty.hidden = true;
      box.appendChild(empty);
      root.appendChild(box);
      state.charts[c.id] = { spec: c, box: box, plot: plot, empty: empty, uplot: null, xRange: null };
    });
  }

  function lineName(q, s) {
    if (!q.groupBy) { return q.label || q.metric; }
    var v = String((s.tags || {})[q.groupBy] === undefined ? '(none)' : s.tags[q.groupBy]);
    return q.names && Object.prototype.hasOwnProperty.call(q.names, v) ? q.names[v] : v;
  }
  function matches(q, s) {
    return !q.only || q.only.indexOf(String((s.tags || {})[q.groupBy])) >= 0;
  }

  /** The history URL of one query: the server filters by tags and merges series per line (few bytes for many series). */
  function historyUrl(q, spec, range, step) {
    var url = 'api/history?metric=' + encodeURIComponent(q.metric) + '&range=' + range + '&step=' + step
      + '&agg=' + spec.agg;
    if (q.groupBy) { url += '&groupBy=' + encodeURIComponent(q.groupBy); }
    if (q.where) {
      url += '&tags=' + encodeURIComponent(Object.keys(q.where).map(function (k) { return k + ':' + q.where[k]; })
        .join(','));
    }
    return url;
  }

  function mergeSeries(responses, spec) {
    // Series are grouped into lines, then summed, averaged or maxed per timestamp.
    var groups = {}, allTimes = {}, order = [];
    responses.forEach(function (r, qi) {
      var q = spec.series[qi];
      (r.series || []).forEach(function (s) {
        if (!matches(q, s)) { return; }
        var key = lineName(q, s);
        var g = groups[key];
        if (!g) { g = groups[key] = {}; order.push({ key: key, q: qi }); }
        (s.points || []).forEach(function (p) {
          var t = p[0];
          allTimes[t] = true;
          var b = g[t] || (g[t] = { sum: 0, n: 0, max: -Infinity });
          b.sum += p[3];
          b.n += 1;
          if (p[2] > b.max) { b.max = p[2]; }
        });
      });
    });
    var labels = order.sort(function (x, y) {
      if (x.q !== y.q) { return x.q - y.q; }
      var a = x.key, b = y.key, na = Number(a), nb = Number(b);
      if (isFinite(na) && isFinite(nb)) { return na - nb; }
      return a < b ? -1 : a > b ? 1 : 0;
    }).map(function (o) { return o.key; }).slice(0, MAX_LINES);
    var times = Object.keys(allTimes).map(Number).sort(function (a, b) { return a - b; });
    var data = [times.map(function (t) { return t / 1000; })];
    labels.forEach(function (label) {
      var g = groups[label];
      data.push(times.map(function (t) {
        var b = g[t];
        if (!b) { return null; }
        var v = spec.agg === 'avg' ? b.sum / b.n : spec.agg === 'max' ? b.max : b.sum;
        return v * spec.scale;
      }));
    });
    if (labels.length === 0) { data.push([]); labels.push('no data'); }
    return { data: data, labels: labels };
  }

  function drawChart(c, merged, h) {
    var data = merged.data;
    var width = Math.max(300, c.box.clientWidth || 420);
    // The x axis always spans the selected range, however few points it has.
    c.xRange = [h.from / 1000, h.to / 1000];
    c.box.setAttribute('data-points', String(data[0].length));
    c.box.setAttribute('data-range', state.range);
    c.empty.hidden = data[0].length > 0;
    var labelKey = merged.labels.join('\u0000');
    if (c.uplot && c.labelKey !== labelKey) {
      c.uplot.destroy();
      c.uplot = null;
    }
    c.labelKey = labelKey;
    if (c.uplot) {
      c.uplot.setData(data);
      if (Math.abs(c.uplot.width - width) > 4) { c.uplot.setSize({ width: width, height: 180 }); }
      return;
    }
    if (typeof window.uPlot !== 'function') { return; }
    c.uplot = new window.uPlot({
      width: width, height: 180,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: function (u, min, max) { return c.xRange || [min, max]; } } },
      axes: [{}, { size: 60 }],
      series: [{}].concat(merged.labels.map(function (label, i) {
        var colour = c.spec.fixedColours && LINE_COLOURS[label] ? LINE_COLOURS[label] : PALETTE[i % PALETTE.length];
        var line = { label: label, stroke: colour, width: 1.5, spanGaps: false,
          value: function (u, v) { return v === null || v === undefined ? '–' : num(v, 2); } };
        if (merged.labels.length === 1) { line.fill = 'rgba(47,111,223,0.12)'; }
        return line;
      }))
    }, data, c.plot);
  }

  function refreshCharts() {
    var range = state.range, step = RANGE_STEPS[range], round = ++state.chartRound, started = Date.now();
    var root = document.documentElement;
    root.setAttribute('data-charts-pending', range);
    var fetched = {};
    var all = CHARTS.map(function (spec) {
      var c = state.charts[spec.id];
      if (c.box.hidden) { return Promise.resolve(); }
      return Promise.all(spec.series.map(function (q) {
        // Charts that show the same query (requests by class, errors by class) share one request.
        var url = historyUrl(q, spec, range, step);
        return fetched[url] || (fetched[url] = getJson(url));
      })).then(function (responses) {
        if (round !== state.chartRound) { return; }
        var merged = mergeSeries(responses, spec);
        drawChart(c, merged, responses[0]);
        if (spec.id === 'rate' && state.rps === null && merged.data[0].length > 0) {
          var last = merged.data[0].length - 1, total = 0;
          for (var i = 1; i < merged.data.length; i++) { total += merged.data[i][last] || 0; }
          state.rps = total;
          setCard('rps', num(state.rps, 2), '');
        }
      }).catch(failed('history ' + spec.id));
    });
    Promise.all(all).then(function () {
      if (round !== state.chartRound) { return; }
      // Lets tests (and curious people) see when a range switch finished and how long it took.
      root.setAttribute('data-charts-range', range);
      root.setAttribute('data-charts-millis', String(Date.now() - started));
      root.removeAttribute('data-charts-pending');
    });
  }

  // ------------------------------------------------------------------ operations

  function opValue(o, key) {
    var w = o.window || {};
    switch (key) {
      case 'name': return o.name;
      case 'tags': return tagText(o.tags);
      case 'count': return w.count;
      case 'rate': return w.ratePerSecond;
      case 'mean': return w.meanMillis;
      case 'p50': return w.p50Millis;
      case 'p95': return w.p95Millis;
      case 'p99': return w.p99Millis;
      default: return w.maxMillis;
    }
  }
  function tagText(tags) {
    return Object.keys(tags || {}).map(function (k) { return k + '=' + tags[k]; }).join(', ');
  }

  function renderOperations() {
    var body = document.querySelector('#operations tbody');
    clear(body);
    var key = state.sortKey, dir = state.sortDir;
    var rows = state.ops.slice().sort(function (a, b) {
      var x = opValue(a, key), y = opValue(b, key);
      if (typeof x === 'string' || typeof y === 'string') {
        var sx = String(x === undefined || x === null ? '' : x), sy = String(y === undefined || y === null ? '' : y);
        return dir * (sx < sy ? -1 : sx > sy ? 1 : 0);
      }
      return dir * ((x || 0) - (y || 0));
    });
    rows.forEach(function (o) {
      var tr = el('tr');
      tr.appendChild(el('td', 'op-name', o.name));
      tr.appendChild(el('td', 'muted', tagText(o.tags)));
      ['count', 'rate', 'mean', 'p50', 'p95', 'p99', 'max'].forEach(function (k) {
        tr.appendChild(el('td', 'num', num(opValue(o, k), k === 'count' ? 0 : 2)));
      });
      body.appendChild(tr);
    });
    byId('operations-empty').hidden = rows.length > 0;
    document.querySelectorAll('#operations th').forEach(function (th) {
      th.classList.remove('sorted-asc', 'sorted-desc');
      if (th.getAttribute('data-key') === key) { th.classList.add(dir > 0 ? 'sorted-asc' : 'sorted-desc'); }
    });
    var p95 = null;
    state.ops.forEach(function (o) {
      var v = o.window && o.window.count > 0 ? o.window.p95Millis : null;
      if (typeof v === 'number' && (p95 === null || v > p95)) { p95 = v; }
    });
    setCard('p95', p95 === null ? '0 ms' : num(p95, 1) + ' ms', level(p95, 500, 2000));
  }

  function refreshOperations() {
    getJson('api/operations?limit=200').then(function (r) {
      state.ops = r.operations || [];
      renderOperations();
    }).catch(failed('operations'));
  }

  function bindSorting() {
    document.querySelectorAll('#operations th').forEach(function (th) {
      th.addEventListener('click', function () {
        var key = th.getAttribute('data-key');
        if (state.sortKey === key) {
          state.sortDir = -state.sortDir;
        } else {
          state.sortKey = key;
          state.sortDir = th.getAttribute('data-type') === 'text' ? 1 : -1;
        }
        renderOperations();
      });
    });
  }

  // ------------------------------------------------------------------ slow requests

  var MAX_TREE_NODES = 2000;

  function treeNode(n, total, budget) {
    var li = el('li', 'node');
    li.appendChild(el('span', 'node-name', n.name));
    var d = n.durationMillis;
    li.appendChild(el('span', 'dur', d === null || d === undefined ? 'running' : num(d, 2) + ' ms'));
    if (n.queryCount > 0) { li.appendChild(el('span', 'dur', n.queryCount + ' queries')); }
    var tags = tagText(n.tags);
    if (tags) { li.appendChild(el('span', 'dur', tags)); }
    if (typeof d === 'number' && total > 0) {
      var bar = el('span', 'bar');
      bar.style.width = Math.max(1, Math.round(120 * d / total)) + 'px';
      li.appendChild(bar);
    }
    var kids = n.children || [];
    if (kids.length > 0 && budget.left > 0) {
      var ul = el('ul', 'tree');
      kids.forEach(function (k) {
        if (budget.left-- > 0) { ul.appendChild(treeNode(k, total, budget)); }
      });
      li.appendChild(ul);
    }
    return li;
  }

  function renderSlow(list) {
    var root = byId('slow');
    // Unchanged list: keep the buttons, so a refresh never swallows a click on them.
    var signature = list.map(function (t) { return t.id + ':' + t.durationMillis; }).join(',');
    if (signature === state.slowSignature) { return; }
    state.slowSignature = signature;
    clear(root);
    list.forEach(function (t) {
      var li = el('li', 'slow-request');
      li.setAttribute('data-id', t.id);
      var btn = el('button', 'toggle');
      btn.type = 'button';
      var open = !!state.open[t.id];
      btn.setAttribute('aria-expanded', String(open));
      btn.textContent = (open ? '▾ ' : '▸ ') + t.name + ' — ' + num(t.durationMillis, 1) + ' ms, '
        + t.nodeCount + ' nodes, ' + new Date(t.start).toLocaleTimeString();
      li.appendChild(btn);
      var tree = el('ul', 'tree profile-tree');
      tree.hidden = !open;
      if (open) { tree.appendChild(treeNode(t.root, t.durationMillis, { left: MAX_TREE_NODES })); }
      btn.addEventListener('click', function () {
        var nowOpen = tree.hidden;
        state.open[t.id] = nowOpen;
        clear(tree);
        if (nowOpen) { tree.appendChild(treeNode(t.root, t.durationMillis, { left: MAX_TREE_NODES })); }
        tree.hidden = !nowOpen;
        btn.setAttribute('aria-expanded', String(nowOpen));
        btn.textContent = (nowOpen ? '▾' : '▸') + btn.textContent.substring(1);
      });
      li.appendChild(tree);
      root.appendChild(li);
    });
    byId('slow-empty').hidden = list.length > 0;
  }

  function refreshSlow() {
    getJson('api/slow-requests?limit=20').then(function (r) { renderSlow(r.requests || []); })
      .catch(failed('slow requests'));
  }

  // ------------------------------------------------------------------ health, status, sections

  function refreshStatus() {
    getJson('status').then(function (s) {
      if (s.version && s.version !== 'unknown') { byId('version').textContent = 'v' + s.version; }
      var h = s.health || {};
      var cls = h.status === 'UP' ? 'ok' : h.status === 'DOWN' ? 'bad' : 'warn';
      setCard('health', h.status || '–', cls);
      var body = document.querySelector('#health tbody');
      clear(body);
      var comps = h.components || {};
      Object.keys(comps).forEach(function (name) {
        var c = comps[name];
        var tr = el('tr');
        tr.appendChild(el('td', null, name));
        tr.appendChild(el('td', 'status-' + String(c.status).replace(/[^A-Z_]/g, ''), c.status));
        tr.appendChild(el('td', null, c.message || ''));
        tr.appendChild(el('td', 'num', num(c.responseTimeMillis, 2)));
        body.appendChild(tr);
      });
      if (!state.lastSummary || (state.live && !state.source)) {
        // Before the first stream event, or when polling, the status gives the same summary values.
        onSummary({ timestamp: Date.now(), systemCpuUsage: (s.system || {}).cpuUsage, jvm: s.jvm || {},
          http: (state.lastSummary && state.lastSummary.http) || { requests: 0, serverErrors: 0 } });
      }
    }).catch(failed('status'));
  }

  function kvTable(obj, depth) {
    var table = el('table', 'kv');
    Object.keys(obj).forEach(function (k) {
      var tr = el('tr');
      tr.appendChild(el('th', null, k));
      tr.appendChild(valueCell(obj[k], depth));
      table.appendChild(tr);
    });
    return table;
  }
  function valueCell(v, depth) {
    var td = el('td');
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 4) {
      td.appendChild(kvTable(v, depth + 1));
    } else if (Array.isArray(v) && depth < 4 && v.every(function (x) { return x !== null && typeof x === 'object'; })) {
      v.slice(0, 50).forEach(function (x) { td.appendChild(kvTable(x, depth + 1)); });
      if (v.length > 50) { td.appendChild(el('div', 'muted', '… ' + (v.length - 50) + ' more')); }
    } else if (typeof v === 'number') {
      td.textContent = num(v, 3);
      td.className = 'num';
    } else if (v !== null && typeof v === 'object') {
      td.textContent = JSON.stringify(v);
    } else {
      td.textContent = v === null ? '–' : String(v);
    }
    return td;
  }

  // Sections with a panel of their own are not repeated in the generic list.
  var OWN_PANELS = { alerts: true, cache: true };

  function refreshSections() {
    // An answer older than one already shown is dropped (a slow refresh must not undo an action's result).
    var seq = ++state.sectionsAsked;
    getJson('api/sections').then(function (r) {
      if (seq < state.sectionsShown) { return; }
      state.sectionsShown = seq;
      var root = byId('sections');
      clear(root);
      var sections = r.sections || {};
      state.actions = r.actions || {};
      renderAlerts(sections.alerts);
      state.cacheSection = sections.cache || null;
      refreshCache();
      var shown = 0;
      Object.keys(sections).forEach(function (name) {
        if (OWN_PANELS[name]) { return; }
        shown++;
        var box = el('div', 'section');
        box.setAttribute('data-section', name);
        box.appendChild(el('h3', 'section', name));
        var v = sections[name];
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          box.appendChild(kvTable(v, 0));
        } else {
          var t = el('table', 'kv');
          var tr = el('tr');
          tr.appendChild(valueCell(v, 0));
          t.appendChild(tr);
          box.appendChild(t);
        }
        root.appendChild(box);
      });
      byId('sections-empty').hidden = shown > 0;
    }).catch(failed('sections'));
  }

  // ------------------------------------------------------------------ meters by tags (snapshot API)

  function meterValue(m, stat) {
    var v = (m.values || {})[stat];
    return typeof v === 'number' && isFinite(v) ? v : 0;
  }
  function cell(tr, text, cls) { var td = el('td', cls, text); tr.appendChild(td); return td; }

  function refreshEndpoints() {
    getJson('api/snapshot?prefix=perfkit.http.server.requests&limit=5000').then(function (r) {
      var byEndpoint = {};
      (r.meters || []).forEach(function (m) {
        if (m.name !== 'perfkit.http.server.requests') { return; }
        var t = m.tags || {};
        var key = (t.method || '') + ' ' + (t.uri || '');
        var e = byEndpoint[key] || (byEndpoint[key] = { method: t.method || '', uri: t.uri || '', count: 0, c4: 0,
          c5: 0, total: 0, max: 0 });
        var n = meterValue(m, 'count');
        e.count += n;
        if (t['status.class'] === '4xx') { e.c4 += n; }
        if (t['status.class'] === '5xx') { e.c5 += n; }
        e.total += meterValue(m, 'total');
        e.max = Math.max(e.max, meterValue(m, 'max'));
      });
      var rows = Object.keys(byEndpoint).map(function (k) { return byEndpoint[k]; })
        .sort(function (a, b) { return b.count - a.count; }).slice(0, 15);
      var body = document.querySelector('#endpoints tbody');
      clear(body);
      rows.forEach(function (e) {
        var tr = el('tr');
        cell(tr, e.method, 'method');
        cell(tr, e.uri, 'endpoint-uri');
        cell(tr, num(e.count, 0), 'num');
        cell(tr, num(e.c4, 0), 'num' + (e.c4 > 0 ? ' warn-text' : ''));
        cell(tr, num(e.c5, 0), 'num' + (e.c5 > 0 ? ' bad-text' : ''));
        cell(tr, num(e.count > 0 ? e.total * 1000 / e.count : null, 2), 'num');
        cell(tr, num(e.max * 1000, 2), 'num');
        body.appendChild(tr);
      });
      byId('endpoints-empty').hidden = rows.length > 0;
    }).catch(failed('endpoints'));
  }

  // ------------------------------------------------------------------ cache

  function ratio(v) { return typeof v === 'number' && isFinite(v) ? num(v * 100, 1) + ' %' : '–'; }

  function refreshCache() {
    renderCache();
    if (!state.cacheSection) { return; }
    getJson('api/snapshot?prefix=perfkit.cache.&limit=5000').then(function (r) {
      state.cacheMeters = r.meters || [];
      renderCache();
    }).catch(failed('cache'));
  }

  function renderCache() {
    var section = state.cacheSection;
    byId('panel-cache').hidden = !section;
    byId('jump-cache').hidden = !section;
    showCard('cache', !!section);
    if (!section) { return; }
    var caches = {};
    function entry(name) {
      return caches[name] || (caches[name] = { l1: { hits: 0, misses: 0, size: null }, l2: { hits: 0, misses: 0,
        size: null }, evictions: 0, loads: 0, loadFailures: 0, seenL2: false, section: null });
    }
    var perCache = section.caches && typeof section.caches === 'object' ? section.caches : {};
    Object.keys(perCache).forEach(function (name) { entry(name).section = perCache[name] || {}; });
    (state.cacheMeters || []).forEach(function (m) {
      var t = m.tags || {};
      if (!t.cache) { return; }
      var c = entry(t.cache);
      if (m.name === 'perfkit.cache.gets' && (t.level === 'l1' || t.level === 'l2')) {
        c[t.level][t.result === 'hit' ? 'hits' : 'misses'] += meterValue(m, 'count');
        if (t.level === 'l2') { c.seenL2 = true; }
      } else if (m.name === 'perfkit.cache.evictions') {
        c.evictions += meterValue(m, 'count');
      } else if (m.name === 'perfkit.cache.size' && (t.level === 'l1' || t.level === 'l2')) {
        c[t.level].size = meterValue(m, 'value');
      } else if (m.name === 'perfkit.cache.loads') {
        if (t.result === 'failure') { c.loadFailures += meterValue(m, 'count'); } else { c.loads += meterValue(m, 'count'); }
      }
    });
    var l2 = typeof section.l2 === 'string' ? section.l2 : 'none';
    byId('cache-l2').textContent = 'L2 ' + (l2 === 'none' ? 'not configured' : l2);
    var body = document.querySelector('#cache tbody');
    clear(body);
    var lookups = 0, served = 0, ratios = [];
    var names = Object.keys(caches).sort();
    names.forEach(function (name) {
      var c = caches[name], s = c.section || {};
      var levels = ['l1'];
      if (c.seenL2 || (l2 !== 'none' && typeof s.l2HitRatio === 'number')) { levels.push('l2'); }
      levels.forEach(function (lv, i) {
        var d = c[lv], total = d.hits + d.misses;
        var r = total > 0 ? d.hits / total : s[lv + 'HitRatio'];
        var tr = el('tr');
        tr.setAttribute('data-cache', name);
        tr.setAttribute('data-level', lv);
        cell(tr, i === 0 ? name : '', 'cache-name');
        cell(tr, lv.toUpperCase() + (lv === 'l2' ? ' (' + l2 + ')' : ''), lv === 'l2' && l2 === 'open' ? 'bad-text' : '');
        cell(tr, num(d.hits, 0), 'num');
        cell(tr, num(d.misses, 0), 'num');
        cell(tr, ratio(r), 'num hit-ratio');
        cell(tr, lv === 'l1' ? num(c.evictions, 0) : '', 'num');
        cell(tr, num(d.size !== null ? d.size : (lv === 'l1' ? s.l1Size : null), 0), 'num');
        cell(tr, i === 0 ? num(c.loads || s.loads, 0) : '', 'num');
        cell(tr, i === 0 ? num(c.loadFailures || s.loadFailures, 0) : '', 'num');
        body.appendChild(tr);
      });
      lookups += c.l1.hits + c.l1.misses;
      served += c.l1.hits + c.l2.hits;
      if (typeof s.l1HitRatio === 'number' && isFinite(s.l1HitRatio)) { ratios.push(s.l1HitRatio); }
    });
    byId('cache-empty').hidden = names.length > 0;
    renderInvalidateForm(names);
    // Overall: lookups answered by any level; without meters, the mean of the caches' L1 ratios.
    var overall = lookups > 0 ? served / lookups
      : ratios.length > 0 ? ratios.reduce(function (a, b) { return a + b; }, 0) / ratios.length : null;
    var cls = overall === null ? '' : overall >= 0.8 ? 'ok' : overall >= 0.5 ? 'warn' : 'bad';
    setCard('cache', ratio(overall), cls, names.length + (names.length === 1 ? ' cache' : ' caches')
      + (l2 === 'none' ? '' : ', L2 ' + l2));
  }

  /** The invalidate form shows when the cache section offers the action; its list follows the caches. */
  function renderInvalidateForm(names) {
    byId('invalidate-form').hidden = !offers('cache', 'invalidate') || names.length === 0;
    var select = byId('invalidate-cache');
    var signature = names.join('\n');
    if (select.getAttribute('data-names') === signature) { return; }
    var chosen = select.value;
    clear(select);
    names.forEach(function (name) {
      var option = el('option', null, name);
      option.value = name;
      select.appendChild(option);
    });
    if (names.indexOf(chosen) >= 0) { select.value = chosen; }
    select.setAttribute('data-names', signature);
  }

  function cacheMessage(text, bad) {
    var m = byId('cache-message');
    m.textContent = text;
    m.className = 'notice' + (bad ? ' bad' : '');
    m.hidden = false;
  }

  function bindInvalidateForm() {
    byId('invalidate-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var cache = byId('invalidate-cache').value;
      var pattern = byId('invalidate-pattern').value.trim();
      if (!cache || !pattern) { cacheMessage('choose a cache and a key pattern', true); return; }
      var button = document.querySelector('#invalidate-form button');
      button.disabled = true;
      postAction('cache', 'invalidate', { cache: cache, pattern: pattern }).then(function (r) {
        var removed = r && r.result ? r.result.l2KeysRemoved : null;
        cacheMessage('Invalidated ' + pattern + ' in ' + cache
          + (typeof removed === 'number' ? ' (' + removed + ' L2 keys removed)' : ''), false);
        button.disabled = false;
        refreshSections();
      }).catch(function (e) {
        cacheMessage('invalidate failed: ' + e.message, true);
        button.disabled = false;
      });
    });
  }

  // ------------------------------------------------------------------ WebSockets

  function refreshWebSockets() {
    getJson('api/snapshot?prefix=perfkit.websocket.&limit=5000').then(function (r) {
      var channels = {};
      (r.meters || []).forEach(function (m) {
        var t = m.tags || {};
        if (!t.channel) { return; }
        var c = channels[t.channel] || (channels[t.channel] = { open: 0, peak: 0, opened: 0, msgIn: 0, msgOut: 0,
          bytesIn: 0, bytesOut: 0, sendErrors: 0, errors: 0, sessions: 0, sessionTime: 0 });
        var dirIn = t.direction === 'in';
        switch (m.name) {
          case 'perfkit.websocket.connections.active': c.open = meterValue(m, 'value'); break;
          case 'perfkit.websocket.connections.peak': c.peak = meterValue(m, 'value'); break;
          case 'perfkit.websocket.connections': c.opened = meterValue(m, 'count'); break;
          case 'perfkit.websocket.messages': c[dirIn ? 'msgIn' : 'msgOut'] += meterValue(m, 'count'); break;
          case 'perfkit.websocket.bytes': c[dirIn ? 'bytesIn' : 'bytesOut'] += meterValue(m, 'count'); break;
          case 'perfkit.websocket.send.errors': c.sendErrors = meterValue(m, 'count'); break;
          case 'perfkit.websocket.errors': c.errors = meterValue(m, 'count'); break;
          case 'perfkit.websocket.session.duration':
            c.sessions = meterValue(m, 'count'); c.sessionTime = meterValue(m, 'total'); break;
          default: break;
        }
      });
      var names = Object.keys(channels).sort();
      byId('panel-websockets').hidden = names.length === 0;
      byId('jump-websockets').hidden = names.length === 0;
      var body = document.querySelector('#websockets tbody');
      clear(body);
      names.forEach(function (name) {
        var c = channels[name], tr = el('tr');
        cell(tr, name, 'ws-channel');
        [c.open, c.peak, c.opened, c.msgIn, c.msgOut].forEach(function (v) { cell(tr, num(v, 0), 'num'); });
        cell(tr, bytes(c.bytesIn), 'num');
        cell(tr, bytes(c.bytesOut), 'num');
        cell(tr, num(c.sendErrors, 0), 'num' + (c.sendErrors > 0 ? ' bad-text' : ''));
        cell(tr, num(c.errors, 0), 'num' + (c.errors > 0 ? ' bad-text' : ''));
        cell(tr, c.sessions > 0 ? num(c.sessionTime / c.sessions, 1) + ' s' : '–', 'num');
        body.appendChild(tr);
      });
    }).catch(failed('websockets'));
  }

  // ------------------------------------------------------------------ alerts and actions

  function csrfToken() {
    if (state.csrf) { return Promise.resolve(state.csrf); }
    return getJson('api/csrf').then(function (r) { state.csrf = r.token; return r.token; });
  }

  /** POSTs a section action (form-encoded) with the CSRF token; resolves to the JSON answer or rejects with its message. */
  function postAction(section, action, params) {
    return csrfToken().then(function (token) {
      var body = Object.keys(params).map(function (k) {
        return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
      }).join('&');
      return fetch('api/sections/' + encodeURIComponent(section) + '/' + encodeURIComponent(action), {
        method: 'POST', credentials: 'same-origin', cache: 'no-store', body: body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json',
          'X-Perfkit-CSRF': token }
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) {
            if (r.status === 403) { state.csrf = null; }
            throw new Error(j.message || ('HTTP ' + r.status));
          }
          return j;
        });
      });
    });
  }

  function offers(section, action) {
    return (state.actions[section] || []).indexOf(action) >= 0;
  }

  function alertMessage(text, bad) {
    var m = byId('alerts-message');
    m.textContent = text;
    m.className = 'notice' + (bad ? ' bad' : '');
    m.hidden = false;
  }

  function runAlertAction(action, params, done, button) {
    if (button) { button.disabled = true; }
    postAction('alerts', action, params).then(function () {
      alertMessage(done, false);
      refreshSections();
    }).catch(function (e) {
      alertMessage(action + ' failed: ' + e.message, true);
      if (button) { button.disabled = false; }
    });
  }

  function levelBadge(level) {
    var lv = String(level || '').toLowerCase().replace(/[^a-z]/g, '');
    return el('span', 'level level-' + lv, lv || '?');
  }
  function when(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso || '') : d.toLocaleString();
  }

  function alertRow(a, history) {
    var tr = el('tr');
    tr.setAttribute('data-alert-id', String(a.id));
    var lvl = el('td');
    lvl.appendChild(levelBadge(a.level));
    tr.appendChild(lvl);
    var name = el('td', 'alert-name');
    name.appendChild(el('div', 'alert-rule', a.rule));
    if (a.title && a.title !== a.rule) { name.appendChild(el('div', 'muted alert-title', a.title)); }
    tr.appendChild(name);
    cell(tr, a.subject, 'alert-subject');
    var st = cell(tr, a.state, 'alert-state state-' + String(a.state || '').toLowerCase().replace(/[^a-z]/g, ''));
    if (a.silenced === true) { st.appendChild(el('span', 'tag', 'silenced')); }
    cell(tr, when(a.since || a.at), 'muted');
    if (history) {
      cell(tr, a.kind ? String(a.kind).toLowerCase() : 'left the active list ' + when(a.endedAt || a.seenUntil), 'muted');
      return tr;
    }
    cell(tr, a.acknowledgedBy || '', 'alert-ack');
    var actions = el('td', 'actions');
    if (offers('alerts', 'acknowledge') && !a.acknowledgedBy) {
      var ack = el('button', 'btn small ack', 'Acknowledge');
      ack.type = 'button';
      ack.addEventListener('click', function () {
        runAlertAction('acknowledge', { id: String(a.id), by: 'dashboard' }, 'Acknowledged ' + a.rule, ack);
      });
      actions.appendChild(ack);
    }
    if (offers('alerts', 'silence')) {
      var sil = el('button', 'btn small silence', 'Silence…');
      sil.type = 'button';
      sil.addEventListener('click', function () {
        byId('silence-matchers').value = 'alertname=' + a.rule + (a.subject ? ',subject=' + a.subject : '');
        byId('silence-form').hidden = false;
        byId('silence-matchers').focus();
      });
      actions.appendChild(sil);
    }
    tr.appendChild(actions);
    return tr;
  }

  function renderAlerts(section) {
    var present = !!section && typeof section === 'object';
    byId('panel-alerts').hidden = !present;
    byId('jump-alerts').hidden = !present;
    showCard('alerts', present);
    if (!present) { return; }
    var active = Array.isArray(section.active) ? section.active : [];
    var byLevel = section.firingByLevel || {};
    var firing = 0;
    Object.keys(byLevel).forEach(function (k) { if (typeof byLevel[k] === 'number') { firing += byLevel[k]; } });
    var severe = (byLevel.critical || 0) + (byLevel.high || 0);
    // perf-alerts lists its silences (with silenceCount); an older shape gave their number only.
    var silences = Array.isArray(section.silences) ? section.silences : [];
    var silenceCount = typeof section.silenceCount === 'number' ? section.silenceCount
      : typeof section.silences === 'number' ? section.silences : silences.length;
    var count = typeof section.activeCount === 'number' ? section.activeCount : active.length;
    setCard('alerts', num(count, 0), severe > 0 ? 'bad' : firing > 0 ? 'warn' : 'ok',
      firing + ' firing' + (severe > 0 ? ', ' + severe + ' high or critical' : '')
      + (silenceCount > 0 ? ', ' + silenceCount + ' silences' : ''));
    byId('alerts-summary').textContent = num(count, 0) + ' active, ' + num(silenceCount, 0) + ' silences, '
      + num(section.rules || 0, 0) + ' rules';
    renderSilences(silences);
    var body = document.querySelector('#alerts tbody');
    var now = Date.now(), current = {};
    active.forEach(function (a) { current[a.id] = a; });
    // Rows are rebuilt only when an alert or the offered actions changed: a refresh between the
    // press and the release of a button would otherwise swallow the click.
    var signature = JSON.stringify([active, state.actions.alerts || []]);
    if (signature !== state.alertsSignature) {
      state.alertsSignature = signature;
      clear(body);
      active.forEach(function (a) { body.appendChild(alertRow(a, false)); });
    }
    byId('alerts-empty').hidden = active.length > 0;
    byId('silence-form').hidden = !offers('alerts', 'silence');
    // History: the section's own when it has one, else alerts this page saw leave the active list.
    Object.keys(state.alertsSeen).forEach(function (id) {
      if (!current[id]) {
        var gone = state.alertsSeen[id];
        gone.state = 'RESOLVED';
        gone.seenUntil = new Date(now).toISOString();
        state.alertsHistory.unshift(gone);
      }
    });
    state.alertsHistory = state.alertsHistory.slice(0, 50);
    state.alertsSeen = {};
    Object.keys(current).forEach(function (id) {
      var copy = {};
      Object.keys(current[id]).forEach(function (k) { copy[k] = current[id][k]; });
      state.alertsSeen[id] = copy;
    });
    var history = Array.isArray(section.history) ? section.history.slice(0, 50)
      : Array.isArray(section.recent) ? section.recent.slice(0, 50) : state.alertsHistory;
    var hbody = document.querySelector('#alerts-history tbody');
    clear(hbody);
    history.forEach(function (a) { hbody.appendChild(alertRow(a, true)); });
    byId('alerts-history-empty').hidden = history.length > 0;
  }

  function renderSilences(list) {
    var signature = JSON.stringify([list, state.actions.alerts || []]);
    if (signature === state.silencesSignature) { return; }
    state.silencesSignature = signature;
    byId('silences-box').hidden = list.length === 0;
    var body = document.querySelector('#silences tbody');
    clear(body);
    list.forEach(function (si) {
      var tr = el('tr');
      var m = si.matchers && typeof si.matchers === 'object' ? si.matchers : {};
      cell(tr, Object.keys(m).map(function (k) { return k + '=' + m[k]; }).join(', '), 'silence-matchers');
      cell(tr, when(si.endsAt), 'muted');
      cell(tr, si.createdBy || '', null);
      cell(tr, si.comment || '', 'muted');
      var actions = el('td', 'actions');
      if (offers('alerts', 'unsilence')) {
        var expire = el('button', 'btn small silence', 'Expire');
        expire.type = 'button';
        expire.addEventListener('click', function () {
          runAlertAction('unsilence', { id: String(si.id) }, 'Expired the silence', expire);
        });
        actions.appendChild(expire);
      }
      tr.appendChild(actions);
      body.appendChild(tr);
    });
  }

  function bindSilenceForm() {
    byId('silence-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var matchers = byId('silence-matchers').value.trim();
      if (!matchers) { alertMessage('a silence needs at least one matcher', true); return; }
      var params = { matchers: matchers, duration: byId('silence-duration').value, by: 'dashboard' };
      var comment = byId('silence-comment').value.trim();
      if (comment) { params.comment = comment; }
      runAlertAction('silence', params, 'Silenced ' + matchers + ' for ' + params.duration);
    });
  }

  function refreshAll() {
    refreshStatus();
    refreshOperations();
    refreshSlow();
    refreshSections();
    refreshEndpoints();
    refreshWebSockets();
    refreshCharts();
  }

  // ------------------------------------------------------------------ live updates

  function setConn(text, cls) {
    var c = byId('conn');
    c.textContent = text;
    c.className = 'badge' + (cls ? ' ' + cls : '');
  }

  function stopLive() {
    if (state.source) { state.source.close(); state.source = null; }
    if (state.pollTimer) { clearInterval(state.pollTimer); state.pollTimer = null; }
  }

  function startPolling() {
    if (state.pollTimer) { return; }
    setConn('polling', 'warn');
    state.pollTimer = setInterval(refreshAll, POLL_MILLIS);
  }

  function startLive() {
    stopLive();
    if (typeof window.EventSource !== 'function') { startPolling(); return; }
    var failures = 0;
    var src = new EventSource('api/stream?interval=' + STREAM_INTERVAL);
    state.source = src;
    src.addEventListener('open', function () { failures = 0; setConn('live', 'ok'); });
    src.addEventListener('summary', function (ev) {
      var s;
      try { s = JSON.parse(ev.data); } catch (e) { return; }
      onSummary(s);
      state.events++;
      if (state.events % TABLES_EVERY === 0) {
        refreshAll();
      } else if (state.events % SECTIONS_EVERY === 0) {
        refreshSections();
      }
    });
    src.addEventListener('error', function () {
      failures++;
      if (src.readyState === EventSource.CLOSED || failures >= 3) {
        // The stream is refused (e.g. too many streams) or keeps failing: poll instead.
        src.close();
        if (state.source === src) { state.source = null; }
        if (state.live) { startPolling(); }
      } else {
        setConn('reconnecting', 'warn');
      }
    });
  }

  function init() {
    buildCards();
    buildCharts();
    bindSorting();
    bindSilenceForm();
    bindInvalidateForm();
    byId('range').addEventListener('change', function (e) {
      state.range = e.target.value in RANGE_STEPS ? e.target.value : '5m';
      refreshCharts();
    });
    byId('live').addEventListener('change', function (e) {
      state.live = e.target.checked;
      if (state.live) { startLive(); refreshAll(); } else { stopLive(); setConn('paused', ''); }
    });
    var resizeTimer = null;
    window.addEventListener('resize', function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(refreshCharts, 200);
    });
    refreshAll();
    startLive();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
