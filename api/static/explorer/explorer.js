/* The alliance explorer (issue 16): sigma.js over graphology, every tie with its interval
   loaded once, so that moving the timeline redraws on the client. Every string from the data
   is shown with textContent (or drawn on a canvas): never parsed as HTML.
   The data come from <script type="application/json" id="explorer-data"> when the page is
   self-contained (geokg.explore in a notebook), else from the URL in data-source. */
(function () {
  "use strict";
  var BLOC_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#393b79", "#637939", "#843c39"];
  var SMALL_BLOC = "#9a9a9a";
  var ADDED = "#00a651", REMOVED = "#e4002b", DIMMED = "#e2e4e8";
  var WORDS = { "defense": "defence", "offense": "offence", "non-aggression": "non-aggression",
    "neutrality": "neutrality", "consultation": "consultation" };
  var DAY = 86400000;

  var root = document.getElementById("explorer");
  var $ = function (id) { return document.getElementById(id); };
  var api = window.geokgExplorer = { ready: false, drawnAfter: null, steps: [],
    scriptStart: performance.now() };
  var data, graph, renderer, N, tiesOf;
  var shown = {};          // provision name -> shown
  var day, previous = null, compareDay = null;
  var selected = null, neighbours = new Set();
  var layout = "force", mapPositions = null, outline = null, mapTable = null;
  var blocOf = {}, blocColour = {};
  var deployments = {}, deploymentsShown = false, drawnLines = [];  // year -> payload

  function inline(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function fetchJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }
  function norm(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function toDay(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function dayMs(text) { return Date.parse(text + "T00:00:00Z"); }
  function covers(tie, d) { return (!tie[3] || tie[3] <= d) && (!tie[4] || d <= tie[4]); }
  function words(p) { return WORDS[p] || p; }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function status(text) { $("status").textContent = text; }
  /** Where a link to an entity goes: its page on this server, or (inline in a notebook) its
   *  IRI or the given server's page. */
  function href(item) {
    var links = root.dataset.links;
    if (!links) return item.page;
    if (links === "iri") return item.id;
    return item.page ? links + item.page : item.id;
  }

  // -- the network of a date --------------------------------------------------------------

  function treatyShown(t) {
    var ps = data.treaties[t].provisions;
    for (var i = 0; i < ps.length; i++) if (shown[ps[i]]) return true;
    return false;
  }
  /** Map "a|b" -> treaty indexes in force on d (shown provisions only). */
  function pairsAt(d) {
    var pairs = new Map();
    for (var i = 0; i < data.ties.length; i++) {
      var tie = data.ties[i];
      if (!covers(tie, d) || !treatyVisible[tie[2]]) continue;
      var a = tie[0], b = tie[1];
      var key = a < b ? a + "|" + b : b + "|" + a;
      var found = pairs.get(key);
      if (found) { if (found.indexOf(tie[2]) < 0) found.push(tie[2]); }
      else pairs.set(key, [tie[2]]);
    }
    return pairs;
  }
  var treatyVisible = [];
  function refreshVisible() {
    treatyVisible = data.treaties.map(function (_, t) { return treatyShown(t); });
  }
  function strongestShown(ts) {
    for (var i = 0; i < data.provisions.length; i++) {
      var p = data.provisions[i];
      if (!shown[p]) continue;
      for (var j = 0; j < ts.length; j++)
        if (data.treaties[ts[j]].provisions.indexOf(p) >= 0) return p;
    }
    return null;
  }
  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }

  /** Draw the network of d; ties added/ended since the base (previous stop or compared date)
   *  are highlighted. Returns the milliseconds taken (computation and drawing). */
  function show(d) {
    var t0 = performance.now();
    day = d;
    var current = pairsAt(d);
    var base = compareDay ? pairsAt(compareDay) : previous;
    graph.clearEdges();
    var degree = new Int32Array(N), touched = new Uint8Array(N);
    var added = 0, removed = 0;
    current.forEach(function (ts, key) {
      var ab = key.split("|"), a = +ab[0], b = +ab[1];
      var isNew = base !== null && !base.has(key);
      var kind = strongestShown(ts);
      added += isNew ? 1 : 0;
      degree[a]++; degree[b]++;
      graph.addEdgeWithKey(key, a, b, {
        size: isNew ? 1.6 : Math.min(0.6 + 0.5 * Math.log2(ts.length + 1), 3),
        color: isNew ? alpha(ADDED, 0.8) : alpha(data.colours[kind] || "#555555", 0.35),
        status: isNew ? "added" : "kept", treaties: ts, zIndex: isNew ? 2 : 0
      });
    });
    if (base !== null) {
      base.forEach(function (ts, key) {
        if (current.has(key)) return;
        var ab = key.split("|"), a = +ab[0], b = +ab[1];
        removed++;
        touched[a] = touched[b] = 1;
        graph.addEdgeWithKey(key, a, b, { size: 1.6, color: alpha(REMOVED, 0.8), status: "removed",
          treaties: ts, zIndex: 1 });
      });
    }
    blocs(current, degree);
    var maxDegree = 1;
    for (var i = 0; i < N; i++) if (degree[i] > maxDegree) maxDegree = degree[i];
    graph.updateEachNodeAttributes(function (node, attr) {
      var i = +node;
      attr.degree = degree[i];
      attr.hidden = degree[i] === 0 && !touched[i];
      attr.size = 3 + 12 * Math.sqrt(degree[i] / maxDegree);
      attr.color = degree[i] === 0 ? "#bbbbbb" : (blocColour[blocOf[i]] || SMALL_BLOC);
      return attr;
    });
    $("max-degree").textContent = maxDegree + " partners (the most on this date)";
    if (selected !== null) neighbours = partnersOf(selected);
    renderer.refresh();
    previous = current;
    var ms = performance.now() - t0;
    api.steps.push(ms);
    var since = compareDay ? "than on " + compareDay : (base ? "since the previous date" : "");
    $("diff").textContent = base ? "+" + added + " ties, −" + removed + " ties " + since : "";
    status(current.size + " ties between " + countShown() + " states on " + d);
    if (selected !== null) panel(selected);
    if (deploymentsShown && !deployments[d.slice(0, 4)]) showDeployments(true);
    try {
      var url = new URL(location.href);
      url.searchParams.set("as_of", d);
      history.replaceState(null, "", url);
    } catch (e) { /* a srcdoc page has no address to keep */ }
    return ms;
  }
  function countShown() {
    var n = 0;
    graph.forEachNode(function (_, a) { if (a.degree > 0) n++; });
    return n;
  }
  function partnersOf(i) {
    var set = new Set();
    graph.forEachEdge(String(i), function (e, attr, s, t) {
      if (attr.status !== "removed") set.add(+(s === String(i) ? t : s));
    });
    return set;
  }

  // -- blocs: Louvain communities of the date, colours kept from the previous date -------

  function mulberry32(seed) {
    return function () {
      seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function blocs(current, degree) {
    var g = new graphology.Graph({ type: "undirected" });
    current.forEach(function (ts, key) {
      var ab = key.split("|");
      if (!g.hasNode(ab[0])) g.addNode(ab[0]);
      if (!g.hasNode(ab[1])) g.addNode(ab[1]);
      g.addEdge(ab[0], ab[1], { weight: ts.length });
    });
    var found = g.order ? graphologyLibrary.communitiesLouvain(g, { rng: mulberry32(7) }) : {};
    var members = {};
    Object.keys(found).forEach(function (n) { (members[found[n]] = members[found[n]] || []).push(+n); });
    var order = Object.keys(members).sort(function (x, y) { return members[y].length - members[x].length; });
    var oldBloc = blocOf, oldColour = blocColour, used = {};
    blocOf = {}; blocColour = {};
    var legend = [];
    order.forEach(function (c) {
      var list = members[c];
      list.forEach(function (n) { blocOf[n] = c; });
      if (list.length < 3) return;
      var votes = {};
      list.forEach(function (n) {
        var colour = oldColour[oldBloc[n]];
        if (colour && colour !== SMALL_BLOC) votes[colour] = (votes[colour] || 0) + 1;
      });
      var choice = Object.keys(votes).filter(function (k) { return !used[k]; })
        .sort(function (x, y) { return votes[y] - votes[x]; })[0];
      if (!choice) choice = BLOC_COLOURS.filter(function (k) { return !used[k]; })[0];
      if (!choice) return;
      used[choice] = true;
      blocColour[c] = choice;
      var hub = list.reduce(function (best, n) { return degree[n] > degree[best] ? n : best; }, list[0]);
      legend.push([choice, data.nodes[hub].en, list.length]);
    });
    var ul = $("blocs");
    ul.textContent = "";
    legend.forEach(function (entry) {
      var li = el("li");
      var dot = el("span", null, "dot");
      dot.style.background = entry[0];
      li.appendChild(dot);
      li.appendChild(el("span", "bloc around " + entry[1] + " (" + entry[2] + " states)"));
      ul.appendChild(li);
    });
    $("blocs-note").textContent = "Blocs: Louvain communities of the ties in force on the date " +
      "(weight: treaties shared), named by their most connected state; grey: blocs of fewer " +
      "than 3 states. The store records no region: colouring by region is not offered.";
  }

  // -- search, selection, side panel -------------------------------------------------------

  function names(n) { return [n.en, n.fr, n.iso].concat(n.aliases || []).filter(Boolean); }
  /** The states whose label, alias or ISO code contains the text (accents and case ignored):
   *  exact names first, then names starting with it, English labels before other names. */
  function search(text) {
    var q = norm(text).trim();
    if (!q) return [];
    var hits = [];
    data.nodes.forEach(function (n, i) {
      var best = 9, alias = null;
      names(n).forEach(function (name) {
        var text = norm(name), at = text.indexOf(q);
        if (at < 0) return;
        var rank = text === q ? 0 : (at === 0 ? 1 : 3) + (name === n.en ? 0 : 1);
        if (rank < best) { best = rank; alias = name === n.en ? null : name; }
      });
      if (best < 9) hits.push({ i: i, rank: best, alias: alias, shown: graph.getNodeAttribute(String(i), "degree") > 0 });
    });
    hits.sort(function (a, b) { return (a.rank - b.rank) || (b.shown - a.shown) || data.nodes[a.i].en.localeCompare(data.nodes[b.i].en); });
    return hits.slice(0, 12);
  }
  function listMatches(hits) {
    var ul = $("matches");
    ul.textContent = "";
    hits.forEach(function (h, k) {
      var li = el("li", data.nodes[h.i].en);
      li.setAttribute("role", "option");
      li.dataset.node = h.i;
      if (k === 0) li.className = "current";
      if (h.alias) li.appendChild(el("span", h.alias, "alias"));
      if (!h.shown) li.appendChild(el("span", "no tie on this date", "alias"));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(h.i); });
      ul.appendChild(li);
    });
    ul.hidden = hits.length === 0;
  }
  function choose(i) {
    $("matches").hidden = true;
    $("search").value = data.nodes[i].en;
    select(i, true);
  }
  function select(i, centre) {
    selected = i;
    neighbours = i === null ? new Set() : partnersOf(i);
    renderer.refresh();
    if (i === null) { $("panel").hidden = true; return; }
    panel(i);
    if (centre) {
      var pos = renderer.getNodeDisplayData(String(i));
      if (pos) renderer.getCamera().animate({ x: pos.x, y: pos.y, ratio: 0.35 }, { duration: 250 });
    }
  }
  function nodeReducer(node, attr) {
    if (selected === null) return attr;
    var i = +node;
    var out = Object.assign({}, attr);
    if (i === selected) { out.highlighted = true; out.forceLabel = true; out.zIndex = 3; }
    else if (neighbours.has(i)) { out.forceLabel = true; out.zIndex = 2; }
    else { out.color = DIMMED; out.label = ""; out.zIndex = 0; }
    return out;
  }
  function edgeReducer(edge, attr) {
    if (selected === null && deploymentsShown) return Object.assign({}, attr, { hidden: true });
    if (selected === null) return attr;
    var ends = graph.extremities(edge);
    if (+ends[0] === selected || +ends[1] === selected) return attr;
    return Object.assign({}, attr, { hidden: true });
  }

  function memberPeriod(ties) {
    var from = "", until = "", open = false;
    ties.forEach(function (tie) {
      if (!from || (tie[3] && tie[3] < from)) from = tie[3];
      if (!tie[4]) open = true; else if (tie[4] > until) until = tie[4];
    });
    return (from || "?") + " – " + (open ? "" : until);
  }
  function treatyItem(t, ties) {
    var tr = data.treaties[t];
    var li = el("li");
    li.dataset.treaty = tr.id;
    if (tr.atop !== null && tr.atop !== undefined) li.dataset.atop = tr.atop;
    var name = tr.en || tr.fr || tr.id;
    if (href(tr)) { var a = el("a", name); a.href = href(tr); a.target = "_blank"; li.appendChild(a); }
    else li.appendChild(el("span", name));
    var meta = [];
    if (tr.atop !== null && tr.atop !== undefined) meta.push("ATOP " + tr.atop);
    meta.push(tr.provisions.map(words).join(", "));
    meta.push("signed " + (tr.signed || "?"));
    meta.push("in force " + (tr.from || "?") + " – " + (tr.until || ""));
    meta.push("member " + memberPeriod(ties));
    li.appendChild(el("span", meta.join(" · "), "meta"));
    if (tr.articles.length) {
      var span = el("span", null, "meta articles");
      tr.articles.forEach(function (art) {
        var label = "art. " + (art.n === null || art.n === undefined ? "?" : art.n) +
          " (" + art.provisions.map(words).join(", ") + ")";
        if (art.page) {
          var link = el("a", label);
          link.href = href({ id: art.page ? "https://w3id.org/geokg" + art.page : "", page: art.page });
          span.appendChild(link);
        }
        else span.appendChild(el("span", label));
      });
      li.appendChild(span);
    }
    return li;
  }
  function panel(i) {
    var n = data.nodes[i];
    $("panel").hidden = false;
    $("panel-name").textContent = n.en;
    var other = [n.fr].concat(n.aliases || []).filter(function (x) { return x && x !== n.en; });
    $("panel-other").textContent = other.join(" · ");
    var codes = [];
    if (n.iso) codes.push("ISO " + n.iso);
    if (n.cow !== null && n.cow !== undefined) codes.push("COW " + n.cow);
    if (layout === "map" && mapPositions && mapPositions[i].note) codes.push(mapPositions[i].note);
    $("panel-codes").textContent = codes.join(" · ");
    var page = $("panel-page");
    if (href(n)) { page.href = href(n); page.hidden = false; } else page.hidden = true;
    var byTreaty = new Map();
    tiesOf[i].forEach(function (k) {
      var tie = data.ties[k];
      (byTreaty.get(tie[2]) || byTreaty.set(tie[2], []).get(tie[2])).push(tie);
    });
    var now = [], rest = [];
    byTreaty.forEach(function (ties, t) {
      (ties.some(function (tie) { return covers(tie, day); }) ? now : rest).push(t);
    });
    function start(t) { return memberPeriod(byTreaty.get(t)); }
    now.sort(function (a, b) { return start(a).localeCompare(start(b)); });
    rest.sort(function (a, b) { return start(a).localeCompare(start(b)); });
    $("panel-now-title").textContent = "Treaties in force on " + day + " (" + now.length + ")";
    $("panel-rest-title").textContent = "Its treaties on other dates (" + rest.length + ")";
    [["panel-now", now], ["panel-rest", rest]].forEach(function (pair) {
      var ol = $(pair[0]);
      ol.textContent = "";
      pair[1].forEach(function (t) { ol.appendChild(treatyItem(t, byTreaty.get(t))); });
    });
  }

  // -- map layout --------------------------------------------------------------------------

  function loadMap() {
    var centroids = inline("explorer-centroids");
    var atlas = inline("explorer-atlas");
    return Promise.all([
      centroids ? centroids : fetchJSON(root.dataset.centroids),
      atlas ? atlas : fetchJSON(root.dataset.atlas)
    ]).then(function (both) {
      var table = both[0], topo = both[1];
      mapTable = table;
      var seen = {}, unplaced = [];
      mapPositions = data.nodes.map(function (n, i) {
        var local = n.id.split("/").pop();
        var stand = table.stand_in[local];
        var code = n.iso && table.centroids[n.iso] ? n.iso : stand;
        var at = code && table.centroids[code];
        if (!at) { unplaced.push(i); return null; }
        var k = seen[code] = (seen[code] || 0) + 1;
        var r = k === 1 ? 0 : 1.1 * Math.sqrt(k - 1), angle = k * 2.4;
        return { x: at[0] + r * Math.cos(angle), y: at[1] + r * Math.sin(angle),
                 note: stand && code === stand ? "placed on the map at the territory of " + stand : "" };
      });
      unplaced.forEach(function (i, k) {
        mapPositions[i] = { x: -170 + 12 * k, y: -62, note: "not on the map (no outline): drawn below it" };
      });
      $("map-note").textContent = "Map: each state at the centroid of its largest landmass " +
        "(Natural Earth 1:50m); states of the past at the territory of their present-day " +
        "successor; below the map, with no outline: " +
        (unplaced.map(function (i) { return data.nodes[i].en; }).join(", ") || "none") + ".";
      outline = new Path2D();
      var land = topojson.feature(topo, topo.objects.countries);
      land.features.forEach(function (f) {
        var g = f.geometry;
        if (!g) return;
        var polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
        polys.forEach(function (poly) {
          poly.forEach(function (ring) {
            ring.forEach(function (p, k) {
              var jump = k > 0 && Math.abs(p[0] - ring[k - 1][0]) > 180;
              if (k === 0 || jump) outline.moveTo(p[0], p[1]); else outline.lineTo(p[0], p[1]);
            });
          });
        });
      });
    });
  }
  function drawOutline() {
    var canvas = $("outline");
    var ratio = window.devicePixelRatio || 1;
    var w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * ratio)) canvas.width = Math.round(w * ratio);
    if (canvas.height !== Math.round(h * ratio)) canvas.height = Math.round(h * ratio);
    var ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (layout !== "map" || !outline) return;
    var o = renderer.graphToViewport({ x: 0, y: 0 });
    var ex = renderer.graphToViewport({ x: 1, y: 0 });
    var ey = renderer.graphToViewport({ x: 0, y: 1 });
    ctx.setTransform(ratio * (ex.x - o.x), ratio * (ex.y - o.y), ratio * (ey.x - o.x),
      ratio * (ey.y - o.y), ratio * o.x, ratio * o.y);
    ctx.lineWidth = 1 / Math.abs(ex.x - o.x);
    ctx.strokeStyle = "#9aa3b2";
    ctx.stroke(outline);
    drawDeployments(ctx, ratio);
  }

  // -- deployments on the map (sender -> host or place, width by personnel) -----------------

  function place(iri, iso, at) {
    for (var i = 0; i < N; i++) if (data.nodes[i].id === iri && mapPositions[i]) return mapPositions[i];
    if (at) return { x: at[0], y: at[1] };
    var c = iso && mapTable.centroids[iso];
    return c ? { x: c[0], y: c[1] } : null;
  }
  function lineWidth(personnel) {
    return personnel ? 1 + 1.6 * Math.log10(1 + personnel / 10) : 1;
  }
  function drawDeployments(ctx, ratio) {
    drawnLines = [];
    var year = day.slice(0, 4);
    if (!deploymentsShown || !deployments[year]) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    deployments[year].lines.forEach(function (line) {
      var a = place(line.from, line.from_iso, null), b = place(line.to, line.to_iso, line.at);
      if (!a || !b) return;
      var p = renderer.graphToViewport(a), q = renderer.graphToViewport(b);
      var w = lineWidth(line.personnel);
      ctx.strokeStyle = "rgba(30,30,60,0.55)";
      ctx.lineWidth = w;
      ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(q.x, q.y); ctx.stroke();
      var angle = Math.atan2(q.y - p.y, q.x - p.x), head = 5 + w;
      ctx.fillStyle = "rgba(30,30,60,0.75)";
      ctx.beginPath(); ctx.moveTo(q.x, q.y);
      ctx.lineTo(q.x - head * Math.cos(angle - 0.4), q.y - head * Math.sin(angle - 0.4));
      ctx.lineTo(q.x - head * Math.cos(angle + 0.4), q.y - head * Math.sin(angle + 0.4));
      ctx.fill();
      drawnLines.push({ p: p, q: q, line: line });
    });
  }
  function figure(f) {
    if (f.value !== null && f.value !== undefined) return Number(f.value).toLocaleString("en");
    return (f.min === null || f.min === undefined ? "…" : f.min) + "–" +
      (f.max === null || f.max === undefined ? "…" : f.max);
  }
  function tipText(line) {
    var lines = [(line.from_label || line.from) + " → " + (line.to_label || line.to) + ", " +
      day.slice(0, 4) + (line.personnel ? ": " + line.personnel.toLocaleString("en") +
      " personnel (largest figure per deployment, summed)" : "")];
    line.deployments.forEach(function (d) {
      lines.push("• " + d.label);
      d.figures.forEach(function (f) {
        lines.push("    " + figure(f) + " — " + (f.agency || "?") + ", " + (f.source || "?") +
          ", " + (f.as_of || "?"));
      });
    });
    return lines.join("\n");
  }
  function nearestLine(x, y) {
    var best = null, bestD = 6;
    drawnLines.forEach(function (d) {
      var dx = d.q.x - d.p.x, dy = d.q.y - d.p.y, len = dx * dx + dy * dy || 1;
      var t = Math.max(0, Math.min(1, ((x - d.p.x) * dx + (y - d.p.y) * dy) / len));
      var dist = Math.hypot(x - d.p.x - t * dx, y - d.p.y - t * dy);
      if (dist < bestD) { bestD = dist; best = d; }
    });
    return best;
  }
  function showDeployments(on) {
    deploymentsShown = on;
    var year = day.slice(0, 4);
    var go = !on || deployments[year] ? Promise.resolve() :
      fetchJSON((root.dataset.deployments || "/views/alliances/deployments") + "?year=" + year)
        .then(function (payload) { deployments[year] = payload; });
    return go.then(function () {
      var found = deployments[year];
      var note = $("deployments-note");
      note.hidden = !on;
      if (on && found) {
        note.textContent = "Deployments under way in " + year + " (" + found.lines.length +
          " sender–destination lines): arrow from sender to host state or place, width by " +
          "personnel (for each deployment the largest figure claimed for the year, summed); " +
          "hover a line for every figure and its source. Alliance ties are hidden meanwhile " +
          "(click a state to see its ties).";
      }
      renderer.refresh();
    }).catch(function (e) { status("Could not load the deployments: " + e.message); });
  }
  function setLayout(mode) {
    var go = mode === "map" && !mapPositions ? loadMap() : Promise.resolve();
    return go.then(function () {
      layout = mode;
      graph.updateEachNodeAttributes(function (node, attr) {
        var p = mode === "map" ? mapPositions[+node] : data.nodes[+node];
        attr.x = p.x; attr.y = p.y;
        return attr;
      });
      renderer.setCustomBBox(mode === "map" ? { x: [-180, 180], y: [-64, 84] } : null);
      $("layout-force").classList.toggle("on", mode !== "map");
      $("layout-map").classList.toggle("on", mode === "map");
      $("layout-force").setAttribute("aria-pressed", String(mode !== "map"));
      $("layout-map").setAttribute("aria-pressed", String(mode === "map"));
      $("map-note").hidden = mode !== "map";
      $("deployments-toggle").hidden = mode !== "map" || root.dataset.deployments === "none";
      if (mode !== "map") {
        $("deployments-on").checked = deploymentsShown = false;
        $("deployments-note").hidden = true;
      }
      renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
      renderer.refresh();
      if (selected !== null) panel(selected);
    });
  }

  // -- controls ----------------------------------------------------------------------------

  function provisionsLegend() {
    var ul = $("provisions");
    data.provisions.forEach(function (p) {
      var li = el("li");
      var box = el("input");
      box.type = "checkbox";
      box.checked = shown[p];
      box.dataset.provision = p;
      box.setAttribute("aria-label", "show " + words(p));
      box.addEventListener("change", function () {
        shown[p] = box.checked;
        refreshVisible();
        previous = null;
        show(day);
      });
      var swatch = el("span", null, "swatch");
      swatch.style.background = data.colours[p] || "#555555";
      li.appendChild(box);
      li.appendChild(swatch);
      li.appendChild(el("span", words(p) + (data.alliance.indexOf(p) >= 0 ? "" : " (not an ATOP alliance provision)")));
      ul.appendChild(li);
    });
  }
  function controls() {
    var first = dayMs(data.first), last = dayMs(data.today);
    var slider = $("slider"), date = $("date");
    slider.max = String(Math.round((last - first) / DAY));
    date.min = data.first; date.max = data.today;
    $("compare").min = data.first; $("compare").max = data.today;
    var pending = null;
    function go(d, fromSlider) {
      if (!/^\d{4}-\d\d-\d\d$/.test(d)) return;
      if (!fromSlider) slider.value = String(Math.round((dayMs(d) - first) / DAY));
      date.value = d;
      show(d);
    }
    api.go = go;
    slider.addEventListener("input", function () {
      if (pending) return;
      pending = requestAnimationFrame(function () {
        pending = null;
        go(toDay(first + (+slider.value) * DAY), true);
      });
    });
    date.addEventListener("change", function () { go(date.value); });
    function year(delta) {
      var d = new Date(dayMs(day));
      d.setUTCFullYear(d.getUTCFullYear() + delta);
      go(toDay(Math.min(Math.max(d.getTime(), first), last)));
    }
    $("back").addEventListener("click", function () { year(-1); });
    $("forward").addEventListener("click", function () { year(1); });
    $("compare-on").addEventListener("change", function () {
      var on = $("compare-on").checked;
      $("compare").disabled = !on;
      if (on && !$("compare").value) $("compare").value = day;
      compareDay = on ? $("compare").value : null;
      show(day);
    });
    $("compare").addEventListener("change", function () {
      if ($("compare-on").checked && /^\d{4}-\d\d-\d\d$/.test($("compare").value)) {
        compareDay = $("compare").value;
        show(day);
      }
    });
    var search = $("search");
    search.addEventListener("input", function () { listMatches(search.value ? search_(search.value) : []); });
    search.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        var hits = search_(search.value);
        if (hits.length) choose(hits[0].i);
        e.preventDefault();
      } else if (e.key === "Escape") { $("matches").hidden = true; }
    });
    search.addEventListener("blur", function () { $("matches").hidden = true; });
    $("close").addEventListener("click", function () { select(null); });
    $("layout-force").addEventListener("click", function () { setLayout("force"); });
    $("layout-map").addEventListener("click", function () { setLayout("map"); });
    $("deployments-on").addEventListener("change", function () {
      showDeployments($("deployments-on").checked);
    });
    $("network").addEventListener("mousemove", function (e) {
      var tip = $("tip");
      if (!deploymentsShown || !drawnLines.length) { tip.hidden = true; return; }
      var box = $("network").getBoundingClientRect();
      var x = e.clientX - box.left, y = e.clientY - box.top;
      var hit = nearestLine(x, y);
      if (!hit) { tip.hidden = true; return; }
      tip.textContent = tipText(hit.line);
      tip.style.left = (x + 12) + "px";
      tip.style.top = (y + 12) + "px";
      tip.hidden = false;
    });
  }
  var search_ = search;

  function start(payload) {
    data = payload;
    N = data.nodes.length;
    data.provisions.forEach(function (p) { shown[p] = data.alliance.indexOf(p) >= 0; });
    refreshVisible();
    tiesOf = data.nodes.map(function () { return []; });
    data.ties.forEach(function (tie, k) { tiesOf[tie[0]].push(k); tiesOf[tie[1]].push(k); });
    graph = new graphology.Graph({ type: "undirected", multi: false });
    data.nodes.forEach(function (n, i) {
      graph.addNode(String(i), { x: n.x, y: n.y, label: n.en, size: 4, color: "#bbb" });
    });
    renderer = new Sigma(graph, $("network"), {
      zIndex: true,
      labelDensity: 0.12,
      labelGridCellSize: 70,
      labelRenderedSizeThreshold: 7,
      labelFont: "system-ui, sans-serif",
      labelSize: 12,
      minCameraRatio: 0.05,
      maxCameraRatio: 4,
      hideEdgesOnMove: false,
      nodeReducer: nodeReducer,
      edgeReducer: edgeReducer
    });
    renderer.on("clickNode", function (e) { select(+e.node, false); });
    renderer.on("clickStage", function () { select(null); });
    renderer.on("afterRender", drawOutline);
    provisionsLegend();
    controls();
    var asked = new URLSearchParams(location.search).get("as_of") || root.dataset.asOf;
    var first = asked && /^\d{4}-\d\d-\d\d$/.test(asked) ? asked : data.today;
    api.go(first);
    requestAnimationFrame(function () {
      api.drawnAfter = performance.now();
      api.ready = true;
      root.dataset.ready = "true";
    });
    api.search = function (text) { return search(text).map(function (h) { return data.nodes[h.i].id; }); };
    api.type = function (text) { var s = $("search"); s.value = text; s.dispatchEvent(new Event("input")); };
    api.select = function (id) { var i = indexOf(id); select(i, true); return i; };
    api.partners = function (id) {
      var i = indexOf(id);
      return Array.from(partnersOf(i)).map(function (j) { return data.nodes[j].id; }).sort();
    };
    api.view = function () {
      var byStatus = { added: [], removed: [], kept: 0 };
      graph.forEachEdge(function (e, a, s, t) {
        if (a.status === "kept") byStatus.kept++;
        else byStatus[a.status].push([data.nodes[+s].id, data.nodes[+t].id]);
      });
      return { day: day, compare: compareDay, layout: layout, edges: byStatus,
               selected: selected === null ? null : data.nodes[selected].id,
               highlighted: selected === null ? [] : Array.from(neighbours).map(function (j) { return data.nodes[j].id; }),
               shownNodes: countShown() };
    };
    api.deployments = function (on) {
      $("deployments-on").checked = on;
      return showDeployments(on).then(function () {
        return drawnLines.map(function (d) {
          return { from: d.line.from, to: d.line.to, personnel: d.line.personnel,
                   x1: d.p.x, y1: d.p.y, x2: d.q.x, y2: d.q.y };
        });
      });
    };
    api.lineAt = function (x, y) {
      var hit = nearestLine(x, y);
      return hit ? [hit.line.from, hit.line.to] : null;
    };
    api.nodes = function () {
      return data.nodes.map(function (n) { return { id: n.id, iso: n.iso, cow: n.cow, en: n.en }; });
    };
    api.timeSearch = function (text) {
      var t0 = performance.now();
      var hits = search(text);
      if (hits.length) select(hits[0].i, true);
      return { ms: performance.now() - t0, found: hits.length ? data.nodes[hits[0].i].id : null };
    };
    api.step = function (d) { var t0 = performance.now(); api.go(d); return performance.now() - t0; };
    api.layout = function (mode) { return setLayout(mode).then(function () { return layout; }); };
    api.nodePosition = function (id) { var i = indexOf(id); return { x: graph.getNodeAttribute(String(i), "x"), y: graph.getNodeAttribute(String(i), "y") }; };
  }
  function indexOf(id) {
    for (var i = 0; i < N; i++) if (data.nodes[i].id === id || data.nodes[i].iso === id) return i;
    return null;
  }

  var given = inline("explorer-data");
  (given ? Promise.resolve(given) : fetchJSON(root.dataset.source)).then(start).catch(function (e) {
    status("Could not load the network: " + e.message);
    api.error = String(e);
  });
})();
