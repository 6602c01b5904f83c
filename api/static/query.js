// The geokg query page: vanilla JS, no network but this server.
// Every string from the data goes into the page through textContent, never innerHTML.
"use strict";

(function () {
  const BASE = "https://w3id.org/geokg/";
  const RESULTS = "application/sparql-results+json";
  const ACCEPT = RESULTS + ", text/turtle;q=0.9";
  const editor = document.getElementById("editor");
  const form = document.getElementById("form");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const results = document.getElementById("results");
  const examples = document.getElementById("examples");
  let prefixes = {};

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function shorten(iri) {
    let best = "", name = "";
    for (const [p, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && ns.length > best.length && !iri.slice(ns.length).includes("/")) {
        best = ns; name = p;
      }
    }
    return best ? name + ":" + iri.slice(best.length) : "<" + iri + ">";
  }

  function href(iri) {
    if (iri.startsWith(BASE)) return "/" + iri.slice(BASE.length);
    if (/^https?:\/\//i.test(iri)) return iri;
    return null;
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const target = href(term.value);
      const node = target ? el("a", shorten(term.value), { href: target, title: term.value })
                          : el("span", shorten(term.value), { title: term.value });
      td.appendChild(node);
    } else if (term.type === "bnode") {
      td.appendChild(el("span", "_:" + term.value));
    } else if (term.type === "triple") {
      td.appendChild(el("span", "<< " + [term.value.subject, term.value.predicate, term.value.object]
        .map((t) => t.value).join(" ") + " >>"));
    } else {
      td.appendChild(el("span", term.value));
      const note = term["xml:lang"] ? "@" + term["xml:lang"]
        : term.datatype ? shorten(term.datatype) : "";
      if (note) td.appendChild(el("span", note, { class: "lang" }));
    }
    return td;
  }

  function showTable(data) {
    results.replaceChildren();
    if (typeof data.boolean === "boolean") {
      results.appendChild(el("p", data.boolean ? "true" : "false", { id: "boolean" }));
      return 1;
    }
    const vars = data.head.vars;
    const table = el("table", null, { id: "table" });
    const head = el("tr");
    vars.forEach((v) => head.appendChild(el("th", "?" + v)));
    table.appendChild(el("thead")).appendChild(head);
    const body = table.appendChild(el("tbody"));
    for (const row of data.results.bindings) {
      const tr = el("tr");
      vars.forEach((v) => tr.appendChild(cell(row[v])));
      body.appendChild(tr);
    }
    results.appendChild(table);
    return data.results.bindings.length;
  }

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  async function post(accept) {
    return fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": accept },
      body: new URLSearchParams({ query: editor.value }),
    });
  }

  async function run(push) {
    const url = new URL(window.location.href);
    url.search = new URLSearchParams({ query: editor.value }).toString();
    if (push) window.history.pushState(null, "", url);
    errorBox.hidden = true;
    results.replaceChildren();
    say("running…");
    let response;
    try {
      response = await post(ACCEPT);
    } catch (e) {
      say("the server did not answer", true);
      return;
    }
    const text = await response.text();
    if (!response.ok) {
      say("error " + response.status, true);
      errorBox.textContent = text;
      errorBox.hidden = false;
      return;
    }
    const cut = response.headers.get("X-Geokg-Truncated");
    const kind = response.headers.get("Content-Type") || "";
    if (kind.startsWith(RESULTS)) {
      const n = showTable(JSON.parse(text));
      say(n + " result(s)" + (cut ? " — cut at the row limit (" + cut + ")" : ""));
    } else {
      results.appendChild(el("pre", text, { id: "graph" }));
      say("graph" + (cut ? " — cut at the triple limit" : ""));
    }
  }

  async function download(accept, ext) {
    const response = await post(accept);
    if (!response.ok) {
      say("error " + response.status, true);
      errorBox.textContent = await response.text();
      errorBox.hidden = false;
      return;
    }
    const blob = await response.blob();
    const link = el("a", null, { href: URL.createObjectURL(blob), download: "results." + ext });
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); run(true); });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(true); }
  });
  document.querySelectorAll("#downloads button").forEach((b) =>
    b.addEventListener("click", () => download(b.dataset.format, b.dataset.ext)));
  window.addEventListener("popstate", () => {
    const q = new URLSearchParams(window.location.search).get("query");
    if (q !== null) { editor.value = q; run(false); }
  });

  async function start() {
    const given = new URLSearchParams(window.location.search).get("query");
    let info = { prefixes: "", examples: [] };
    try {
      info = await (await fetch("/sparql-examples.json")).json();
    } catch (e) { /* the page still works without examples */ }
    for (const line of info.prefixes.split("\n")) {
      const m = /^PREFIX\s+(\S*):\s*<([^>]*)>/i.exec(line);
      if (m) prefixes[m[1]] = m[2];
    }
    info.examples.forEach((ex, i) => {
      const b = el("button", ex.title, { type: "button", title: ex.title_fr || ex.name, "data-example": ex.name });
      b.addEventListener("click", () => { editor.value = ex.query; run(true); });
      examples.appendChild(el("li")).appendChild(b);
    });
    if (given !== null) {
      editor.value = given;
      run(false);
    } else {
      editor.value = info.prefixes + "\nSELECT ?state ?label WHERE {\n  ?state a gk:State ; rdfs:label ?label .\n  FILTER(lang(?label) = \"en\")\n} ORDER BY ?label LIMIT 100\n";
    }
  }
  start();
})();
