// geokg's autocompleters for YASQE: classes and properties of the ontology, and entities by
// label (states, treaties, agencies, persons, code-list concepts), from GET /autocomplete.
// They replace YASQE's defaults, which would ask prefix.cc and LOV on the internet.
"use strict";

window.GeokgComplete = (function () {
  function shorten(iri, prefixes) {
    for (const [p, ns] of Object.entries(prefixes)) {
      const local = iri.slice(ns.length);
      if (iri.startsWith(ns) && /^[\w-]+$/.test(local)) return p + ":" + local;
    }
    return "<" + iri + ">";
  }

  function install(Yasqe, options) {
    const labels = new Map();
    const allPrefixes = (yasqe) => ({ ...options.prefixes, ...yasqe.getPrefixesFromQuery() });

    function fetcher(kind) {
      return async (yasqe, token) => {
        const text = (token && (token.string || "")).trim().replace(/^</, "").replace(/>$/, "");
        if (!text) return [];
        const params = new URLSearchParams({ kind, q: text, lang: options.language() });
        const response = await fetch("/autocomplete?" + params);
        if (!response.ok) return [];
        const results = (await response.json()).results;
        for (const r of results) labels.set(r.iri, r.label);
        return results.map((r) => r.iri);
      };
    }

    const common = {
      preProcessToken: (yasqe, token) => token,
      postProcessSuggestion: (yasqe, token, iri) => shorten(iri, allPrefixes(yasqe)),
      postprocessHints: (yasqe, hints) => hints.map((hint) => {
        const iri = [...labels.keys()].find((i) => shorten(i, allPrefixes(yasqe)) === hint.text);
        const label = iri ? labels.get(iri) : "";
        return {
          ...hint,
          displayText: label ? hint.text + "  —  " + label : hint.text,
        };
      }),
      bulk: false,
      persistenceId: null,
    };
    Yasqe.forkAutocompleter("class", { ...common, name: "gk-class", get: fetcher("class") }, false);
    Yasqe.forkAutocompleter("property", { ...common, name: "gk-property", get: fetcher("property") }, false);
    Yasqe.forkAutocompleter("property", {
      ...common,
      name: "gk-entity",
      get: fetcher("entity"),
      isValidCompletionPosition: (yasqe) => {
        const token = yasqe.getCompleteToken();
        const text = token.string || "";
        if (!text.trim() || text[0] === "?" || text[0] === "$" || text[0] === '"') return false;
        if (token.state.possibleCurrent.indexOf("a") >= 0) return false; // a property's place
        const previous = yasqe.getPreviousNonWsToken(yasqe.getDoc().getCursor().line, token);
        return !(previous && /^(a|rdf:type)$/.test(previous.state.lastProperty || ""));
      },
    }, false);
    return ["gk-class", "gk-property", "gk-entity", "variables"];
  }

  /** Tell YASQE's syntax check that geokg's prefixes are declared (as the endpoint does). */
  function predeclare(Yasqe, prefixes) {
    const original = Yasqe.modes.sparql11;
    Yasqe.defineMode("sparql11", function (config, parserConfig) {
      const mode = original(config, parserConfig);
      const start = mode.startState;
      mode.startState = function () {
        const state = start.apply(this, arguments);
        Object.assign(state.prefixes, prefixes);
        return state;
      };
      return mode;
    });
  }

  return { install, predeclare, shorten };
})();
