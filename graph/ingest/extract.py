"""Candidate claims in an article: figures with their measure, credit and date; statements.

:func:`propose` ties the small modules together, sentence by sentence:

1. sentences: spaCy's French pipeline ``fr_core_news_md`` (its parser's sentence boundaries,
   and its named entities for unknown actors), spaCy's blank English pipeline with its rule
   sentencizer for English; a line break always ends a sentence (titles, headings);
2. :mod:`.figures` finds the figures, hedges, ranges, shares and units;
3. :mod:`.measures` tells each figure's measure from its words;
4. :mod:`.gazetteer` finds what the graph already knows; :mod:`.attribution` who the
   sentence credits with each figure;
5. :mod:`.dates` the as-of date at the text's precision;
6. sentences without a figure that credit an actor with a reporting verb (« a déclaré »,
   « estime », « nie », "said", "denied") become statement candidates.

Each candidate's ``quote`` is ``text[start:end]`` of the text given, exactly. Its
``confidence`` adds up what was told: 0.4 for a figure, +0.2 with a measure, +0.2 with a credit
(+0.1 only when the credit is carried from the sentence before), +0.1 with a hedge or a unit;
a statement is 0.5 when the graph knows who it credits, 0.35 otherwise.

The spaCy pipelines are loaded once per process and nothing is fetched at run time: the
French pipeline comes from the ``ingest`` extra (``pip install 'geokg[ingest]'``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from .articles import TreatyArticles
from .attribution import Cue, credited, find_cues
from .candidate import MSR, QUAL, Candidate
from .dates import find_dates, nearest_date
from .figures import Figure, find_figures
from .gazetteer import Gazetteer, Mention, demonym_positions, demonym_states, troops_of
from .measures import PEOPLE as _PEOPLE
from .measures import measure_of

if TYPE_CHECKING:  # pragma: no cover
    from ..store import KnowledgeGraph

FRENCH_PIPELINE = "fr_core_news_md"
#: Measures of a deployment's people and of what is paid to them: about a deployment.
_PEOPLE_MEASURES = (
    "troops-", "reinforcements", "engineers", "killed", "wounded", "losses", "captured",
    "share-of-forces", "regime-share-of-pay", "soldier-pay",
)  # fmt: skip
#: Measures of materiel: about an arms transfer of that materiel (a word of its concept's IRI).
_MATERIEL_MEASURES = {
    "munitions-containers": "ammunition", "shells": "ammunition", "missiles": "missile",
    "share-of-artillery-shells": "ammunition",
}  # fmt: skip
DEPLOYMENTS = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT ?d ?from ?to (GROUP_CONCAT(STR(?m); separator=" ") AS ?materiel) WHERE {
  { ?d a gk:MilitaryDeployment ; gk:sendingState ?from ; gk:hostState ?to }
  UNION { ?d a gk:ArmsTransfer ; gk:supplier ?from ; gk:recipient ?to }
  OPTIONAL { ?d gk:materiel ?m }
} GROUP BY ?d ?from ?to ORDER BY ?d
"""

PLACES_IN = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT ?place ?state WHERE { ?place a gk:Place ; gk:locatedIn ?state . ?state a gk:State }
"""


@lru_cache(maxsize=2)
def pipeline(lang: str):
    """The spaCy pipeline for ``lang`` ("fr" or "en"), loaded once.

    >>> pipeline("en").pipe_names
    ['sentencizer']
    """
    import spacy

    if lang == "fr":
        return spacy.load(FRENCH_PIPELINE)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str, lang: str = "fr") -> Iterator[tuple[int, int, object]]:
    """``(start, end, span)`` of each sentence of ``text``, trimmed of white space, with the
    spaCy span it comes from; a line break always ends a sentence, and a sentence always
    begins after white space, and with a capital unless the one before has ended."""
    doc = pipeline(lang)(text)
    spans = []
    for sent in doc.sents:
        # no boundary inside a word (« l'état | -major »), nor before a lower-case word
        # that goes on a sentence without its final stop (« La Corée du Nord | a décidé »)
        inside = sent.start_char > 0 and not text[sent.start_char - 1].isspace()
        goes_on = sent.text[:1].islower() and not re.search(
            r"[.!?…:;]\W*$", spans[-1].text if spans else "."
        )
        if spans and (inside or goes_on):
            spans[-1] = doc[spans[-1].start : sent.end]
        else:
            spans.append(sent)
    for sent in spans:
        offset = sent.start_char
        for piece in re.finditer(r"[^\n]+", sent.text):
            chunk = piece.group(0)
            lead = len(chunk) - len(chunk.lstrip())
            body = chunk.strip()
            if body:
                start = offset + piece.start() + lead
                yield start, start + len(body), sent


def propose(
    kg: KnowledgeGraph, text: str, *, lang: str = "fr", published: str | None = None
) -> list[Candidate]:
    """Candidate claims in ``text`` (an article), linked to what ``kg`` holds; ``published``
    the article's date (YYYY-MM-DD) used to resolve relative dates ("mercredi", "en août")
    without ever being more precise than the text.

    >>> import geokg
    >>> [c] = propose(geokg.open_store(None), "According to the NIS, about 6,000 troops left "
    ...               "in August 2025.", lang="en")
    >>> c.figure, c.attributed_to.rsplit("/", 1)[-1], c.as_of, c.qualifiers[0].rsplit("/", 1)[-1]
    ('6000', 'nis', '2025-08', 'approximately')
    """
    if lang not in ("fr", "en"):
        raise ValueError(f"language {lang!r}: geokg ingest reads French (fr) or English (en)")
    if published is not None and not re.fullmatch(r"\d{4}(?:-\d\d(?:-\d\d)?)?", published):
        raise ValueError(f"published {published!r}: YYYY-MM-DD, YYYY-MM or YYYY")
    gazetteer = Gazetteer.from_graph(kg)
    links = _Links(kg, gazetteer, text)
    candidates: list[Candidate] = []
    previous: tuple[int, list[Cue]] = (-1, [])
    for start, end, span in sentences(text, lang):
        sentence = text[start:end]
        mentions = gazetteer.find(sentence)
        cues = find_cues(sentence, mentions, lang, _Subjects(span, start), gazetteer)
        dates = find_dates(sentence, lang, published)
        figures = find_figures(sentence, lang)
        inherited = _carried(text, previous, start, end, cues)
        if figures:
            found: list[Candidate] = []
            context = _Sentence(sentence, start, figures, cues or inherited, dates, mentions)
            for i in range(len(figures)):
                candidate = _quantity(
                    context, i, links, found, carried=not cues and bool(inherited)
                )
                if not _repeated(candidate, candidates):
                    found.append(candidate)
            candidates += found
        elif statement := _statement(sentence, start, cues, dates, links, span, mentions):
            candidates.append(statement)
        previous = (end, cues)
    return candidates


#: Words by which a sentence goes on from the one before (« Le régime a également fourni »).
_GOES_ON = re.compile(
    r"(?<![\w])(?:également|aussi|de plus|en outre|par ailleurs|also|moreover|further|"
    r"additionally|in addition)(?![\w])|^(?:Il|Elle|Ils|Elles|He|She|They|It)\s",
    re.IGNORECASE,
)


def _carried(
    text: str, previous: tuple[int, list[Cue]], start: int, end: int, cues: list[Cue]
) -> list[Cue]:
    """The credit of the sentence before, for a sentence that credits no one itself but goes on
    from it (« également », "also", a pronoun subject) in the same paragraph: a text goes on
    reporting the source it just named until it names another."""
    previous_end, before = previous
    if cues or previous_end < 0 or "\n" in text[previous_end:start]:
        return []
    if not _GOES_ON.search(text[start:end]):
        return []
    known = [c for c in before if c.kind in ("subject", "source")]
    return [replace(known[-1], kind="source", position=0)] if known else []


def _repeated(candidate: Candidate, earlier: list[Candidate]) -> bool:
    """The text repeating, in its own voice, a figure it gave before (same figure and measure)."""
    if candidate.attributed_text is not None:
        return False
    return any(
        c.kind == "quantity" and c.figure == candidate.figure and c.measure == candidate.measure
        for c in earlier
    )


@dataclass(frozen=True)
class _Sentence:
    """One sentence of the article at ``offset``, with what the modules found in it."""

    text: str
    offset: int
    figures: list[Figure]
    cues: list[Cue]
    dates: list
    mentions: list[Mention]


def _quantity(
    context: _Sentence, i: int, links: _Links, found: list[Candidate], *, carried: bool
) -> Candidate:
    """The candidate of the ``i``-th figure of a sentence (``found``: those before it)."""
    sentence, offset, figures = context.text, context.offset, context.figures
    cues, dates, mentions = context.cues, context.dates, context.mentions
    figure: Figure = figures[i]
    left_start = figures[i - 1].end if i else 0
    right_end = figures[i + 1].start if i + 1 < len(figures) else len(sentence)
    left = sentence[left_start : figure.start]
    right = sentence[figure.end : right_end]
    clause = re.split(r"(?:\bque\b|\bqu['’]|\bthat\b|[;,])", left)[-1] if left else left
    conversion = _conversion(sentence, figures, i) and found
    if conversion:  # the same amount in another currency: the same measure
        measure = found[-1].measure
    else:
        # a count is told by its own clause; an amount or a share by all that comes before it
        own = clause if clause.strip() and figure.unit is None else left
        measure = measure_of(right, own, sentence, figure.unit)
    cue = None if conversion else credited(cues, figure.start)
    date = nearest_date(
        [d for d in dates if not any(f.start <= d.start < f.end for f in figures)], figure.start
    )
    about, about_text = links.about(measure, sentence, mentions, cue)
    confidence = (
        0.4
        + 0.2 * (measure is not None)
        + 0.2 * (cue is not None)
        - 0.1 * (cue is not None and carried)
        + 0.1 * (bool(figure.qualifiers) or figure.unit is not None)
    )
    return Candidate(
        kind="quantity",
        quote=sentence,
        start=offset,
        end=offset + len(sentence),
        measure=measure,
        value=figure.value,
        min_value=figure.min_value,
        max_value=figure.max_value,
        qualifiers=tuple(QUAL + q for q in figure.qualifiers),
        unit=figure.unit,
        attributed_to=cue.iri if cue else None,
        attributed_text=cue.text if cue else None,
        about=about,
        about_text=about_text,
        as_of=date.value if date else None,
        as_of_precision=date.precision if date else None,  # type: ignore[arg-type]
        confidence=round(min(confidence, 0.95), 2),
        new_actors=(cue.text,) if cue and cue.iri is None else (),
    )


def _conversion(sentence: str, figures: list[Figure], i: int) -> bool:
    """A figure in parentheses right after another amount: the text's own conversion."""
    if i == 0 or figures[i].unit in (None, "share"):
        return False
    between = sentence[figures[i - 1].end : figures[i].start]
    return figures[i - 1].unit not in (None, "share") and bool(re.fullmatch(r"\s*\(\s*", between))


def _statement(sentence, offset, cues, dates, links, span, mentions) -> Candidate | None:
    """A sentence without a figure that credits someone with what it says."""
    named = [c for c in cues if c.iri is not None or c.kind != "subject" or c.text[0].isupper()]
    if not named:
        return None
    cue = named[0]
    date = dates[0] if dates else None
    about, about_text = links.about_statement(sentence, mentions)
    return Candidate(
        kind="statement",
        about=about,
        about_text=about_text,
        quote=sentence,
        start=offset,
        end=offset + len(sentence),
        attributed_to=cue.iri,
        attributed_text=cue.text,
        as_of=date.value if date else None,
        as_of_precision=date.precision if date else None,  # type: ignore[arg-type]
        statement=sentence,
        confidence=0.5 if cue.iri else 0.35,
        new_actors=_new_actors(span, cue),
    )


def _new_actors(span, cue: Cue) -> tuple[str, ...]:
    """People and organisations the sentence credits that the graph does not know."""
    if cue.iri is not None:
        return ()
    names = [e.text for e in getattr(span, "ents", ()) if e.label_ in ("PER", "ORG")]
    return tuple(n for n in names if n in cue.text) or (cue.text,)


class _Subjects:
    """The grammatical subject of a verb of a sentence, from spaCy's parse (French), as a
    character span of the sentence; None where the pipeline has no parser (English)."""

    def __init__(self, span, offset: int):
        self.span, self.offset = span, offset

    def __call__(self, start: int, end: int) -> tuple[int, int] | None:
        if self.span is None or not self.span.doc.has_annotation("DEP"):
            return None
        for token in self.span:
            at = token.idx - self.offset
            if start <= at < end and token.pos_ in ("VERB", "AUX"):
                verb = token if token.pos_ == "VERB" else token.head
                for child in verb.children:
                    if child.dep_.startswith("nsubj"):
                        words = list(child.subtree)
                        first, last = words[0].idx, words[-1].idx + len(words[-1])
                        return first - self.offset, last - self.offset
        return None


class _Links:
    """What a claim is about: a deployment or an arms transfer whose states the article
    names (the sending state in the sentence, by name or adjective), a treaty article
    (« l'article 4 du traité »), a place, or an actor."""

    def __init__(self, kg: KnowledgeGraph, gazetteer: Gazetteer, text: str):
        self.articles = TreatyArticles.from_graph(kg)
        self.flows = [
            (str(d), str(a), str(b), str(m or "")) for d, a, b, m in kg.query(DEPLOYMENTS)
        ]
        named = {m.iri for m in gazetteer.find(text) if m.iri}
        self.places = places = {str(p): str(s) for p, s in kg.query(PLACES_IN)}
        #: what the article names: things, the states of its places (« Moscou » → Russia),
        #: states by their people's adjective
        self.in_article = named | {places[n] for n in named if n in places} | demonym_states(text)
        self.labels = {iri: form for form, es in gazetteer.entries.items() for iri, _, p in es if p}

    def about(
        self, measure, sentence, mentions: list[Mention], cue
    ) -> tuple[str | None, str | None]:
        name = (measure or "").rsplit("/", 1)[-1]
        if name.startswith(_PEOPLE_MEASURES) or name in _MATERIEL_MEASURES:
            flow = self._flow(name, sentence, mentions)
            if flow:
                return flow, self.labels.get(flow)
        if measure is None or name.startswith(_PEOPLE_MEASURES) or name in _MATERIEL_MEASURES:
            return None, None
        if name.startswith("defence-budget"):  # a state's own budget, whoever states it
            return next(((m.iri, m.text) for m in mentions if m.kind == "State"), (None, None))
        for m in mentions:
            if (
                m.iri
                and (name == "area") == (m.kind == "Place")
                and (cue is None or m.iri != cue.iri)
            ):
                if m.kind != "Place" or name == "area":
                    return m.iri, m.text
        return None, None

    def _flow(self, name: str, sentence: str, mentions: list[Mention]) -> str | None:
        """The deployment (or, for materiel, the arms transfer) that fits the sentence best:
        its sending state's troops named (« soldats nord-coréens ») count most, then where
        they go (« en Russie »), then its states named in the sentence, then in the article;
        None if two fit equally well."""
        here = {m.iri for m in mentions if m.iri} | demonym_states(sentence)
        here |= {self.places[i] for i in list(here) if i in self.places}
        theirs = troops_of(sentence, _PEOPLE)
        hosts = {  # « envoyés en Russie », "sent to Russia": where the troops go
            self.places.get(m.iri, m.iri)
            for m in mentions
            if re.search(r"(?:\ben|\bau|\baux|\bvers|\bin|\bto|\binto)\s+$", sentence[: m.start])
        }
        first = demonym_positions(sentence)
        for m in mentions:
            for iri in {m.iri, self.places.get(m.iri or "")} - {None}:
                first[iri] = min(first.get(iri, m.start), m.start)
        scored = []
        for flow, a, b, materiel in self.flows:
            if ("/arms-transfer/" in flow) != (name in _MATERIEL_MEASURES):
                continue
            s = 2 * (a in here) + (a in self.in_article) + (b in here) + (b in self.in_article)
            s += 2 * (name in _MATERIEL_MEASURES and _MATERIEL_MEASURES[name] in materiel)
            s += 3 * (a in theirs) + 2 * (b in hosts)
            if a in here or a in self.in_article:
                scored.append((s, -first.get(a, len(sentence)), flow))  # named first: subject
        scored.sort(reverse=True)
        if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][:2] == scored[0][:2]):
            return None
        return scored[0][2]

    def about_statement(self, sentence, mentions: list[Mention]) -> tuple[str | None, str | None]:
        """A statement is about the treaty article it names, else the deployment of the
        troops it speaks of."""
        article = self.articles.find(sentence, self.in_article)
        if article:
            return article
        if re.search(rf"(?<![\w])(?:{_PEOPLE})(?![\w])", sentence, re.IGNORECASE):
            return self.about(MSR + "troops-deployed", sentence, mentions, None)
        return None, None


__all__ = ["propose", "pipeline", "sentences"]
