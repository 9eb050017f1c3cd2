// paperkg page: the map of entities, search, dates, the side panel, shards loaded on demand.
// Every text from the data goes into the DOM through textContent (or onto the canvas), never
// as HTML. Shards are data files next to the page: paperkgShard("name", {...}).
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var index = data.index;
  var E = index.labels.length;
  var W = data.weeks.length;
  var SHARD_NAME = /^(?:[epd][0-9]+|full)$/;
  var SHARD_DIR = /^[A-Za-z0-9._-]+$/;
  var OPEN_PAPERS = 40;     // papers drawn around an opened entity
  var PANEL_PAPERS = 50;    // papers listed per "show more"
  var LIST_LENGTH = 10;     // entries of each "new" and "rising" list
  var LABEL_CHARS = 32;
  var FULL_SIZE = 64;
  var VEIL = "rgba(255,255,255,0.92)";
  var MAP_CLASSES = new Set(data.mapClasses);

  var relationNames = {};
  data.relations.forEach(function (pair) { relationNames[pair[0]] = pair[1]; });
  var relationBits = data.relations.map(function (pair) { return pair[0]; });
  var classByName = {};
  data.classes.forEach(function (c) { classByName[c.name] = c; });
  var classNames = data.classes.map(function (c) { return c.name; });

  // ------------------------------------------------------------------ ids and index
  function isPaper(id) { return id >= E; }
  function paperOf(id) { return id - E; }
  function classOf(id) { return isPaper(id) ? "Paper" : classNames[index.classes[id]]; }
  var titles = {};  // paper id -> title, as known from the map data or loaded records
  (data.map.titles || []).forEach(function (pair) { titles[pair[0]] = pair[1]; });
  function labelOf(id) {
    if (!isPaper(id)) return index.labels[id];
    return titles[id] || "arXiv " + index.arxiv[paperOf(id)];
  }
  function short(text) { return text.length <= LABEL_CHARS ? text : text.slice(0, LABEL_CHARS - 1).trim() + "…"; }
  function weekOfPaper(id) { return index.paperWeeks[paperOf(id)]; }
  // Papers per week as [week, count, ...]; one paper is written as its week alone.
  function histOf(e) { var h = index.hist[e]; return typeof h === "number" ? [h, 1] : h; }
  var counts = new Array(E);
  for (var c = 0; c < E; c++) {
    var hc = histOf(c), total = 0;
    for (var k = 1; k < hc.length; k += 2) total += hc[k];
    counts[c] = total;
  }
  index.undated.forEach(function (pair) { counts[pair[0]] += pair[1]; });

  // ------------------------------------------------------------------ shards
  var shards = data.shards;
  var loaded = {};   // name -> payload
  var pending = {};  // name -> [resolve, reject] callbacks
  window.paperkgShard = function (name, payload) {
    if (typeof name !== "string" || !SHARD_NAME.test(name)) return;
    loaded[name] = payload;
    (pending[name] || []).forEach(function (cb) { cb[0](payload); });
    delete pending[name];
  };
  function loadShard(name) {
    if (!SHARD_NAME.test(name)) return Promise.reject(new Error("bad shard name"));
    if (loaded[name]) return Promise.resolve(loaded[name]);
    if (shards.inline) return Promise.resolve(shards.inline[name] || {});
    return new Promise(function (resolve, reject) {
      if (pending[name]) { pending[name].push([resolve, reject]); return; }
      pending[name] = [[resolve, reject]];
      if (!SHARD_DIR.test(shards.dir) || shards.dir === "." || shards.dir === "..") { reject(new Error("bad shard folder")); return; }
      var script = document.createElement("script");
      script.src = shards.dir + "/" + name + ".js";  // next to the page, never elsewhere
      script.onerror = function () {
        (pending[name] || []).forEach(function (cb) { cb[1](new Error("cannot load " + script.src)); });
        delete pending[name];
      };
      document.head.appendChild(script);
    });
  }
  function entityShard(e) { return "e" + Math.floor(e / shards.entities); }
  function paperShard(p) { return "p" + Math.floor(p / shards.papers); }
  function hasRecord(id) {
    if (!shards.inline) return true;
    var shard = shards.inline[isPaper(id) ? paperShard(paperOf(id)) : entityShard(id)];
    return !!(shard && shard[String(isPaper(id) ? paperOf(id) : id)]);
  }
  function record(id) {
    var key = isPaper(id) ? paperOf(id) : id;
    return loadShard(isPaper(id) ? paperShard(key) : entityShard(key)).then(function (shard) {
      var r = shard[String(key)] || null;
      if (r && isPaper(id)) titles[id] = r.title;
      return r;
    });
  }
  function records(ids) { return Promise.all(ids.map(record)); }
  // A paper's summary and the evidence of its links: only its own panel shows them.
  function detail(id) {
    return loadShard("d" + Math.floor(paperOf(id) / shards.details)).then(function (shard) { return shard[String(paperOf(id))] || {}; });
  }

  // ------------------------------------------------------------------ time
  var range = { from: 0, to: Math.max(W - 1, 0) };
  function allWeeks() { return range.from === 0 && range.to === W - 1; }
  function countIn(e, from, to) {
    var h = histOf(e), n = 0;
    for (var i = 0; i < h.length; i += 2) if (h[i] >= from && h[i] <= to) n += h[i + 1];
    return n;
  }
  function inRange(id) {
    if (W === 0 || allWeeks()) return true;
    if (isPaper(id)) { var w = weekOfPaper(id); return w >= range.from && w <= range.to; }
    return countIn(id, range.from, range.to) > 0;
  }
  function papersShown(id) {
    if (isPaper(id)) return 1;
    return W === 0 || allWeeks() ? counts[id] : countIn(id, range.from, range.to);
  }
  // The "new and rising" lists: entities first seen in the range, and entities seen before
  // whose papers grew most against the range of the same length just before it. With all
  // weeks selected, the last week against the week before.
  // An entity's first week: its model family's when that came earlier (pkg:firstDate).
  var familyFirst = new Map(index.familyFirst || []);
  function firstWeek(e) { return familyFirst.has(e) ? familyFirst.get(e) : histOf(e)[0]; }
  function rising() {
    var to = range.to, from = allWeeks() ? to : range.from;
    var length = to - from + 1, before = from - length;
    var fresh = [], grown = [];
    for (var e = 0; e < E; e++) {
      if (!MAP_CLASSES.has(classOf(e))) continue;
      var h = histOf(e);
      if (!h.length) continue;
      var now = countIn(e, from, to);
      if (!now) continue;
      if (firstWeek(e) >= from) fresh.push([e, now, now]);
      else {
        var growth = now - countIn(e, before, from - 1);
        if (growth > 0) grown.push([e, now, growth]);
      }
    }
    var byLabel = function (a, b) { return index.labels[a[0]] < index.labels[b[0]] ? -1 : index.labels[a[0]] > index.labels[b[0]] ? 1 : a[0] - b[0]; };
    fresh.sort(function (a, b) { return b[1] - a[1] || byLabel(a, b); });
    grown.sort(function (a, b) { return b[2] - a[2] || b[1] - a[1] || byLabel(a, b); });
    return { from: from, to: to, before: before, fresh: fresh.slice(0, LIST_LENGTH), grown: grown.slice(0, LIST_LENGTH) };
  }

  // ------------------------------------------------------------------ the network
  var hiddenClasses = new Set();
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var shown = new vis.DataView(nodes, { filter: function (n) { return !hiddenClasses.has(n.group) && inRange(n.id); } });
  var options = data.options;
  // Size grows with the log of the papers (full size from FULL_SIZE papers up), as
  // kg.html.site.node_radius computes for the layout.
  options.nodes.scaling.customScalingFunction = function (min, max, total, value) {
    return Math.log(Math.max(value, 1)) / Math.log(Math.max(max, FULL_SIZE));
  };
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: shown, edges: edges }, options);
  var panel = document.getElementById("kg-panel");
  var status = document.getElementById("kg-status");
  var view = "map";
  var opened = null;  // {id, added: [node ids], edges: [edge ids]}: papers drawn around an entity
  var selected = null;
  var lit = null;
  var litEdges = [];

  function tooltip(id) {
    var count = papersShown(id);
    if (isPaper(id)) return labelOf(id) + "\narXiv " + index.arxiv[paperOf(id)];
    return labelOf(id) + "\n" + classOf(id) + " · " + count + (count === 1 ? " paper" : " papers");
  }
  function visNode(id, x, y) {
    return { id: id, group: classOf(id), value: Math.max(papersShown(id), 1), x: x, y: y, title: tooltip(id) };
  }

  function showMap() {
    view = "map";
    opened = null;
    nodes.clear();
    edges.clear();
    nodes.add(data.map.nodes.map(function (n) { return visNode(n[0], n[1], n[2]); }));
    edges.add(data.map.edges.map(function (e, i) {
      return e.length > 2 ? { id: "m" + i, from: e[0], to: e[1], width: Math.min(0.5 + Math.log2(e[2]), 4) } : { id: "m" + i, from: e[0], to: e[1] };
    }));
    setViewButtons();
  }
  function showFull() {
    return loadShard("full").then(function (full) {
      view = "full";
      opened = null;
      (full.titles || []).forEach(function (pair) { titles[pair[0]] = pair[1]; });
      nodes.clear();
      edges.clear();
      nodes.add(full.nodes.map(function (n) { return visNode(n[0], n[1], n[2]); }));
      edges.add(full.edges.map(function (e, i) { return { id: "f" + i, from: e[0], to: e[1] }; }));
      network.setOptions({ interaction: { hideEdgesOnDrag: full.nodes.length > 5000 } });
      setViewButtons();
      clearSelection();
      network.fit();
    });
  }
  var mapButton = document.getElementById("kg-view-map");
  var fullButton = document.getElementById("kg-view-full");
  function setViewButtons() {
    mapButton.setAttribute("aria-pressed", String(view === "map"));
    fullButton.setAttribute("aria-pressed", String(view === "full"));
  }
  if (shards.inline) document.getElementById("kg-views").hidden = true;
  if (!shards.full) {
    fullButton.disabled = true;
    fullButton.title = "Not written for graphs this large: open an entity, or use kg view NAME";
  }
  mapButton.addEventListener("click", function () { if (view !== "map") { showMap(); clearSelection(); network.fit(); } });
  fullButton.addEventListener("click", function () { if (view !== "full") showFull(); });

  // ------------------------------------------------------------------ labels
  // Labels are drawn on the canvas by importance: the selection and its neighbours first,
  // then the nodes with most papers, each only where it overlaps no label drawn before. So
  // the biggest are named at every zoom, and zooming in names more.
  var byImportance = null;
  nodes.on("*", function () { byImportance = null; });
  function importanceOrder() {
    if (!byImportance) {
      byImportance = nodes.getIds().sort(function (a, b) { return papersShown(b) - papersShown(a) || a - b; });
    }
    return byImportance;
  }
  function drawLabels(ctx) {
    var body = network.body, scale = network.getScale();
    var ratio = network.canvas.pixelRatio || window.devicePixelRatio || 1;
    var width = ctx.canvas.width / ratio, height = ctx.canvas.height / ratio;
    var boxes = [], CELL = 64, grid = {};
    function free(box) {
      for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
        for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) {
          var cell = grid[gx + ":" + gy] || [];
          for (var i = 0; i < cell.length; i++) {
            var b = cell[i];
            if (box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]) return false;
          }
        }
      }
      return true;
    }
    function take(box) {
      boxes.push(box);
      for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
        for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) {
          (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(box);
        }
      }
    }
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    var order = importanceOrder();
    var first = [];
    if (lit) { first = Array.from(lit); first.sort(function (a, b) { return (b === selected) - (a === selected) || papersShown(b) - papersShown(a) || a - b; }); }
    var tried = 0, drawnLabels = [];
    var candidates = first.concat(order);
    var seen = new Set();
    for (var k = 0; k < candidates.length && tried < 4000; k++) {
      var id = candidates[k];
      if (seen.has(id)) continue;
      seen.add(id);
      var n = body.nodes[id];
      if (!n || !shown.get(id)) continue;
      var forced = lit !== null && lit.has(id);
      if (lit !== null && !forced && boxes.length > 40) continue;
      tried++;
      var p = network.canvasToDOM({ x: n.x, y: n.y });
      var r = (n.options.size || 10) * scale;
      if (p.x < -200 || p.y < -50 || p.x > width + 200 || p.y > height + 50) continue;
      var big = k < 12 || id === selected;
      ctx.font = (big ? "600 13px " : "12px ") + "system-ui, sans-serif";
      var text = short(labelOf(id));
      var w = ctx.measureText(text).width;
      // Below the node, else above, right or left of it; the selection's labels are drawn
      // (below) even when every place is taken, the others are then left out.
      var places = [[0, r + 1], [0, -r - 17], [r + 4 + w / 2, -8], [-r - 4 - w / 2, -8]];
      var box = null, at = null;
      for (var q = 0; q < places.length && box === null; q++) {
        var cx = p.x + places[q][0], cy = p.y + places[q][1];
        var candidate = [cx - w / 2 - 2, cy, cx + w / 2 + 2, cy + 16];
        if (free(candidate)) { box = candidate; at = [cx, cy]; }
      }
      if (box === null) {
        if (!forced) continue;
        at = [p.x, p.y + r + 1];
        box = [at[0] - w / 2 - 2, at[1], at[0] + w / 2 + 2, at[1] + 16];
      }
      take(box);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#ffffff";
      ctx.strokeText(text, at[0], at[1] + 1);
      ctx.fillStyle = lit !== null && !forced ? "#9aa5b1" : "#1f2933";
      ctx.fillText(text, at[0], at[1] + 1);
      drawnLabels.push(id);
    }
    ctx.restore();
    labelled = drawnLabels;
  }
  var labelled = [];

  network.on("afterDrawing", function (ctx) {
    if (lit !== null) {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = VEIL;
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
      var body = network.body;
      litEdges.forEach(function (id) { var e = body.edges[id]; if (e && e.connected) e.draw(ctx); });
      lit.forEach(function (id) { var n = body.nodes[id]; if (n && shown.get(id)) n.draw(ctx); });
    }
    drawLabels(ctx);
  });

  // ------------------------------------------------------------------ opening an entity
  function place(id, near) {
    // A node the map does not hold goes next to the map entity it shares most papers with.
    var at = near !== undefined && nodes.get(near) ? network.getPosition(near) : { x: 0, y: 0 };
    var angle = (id % 360) * 2.399963;
    var distance = near !== undefined ? 90 : 60 + Math.sqrt(nodes.length) * 30;
    nodes.add(visNode(id, Math.round(at.x + distance * Math.cos(angle)), Math.round(at.y + distance * Math.sin(angle))));
    return [id];
  }
  function closeOpened() {
    if (!opened) return;
    edges.remove(opened.edges);
    nodes.remove(opened.added);
    opened = null;
  }
  // Papers of an entity in the date range, newest first (paper ids are newest first).
  function papersInRange(r) {
    return r.papers.filter(function (pair) { return inRange(E + pair[0]); });
  }
  function openEntity(id, r) {
    var papers = papersInRange(r).slice(0, OPEN_PAPERS).map(function (pair) { return E + pair[0]; });
    return records(papers).then(function (paperRecords) {
      var centre = network.getPosition(id);
      var size = (network.body.nodes[id] && network.body.nodes[id].options.size) || 20;
      var added = [], newEdges = [];
      var ring = size + 40 + papers.length * 4;
      var newNodes = [];
      papers.forEach(function (pid, i) {
        if (!nodes.get(pid)) {
          var angle = (2 * Math.PI * i) / papers.length;
          newNodes.push(visNode(pid, Math.round(centre.x + ring * Math.cos(angle)), Math.round(centre.y + ring * Math.sin(angle))));
          added.push(pid);
        }
      });
      nodes.add(newNodes);
      papers.forEach(function (pid, i) {
        var pr = paperRecords[i];
        var linked = new Set([id]);
        if (pr) Object.keys(pr.relations).forEach(function (rel) { pr.relations[rel].forEach(function (e) { linked.add(e); }); });
        linked.forEach(function (e) {
          if (!nodes.get(e)) return;
          var eid = "o" + pid + "-" + e;
          if (!edges.get(eid)) { newEdges.push({ id: eid, from: pid, to: e, dashes: e !== id }); }
        });
      });
      edges.add(newEdges);
      opened.added = opened.added.concat(added);
      opened.edges = newEdges.map(function (e) { return e.id; });
    });
  }

  // ------------------------------------------------------------------ selection
  var selectionToken = 0;
  function select(id, focus) {
    var token = ++selectionToken;
    delete panel.dataset.node;  // the panel's node, set again once the new panel is complete
    return record(id).then(function (r) {
      if (token !== selectionToken) return;
      if (hiddenClasses.has(classOf(id))) toggleClass(classOf(id), true);
      if (!inRange(id)) setRange(0, W - 1);
      var work = Promise.resolve();
      if (view === "map") {
        if (!opened || opened.id !== id) {
          closeOpened();
          opened = { id: id, added: [], edges: [] };
          if (!nodes.get(id)) opened.added = place(id, r && r.near);
          if (!isPaper(id) && r) work = openEntity(id, r);
          else if (isPaper(id) && r) {
            var linked = [];
            Object.keys(r.relations).forEach(function (rel) { r.relations[rel].forEach(function (e) { if (nodes.get(e)) linked.push(e); }); });
            var es = Array.from(new Set(linked)).map(function (e) { return { id: "o" + id + "-" + e, from: id, to: e }; });
            edges.add(es);
            opened.edges = es.map(function (e) { return e.id; });
          }
        }
      }
      return work.then(function () {
        if (token !== selectionToken) return;
        selected = id;
        lit = new Set(network.getConnectedNodes(id));
        lit.add(id);
        litEdges = network.getConnectedEdges(id);
        network.selectNodes([id]);
        if (focus) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 350 } });
        updateStatus();
        return showPanel(id, r);
      });
    });
  }
  function clearSelection() {
    selectionToken++;
    selected = null;
    lit = null;
    network.unselectAll();
    network.redraw();
    delete panel.dataset.node;
    homePanel();
  }
  network.on("click", function (params) {
    if (params.nodes.length) select(params.nodes[0], false); else if (!params.edges.length) clearSelection();
  });

  // ------------------------------------------------------------------ the side panel
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  // Digest text marks names as **bold**: shown bold, built from text nodes only.
  function richText(tag, className, text) {
    var e = el(tag, className);
    String(text).split("**").forEach(function (part, i) {
      if (part) e.appendChild(i % 2 ? el("strong", null, part) : document.createTextNode(part));
    });
    return e;
  }
  function externalLink(url, text) {
    // Only web addresses become links: no javascript: or data: URLs from the data.
    if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return el("span", "kg-nolink", text);
    var a = el("a", "kg-ext", text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function nodeButton(id) {
    var label = labelOf(id);
    if (!hasRecord(id)) return el("span", "kg-node-ref kg-offview", label);
    var b = el("button", "kg-node-ref", label);
    b.type = "button";
    b.dataset.id = String(id);
    b.style.borderLeftColor = classByName[classOf(id)].color;
    b.title = classOf(id);
    b.addEventListener("click", function () { select(id, true); });
    return b;
  }
  function paperLinks(r) {
    var span = el("span", "kg-links");
    if (r.arxivUrl) span.appendChild(externalLink(r.arxivUrl, "arXiv"));
    if (r.hfUrl) span.appendChild(externalLink(r.hfUrl, "HF"));
    (r.code || []).forEach(function (url) { span.appendChild(externalLink(url, "code")); });
    return span;
  }
  function evidenceList(pairs) {
    var ul = el("ul", "kg-evidence");
    (pairs || []).forEach(function (pair) {
      var li = el("li");
      if (pair[0]) li.appendChild(el("span", "kg-section", pair[0]));
      li.appendChild(richText("q", null, pair[1]));
      ul.appendChild(li);
    });
    return ul;
  }
  function heading(id) {
    var frag = document.createDocumentFragment();
    var badge = el("span", "kg-badge", classOf(id));
    badge.style.background = classByName[classOf(id)].color;
    frag.appendChild(badge);
    frag.appendChild(el("h2", "kg-name", labelOf(id)));
    if (!isPaper(id)) {
      var aliases = index.aliases.filter(function (pair) { return pair[0] === id; }).map(function (pair) { return pair[1]; });
      if (aliases.length) frag.appendChild(el("p", "kg-aliases", "Also: " + aliases.join(" · ")));
    }
    return frag;
  }
  function paperPanel(id, r, d) {
    var meta = el("p", "kg-meta");
    meta.appendChild(el("span", null, "arXiv " + index.arxiv[paperOf(id)] + (r.date ? " · " + r.date : "") + " "));
    meta.appendChild(paperLinks(r));
    panel.appendChild(meta);
    if (r.topics && r.topics.length) {
      var topics = el("p", "kg-topics");
      r.topics.forEach(function (t) { topics.appendChild(nodeButton(t)); });
      panel.appendChild(topics);
    }
    if (d.summary) panel.appendChild(richText("p", "kg-summary", d.summary));
    data.relations.forEach(function (pair) {
      var rel = pair[0], ids = r.relations[rel];
      if (!ids || !ids.length) return;
      var section = el("section", "kg-relation");
      section.dataset.relation = rel;
      section.appendChild(el("h3", null, pair[1] + " (" + ids.length + ")"));
      var ul = el("ul");
      ids.forEach(function (e) {
        var li = el("li");
        li.appendChild(nodeButton(e));
        li.appendChild(el("span", "kg-class", classOf(e)));
        var ev = (d.evidence || {})[String(e)];
        if (ev) li.appendChild(evidenceList(ev));
        ul.appendChild(li);
      });
      section.appendChild(ul);
      panel.appendChild(section);
    });
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  // Papers per week of an entity: one bar per week with papers, the selected range shaded.
  function weeklyPlot(id) {
    var h = histOf(id);
    var figure = el("figure", "kg-plot");
    if (!W || !h.length) return figure;
    var width = 340, height = 64, step = width / W, most = 1;
    for (var i = 1; i < h.length; i += 2) most = Math.max(most, h[i]);
    var plot = svg("svg", { viewBox: "0 0 " + width + " " + (height + 14), width: width, height: height + 14, role: "img" });
    plot.setAttribute("aria-label", "Papers per week of " + labelOf(id));
    var shade = svg("rect", { "class": "kg-plot-range", x: range.from * step, y: 0, width: (range.to - range.from + 1) * step, height: height });
    plot.appendChild(shade);
    for (var j = 0; j < h.length; j += 2) {
      var barHeight = Math.max(2, (h[j + 1] / most) * (height - 4));
      var bar = svg("rect", { "class": "kg-bar", x: h[j] * step, y: height - barHeight, width: Math.max(step - 1, 1.5), height: barHeight });
      bar.dataset.week = data.weeks[h[j]];
      bar.dataset.count = String(h[j + 1]);
      var tip = svg("title", {});
      tip.textContent = "week of " + data.weeks[h[j]] + ": " + h[j + 1] + (h[j + 1] === 1 ? " paper" : " papers");
      bar.appendChild(tip);
      plot.appendChild(bar);
    }
    [[0, "start", data.weeks[0]], [width, "end", data.weeks[W - 1]]].forEach(function (t) {
      var text = svg("text", { x: t[0], y: height + 12, "text-anchor": t[1] });
      text.textContent = t[2];
      plot.appendChild(text);
    });
    figure.appendChild(plot);
    figure.appendChild(el("figcaption", null, "Papers per week (most: " + most + ")"));
    return figure;
  }

  function entityPanel(id, r) {
    var total = counts[id], now = papersShown(id);
    panel.appendChild(el("p", "kg-meta", total + (total === 1 ? " paper" : " papers") + (allWeeks() ? "" : " · " + now + " in the dates shown")));
    panel.appendChild(weeklyPlot(id));
    [["variantOf", "Variant of"], ["variants", "Variants"]].forEach(function (kv) {
      var ids = r[kv[0]];
      if (!ids || !ids.length) return;
      var p = el("p", "kg-family", kv[1] + ": ");
      ids.forEach(function (v) { p.appendChild(nodeButton(v)); });
      panel.appendChild(p);
    });
    var list = papersInRange(r);
    var ul = el("ul", "kg-papers");
    panel.appendChild(ul);
    var more = el("button", "kg-more", "");
    more.type = "button";
    panel.appendChild(more);
    var shownCount = 0;
    function page() {
      var chunk = list.slice(shownCount, shownCount + PANEL_PAPERS);
      shownCount += chunk.length;
      more.hidden = true;
      var ids = chunk.map(function (pair) { return E + pair[0]; });
      // The record holds the evidence of the entity's newest papers; older ones' is in the
      // papers' detail shards.
      var covered = new Set(r.papers.slice(0, shards.evidence).map(function (pair) { return pair[0]; }));
      var details = ids.map(function (pid) { return covered.has(paperOf(pid)) ? Promise.resolve(null) : detail(pid); });
      return Promise.all([records(ids), Promise.all(details)]).then(function (found) {
        var paperRecords = found[0], paperDetails = found[1];
        chunk.forEach(function (pair, i) {
          var p = paperRecords[i];
          if (!p) return;
          var li = el("li");
          var rels = relationBits.filter(function (rel, bit) { return pair[1] & (1 << bit); }).map(function (rel) { return relationNames[rel]; }).join(", ");
          if (rels) li.appendChild(el("span", "kg-rel", rels));
          li.appendChild(nodeButton(E + pair[0]));
          var meta = el("div", "kg-meta");
          meta.appendChild(el("span", null, (p.date || "") + " "));
          meta.appendChild(paperLinks(p));
          li.appendChild(meta);
          var ev = paperDetails[i] ? (paperDetails[i].evidence || {})[String(id)] : r.evidence[String(pair[0])];
          if (ev) li.appendChild(evidenceList(ev));
          ul.appendChild(li);
        });
        more.hidden = shownCount >= list.length;
        more.textContent = more.hidden ? "" : "Show " + Math.min(PANEL_PAPERS, list.length - shownCount) + " more of " + (list.length - shownCount);
      });
    }
    more.addEventListener("click", page);
    return page();
  }
  function showPanel(id, r) {
    panel.replaceChildren();
    panel.appendChild(heading(id));
    var done = Promise.resolve();
    if (r) done = isPaper(id) ? detail(id).then(function (d) { paperPanel(id, r, d); }) : entityPanel(id, r);
    panel.scrollTop = 0;
    return done.then(function () { panel.dataset.node = String(id); });
  }
  function weekSpan(from, to) { return data.weeks[from] + " – " + weekEnd(to); }
  function weekEnd(w) {
    var d = new Date(data.weeks[w] + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + 6);
    return d.toISOString().slice(0, 10);
  }
  function homePanel() {
    panel.replaceChildren();
    panel.appendChild(el("p", "kg-hint", "Click a node, or search, to see its papers, aliases, links and evidence."));
    if (!W) return;
    var found = rising();
    var section = el("section", "kg-rising");
    section.appendChild(el("h2", "kg-name", "New and rising"));
    section.appendChild(el("p", "kg-meta", weekSpan(found.from, found.to) + (allWeeks() ? " (the last week; choose dates above for another range)" : "")));
    var weeks = found.to - found.from + 1;
    [["fresh", "New: first seen in these weeks"], ["grown", "Rising: most papers gained against the " + (weeks === 1 ? "week" : weeks + " weeks") + " before"]].forEach(function (kind) {
      section.appendChild(el("h3", null, kind[1]));
      var ol = el("ol", "kg-list");
      ol.dataset.list = kind[0];
      found[kind[0]].forEach(function (entry) {
        var li = el("li");
        li.dataset.count = String(entry[2]);
        li.appendChild(nodeButton(entry[0]));
        var unit = kind[0] === "grown" ? " more" : entry[2] === 1 ? " paper" : " papers";
        li.appendChild(el("span", "kg-class", (kind[0] === "grown" ? "+" : "") + entry[2] + unit));
        ol.appendChild(li);
      });
      if (!found[kind[0]].length) section.appendChild(el("p", "kg-hint", "none"));
      section.appendChild(ol);
    });
    panel.appendChild(section);
  }

  // ------------------------------------------------------------------ legend, class toggles
  var legend = document.getElementById("kg-legend");
  var toggles = {};
  function toggleClass(name, visible) {
    if (visible) hiddenClasses.delete(name); else hiddenClasses.add(name);
    toggles[name].checked = visible;
    shown.refresh();
    updateStatus();
  }
  data.classes.forEach(function (c) {
    var label = el("label", "kg-toggle");
    label.dataset.class = c.name;
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { toggleClass(c.name, box.checked); });
    toggles[c.name] = box;
    var swatch = el("span", "kg-swatch kg-shape-" + c.shape);
    swatch.style.setProperty("--kg-color", c.color);
    label.title = c.description;
    label.append(box, swatch, el("span", null, c.name + " " + c.count));
    legend.appendChild(label);
  });

  // ------------------------------------------------------------------ the date range
  var fromSelect = document.getElementById("kg-from"), toSelect = document.getElementById("kg-to");
  data.weeks.forEach(function (week, i) {
    var a = el("option", null, week);
    a.value = String(i);
    fromSelect.appendChild(a);
    var b = el("option", null, weekEnd(i));
    b.value = String(i);
    toSelect.appendChild(b);
  });
  if (!W) document.getElementById("kg-range").hidden = true;
  fromSelect.value = String(range.from);
  toSelect.value = String(range.to);
  function setRange(from, to) {
    from = Math.max(0, Math.min(from, W - 1));
    to = Math.max(from, Math.min(to, W - 1));
    range = { from: from, to: to };
    fromSelect.value = String(from);
    toSelect.value = String(to);
    var changes = nodes.get().map(function (n) { return { id: n.id, value: Math.max(papersShown(n.id), 1), title: tooltip(n.id) }; });
    nodes.update(changes);
    shown.refresh();
    byImportance = null;
    updateStatus();
    if (selected === null) homePanel(); else if (!inRange(selected)) clearSelection(); else select(selected, false);
  }
  fromSelect.addEventListener("change", function () { setRange(+fromSelect.value, Math.max(+fromSelect.value, range.to)); });
  toSelect.addEventListener("change", function () { setRange(Math.min(range.from, +toSelect.value), +toSelect.value); });
  Array.prototype.forEach.call(document.querySelectorAll(".kg-preset"), function (button) {
    button.addEventListener("click", function () {
      var weeks = +button.dataset.weeks;
      setRange(weeks ? W - weeks : 0, W - 1);
    });
  });

  // ------------------------------------------------------------------ status line
  function updateStatus(ms) {
    var ids = shown.getIds(), entities = 0, papers = 0, links = 0;
    var visible = new Set(ids);
    ids.forEach(function (id) { if (isPaper(id)) papers++; else entities++; });
    edges.forEach(function (e) { if (visible.has(e.from) && visible.has(e.to)) links++; });
    var hidden = nodes.length - ids.length;
    function count(n, one, many) { return n + " " + (n === 1 ? one : many); }
    var parts = [count(entities, "entity", "entities"), count(papers, "paper", "papers"), count(links, "link", "links") + " shown"];
    if (hidden) parts.push(hidden + " hidden by " + (hiddenClasses.size ? "class" + (allWeeks() ? "" : " and dates") : "dates"));
    parts.push((view === "map" && !shards.inline ? "map of the " + data.map.nodes.length + " most linked of " : "") + E + " entities and " + index.arxiv.length + " papers in the graph");
    if (ms !== undefined) drawnIn = ms;
    if (drawnIn !== null) parts.push("drawn in " + drawnIn + " ms");
    status.textContent = parts.join(" · ");
  }
  var drawnIn = null;

  // ------------------------------------------------------------------ search
  var names = null;
  function searchNames() {
    if (!names) {
      names = [];
      for (var e = 0; e < E; e++) names.push([index.labels[e].toLowerCase(), e, index.labels[e]]);
      index.aliases.forEach(function (pair) { names.push([pair[1].toLowerCase(), pair[0], pair[1]]); });
      index.arxiv.forEach(function (id, p) { names.push([id.toLowerCase(), E + p, id]); });
    }
    return names;
  }
  var input = document.getElementById("kg-search");
  var list = document.getElementById("kg-suggestions");
  var matches = [];
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var exact = [], prefix = [], inner = [], seen = new Set();
    searchNames().forEach(function (entry) {
      var at = entry[0].indexOf(q);
      if (at < 0 || seen.has(entry[1])) return;
      seen.add(entry[1]);
      (entry[0] === q ? exact : at === 0 ? prefix : inner).push(entry);
    });
    var byPapers = function (a, b) { return papersShown(b[1]) - papersShown(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0); };
    return exact.sort(byPapers).concat(prefix.sort(byPapers), inner.sort(byPapers)).slice(0, 12);
  }
  function choose(entry) {
    list.hidden = true;
    input.value = entry[2];
    return select(entry[1], true);
  }
  input.addEventListener("input", function () {
    matches = search(input.value);
    list.replaceChildren();
    matches.forEach(function (entry) {
      var li = el("li");
      var b = el("button", "kg-suggestion", entry[2]);
      b.type = "button";
      b.appendChild(el("span", "kg-class", classOf(entry[1])));
      b.addEventListener("click", function () { choose(entry); });
      li.appendChild(b);
      list.appendChild(li);
    });
    list.hidden = matches.length === 0;
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      matches = search(input.value);
      if (matches.length) choose(matches[0]);
      else status.textContent = "No node matches “" + input.value + "”.";
    } else if (event.key === "Escape") {
      list.hidden = true;
    }
  });

  // ------------------------------------------------------------------ start
  showMap();
  network.fit();
  homePanel();
  network.once("afterDrawing", function () {
    updateStatus(Math.round(performance.now() - started));
    var ready = function () {
      document.body.dataset.readyMs = String(Math.round(performance.now()));  // since navigation start
      document.body.dataset.ready = "true";
    };
    if (data.focus !== null) select(data.focus, false).then(ready); else ready();
  });

  window.paperkg = {
    lit: function () { return lit; }, labelled: function () { return labelled; },
    network: network, nodes: nodes, edges: edges, shown: shown,
    select: select, toggleClass: toggleClass, count: function (e) { return counts[e]; }, setRange: setRange, rising: rising, search: search,
    showFull: showFull, showMap: showMap, loaded: function () { return Object.keys(loaded); },
  };
})();
