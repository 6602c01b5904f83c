// The geokg query page: YASGUI (vendored, served by this server) set up for geokg's endpoint,
// its predeclared prefixes, its competency questions as examples, labels, chart, completion.
// Nothing is fetched from anywhere but this server; data enter the page as text only.
"use strict";

(function () {
  const ENDPOINT = new URL("/sparql", window.location.href).href;
  const START = "SELECT ?state ?label WHERE {\n  ?state a gk:State ; rdfs:label ?label .\n  FILTER(lang(?label) = \"en\")\n} ORDER BY ?label\nLIMIT 100\n";
  const langSelect = document.getElementById("lang");
  const stored = window.localStorage.getItem("geokg-lang");
  if (stored === "en" || stored === "fr") langSelect.value = stored;
  const language = () => langSelect.value;
  let info = { prefix_map: {}, examples: [] };

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function showPrefixes() {
    const list = document.getElementById("prefix-list");
    for (const [p, ns] of Object.entries(info.prefix_map)) {
      list.append(el("dt", p + ":"), el("dd", ns));
    }
  }

  function showExamples(yasgui) {
    const list = document.getElementById("examples");
    list.replaceChildren();
    for (const ex of info.examples) {
      const title = language() === "fr" && ex.title_fr ? ex.title_fr : ex.title;
      const button = el("button", title, { type: "button", "data-example": ex.name, title: ex.name });
      button.addEventListener("click", () => runExample(yasgui, ex, title));
      list.appendChild(el("li")).appendChild(button);
    }
  }

  /** Open an example in a new tab and run it, as a click on the example does. */
  function runExample(yasgui, ex, title) {
    const tab = yasgui.addTab(true, { name: ex.name });
    tab.setQuery(ex.query);
    tab.setName(title.length > 40 ? title.slice(0, 39) + "…" : title);
    return tab.query();
  }

  const HISTORY = "geokg-history", HISTORY_SIZE = 50;

  function history() {
    try { return JSON.parse(window.localStorage.getItem(HISTORY)) || []; } catch (e) { return []; }
  }

  /** The queries run on this page, newest first; a click opens one in a new tab. */
  function showHistory(yasgui) {
    const list = document.getElementById("history");
    list.replaceChildren();
    for (const entry of history()) {
      const first = entry.query.split("\n").find((l) => l.trim() && !l.startsWith("#") && !/^\s*PREFIX/i.test(l)) || entry.query;
      const button = el("button", first.trim().slice(0, 120), { type: "button", title: entry.when });
      button.addEventListener("click", () => {
        const tab = yasgui.addTab(true);
        tab.setQuery(entry.query);
      });
      list.appendChild(el("li")).appendChild(button);
    }
  }

  function remember(yasgui, query) {
    const entries = history().filter((e) => e.query !== query);
    entries.unshift({ query, when: new Date().toISOString() });
    window.localStorage.setItem(HISTORY, JSON.stringify(entries.slice(0, HISTORY_SIZE)));
    showHistory(yasgui);
  }

  async function start() {
    try {
      info = await (await fetch("/sparql-examples.json")).json();
    } catch (e) { /* the page still works without examples */ }
    const Yasgui = window.Yasgui;
    GeokgResults.install(Yasgui, { language });
    GeokgComplete.predeclare(Yasgui.Yasqe, info.prefix_map);
    const completers = GeokgComplete.install(Yasgui.Yasqe, { prefixes: info.prefix_map, language });
    const yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: {
        endpoint: ENDPOINT,
        method: "POST",
        acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
        acceptHeaderGraph: "text/turtle,*/*;q=0.9",
      },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: () => [{ endpoint: ENDPOINT }], keys: [] },
      persistenceId: "geokg-query",
      yasqe: { value: START, autocompleters: completers, persistenceId: null },
      yasr: {
        prefixes: info.prefix_map,
        defaultPlugin: "table",
        pluginOrder: ["table", "chart", "network", "response"],
        persistenceId: null,
      },
    });
    window.geokgYasgui = yasgui; // for the tests and the curious: the page's own objects
    window.geokgRunExample = (name) => {
      const ex = info.examples.find((e) => e.name === name);
      return runExample(yasgui, ex, ex.title);
    };
    showPrefixes();
    showExamples(yasgui);
    showHistory(yasgui);
    yasgui.on("query", (instance, tab) => remember(yasgui, tab.getQuery()));
    langSelect.addEventListener("change", () => {
      window.localStorage.setItem("geokg-lang", language());
      showExamples(yasgui);
      GeokgResults.relabel(document.getElementById("yasgui"));
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
