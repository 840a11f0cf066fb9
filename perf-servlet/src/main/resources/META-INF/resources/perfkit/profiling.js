/*
 * Perfkit profiling page: recordings, flame graph, top functions, findings, threads, heap, SQL.
 * Plain JavaScript, no library, no network beyond this server's own API. Every value from the server is
 * rendered with textContent, DOM APIs or canvas fillText, never as HTML.
 */
(function () {
  'use strict';

  var ROW = 18;
  var HIGHLIGHT = '#e040fb';
  var CSRF_HEADER = 'X-Perfkit-CSRF';
  var REFRESH_MILLIS = 10000;

  var state = {
    token: null, current: null, entries: [], polling: null, baseline: null,
    tree: null, zoom: null, search: '', rects: []
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
    if (typeof v !== 'number' || !isFinite(v)) { return '–'; }
    return v.toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 1 : digits });
  }
  function pct(v) { return typeof v === 'number' && isFinite(v) ? num(v * 100, 1) : '–'; }
  function bytes(v) {
    if (typeof v !== 'number' || !isFinite(v)) { return '–'; }
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    var sign = v < 0 ? '-' : '';
    v = Math.abs(v);
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return sign + num(v, 1) + ' ' + units[i];
  }
  function row(tbody, cells) {
    var tr = el('tr');
    cells.forEach(function (c) {
      var td = el('td', c.cls || '', c.text);
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
    return tr;
  }
  function fillTable(id, items, toCells, empty) {
    var tbody = byId(id).querySelector('tbody');
    clear(tbody);
    if (!items || items.length === 0) {
      var tr = row(tbody, [{ text: empty || 'Nothing yet.', cls: 'muted' }]);
      tr.firstChild.colSpan = byId(id).querySelectorAll('thead th').length;
      return;
    }
    items.forEach(function (it) { row(tbody, toCells(it)); });
  }
  function status(text, cls) {
    var c = byId('conn');
    c.textContent = text;
    c.className = 'badge' + (cls ? ' ' + cls : '');
  }

  // ------------------------------------------------------------------ HTTP

  function errorOf(r) {
    return r.text().then(function (t) {
      var msg = 'HTTP ' + r.status;
      try {
        var j = JSON.parse(t);
        if (j && j.message) { msg = j.message; }
      } catch (e) { /* not JSON */ }
      var err = new Error(msg);
      err.status = r.status;
      throw err;
    });
  }
  function getJson(path) {
    return fetch(path, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : errorOf(r); });
  }
  function getText(path) {
    return fetch(path, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.text() : errorOf(r); });
  }
  function token() {
    if (state.token) { return Promise.resolve(state.token); }
    return getJson('api/csrf').then(function (j) { state.token = j.token; return j.token; });
  }
  function post(path, body) {
    return token().then(function (t) {
      var headers = { 'Accept': 'application/json' };
      headers[CSRF_HEADER] = t;
      if (body !== undefined) { headers['Content-Type'] = 'application/octet-stream'; }
      return fetch(path, { method: 'POST', headers: headers, body: body, credentials: 'same-origin',
        cache: 'no-store' });
    }).then(function (r) { return r.ok ? r.json() : errorOf(r); });
  }
  function q(id) { return encodeURIComponent(id); }

  // ------------------------------------------------------------------ recordings

  function recStatus(text, bad) {
    var s = byId('rec-status');
    s.textContent = text;
    s.className = bad ? 'error' : 'muted';
  }

  function loadRecordings(selectId) {
    return getJson('api/profiling/recordings').then(function (j) {
      state.entries = j.recordings || [];
      state.baseline = j.baseline;
      var list = byId('rec-list');
      clear(list);
      state.entries.forEach(function (e) {
        var label = e.source + ' ' + e.id + ' · ' +
          (e.settings || 'jfr') + ' · ' + new Date(e.start).toLocaleTimeString() +
          (e.done ? '' : ' (running)') + (e.failed ? ' (failed)' : '');
        var o = el('option', '', label);
        o.value = e.id;
        o.disabled = !e.done || e.failed;
        list.appendChild(o);
      });
      byId('cont-toggle').checked = !!j.continuous;
      byId('cont-dump').disabled = !j.continuous;
      var running = j.running;
      byId('rec-start').disabled = !!running;
      byId('rec-stop').disabled = !running;
      byId('baseline-info').textContent = j.baseline ? 'baseline: ' + j.baseline.id : '';
      if (running) {
        recStatus('recording ' + running.id + ' (' + running.settings + ') until ' +
          new Date(running.endsAt).toLocaleTimeString());
        poll();
      }
      var pick = selectId;
      if (!pick && !running && state.current === null) {
        var firstDone = state.entries.filter(function (e) { return e.done && !e.failed; })[0];
        pick = firstDone ? firstDone.id : null;
      }
      if (pick) {
        list.value = pick;
        loadProfile(pick);
      } else if (state.current) {
        list.value = state.current;
      }
      status('ready', 'ok');
    }).catch(function (e) { status('error', 'bad'); recStatus(e.message, true); });
  }

  function poll() {
    if (state.polling) { return; }
    state.polling = setInterval(function () {
      getJson('api/profiling/recordings').then(function (j) {
        if (!j.running) {
          clearInterval(state.polling);
          state.polling = null;
          var done = (j.recordings || []).filter(function (e) { return e.done && !e.failed; })[0];
          recStatus(done ? 'recording ' + done.id + ' finished' : 'recording finished');
          loadRecordings(done ? done.id : null);
        }
      }).catch(function (e) { recStatus(e.message, true); });
    }, 1000);
  }

  function start() {
    var duration = byId('rec-duration').value.trim();
    var settings = byId('rec-settings').value;
    byId('rec-start').disabled = true;
    post('api/profiling/recordings?duration=' + q(duration) + '&settings=' + q(settings)).then(function (e) {
      recStatus('recording ' + e.id + ' until ' + new Date(e.endsAt).toLocaleTimeString());
      byId('rec-stop').disabled = false;
      poll();
    }).catch(function (e) {
      byId('rec-start').disabled = false;
      recStatus(e.message, true);
    });
  }

  function stop() {
    post('api/profiling/recordings/stop').then(function (e) {
      recStatus('recording ' + e.id + ' stopped');
      if (state.polling) { clearInterval(state.polling); state.polling = null; }
      loadRecordings(e.id);
    }).catch(function (e) { recStatus(e.message, true); });
  }

  function upload(file) {
    recStatus('uploading ' + file.name + ' (' + bytes(file.size) + ')…');
    post('api/profiling/upload', file).then(function (e) {
      recStatus('analysed ' + file.name + ' as ' + e.id);
      loadRecordings(e.id);
    }).catch(function (e) { recStatus(e.message, true); });
  }

  function toggleContinuous() {
    var on = byId('cont-toggle').checked;
    post('api/profiling/continuous?action=' + (on ? 'start' : 'stop')).then(function (j) {
      byId('cont-toggle').checked = j.continuous;
      byId('cont-dump').disabled = !j.continuous;
      recStatus(j.continuous ? 'continuous recording on (keeps ' + Math.round(j.maxAgeSeconds / 60) +
        ' min)' : 'continuous recording off');
    }).catch(function (e) {
      byId('cont-toggle').checked = !on;
      recStatus(e.message, true);
    });
  }

  function dumpContinuous() {
    post('api/profiling/continuous/dump').then(function (e) {
      recStatus('dumped the continuous recording as ' + e.id);
      loadRecordings(e.id);
    }).catch(function (e) { recStatus(e.message, true); });
  }

  function saveBaseline() {
    if (!state.current) { return; }
    post('api/profiling/baseline?id=' + q(state.current)).then(function (j) {
      state.baseline = j.baseline;
      byId('baseline-info').textContent = 'baseline: ' + j.baseline.id;
      compare(state.current);
    }).catch(function (e) { recStatus(e.message, true); });
  }

  function loadProfile(id) {
    state.current = id;
    var dl = byId('rec-download');
    dl.href = 'api/profiling/recordings/download?id=' + q(id);
    dl.hidden = false;
    byId('baseline-save').disabled = false;
    getJson('api/profiling/analysis?id=' + q(id) + '&top=50').then(renderAnalysis)
      .catch(function (e) { recStatus(e.message, true); });
    getText('api/profiling/collapsed?id=' + q(id)).then(function (text) {
      if (state.current !== id) { return; }
      state.tree = parseCollapsed(text);
      state.zoom = state.tree;
      byId('fg-canvas').setAttribute('data-profile', id);
      drawFlame();
    }).catch(function (e) { recStatus(e.message, true); });
    if (state.baseline) { compare(id); }
  }

  // ------------------------------------------------------------------ analysis tables

  function renderAnalysis(a) {
    if (state.current !== a.id) { return; }
    byId('top-functions').setAttribute('data-profile', a.id);
    byId('fg-summary').textContent = num(a.cpuSamples, 0) + ' CPU samples over ' + num(a.durationMillis / 1000, 1) +
      ' s';
    fillTable('top-functions', a.topFunctions, function (f) {
      return [{ text: f.frame, cls: 'mono' }, { text: pct(f.selfShare), cls: 'num' },
        { text: pct(f.totalShare), cls: 'num' }, { text: num(f.selfSamples, 0), cls: 'num' }];
    }, 'No CPU samples in this profile.');
    var hs = byId('hotspots');
    clear(hs);
    (a.hotspots || []).forEach(function (h) {
      var li = el('li');
      li.appendChild(el('strong', '', h.frame));
      li.appendChild(document.createTextNode(' · ' + pct(h.selfShare) + ' % self, hottest path (' +
        pct(h.pathShare) + ' %): '));
      li.appendChild(el('span', 'muted', (h.hottestPath || []).join(' → ')));
      hs.appendChild(li);
    });
    if (!a.hotspots || a.hotspots.length === 0) { hs.appendChild(el('li', 'muted', 'No hotspot.')); }
    var alloc = function (x) {
      return [{ text: x.name, cls: 'mono' }, { text: bytes(x.bytes), cls: 'num' }, { text: pct(x.share), cls: 'num' }];
    };
    fillTable('alloc-class', a.allocationByClass, alloc, 'No allocation samples (record with Allocation or All).');
    fillTable('alloc-site', a.allocationBySite, alloc, 'No allocation samples.');
    fillTable('contention', a.contention, function (c) {
      return [{ text: c.monitorClass, cls: 'mono' }, { text: c.kind }, { text: num(c.events, 0), cls: 'num' },
        { text: num(c.totalWaitMillis, 1), cls: 'num' }, { text: c.topWaitingFrame, cls: 'mono' },
        { text: c.topOwnerThread }];
    }, 'No contention recorded (record with Locks or All).');
    var gc = a.gc || {};
    byId('gc').textContent = 'GC: ' + num(gc.collections, 0) + ' collections, ' + num(gc.totalPauseMillis, 1) +
      ' ms paused, longest ' + num(gc.longestPauseMillis, 1) + ' ms; allocation ' +
      bytes(a.allocationRateBytesPerSecond) + '/s sampled.';
  }

  function compare(id) {
    getJson('api/profiling/compare?id=' + q(id)).then(function (c) {
      var box = byId('compare');
      clear(box);
      box.appendChild(el('p', 'muted', 'Profile ' + c.id + ' against baseline ' + c.baseline.id + ': ' +
        (c.hasChanges ? 'changes beyond ' + pct(c.threshold) + ' points' : 'no change beyond ' +
          pct(c.threshold) + ' points') + '; CPU samples ' + (c.cpuSamplesDelta >= 0 ? '+' : '') +
        num(c.cpuSamplesDelta, 0) + ', allocation rate ' + bytes(c.allocationRateDelta) + '/s.'));
      var list = function (title, items, cls) {
        if (!items || items.length === 0) { return; }
        box.appendChild(el('h3', 'section', title));
        var ul = el('ul', 'plain');
        items.forEach(function (ch) {
          var li = el('li');
          li.appendChild(el('span', cls, pct(ch.before) + ' % → ' + pct(ch.after) + ' % '));
          li.appendChild(el('span', 'mono', ch.frame));
          ul.appendChild(li);
        });
        box.appendChild(ul);
      };
      list('Rose', c.risen, 'delta-up');
      list('Fell', c.fallen, 'delta-down');
      if (c.newHotspots && c.newHotspots.length) {
        box.appendChild(el('h3', 'section', 'New hotspots'));
        var ul = el('ul', 'plain');
        c.newHotspots.forEach(function (f) { ul.appendChild(el('li', 'mono', f)); });
        box.appendChild(ul);
      }
    }).catch(function () { /* no baseline yet */ });
  }

  // ------------------------------------------------------------------ flame graph

  function parseCollapsed(text) {
    var root = { name: 'all', value: 0, children: {}, parent: null, depth: 0 };
    var maxDepth = 0;
    text.split('\n').forEach(function (line) {
      var sp = line.lastIndexOf(' ');
      if (sp <= 0) { return; }
      var n = parseInt(line.substring(sp + 1), 10);
      if (!(n > 0)) { return; }
      var frames = line.substring(0, sp).split(';');
      var node = root;
      root.value += n;
      for (var i = 0; i < frames.length; i++) {
        var f = frames[i];
        var child = node.children[f];
        if (!child) {
          child = { name: f, value: 0, children: {}, parent: node, depth: node.depth + 1 };
          node.children[f] = child;
        }
        child.value += n;
        node = child;
      }
      if (frames.length > maxDepth) { maxDepth = frames.length; }
    });
    root.maxDepth = maxDepth;
    return root;
  }

  function kids(node) {
    var out = [];
    for (var k in node.children) {
      if (Object.prototype.hasOwnProperty.call(node.children, k)) { out.push(node.children[k]); }
    }
    out.sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
    return out;
  }

  function matches(node) {
    return state.search !== '' && node.name.toLowerCase().indexOf(state.search) >= 0;
  }

  function colour(name) {
    var h = 0;
    for (var i = 0; i < name.length; i++) { h = (h * 31 + name.charCodeAt(i)) | 0; }
    var r = 205 + (Math.abs(h) % 50);
    var g = 80 + (Math.abs(h >> 8) % 130);
    var b = 30 + (Math.abs(h >> 16) % 40);
    return 'rgb(' + r + ',' + g + ',' + b + ')';
  }

  function drawFlame() {
    var canvas = byId('fg-canvas');
    var tree = state.tree;
    byId('fg-empty').hidden = !!(tree && tree.value > 0);
    if (!tree || tree.value === 0) {
      canvas.height = 0;
      canvas.setAttribute('data-frames', '0');
      return;
    }
    var zoom = state.zoom || tree;
    var cssWidth = Math.max(200, byId('fg-wrap').clientWidth);
    var rows = tree.maxDepth + 1;
    var ratio = window.devicePixelRatio || 1;
    canvas.width = Math.floor(cssWidth * ratio);
    canvas.height = Math.floor(rows * ROW * ratio);
    canvas.style.height = (rows * ROW) + 'px';
    var ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, cssWidth, rows * ROW);
    ctx.font = '11px ui-monospace, Menlo, Consolas, monospace';
    ctx.textBaseline = 'middle';
    state.rects = [];
    var drawn = 0;
    function box(node, x, w, dim) {
      var y = node.depth * ROW;
      ctx.fillStyle = matches(node) ? HIGHLIGHT : dim ? '#d9dce3' : colour(node.name);
      ctx.fillRect(x, y, Math.max(w - 1, 0.5), ROW - 1);
      if (w > 40) {
        ctx.fillStyle = '#1d2330';
        var label = node.name;
        var max = Math.floor((w - 6) / 6.6);
        if (label.length > max) { label = label.substring(0, Math.max(max - 1, 1)) + '…'; }
        ctx.fillText(label, x + 3, y + ROW / 2);
      }
      state.rects.push({ x: x, y: y, w: w, node: node });
      drawn++;
    }
    // The zoomed frame's ancestors span the whole width, dimmed.
    var path = [];
    for (var p = zoom.parent; p; p = p.parent) { path.unshift(p); }
    path.forEach(function (a) { box(a, 0, cssWidth, true); });
    var scale = cssWidth / zoom.value;
    (function walk(node, x) {
      var w = node.value * scale;
      if (w < 0.3) { return; }
      box(node, x, w, false);
      var cx = x;
      kids(node).forEach(function (c) {
        walk(c, cx);
        cx += c.value * scale;
      });
    })(zoom, 0);
    canvas.setAttribute('data-root', zoom.name);
    canvas.setAttribute('data-frames', String(drawn));
    byId('fg-zoom').textContent = zoom === tree ? '' : 'zoomed on ' + zoom.name + ' (' + pct(zoom.value / tree.value) +
      ' %)';
    searchSummary();
  }

  function searchSummary() {
    var m = byId('fg-match');
    if (!state.tree || state.search === '') { m.textContent = ''; return; }
    var samples = 0;
    var frames = 0;
    (function walk(node) {
      if (matches(node)) {
        // A matched frame counts its samples once, whatever matches below it.
        samples += node.value;
        frames++;
        (function count(n) { kids(n).forEach(function (c) { if (matches(c)) { frames++; } count(c); }); })(node);
        return;
      }
      kids(node).forEach(walk);
    })(state.tree);
    m.textContent = frames === 0 ? 'no match' : frames + ' frames match, ' + pct(samples / state.tree.value) +
      ' % of samples';
  }

  function hit(ev) {
    var canvas = byId('fg-canvas');
    var r = canvas.getBoundingClientRect();
    var x = ev.clientX - r.left;
    var y = ev.clientY - r.top;
    for (var i = state.rects.length - 1; i >= 0; i--) {
      var b = state.rects[i];
      if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + ROW) { return { box: b, x: x, y: y }; }
    }
    return null;
  }

  function onClick(ev) {
    var h = hit(ev);
    if (!h) { return; }
    state.zoom = h.box.node;
    drawFlame();
  }

  function onMove(ev) {
    var tip = byId('fg-tip');
    var h = hit(ev);
    if (!h || !state.tree) { tip.hidden = true; return; }
    tip.textContent = h.box.node.name + ' — ' + num(h.box.node.value, 0) + ' samples, ' +
      pct(h.box.node.value / state.tree.value) + ' %';
    tip.style.left = Math.min(h.x + 12, byId('fg-wrap').clientWidth - 260) + 'px';
    tip.style.top = (h.y + 14) + 'px';
    tip.hidden = false;
  }

  // ------------------------------------------------------------------ findings

  function loadFindings() {
    return getJson('api/findings?limit=100').then(function (j) {
      byId('findings-count').textContent = j.active + ' active, ' + j.total + ' in all';
      var box = byId('findings');
      clear(box);
      if (!j.findings.length) {
        box.appendChild(el('p', 'muted', 'No finding: nothing stood out against the application\'s own baseline.'));
        return;
      }
      j.findings.forEach(function (f) {
        var art = el('article', 'finding' + (f.active ? '' : ' resolved'));
        var h = el('h3');
        h.appendChild(el('span', 'tag ' + (f.active ? 'warn' : 'ok'), f.category.replace(/_/g, ' ')));
        h.appendChild(el('span', 'mono culprit', f.culprit));
        art.appendChild(h);
        if (f.subject) { art.appendChild(el('div', 'muted subject', 'on ' + f.subject)); }
        art.appendChild(el('p', 'recommendation', f.recommendation));
        var ev = el('table', 'kv evidence');
        Object.keys(f.evidence || {}).forEach(function (k) {
          var tr = el('tr');
          tr.appendChild(el('th', '', k));
          var v = f.evidence[k];
          tr.appendChild(el('td', 'mono', typeof v === 'number' ? num(v, 4) : typeof v === 'string' ? v :
            JSON.stringify(v)));
          ev.appendChild(tr);
        });
        art.appendChild(ev);
        if (f.sampleStack && f.sampleStack.length) {
          var d = el('details');
          d.appendChild(el('summary', '', 'sample stack (' + f.sampleStack.length + ' frames)'));
          var ul = el('ul', 'plain');
          f.sampleStack.forEach(function (s) { ul.appendChild(el('li', '', s)); });
          d.appendChild(ul);
          art.appendChild(d);
        }
        art.appendChild(el('div', 'muted', 'first seen ' + new Date(f.firstSeen).toLocaleString() + ', last seen ' +
          new Date(f.lastSeen).toLocaleString() + (f.active ? '' : ' (resolved)')));
        box.appendChild(art);
      });
    }).catch(function (e) { byId('findings-count').textContent = e.message; });
  }

  // ------------------------------------------------------------------ threads

  function threadLine(t) {
    return t.name + ' (' + t.state + ')';
  }

  function loadThreads() {
    return getJson('api/diagnostics/threads?depth=16&limit=0').then(function (d) {
      byId('threads-info').textContent = d.threadCount + ' threads at ' + new Date(d.capturedAt).toLocaleTimeString();
      fillTable('thread-states', Object.keys(d.byState).map(function (k) { return [k, d.byState[k]]; }),
        function (p) { return [{ text: p[0] }, { text: num(p[1], 0), cls: 'num' }]; });
      fillTable('thread-prefixes', Object.keys(d.byNamePrefix).map(function (k) { return [k, d.byNamePrefix[k]]; }),
        function (p) { return [{ text: p[0], cls: 'mono' }, { text: num(p[1], 0), cls: 'num' }]; });
      var dl = byId('deadlocks');
      clear(dl);
      d.deadlocks.forEach(function (x) {
        var box = el('div', 'deadlock');
        box.appendChild(el('strong', '', 'Deadlock: '));
        box.appendChild(el('span', 'mono', x.description));
        var ul = el('ul', 'plain');
        x.threads.forEach(function (t) {
          ul.appendChild(el('li', '', threadLine(t) + ' waits for ' + (t.lockName || '?') + ' held by ' +
            (t.lockOwnerName || '?') + (t.stack && t.stack.length ? ' at ' + t.stack[0] : '')));
        });
        box.appendChild(ul);
        dl.appendChild(box);
      });
      if (!d.deadlocks.length) { dl.appendChild(el('p', 'muted', 'No deadlock.')); }
      var wc = byId('wait-chains');
      clear(wc);
      d.waitChains.forEach(function (c) {
        var parts = [];
        c.threads.forEach(function (t, i) {
          parts.push(threadLine(t));
          if (i < c.locks.length) { parts.push('→ ' + c.locks[i] + ' →'); }
        });
        wc.appendChild(el('li', c.cyclic ? 'error' : '', (c.cyclic ? 'cycle: ' : '') + parts.join(' ')));
      });
      if (!d.waitChains.length) { wc.appendChild(el('li', 'muted', 'No thread waits on a lock another holds.')); }
    }).catch(function (e) { byId('threads-info').textContent = e.message; });
  }

  function loadThreadList() {
    var st = byId('threads-state').value;
    return getJson('api/diagnostics/threads?depth=32&limit=200&state=' + q(st)).then(function (d) {
      var ul = byId('thread-list');
      clear(ul);
      d.threads.forEach(function (t) {
        var li = el('li');
        var det = el('details');
        var sum = el('summary', '', threadLine(t) + (t.daemon ? ' daemon' : '') +
          (t.lockName ? ' on ' + t.lockName : '') + (t.lockOwnerName ? ' held by ' + t.lockOwnerName : ''));
        det.appendChild(sum);
        det.appendChild(el('div', 'stack', (t.stack || []).join('\n') +
          ((t.lockedMonitors || []).length ? '\nholds ' + t.lockedMonitors.join(', ') : '') +
          ((t.lockedSynchronizers || []).length ? '\nholds ' + t.lockedSynchronizers.join(', ') : '')));
        li.appendChild(det);
        ul.appendChild(li);
      });
      if (!d.threads.length) { ul.appendChild(el('li', 'muted', 'No ' + st.replace('_', ' ') + ' thread.')); }
    }).catch(function (e) { byId('threads-info').textContent = e.message; });
  }

  // ------------------------------------------------------------------ heap

  function loadHeap() {
    return getJson('api/diagnostics/heap?top=30').then(function (h) {
      var latest = h.latest;
      byId('heap-info').textContent = h.snapshots.length ? h.snapshots.length + ' snapshots kept; latest ' +
        bytes(latest.totalBytes) + ' in ' + num(latest.totalInstances, 0) + ' objects' : 'no snapshot yet';
      fillTable('heap-classes', latest ? latest.classes : [], function (c) {
        return [{ text: c.className, cls: 'mono' }, { text: num(c.instances, 0), cls: 'num' },
          { text: bytes(c.bytes), cls: 'num' }];
      }, 'Take a snapshot.');
      if (h.snapshots.length >= 2) {
        return getJson('api/diagnostics/heap/diff?top=30').then(function (d) {
          fillTable('heap-diff', d.suspects, function (c) {
            return [{ text: c.className, cls: 'mono' }, { text: num(c.instancesDelta, 0), cls: 'num' },
              { text: bytes(c.bytesDelta), cls: 'num' }];
          }, 'No class grew.');
        });
      }
      fillTable('heap-diff', [], null, 'Take two snapshots.');
      return null;
    }).catch(function (e) { byId('heap-info').textContent = e.message; });
  }

  function snapshotHeap() {
    var b = byId('heap-snapshot');
    b.disabled = true;
    byId('heap-info').textContent = 'taking a snapshot…';
    post('api/diagnostics/heap').then(loadHeap).catch(function (e) { byId('heap-info').textContent = e.message; })
      .then(function () { b.disabled = false; });
  }

  // ------------------------------------------------------------------ SQL

  function loadJdbc() {
    return getJson('api/jdbc').then(function (j) {
      var box = byId('jdbc');
      clear(box);
      if (!j.dataSources.length) {
        box.appendChild(el('p', 'muted', 'No monitored data source: wrap yours with PerfDataSource and register its ' +
          'status contributor.'));
      }
      j.dataSources.forEach(function (ds) {
        box.appendChild(el('h3', 'section', ds.name));
        var c = ds.connections || {};
        box.appendChild(el('p', 'muted', 'connections: ' + num(c.open, 0) + ' open, ' + num(c.maxOpen, 0) +
          ' at most, ' + num(c.acquired, 0) + ' acquired, mean wait ' + num(c.meanWaitMs, 2) + ' ms'));
        var t = el('table', 'grid statements');
        var head = el('tr');
        ['Statement', 'Executions', 'Mean ms', 'p95 ms', 'Total ms', 'Slow', 'Rows', 'Flags'].forEach(function (h, i) {
          head.appendChild(el('th', i > 0 && i < 7 ? 'num' : '', h));
        });
        var thead = el('thead');
        thead.appendChild(head);
        t.appendChild(thead);
        var tbody = el('tbody');
        (ds.statements || []).forEach(function (s) {
          var tr = row(tbody, [{ text: s.shape, cls: 'mono shape' }, { text: num(s.executions, 0), cls: 'num' },
            { text: num(s.meanMs, 2), cls: 'num' }, { text: num(s.p95Ms, 2), cls: 'num' },
            { text: num(s.totalMs, 1), cls: 'num' }, { text: num(s.slow, 0), cls: 'num' },
            { text: num(s.rows, 0), cls: 'num' }, { text: '' }]);
          var flags = tr.lastChild;
          if (s.nPlusOne) { flags.appendChild(el('span', 'tag bad n-plus-one', 'N+1')); }
          (s.indexHints || []).forEach(function (h) { flags.appendChild(el('span', 'tag warn', h)); });
        });
        t.appendChild(tbody);
        box.appendChild(t);
        (ds.nPlusOne || []).forEach(function (n) {
          box.appendChild(el('p', 'mono', 'N+1: ' + n.maxPerRequest + '× per request in ' + n.endpoint + ' from ' +
            n.callSite + ': ' + n.shape));
        });
      });
    }).catch(function (e) { byId('jdbc').textContent = e.message; });
  }

  // ------------------------------------------------------------------ wiring

  function init() {
    byId('rec-start').addEventListener('click', start);
    byId('rec-stop').addEventListener('click', stop);
    byId('rec-list').addEventListener('change', function () { loadProfile(byId('rec-list').value); });
    byId('upload-file').addEventListener('change', function () {
      var f = byId('upload-file').files[0];
      if (f) { upload(f); }
    });
    byId('baseline-save').addEventListener('click', saveBaseline);
    byId('cont-toggle').addEventListener('change', toggleContinuous);
    byId('cont-dump').addEventListener('click', dumpContinuous);
    byId('fg-reset').addEventListener('click', function () { state.zoom = state.tree; drawFlame(); });
    byId('fg-search').addEventListener('input', function () {
      state.search = byId('fg-search').value.trim().toLowerCase();
      drawFlame();
    });
    var canvas = byId('fg-canvas');
    canvas.addEventListener('click', onClick);
    canvas.addEventListener('mousemove', onMove);
    canvas.addEventListener('mouseleave', function () { byId('fg-tip').hidden = true; });
    window.addEventListener('resize', drawFlame);
    byId('threads-refresh').addEventListener('click', function () { loadThreads(); loadThreadList(); });
    byId('threads-state').addEventListener('change', loadThreadList);
    byId('heap-snapshot').addEventListener('click', snapshotHeap);
    token().catch(function () { status('no token', 'bad'); });
    loadRecordings(null);
    loadFindings();
    loadThreads();
    loadThreadList();
    loadHeap();
    loadJdbc();
    setInterval(function () { loadFindings(); loadJdbc(); }, REFRESH_MILLIS);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
