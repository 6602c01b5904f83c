"""What a text names that the graph already knows: actors, places, treaties, deployments.

The gazetteer is built from the graph's own ``rdfs:label`` and ``skos:altLabel`` in French and
English (« KCIA » → the NIS, « Pyongyang » → North Korea, « Koursk » → Kursk Oblast), plus two
general forms of each label: the label without its parenthesised precision (« British
intelligence (unspecified service) » → "British intelligence") and, for a person, the family
name alone (« Zelensky »). Acronyms (all capitals) match with their case, other names without.
Where one name fits several things, actors win over places (« Pyongyang » the state, not the
city); a name that fits several actors (« les experts ») is left unresolved (``iri`` None).

>>> import geokg
>>> gaz = Gazetteer.from_graph(geokg.open_store(None))
>>> [(m.text, m.iri.rsplit("/", 1)[-1]) for m in gaz.find("Selon le KCIA, Pyongyang…")]
[('KCIA', 'nis'), ('Pyongyang', 'PRK')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..store import KnowledgeGraph

GK = "https://w3id.org/geokg/ontology#"
LABELS = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?type ?label ?pref WHERE {
  VALUES ?type { gk:State gk:GovernmentAgency gk:InternationalOrganization gk:Organization
                 gk:Person gk:UnnamedGroup gk:Place gk:Treaty gk:MilitaryDeployment
                 gk:ArmsTransfer }
  ?s a ?type .
  { ?s rdfs:label ?label BIND(true AS ?pref) } UNION { ?s skos:altLabel ?label BIND(false AS ?pref) }
  FILTER(lang(?label) IN ("fr", "en"))
}
"""
LEADERS = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT DISTINCT ?person ?state WHERE {
  ?tenure gk:holder ?person ; gk:office ?office . ?office gk:officeOf ?state . ?state a gk:State .
}
"""
ACTORS = {"State", "GovernmentAgency", "InternationalOrganization", "Organization", "Person",
          "UnnamedGroup"}  # fmt: skip
#: Words for the people of a state, to tell what a sentence is about (not who it credits).
DEMONYMS = {
    "PRK": r"nord-coréen(?:ne)?s?|North Korean",
    "KOR": r"sud-coréen(?:ne)?s?|South Korean",
    "RUS": r"russes?|Russian",
    "UKR": r"ukrainien(?:ne)?s?|Ukrainian",
    "GBR": r"britanniques?|British",
    "USA": r"américain(?:e)?s?|American",
    "CHN": r"chinois(?:e)?s?|Chinese",
    "JPN": r"japonais(?:e)?s?|Japanese",
    "FRA": r"français(?:e)?s?|French",
}
STATE = "https://w3id.org/geokg/id/state/"


@dataclass(frozen=True)
class Mention:
    """A name at ``start:end`` of a text, with the thing it names (None if ambiguous)."""

    start: int
    end: int
    text: str
    iri: str | None
    kind: str  # the class's local name: State, Person, Place, Treaty, …
    candidates: tuple[str, ...] = ()

    @property
    def is_actor(self) -> bool:
        return self.kind in ACTORS


def _apostrophes(text: str) -> str:
    """Same length, one apostrophe and one hyphen: offsets stay valid."""
    return text.replace("’", "'").replace("‐", "-").replace("\u00a0", " ")


def _forms(label: str, kind: str) -> set[str]:
    forms = {label.strip()}
    bare = re.sub(r"\s*\([^)]*\)\s*", " ", label).strip()
    if bare and bare != label:
        forms.add(bare)
    if kind == "Person":
        words = bare.split()
        if len(words) >= 2 and len(words[-1]) >= 5 and words[-1][0].isupper():
            forms.add(words[-1])
    return {f for f in forms if len(f) >= 2}


class Gazetteer:
    """Names of the graph's things, matched in texts (longest name first)."""

    def __init__(
        self, entries: dict[str, list[tuple[str, str, bool]]], leaders: dict[str, str] | None = None
    ):
        #: form (apostrophes normalised) → [(iri, kind, is the preferred label)]
        self.entries = entries
        #: person → the state whose office they hold (« le régime de Kim Jong-un » → PRK)
        self.leaders = leaders or {}
        exact = sorted((f for f in entries if f.isupper() and len(f) <= 6), key=len, reverse=True)
        loose = sorted((f for f in entries if f not in set(exact)), key=len, reverse=True)
        self._exact = _alternation(exact, 0)
        self._loose = _alternation(loose, re.IGNORECASE)
        self._lower = {f.lower(): f for f in loose}

    @classmethod
    def from_graph(cls, kg: KnowledgeGraph) -> Gazetteer:
        """The gazetteer of everything ``kg`` labels (one SPARQL query)."""
        entries: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
        for s, type_, label, pref in kg.query(LABELS):
            kind = str(type_).removeprefix(GK)
            for form in _forms(str(label), kind):
                entry = (str(s), kind, bool(pref) and form == str(label))
                key = _apostrophes(form)
                if entry[:2] not in [e[:2] for e in entries[key]]:
                    entries[key].append(entry)
        leaders = {str(p): str(s) for p, s in kg.query(LEADERS)}
        return cls(dict(entries), leaders)

    def find(self, text: str) -> list[Mention]:
        """Every known name in ``text``, in order, none overlapping (the longest wins)."""
        normal = _apostrophes(text)
        spans = []
        for pattern, lookup in ((self._exact, None), (self._loose, self._lower)):
            if pattern is None:
                continue
            for m in pattern.finditer(normal):
                form = m.group(0) if lookup is None else lookup[m.group(0).lower()]
                spans.append((m.start(), m.end(), form))
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        spans += self._regimes(normal)
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        mentions, last_end = [], -1
        for start, end, form in spans:
            if start < last_end:
                continue
            if isinstance(form, Mention):
                mentions.append(form)
            else:
                mentions.append(self._mention(text, start, end, form))
            last_end = end
        return mentions

    def loosely(self, phrase: str) -> Mention | None:
        """The actor whose name's words (two or more, singular or plural) all occur in
        ``phrase``: « les services de renseignement britanniques » → British intelligence
        (« renseignements britanniques »). The name with the most words wins; None if none,
        or if two actors tie."""
        words = {_stem(w) for w in re.findall(r"[^\W\d_][\w-]*", _apostrophes(phrase).lower())}
        best: list[tuple[int, str, str]] = []
        for form, entries in self.entries.items():
            needed = {_stem(w) for w in re.findall(r"[^\W\d_][\w-]*", form.lower())} - _SMALL
            actors = {e[0] for e in entries if e[1] in ACTORS}
            if len(needed) >= 2 and needed <= words and len(actors) == 1:
                best.append((len(needed), actors.pop(), form))
        if not best:
            return None
        best.sort(reverse=True)
        top = [b for b in best if b[0] == best[0][0]]
        if len({b[1] for b in top}) > 1:
            return None
        size, iri, form = top[0]
        kind = next(e[1] for e in self.entries[form] if e[0] == iri)
        return Mention(0, len(phrase), phrase, iri, kind)

    def _regimes(self, text: str) -> list[tuple[int, int, Mention]]:
        """« le régime de Kim Jong-un », « le régime nord-coréen », "the North Korean
        government": the state (its leader's, or its people's)."""
        found = []
        for code, people in DEMONYMS.items():
            for m in re.finditer(
                rf"(?<![\w-])(?:(?:régime|gouvernement|pouvoir)\s+(?:{people})|"
                rf"(?:{people})\s+(?:regime|government))(?![\w-])",
                text,
                re.IGNORECASE,
            ):
                found.append(
                    (
                        m.start(),
                        m.end(),
                        Mention(m.start(), m.end(), m.group(0), STATE + code, "State"),
                    )
                )
        for m in re.finditer(
            r"(?:régime|gouvernement|regime|government)\s+(?:de|d'|of)\s*", text, re.IGNORECASE
        ):
            person = self._person_at(text, m.end())
            if person and person.iri in self.leaders:
                iri = self.leaders[person.iri]
                found.append(
                    (
                        m.start(),
                        person.end,
                        Mention(m.start(), person.end, text[m.start() : person.end], iri, "State"),
                    )
                )
        return found

    def _person_at(self, text: str, start: int) -> Mention | None:
        if self._loose is None:
            return None
        m = self._loose.match(text, start)
        if not m:
            return None
        mention = self._mention(text, m.start(), m.end(), self._lower[m.group(0).lower()])
        return mention if mention.kind == "Person" else None

    def _mention(self, text: str, start: int, end: int, form: str) -> Mention:
        entries = self.entries[form]
        actors = [e for e in entries if e[1] in ACTORS] or entries
        iris = tuple(dict.fromkeys(e[0] for e in actors))
        if len(iris) > 1:
            preferred = [e for e in actors if e[2]]
            iris_pref = tuple(dict.fromkeys(e[0] for e in preferred))
            if len(iris_pref) == 1:
                iris = iris_pref
        iri = iris[0] if len(iris) == 1 else None
        return Mention(start, end, text[start:end], iri, actors[0][1], iris)


#: Words a name's words may leave out when matched loosely.
_SMALL = {"de", "du", "des", "la", "le", "les", "l", "d", "of", "the", "and", "et"}


def _stem(word: str) -> str:
    """A word without its plural ending (« renseignements » → « renseignement »)."""
    word = word.strip("'")
    if word.startswith(("l'", "d'")):
        word = word[2:]
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _alternation(forms: list[str], flags: int) -> re.Pattern | None:
    if not forms:
        return None
    body = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)


def troops_of(text: str, people: str) -> set[str]:
    """States whose adjective qualifies a word for troops (``people``, a pattern):
    « soldats nord-coréens », "North Korean troops".

    >>> sorted(troops_of("des soldats nord-coréens en Ukraine", "soldats"))
    ['https://w3id.org/geokg/id/state/PRK']
    """
    return {
        STATE + code
        for code, pattern in DEMONYMS.items()
        if re.search(
            rf"(?<![\w-])(?:(?:{people})\s+(?:{pattern})|(?:{pattern})\s+(?:{people}))(?![\w-])",
            text,
            re.IGNORECASE,
        )
    }


def demonym_states(text: str) -> set[str]:
    """States whose people a text names with an adjective (« soldats nord-coréens »).

    >>> sorted(demonym_states("des soldats nord-coréens et l'armée russe"))
    ['https://w3id.org/geokg/id/state/PRK', 'https://w3id.org/geokg/id/state/RUS']
    """
    return set(demonym_positions(text))


def demonym_positions(text: str) -> dict[str, int]:
    """Where a text first names each state's people with an adjective.

    >>> demonym_positions("l'armée russe")
    {'https://w3id.org/geokg/id/state/RUS': 8}
    """
    found = {}
    for code, pattern in DEMONYMS.items():
        m = re.search(rf"(?<![\w-])(?:{pattern})(?![\w-])", text, re.IGNORECASE)
        if m:
            found[STATE + code] = m.start()
    return found
