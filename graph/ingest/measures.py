"""The measure of a figure, told from the words around it (French and English).

What a figure counts is read first from the words right after it (« 350 *morts* », « 13 000
*conteneurs* »), then from the words before it in its clause (« *perdu* près de 2 000
combattants », « *l'entraînement* de 10 000 soldats »), then from the whole sentence. Each rule
names one concept of ``scheme:measure``; the first rule that fits wins, so the more specific
rules (acknowledged dead, reinforcements, training) come before the general ones (troops
deployed). A figure no rule fits gets no measure (curation picks one).

>>> measure_of("350 morts", "n'a reconnu officiellement que", "", None).rsplit("/", 1)[-1]
'killed-acknowledged'
>>> measure_of("1 500 militaires nord-coréens s'entraînent", "", "", None).rsplit("/", 1)[-1]
'troops-in-training'
"""

from __future__ import annotations

import re

from .candidate import MSR

#: Words for military personnel (« soldats », "troops").
PEOPLE = (r"soldats?|militaires|hommes|troupes|combattants|effectifs|personnels|forces|"
           r"soldiers?|troops|men|personnel|servicemen|fighters|forces")  # fmt: skip
_DEAD = r"morts?|tués?|décès|killed|dead|deaths|fatalities"

#: (where, pattern, measure): where is "right" (the words after the figure), "phrase" (the
#: words after it up to a comma), "left" (the words before it in its clause), "near" (left
#: and phrase), "purpose" (left, with a purpose after: « pour repousser ») or "any" (the
#: whole sentence).
#: Shares (unit "share") and money have their own rules, tried first.
SHARE_RULES = [
    ("any", r"pertes|losses", "losses-share-of-initial-force", r"effectifs|force|troops"),
    ("right", r"obus|shells", "share-of-artillery-shells", None),
    ("any", r"budget", "defence-budget-change", None),
    ("any", r"pertes|losses", "losses-change", None),
    ("right", r"solde|revenus|salaires?|pay|wages|earnings|montant", "regime-share-of-pay", None),
    ("right", r"forces|armée|troupes|army|troops", "share-of-forces", None),
]
#: The auxiliary before a participle ("were killed", « ont été tués »).
_PASSIVE = r"(?:were|have been|had been|was|ont été|auraient été|sont)\s+"
MONEY_RULES = [
    ("near", r"budget", "defence-budget"),
    ("left", r"prime|bonus", "enlistment-bonus"),
    ("left", r"solde\s+mensuelle|salaire\s+mensuel|par mois|monthly|a month|per month",
     "monthly-pay"),
    ("any", r"toucher|percevoir|receive|earn|paid|payés?", "soldier-pay"),
]  # fmt: skip
COUNT_RULES = [
    ("right", r"conteneurs?|containers?", "munitions-containers"),
    ("right", r"obus|shells|rounds", "shells"),
    ("right", r"missiles?", "missiles"),
    ("right", r"ingénieurs|démineurs|sapeurs|engineers|sappers", "engineers-deployed"),
    ("right", r"entités|individus|entities|individuals", "sanctioned-entities"),
    ("right", r"km2|km²", "area"),
    ("near", rf"(?:{_DEAD}).{{0,40}}\b(?:reconnu|admis|acknowledged|admitted|confirmed)"
             rf"|(?:reconnu|admis|acknowledged|admitted).{{0,60}}(?:{_DEAD})", "killed-acknowledged"),
    ("phrase", r"(?:killed|tués|morts)\s+(?:or|and|ou|et)\s+(?:wounded|blessés)", "losses"),
    ("phrase", _PASSIVE + r"(?:killed|tués)", "killed"),
    ("phrase", _PASSIVE + r"(?:wounded|blessés)", "wounded"),
    ("phrase", _PASSIVE + r"(?:captured|capturés|faits prisonniers)", "captured"),
    ("left", r"(?:tué|tués|killed)\s+(?:ou|or|et|and)\s+(?:blessé|blessés|wounded)", "losses"),
    ("left", r"tué|tués|tuant|killed|killing", "killed"),
    ("left", r"blessé|blessés|wounded|wounding", "wounded"),
    ("left", r"capturé|capturés|captured|fait prisonniers|took prisoner", "captured"),
    ("right", r"blessés|wounded|injured", "wounded"),
    ("right", r"prisonniers|capturés|captured|prisoners", "captured"),
    ("right", _DEAD, "killed"),
    ("left", r"pertes|perd\w*|perte|losses|lost|losing|lose", "losses"),
    ("right", r"pertes|losses|casualties", "losses"),
    ("right", r"en service actif|d'active|active[- ]duty|on active", "active-duty-personnel"),
    ("near", r"supplémentaires|renforts?|additional|reinforcements|more troops|another",
     "reinforcements-announced"),
    ("near", r"entraîn\w*|formation|formés|training|trained|train", "troops-in-training"),
    ("near", r"particip\w*\s+aux\s+combats|combattu|ont combattu|engagés au combat|fought|"
             r"took part in (?:the )?(?:fighting|combat)|engaged in combat", "troops-engaged"),
    ("purpose", r"mobilis\w*|mobili[sz]ed", "troops-mobilised"),
    ("left", r"décid\w*\s+d['’]envoyer|décision\s+d['’]envoyer|prévoi\w*\s+d['’]envoyer|"
             r"prévoit de déployer|compte envoyer|entend envoyer|plans? to (?:send|deploy)|"
             r"decided to (?:send|deploy)|decision to (?:send|deploy)|will send", "troops-planned"),
    ("right", PEOPLE, "troops-deployed"),
]  # fmt: skip


def _fits(where: str, pattern: str, left: str, right: str, sentence: str) -> bool:
    if where == "purpose":  # gathered for an operation: « mobilisé 50 000 hommes pour repousser »
        return _fits("left", pattern, left, right, sentence) and bool(
            re.search(
                r"(?<![\w])(?:(?:pour|afin de)\s+[^\W\d_]+(?:er|ir|re)|to\s+(?!the\b)[a-z]+)\b",
                right,
            )
        )
    phrase = re.split(r"[,;:(]", right, maxsplit=1)[0]  # the figure's own noun phrase
    text = {"left": left, "right": right, "near": left + " " + phrase, "phrase": phrase,
            "any": sentence}[where]  # fmt: skip
    return re.search(rf"(?<![\w])(?:{pattern})", text, re.IGNORECASE) is not None


def measure_of(right: str, left: str, sentence: str, unit: str | None) -> str | None:
    """The measure IRI of a figure with ``right`` the words after it, ``left`` the words
    before it in its clause, ``sentence`` the whole sentence and ``unit`` its unit."""
    sentence = sentence or f"{left} {right}"
    if unit == "share":
        for where, pattern, measure, also in SHARE_RULES:
            if _fits(where, pattern, left, right, sentence) and (
                also is None or _fits("right", also, left, right, sentence)
            ):
                return MSR + measure
        return None
    if unit == "km2":
        return MSR + "area"
    if unit:
        for where, pattern, measure in MONEY_RULES:
            if _fits(where, pattern, left, right, sentence):
                return MSR + measure
        return None
    head = re.match(r"\s*(?:de\s+|d['’]\s*|of\s+)?(\S+(?:\s+\S+){0,3})", right)
    right_words = head.group(1) if head else right
    for where, pattern, measure in COUNT_RULES:
        r = right_words if where == "right" else right
        if _fits(where, pattern, left, r, sentence):
            return MSR + measure
    return None
