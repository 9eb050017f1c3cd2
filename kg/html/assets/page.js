// paperkg graph page: search, class toggles, neighbourhood highlight and the side panel.
// Every text from the data goes into the DOM through textContent, never as HTML.
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var records = data.records;
  var relationNames = {};
  data.relations.forEach(function (pair) { relationNames[pair[0]] = pair[1]; });
  var classByName = {};
  data.classes.forEach(function (c) { classByName[c.name] = c; });
  var hiddenClasses = new Set();
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var shown = new vis.DataView(nodes, { filter: function (n) { return !hiddenClasses.has(n.group); } });
  var options = data.options;
  // Size and label size grow with the log of the number of papers (full size from
  // FULL_SIZE papers up), so hubs stand out and labels of small nodes appear only when
  // zoomed in (scaling.label.drawThreshold).
  var FULL_SIZE = 64;
  options.nodes.scaling.customScalingFunction = function (min, max, total, value) {
    return Math.log(Math.max(value, 1)) / Math.log(Math.max(max, FULL_SIZE));
  };
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: shown, edges: edges }, options);
  var panel = document.getElementById("kg-panel");
  var status = document.getElementById("kg-status");
  // The selected node's neighbourhood: drawn again above a veil that fades the rest, so a
  // selection costs a redraw, not an update of every node.
  var lit = null;
  var litEdges = [];
  var VEIL = "rgba(255,255,255,0.92)";

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

  function isDrawn(id) { return nodes.get(id) !== null; }

  function nodeButton(id, text) {
    var r = records[id];
    var label = text || r.label;
    if (!isDrawn(id)) return el("span", "kg-node-ref kg-offview", label);
    var b = el("button", "kg-node-ref", label);
    b.type = "button";
    b.style.borderLeftColor = classByName[r.class].color;
    b.title = r.class;
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

  function heading(r) {
    var frag = document.createDocumentFragment();
    var badge = el("span", "kg-badge", r.class);
    badge.style.background = classByName[r.class].color;
    frag.appendChild(badge);
    frag.appendChild(el("h2", "kg-name", r.label));
    if (r.aliases && r.aliases.length) frag.appendChild(el("p", "kg-aliases", "Also: " + r.aliases.join(" · ")));
    return frag;
  }

  function paperPanel(id, r) {
    var meta = el("p", "kg-meta");
    meta.appendChild(el("span", null, "arXiv " + r.arxiv + (r.date ? " · " + r.date : "") + " "));
    meta.appendChild(paperLinks(r));
    panel.appendChild(meta);
    if (r.topics && r.topics.length) {
      var topics = el("p", "kg-topics");
      r.topics.forEach(function (t) { topics.appendChild(nodeButton(t)); });
      panel.appendChild(topics);
    }
    if (r.summary) panel.appendChild(richText("p", "kg-summary", r.summary));
    data.relations.forEach(function (pair) {
      var rel = pair[0];
      var ids = (r.relations || {})[rel];
      if (!ids || !ids.length) return;
      var section = el("section", "kg-relation");
      section.dataset.relation = rel;
      section.appendChild(el("h3", null, pair[1] + " (" + ids.length + ")"));
      var ul = el("ul");
      ids.forEach(function (e) {
        var li = el("li");
        li.appendChild(nodeButton(e));
        li.appendChild(el("span", "kg-class", records[e].class));
        var ev = (r.evidence || {})[String(e)];
        if (ev) li.appendChild(evidenceList(ev));
        ul.appendChild(li);
      });
      section.appendChild(ul);
      panel.appendChild(section);
    });
  }

  function entityPanel(id, r) {
    panel.appendChild(el("p", "kg-meta", r.papers + (r.papers === 1 ? " paper" : " papers")));
    [["variantOf", "Variant of"], ["variants", "Variants"]].forEach(function (kv) {
      var ids = r[kv[0]];
      if (!ids || !ids.length) return;
      var p = el("p", "kg-family", kv[1] + ": ");
      ids.forEach(function (v) { p.appendChild(nodeButton(v)); });
      panel.appendChild(p);
    });
    var ul = el("ul", "kg-papers");
    (r.paperLinks || []).forEach(function (link) {
      var p = records[link[0]];
      var li = el("li");
      var rels = link[1].map(function (rel) { return relationNames[rel]; }).join(", ");
      if (rels) li.appendChild(el("span", "kg-rel", rels));
      li.appendChild(nodeButton(link[0]));
      var meta = el("div", "kg-meta");
      meta.appendChild(el("span", null, (p.date || "") + " "));
      meta.appendChild(paperLinks(p));
      li.appendChild(meta);
      var ev = p.evidence && p.evidence[String(id)];
      if (ev) li.appendChild(evidenceList(ev));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  function showPanel(id) {
    var r = records[id];
    panel.replaceChildren();
    panel.dataset.node = String(id);
    panel.appendChild(heading(r));
    if (r.class === "Paper") paperPanel(id, r); else entityPanel(id, r);
    panel.scrollTop = 0;
  }

  network.on("afterDrawing", function (ctx) {
    if (lit === null) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = VEIL;
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
    var body = network.body, labels = [];
    litEdges.forEach(function (id) { var e = body.edges[id]; if (e && e.connected) e.draw(ctx); });
    lit.forEach(function (id) {
      var n = body.nodes[id];
      if (!n) return;
      var drawn = n.draw(ctx);
      if (drawn && drawn.drawExternalLabel) labels.push(drawn.drawExternalLabel);
    });
    labels.forEach(function (draw) { draw(); });
  });

  function select(id, focus) {
    var group = nodes.get(id).group;
    if (hiddenClasses.has(group)) toggleClass(group, true);
    lit = new Set(network.getConnectedNodes(id));
    lit.add(id);
    litEdges = network.getConnectedEdges(id);
    network.selectNodes([id]);
    showPanel(id);
    if (focus) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 350 } });
  }

  function clearSelection() {
    lit = null;
    network.unselectAll();
    network.redraw();
    delete panel.dataset.node;
  }

  network.on("click", function (params) {
    if (params.nodes.length) select(params.nodes[0], false); else if (!params.edges.length) clearSelection();
  });

  // Legend and class toggles.
  var legend = document.getElementById("kg-legend");
  var toggles = {};
  function toggleClass(name, visible) {
    if (visible) hiddenClasses.delete(name); else hiddenClasses.add(name);
    toggles[name].checked = visible;
    shown.refresh();
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

  // Search by label, alias or arXiv id.
  var names = [];
  data.nodes.forEach(function (n) {
    var r = records[n.id];
    var keys = [r.label].concat(r.aliases || []);
    if (r.arxiv) keys.push(r.arxiv);
    keys.forEach(function (k) { names.push([k.toLowerCase(), n.id, k]); });
  });
  var input = document.getElementById("kg-search");
  var list = document.getElementById("kg-suggestions");
  var matches = [];
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var exact = [], prefix = [], inner = [], seen = new Set();
    names.forEach(function (entry) {
      var at = entry[0].indexOf(q);
      if (at < 0 || seen.has(entry[1])) return;
      seen.add(entry[1]);
      (entry[0] === q ? exact : at === 0 ? prefix : inner).push(entry);
    });
    var byPapers = function (a, b) { return records[b[1]].papers - records[a[1]].papers || a[0].localeCompare(b[0]); };
    return exact.sort(byPapers).concat(prefix.sort(byPapers), inner.sort(byPapers)).slice(0, 12);
  }
  function choose(entry) {
    list.hidden = true;
    input.value = entry[2];
    select(entry[1], true);
  }
  input.addEventListener("input", function () {
    matches = search(input.value);
    list.replaceChildren();
    matches.forEach(function (entry) {
      var li = el("li");
      var b = el("button", "kg-suggestion", entry[2]);
      b.type = "button";
      b.appendChild(el("span", "kg-class", records[entry[1]].class));
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

  network.once("afterDrawing", function () {
    var ms = Math.round(performance.now() - started);
    status.textContent = data.nodes.length + " nodes · " + data.edges.length + " links · drawn in " + ms + " ms";
    if (data.focus !== null && isDrawn(data.focus)) select(data.focus, false);
    document.body.dataset.readyMs = String(Math.round(performance.now()));  // since navigation start
    document.body.dataset.ready = "true";
  });

  window.paperkg = { lit: function () { return lit; }, network: network, nodes: nodes, edges: edges, shown: shown, select: select, toggleClass: toggleClass };
})();
