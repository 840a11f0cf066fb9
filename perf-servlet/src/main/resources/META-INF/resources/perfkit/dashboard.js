/*
 * Perfkit dashboard. Plain JavaScript, no framework, no network beyond this server's own /perf API.
 * Every value from the server is rendered with textContent or DOM APIs, never as HTML.
 */
(function () {
  'use strict';

  var RANGE_STEPS = { '5m': '2s', '15m': '5s', '1h': '15s', '6h': '1m', '1d': '5m', '7d': '30m' };
  var CHARTS = [
    { id: 'cpu', title: 'System CPU (%)', metric: 'perfkit.system.cpu.usage', scale: 100, agg: 'avg' },
    { id: 'heap', title: 'Heap used (MiB)', metric: 'perfkit.jvm.heap.used', scale: 1 / 1048576, agg: 'sum' },
    { id: 'gc', title: 'GC pressure (%)', metric: 'perfkit.jvm.gc.pressure', scale: 100, agg: 'avg' },
    { id: 'threads', title: 'Live threads', metric: 'perfkit.jvm.threads.live', scale: 1, agg: 'sum' },
    { id: 'rate', title: 'HTTP requests /s by status class', metric: 'perfkit.http.server.requests.count', scale: 1,
      agg: 'sum', groupBy: 'status.class' },
    { id: 'states', title: 'Threads by state', metric: 'perfkit.jvm.threads.states', scale: 1, agg: 'sum',
      groupBy: 'state' },
    { id: 'pools', title: 'Memory by pool (MiB)', metric: 'perfkit.jvm.memory.used', scale: 1 / 1048576, agg: 'sum',
      groupBy: 'pool' },
    { id: 'cores', title: 'CPU per core (%)', metric: 'perfkit.system.cpu.core.usage', scale: 100, agg: 'avg',
      groupBy: 'core' },
    { id: 'network', title: 'Network received (KiB/s)', metric: 'perfkit.system.network.received', scale: 1 / 1024,
      agg: 'sum', groupBy: 'interface' }
  ];
  var MAX_LINES = 12;
  var PALETTE = ['#2f6fdf', '#d0342c', '#1f9d55', '#d08a00', '#7b4fd6', '#0f8b8d', '#c2417a', '#5d6b82',
    '#8a6d00', '#2d9cdb', '#a83232', '#3f7f3f'];
  var CARDS = [
    { id: 'cpu', label: 'CPU' }, { id: 'heap', label: 'Heap' }, { id: 'rps', label: 'Requests /s' },
    { id: 'p95', label: 'p95 (slowest op)' }, { id: 'errors', label: 'Error rate' },
    { id: 'threads', label: 'Threads' }, { id: 'health', label: 'Health' }
  ];
  var STREAM_INTERVAL = '2s';
  var POLL_MILLIS = 5000;
  var TABLES_EVERY = 5;

  var state = {
    range: '5m', live: true, source: null, pollTimer: null, events: 0, lastSummary: null,
    ops: [], sortKey: 'count', sortDir: -1, charts: {}, open: {}, rps: null, errorRate: null
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
    var root = byId('charts');
    CHARTS.forEach(function (c) {
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

  function mergeSeries(series, spec) {
    // Series of one metric are grouped by one tag (or all into one line), then summed or averaged per timestamp.
    var groups = {}, allTimes = {};
    series.forEach(function (s) {
      var key = spec.groupBy ? String((s.tags || {})[spec.groupBy] || '(none)') : spec.title;
      var g = groups[key] || (groups[key] = {});
      (s.points || []).forEach(function (p) {
        var t = p[0];
        allTimes[t] = true;
        var b = g[t] || (g[t] = { sum: 0, n: 0 });
        b.sum += p[3];
        b.n += 1;
      });
    });
    var labels = Object.keys(groups).sort(function (a, b) {
      var na = Number(a), nb = Number(b);
      if (isFinite(na) && isFinite(nb)) { return na - nb; }
      return a < b ? -1 : a > b ? 1 : 0;
    }).slice(0, MAX_LINES);
    var times = Object.keys(allTimes).map(Number).sort(function (a, b) { return a - b; });
    var data = [times.map(function (t) { return t / 1000; })];
    labels.forEach(function (label) {
      var g = groups[label];
      data.push(times.map(function (t) {
        var b = g[t];
        return b ? (spec.agg === 'avg' ? b.sum / b.n : b.sum) * spec.scale : null;
      }));
    });
    if (labels.length === 0) { data.push([]); labels.push(spec.title); }
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
        var line = { label: label, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: false,
          value: function (u, v) { return v === null || v === undefined ? '–' : num(v, 2); } };
        if (merged.labels.length === 1) { line.fill = 'rgba(47,111,223,0.12)'; }
        return line;
      }))
    }, data, c.plot);
  }

  function refreshCharts() {
    var step = RANGE_STEPS[state.range];
    CHARTS.forEach(function (spec) {
      var q = 'api/history?metric=' + encodeURIComponent(spec.metric) + '&range=' + state.range + '&step=' + step;
      getJson(q).then(function (h) {
        var c = state.charts[spec.id];
        var merged = mergeSeries(h.series || [], spec);
        drawChart(c, merged, h);
        if (spec.id === 'rate' && state.rps === null && merged.data[0].length > 0) {
          var last = merged.data[0].length - 1, total = 0;
          for (var i = 1; i < merged.data.length; i++) { total += merged.data[i][last] || 0; }
          state.rps = total;
          setCard('rps', num(state.rps, 2), '');
        }
      }).catch(failed('history ' + spec.metric));
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
      if (s.version) { byId('version').textContent = 'v' + s.version; }
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

  function refreshSections() {
    getJson('api/sections').then(function (r) {
      var root = byId('sections');
      clear(root);
      var sections = r.sections || {};
      Object.keys(sections).forEach(function (name) {
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
      byId('sections-empty').hidden = Object.keys(sections).length > 0;
    }).catch(failed('sections'));
  }

  function refreshAll() {
    refreshStatus();
    refreshOperations();
    refreshSlow();
    refreshSections();
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
      if (state.events % TABLES_EVERY === 0) { refreshAll(); }
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
