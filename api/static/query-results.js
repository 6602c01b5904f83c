// geokg's YASR plugins: the result table with labels, and a chart of a numeric column.
// Labels come from POST /labels, one request per page of results (cached by language);
// every string from the data enters the page through textContent, never as markup.
"use strict";

window.GeokgResults = (function () {
  const BASE = "https://w3id.org/geokg/";
  const NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsignedInt|unsignedLong)$/;
  const cache = { en: new Map(), fr: new Map() };
  let language = () => "en";

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** The local page of a geokg IRI, the IRI itself for other http(s) IRIs, else null. */
  function href(iri) {
    if (iri.startsWith(BASE)) return "/" + iri.slice(BASE.length);
    return /^https?:\/\//i.test(iri) ? iri : null;
  }

  /** The labels of `iris` in the current language: one request for those not yet known. */
  async function labels(iris) {
    const lang = language();
    const known = cache[lang];
    const missing = [...new Set(iris)].filter((i) => !known.has(i));
    if (missing.length) {
      const response = await fetch("/labels", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ iris: missing, lang: lang }),
      });
      const found = response.ok ? (await response.json()).labels : {};
      for (const iri of missing) known.set(iri, found[iri] || "");
    }
    return known;
  }

  /** Fill the empty label slots under `root` (the rows on screen). */
  async function fillLabels(root) {
    const slots = [...root.querySelectorAll("span.gk-label[data-iri]")].filter((s) => !s.dataset.done);
    if (!slots.length) return;
    const known = await labels(slots.map((s) => s.dataset.iri));
    for (const slot of slots) {
      slot.textContent = known.get(slot.dataset.iri) || "";
      slot.dataset.done = "1";
    }
    root.dispatchEvent(new CustomEvent("gk-labelled", { bubbles: true }));
  }

  function makeTable(Base) {
    // The YASR table, with geokg IRIs linked to their entity page and a label slot beside them.
    return class LabelledTable extends Base {
      getUriLinkFromBinding(binding, prefixes) {
        const iri = binding.value;
        const target = href(iri);
        let shown = "<" + iri + ">";
        for (const [p, ns] of Object.entries(prefixes || {})) {
          if (iri.startsWith(ns) && !iri.slice(ns.length).includes("/")) { shown = p + ":" + iri.slice(ns.length); break; }
        }
        const link = target ? el("a", shown, { class: "iri", href: target, title: iri }) : el("span", shown, { class: "iri", title: iri });
        if (target && target.startsWith("http")) { link.setAttribute("target", "_blank"); link.setAttribute("rel", "noopener noreferrer"); }
        const holder = el("span");
        holder.appendChild(link);
        if (iri.startsWith(BASE)) holder.appendChild(el("span", null, { class: "gk-label", "data-iri": iri }));
        return holder.innerHTML; // built from text nodes and attributes: the IRI is escaped
      }
      draw(config) {
        super.draw(config);
        const table = this.tableEl;
        const fill = () => fillLabels(table);
        if (this.dataTable) this.dataTable.on("draw", fill);
        fill();
      }
    };
  }

  function cellText(binding) {
    if (!binding) return "";
    if (binding.type === "uri") {
      const label = cache[language()].get(binding.value);
      return label || binding.value.replace(/^.*[/#]/, "");
    }
    return binding.value;
  }

  function isNumber(binding) {
    return binding && binding.type !== "uri" && binding.datatype && NUMERIC.test(binding.datatype);
  }

  class Chart {
    // A bar or line chart of one numeric column against a label or date column (SVG, no library).
    constructor(yasr) { this.yasr = yasr; this.priority = 5; this.label = "Chart"; }
    columns() {
      const vars = this.yasr.results.getVariables();
      const rows = this.yasr.results.getBindings();
      const numeric = vars.filter((v) => rows.some((r) => isNumber(r[v])) && rows.every((r) => !r[v] || isNumber(r[v])));
      return { vars, rows, numeric };
    }
    canHandleResults() {
      const results = this.yasr.results;
      if (!results || !results.getVariables || !results.getBindings()) return false;
      const { vars, numeric } = this.columns();
      return numeric.length > 0 && vars.length > 1;
    }
    getIcon() { return el("span", "▮▮", { class: "gk-chart-icon" }); }
    async draw() {
      const { vars, rows, numeric } = this.columns();
      const box = el("div", null, { class: "gk-chart" });
      const controls = el("div", null, { class: "gk-chart-controls" });
      const pick = (name, options, chosen) => {
        const label = el("label", name + " ");
        const select = el("select", null, { "data-role": name.toLowerCase() });
        for (const o of options) { const opt = el("option", o, { value: o }); if (o === chosen) opt.selected = true; select.appendChild(opt); }
        label.appendChild(select);
        controls.appendChild(label);
        return select;
      };
      const others = vars.filter((v) => !numeric.includes(v));
      const xSelect = pick("X", vars, others[0] || vars[0]);
      const ySelect = pick("Y", numeric, numeric.find((v) => v !== xSelect.value) || numeric[0]);
      const kind = pick("Kind", ["bar", "line"], "bar");
      const area = el("div");
      const note = el("p", null, { class: "gk-chart-note" });
      box.append(controls, area, note);
      this.yasr.resultsEl.appendChild(box);
      const iris = rows.flatMap((r) => vars.map((v) => r[v]).filter((b) => b && b.type === "uri" && b.value.startsWith(BASE)).map((b) => b.value));
      await labels(iris);
      const render = () => {
        const points = rows.filter((r) => isNumber(r[ySelect.value])).map((r) => ({ x: cellText(r[xSelect.value]), y: Number(r[ySelect.value].value) }));
        area.replaceChildren(plot(points, kind.value, xSelect.value, ySelect.value));
        const skipped = rows.length - points.length;
        note.textContent = points.length + " point(s)" + (skipped ? "; " + skipped + " row(s) without a number in ?" + ySelect.value + " left out" : "");
      };
      for (const s of [xSelect, ySelect, kind]) s.addEventListener("change", render);
      render();
    }
  }

  function plot(points, kind, xName, yName) {
    const width = Math.max(480, Math.min(1600, points.length * 28 + 120)), height = 360;
    const left = 70, right = 20, top = 20, bottom = 110;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": `?${yName} by ?${xName}` });
    const values = points.map((p) => p.y);
    const low = Math.min(0, ...values), high = Math.max(0, ...values) || 1;
    const y = (v) => top + (height - top - bottom) * (1 - (v - low) / (high - low));
    const step = (width - left - right) / Math.max(points.length, 1);
    for (let i = 0; i <= 4; i++) {
      const v = low + ((high - low) * i) / 4;
      chart.appendChild(svg("line", { class: "grid", x1: left, x2: width - right, y1: y(v), y2: y(v) }));
      chart.appendChild(svg("text", { class: "tick-y", x: left - 6, y: y(v) }, Number(v.toPrecision(4)).toLocaleString()));
    }
    chart.appendChild(svg("line", { class: "axis", x1: left, x2: width - right, y1: y(0), y2: y(0) }));
    const path = [];
    points.forEach((p, i) => {
      const cx = left + step * (i + 0.5);
      if (kind === "bar") {
        const bar = svg("rect", { class: "bar", x: cx - step * 0.4, width: step * 0.8, y: Math.min(y(p.y), y(0)), height: Math.abs(y(p.y) - y(0)) });
        bar.appendChild(svg("title", {}, `${p.x}: ${p.y}`));
        chart.appendChild(bar);
      } else {
        path.push(`${i ? "L" : "M"}${cx},${y(p.y)}`);
        const dot = svg("circle", { class: "dot", cx, cy: y(p.y), r: 3 });
        dot.appendChild(svg("title", {}, `${p.x}: ${p.y}`));
        chart.appendChild(dot);
      }
      const tick = svg("text", { class: "tick-x", x: cx, y: height - bottom + 12, transform: `rotate(-45 ${cx} ${height - bottom + 12})` }, p.x.length > 24 ? p.x.slice(0, 23) + "…" : p.x);
      chart.appendChild(tick);
    });
    if (path.length) chart.appendChild(svg("path", { class: "line", d: path.join(" ") }));
    return chart;
  }

  class Network {
    // A drawing of CONSTRUCT/DESCRIBE results: IRIs and blank nodes as points, triples between
    // them as lines (literals are counted, not drawn); a simple force layout in SVG, no library.
    constructor(yasr) { this.yasr = yasr; this.priority = 4; this.label = "Network"; }
    canHandleResults() {
      const results = this.yasr.results;
      if (!results || !results.getVariables || !results.getBindings()) return false;
      return results.getVariables().join(" ") === "subject predicate object";
    }
    getIcon() { return el("span", "⋰", { class: "gk-network-icon" }); }
    async draw() {
      const triples = this.yasr.results.getBindings();
      const nodes = new Map(), edges = [];
      let literals = 0;
      const node = (b) => {
        if (!nodes.has(b.value)) nodes.set(b.value, { id: b.value, term: b, x: 0, y: 0, dx: 0, dy: 0 });
        return nodes.get(b.value);
      };
      for (const t of triples) {
        if (t.object.type === "literal" || t.object.type === "typed-literal") { literals++; continue; }
        if (nodes.size >= MAX_NODES && !(nodes.has(t.subject.value) && nodes.has(t.object.value))) continue;
        edges.push({ from: node(t.subject), to: node(t.object), predicate: t.predicate.value });
      }
      const known = await labels([...nodes.keys()].filter((i) => i.startsWith(BASE)));
      const box = el("div", null, { class: "gk-network" });
      box.appendChild(drawNetwork([...nodes.values()], edges, known, this.yasr.getPrefixes()));
      box.appendChild(el("p", `${nodes.size} node(s), ${edges.length} link(s); ${literals} literal value(s) not drawn` + (nodes.size >= MAX_NODES ? `; only the first ${MAX_NODES} nodes are drawn` : ""), { class: "gk-chart-note" }));
      this.yasr.resultsEl.appendChild(box);
    }
  }

  const MAX_NODES = 300;

  function layout(nodes, edges, width, height) {
    // Fruchterman-Reingold, a fixed number of rounds: deterministic (nodes start on a circle).
    const k = Math.sqrt((width * height) / Math.max(nodes.length, 1)) * 0.6;
    nodes.forEach((n, i) => {
      const a = (2 * Math.PI * i) / nodes.length;
      n.x = width / 2 + (width / 3) * Math.cos(a); n.y = height / 2 + (height / 3) * Math.sin(a);
    });
    for (let round = 0, heat = width / 10; round < 200; round++, heat *= 0.97) {
      for (const n of nodes) { n.dx = 0; n.dy = 0; }
      for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i], b = nodes[j];
        const x = a.x - b.x, y = a.y - b.y, d = Math.max(Math.hypot(x, y), 0.01), f = (k * k) / d;
        a.dx += (x / d) * f; a.dy += (y / d) * f; b.dx -= (x / d) * f; b.dy -= (y / d) * f;
      }
      for (const e of edges) {
        const x = e.from.x - e.to.x, y = e.from.y - e.to.y, d = Math.max(Math.hypot(x, y), 0.01), f = (d * d) / k;
        e.from.dx -= (x / d) * f; e.from.dy -= (y / d) * f; e.to.dx += (x / d) * f; e.to.dy += (y / d) * f;
      }
      for (const n of nodes) {
        const d = Math.max(Math.hypot(n.dx, n.dy), 0.01), step = Math.min(d, heat);
        n.x = Math.min(width - 20, Math.max(20, n.x + (n.dx / d) * step));
        n.y = Math.min(height - 20, Math.max(20, n.y + (n.dy / d) * step));
      }
    }
  }

  function shortName(iri, prefixes) {
    for (const [p, ns] of Object.entries(prefixes || {})) if (iri.startsWith(ns)) return p + ":" + iri.slice(ns.length);
    return iri.replace(/^.*[/#]/, "");
  }

  function drawNetwork(nodes, edges, known, prefixes) {
    const width = 1000, height = 640;
    layout(nodes, edges, width, height);
    const drawing = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": "network of the results" });
    for (const e of edges) {
      const line = svg("line", { class: "edge", x1: e.from.x, y1: e.from.y, x2: e.to.x, y2: e.to.y });
      line.appendChild(svg("title", {}, shortName(e.predicate, prefixes)));
      drawing.appendChild(line);
    }
    for (const n of nodes) {
      const name = (known.get(n.id) || "") || (n.term.type === "bnode" ? "_:" + n.id : shortName(n.id, prefixes));
      const target = n.term.type === "uri" ? href(n.id) : null;
      const group = target ? svg("a", { href: target }) : svg("g");
      if (target && target.startsWith("http")) group.setAttribute("target", "_blank");
      group.appendChild(svg("circle", { class: "node", cx: n.x, cy: n.y, r: 6 }));
      group.appendChild(svg("text", { class: "node-label", x: n.x + 8, y: n.y + 4 }, name.length > 40 ? name.slice(0, 39) + "…" : name));
      group.appendChild(svg("title", {}, n.id));
      drawing.appendChild(group);
    }
    return drawing;
  }

  function install(Yasgui, options) {
    language = options.language;
    const Yasr = Yasgui.Yasr;
    Yasr.registerPlugin("table", makeTable(Yasr.plugins.table));
    Yasr.registerPlugin("chart", Chart);
    Yasr.registerPlugin("network", Network);
  }

  /** Forget the labels' language: the next draw fetches labels in the new one. */
  function relabel(root) {
    for (const slot of root.querySelectorAll("span.gk-label[data-iri]")) delete slot.dataset.done;
    return fillLabels(root);
  }

  return { install, relabel, href };
})();
