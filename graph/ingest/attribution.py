"""Who a sentence credits: « selon le NIS », « a déclaré Zelensky », "according to X", "X said".

A *cue* is one way a sentence credits someone:

- ``"source"``: « selon X », « d'après X », « de source X », "according to X", "citing X",
  and a sentence opening « Pour X, » — it credits X with the whole sentence;
- ``"subject"``: X followed by a reporting verb (« X estime que », « X a révélé », « X ont
  évalué », "X said", "X estimates") — it credits X with what follows the verb, and, when it
  closes the sentence after a comma without « que » or "that" ("…, the NIS said on
  Thursday"), with what comes before it too;
- ``"after"``: a reporting verb followed by X (« a déclaré Zelensky », « annoncé par le
  président Volodymyr Zelensky », "said X") — it credits X with the sentence.

For a figure at a position, the credited one is the subject of the last reporting verb before
it, else the nearest ``source`` or ``after`` cue of the sentence, else nobody (the text's own
voice: the outlet or author, which curation fills in). A figure given in parentheses as the
conversion of the figure before it (« 7 820 milliards de yens (environ 47 milliards
d'euros) ») is the text's own. X is what the graph knows (an IRI) or, if the graph does not
know it, the words of the text (``iri`` None).

>>> cues = find_cues("Selon le NIS, 10 000 soldats sont là.", [], "fr")
>>> [(c.kind, c.text) for c in cues]
[('source', 'NIS')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .gazetteer import Mention

_SOURCE = {
    "fr": r"selon|d['’]après|de source|citant|cité par",
    "en": r"according to|citing|as reported by|as estimated by",
}
_VERBS = {
    "fr": (
        r"estim\w*|évalu\w*|révél\w*|déclar\w*|affirm\w*|annonc\w*|rapport(?:e|ent|é|ait)|"
        r"indiqu\w*|confirm\w*|reconnu|reconna[iî]t|reconnaissent|admet\w*|admis|précis\w*|"
        r"soulign\w*|avance|avancent|avancé|expliqu\w*|prévien\w*|avert\w*|ajout\w*|"
        r"signal\w*|jug\w*|chiffr\w*|dénombr\w*|calcul\w*|nie|nient|niaient|dément\w*|"
        r"démenti|accus\w*|soupçonn\w*|craint|craignent|pens\w*|considèr\w*|insist\w*|"
        r"qualifi\w*|évoqu\w*|note|notent|noté|dit|disent"
    ),
    "en": (
        r"said|says|say|stated|states|estimated|estimates|estimate|reported|reports|announced|"
        r"announces|claimed|claims|told|believes|believe|assessed|assesses|assess|confirmed|"
        r"confirms|acknowledged|acknowledges|admitted|revealed|warned|added|noted|denied|"
        r"denies|put the number|puts the number|counted|counts"
    ),
}
_AUX = {
    "fr": r"(?:(?:a|ont|avait|avaient|aurait|auraient|est|sont)(?:-t-(?:il|elle|ils|elles))?\s+)?"
    r"(?:(?:déjà|également|aussi|officiellement|récemment|notamment|ainsi|pourtant|de son côté)\s+)*",
    "en": r"(?:(?:has|have|had|was|were|is|are|also|already|officially|recently)\s+)*",
}
#: Words between an inverted reporting verb and its subject (« a déclaré *mercredi* le président »).
_BETWEEN = (
    r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|aujourd['’]hui|encore|"
    r"également|aussi|alors|ainsi|\w+ment|on \w+day|yesterday|today|"
    r"(?:pour|à|au|to) (?:l['’]|le |la )?[A-Z][\w-]+,?)"  # « explique pour l'AFP, X »
)
#: Pronouns and generic words that credit no one in particular.
_NOBODY = re.compile(
    r"^(?:lui|elle|eux|elles|il|ils|on|nous|vous|je|he|she|they|it|we|i|you|ce|cela|ceci|"
    r"cette|ces|le texte|l['’]article|this|that|these)$",
    re.IGNORECASE,
)


#: « selon les données du ministère », "according to estimates by": the words before the name.
_REPORTS = (
    r"^(?:(?:les|des|de|d['’]|the)\s*)?(?:données|informations|estimations|sources|rapports|"
    r"chiffres|dernières informations|data|estimates|figures|reports)\s+"
    r"(?:du|de la|de l['’]|des|de|d['’]|by|of|from)\s*"
)


@dataclass(frozen=True)
class Cue:
    """One credit in a sentence: ``kind``, where it acts (``position``), who (``iri`` or
    the words ``text``), and where the words are (``start:end``)."""

    kind: str  # "source", "subject" or "after"
    position: int
    start: int
    end: int
    text: str
    iri: str | None
    #: a subject and its verb that close what they credit ("…, the NIS said on Thursday"):
    #: no « que », "that" after the verb, so they credit the figures before them too
    closing: bool = False


def _actor_in(mentions: list[Mention], start: int, end: int) -> Mention | None:
    """The first actor the graph knows named between ``start`` and ``end``."""
    inside = [m for m in mentions if m.start >= start and m.end <= end and m.is_actor]
    return inside[0] if inside else None


def _phrase_after(sentence: str, start: int) -> tuple[int, int]:
    """The noun phrase that starts at ``start``: up to a comma, a verb-like break or 80
    characters."""
    rest = sentence[start:]
    m = re.match(r"[^,;.:!?«»“”()\"]{1,80}", rest)
    end = start + (m.end() if m else 0)
    cut = re.search(r"\s(?:que|qu['’]|qui|that|who|,)\s", sentence[start:end])
    if cut:
        end = start + cut.start()
    return start, end


def _credit(sentence, mentions, kind, position, start, end, gazetteer=None) -> Cue | None:
    """The cue for the words ``start:end``: the actor named in them, else the actor whose
    name's words they hold, else the words themselves (without « les données du » and the
    article), unless they name no one (a pronoun)."""
    actor = _actor_in(mentions, start, end)
    if actor is not None:
        return Cue(kind, position, actor.start, actor.end, actor.text, actor.iri)
    text = sentence[start:end].strip(" ,")
    loose = gazetteer.loosely(text) if gazetteer is not None and text else None
    if loose is not None:
        at = sentence.index(text, start)
        return Cue(kind, position, at, at + len(text), text, loose.iri)
    text = re.sub(_REPORTS, "", text, flags=re.I)
    text = re.sub(r"^(?:les|le|la|l['’]|des|du|de la|de|the)\s*", "", text, flags=re.I)
    if not text or _NOBODY.match(text) or len(text) > 60:
        return None
    at = sentence.index(text, start)
    return Cue(kind, position, at, at + len(text), text, None)


def find_cues(
    sentence: str, mentions: list[Mention], lang: str = "fr", subjects=None, gazetteer=None
) -> list[Cue]:
    """Every credit ``sentence`` gives, in order; ``mentions`` are the gazetteer's names in it.

    ``subjects(start, end)``, if given, is the character span of the grammatical subject of
    the verb at ``start:end`` (from a parser): it names a subject the graph does not know
    (« les renseignements britanniques ont évalué »). Without it, a capitalised name right
    before the verb ("Kirby said") is taken. ``gazetteer``, if given, resolves credited words
    that hold all the words of a known name (:meth:`Gazetteer.loosely`)."""
    cues: list[Cue] = []
    opening = re.match(r"(?:Pour|For)\s+", sentence)  # « Pour les experts, … »
    if opening and (actor := _actor_in(mentions, opening.end(), opening.end() + 60)):
        if re.match(r"\s*,", sentence[actor.end :]):
            cues.append(Cue("source", 0, actor.start, actor.end, actor.text, actor.iri))
    for m in re.finditer(rf"(?<![\w])(?:{_SOURCE[lang]})\s+", sentence, re.IGNORECASE):
        start, end = _phrase_after(sentence, m.end())
        end = min(end, m.end() + 80)
        cue = _credit(sentence, mentions, "source", m.start(), start, end, gazetteer)
        if cue:
            cues.append(cue)
    verbs = re.compile(rf"(?<![\w])(?:{_AUX[lang]})(?:{_VERBS[lang]})(?![\w])", re.IGNORECASE)
    for m in verbs.finditer(sentence):
        after = sentence[m.end() :]
        by = re.match(r"\s+(?:par|by)\s+", after)
        inverted = re.match(
            rf"\s+(?:{_BETWEEN}\s+)?(?!que|qu['’]|that|le\s+\d)(?=[A-ZÉ]|le |la |les |l['’])", after
        )
        if by or (inverted and _actor_in(mentions, m.end(), m.end() + 60)):
            start = m.end() + (by.end() if by else inverted.end())
            start, end = _phrase_after(sentence, start)
            cue = _credit(sentence, mentions, "after", m.start(), start, end, gazetteer)
            # « a déclaré Zelensky. », "said X,": an inverted subject ends its clause
            if cue and (by or re.match(r"\s*(?:[,.;:!?»)\]]|$)", sentence[cue.end :])):
                cues.append(cue)
                continue
        closing = not re.match(r"[^,;.]{0,40}?\b(?:que|qu['’]|that)\b", after) and bool(
            re.search(r",[^,]{0,80}$", sentence[: m.start()])
        )
        subject = _subject_before(sentence, mentions, m, subjects)
        if subject is not None:
            cues.append(
                Cue("subject", m.end(), subject.start, subject.end, subject.text, subject.iri,
                    closing)
            )  # fmt: skip
        elif unknown := _unknown_subject(sentence, m, subjects, gazetteer):
            cues.append(replace(unknown, closing=closing))
    return sorted(cues, key=lambda c: c.position)


def _unknown_subject(sentence: str, verb: re.Match, subjects, gazetteer=None) -> Cue | None:
    """The subject of a reporting verb that the graph does not know, if it names someone."""
    span = subjects(verb.start(), verb.end()) if subjects else None
    if span is None:
        name = re.search(
            r"((?:[A-Z][\w.'’-]+\s+){0,4}[A-Z][\w.'’-]+)\s+$", sentence[: verb.start()]
        )
        if not name:
            return None
        span = name.span(1)
    cue = _credit(sentence, [], "subject", verb.end(), *span, gazetteer)
    if (
        cue is None
        or not re.search(r"[^\W\d_]{3}", cue.text)
        or cue.text[0].islower()
        and re.match(r"(?:ce|cette|ces|il|elle|on|qui|this|that|it)\b", cue.text, re.I)
    ):
        return None
    return cue


def _subject_before(sentence: str, mentions: list[Mention], match: re.Match, subjects=None):
    """The actor that is the subject of a reporting verb: the first one named in the
    grammatical subject when a parser gives it (« Hong Sung-pyo, chercheur à l'Institut …,
    note que »), else the one named last before the verb in its clause."""
    verb = match.start()
    span = subjects(match.start(), match.end()) if subjects else None
    if span is not None:
        inside = [m for m in mentions if m.is_actor and span[0] <= m.start and m.end <= span[1]]
        if inside:
            return inside[0]
    clause_start = 0
    for m in re.finditer(r"(?:\bque\b|\bqu['’]|\bthat\b|;|:|\balors que\b|\bwhile\b)", sentence):
        if m.end() <= verb:
            clause_start = m.end()
    before = [m for m in mentions if m.is_actor and clause_start <= m.start and m.end <= verb]
    return before[-1] if before else None


def credited(cues: list[Cue], position: int) -> Cue | None:
    """The cue that credits a figure at ``position`` (see the module's docstring)."""
    subjects = [c for c in cues if c.kind == "subject" and c.position <= position]
    if subjects:
        return subjects[-1]
    others = [c for c in cues if c.kind != "subject" or c.closing]
    if others:
        return min(others, key=lambda c: abs(c.position - position))
    return None
