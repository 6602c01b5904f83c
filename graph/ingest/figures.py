"""Figures in a sentence: numbers, ranges, hedges, shares and currencies, in French and English.

A *figure* is a number a text asserts about something counted (« 10 000 soldats », « plus de
90 % », « un tiers des obus », "up to 12,000 troops", "400 000 roubles"), with the hedge the
text puts on it. Numbers that are not figures are left out: years and dates (« en 2024 »,
« le 19 juin »), durations (« 24 ans », "12 hours"), ordinals, article, resolution and note
numbers, calibres (« 122 mm ») and numbers inside names (« France 24 », « AK-47 »).

How a hedge reads (the qualifier concepts of ``scheme:qualifier``):

- approximately (« environ », « quelque », "about", "around"): ``value``;
- nearly (« près de », "nearly", "almost"): ``value``;
- more-than / at-least (« plus de », « au moins », "more than", "at least"): ``min_value``;
- less-than / up-to (« moins de », « jusqu'à », « pouvant atteindre », "up to"): ``max_value``;
- a range (« entre 2 000 et 5 000 », « de 2 000 à 5 000 », "10,000 to 12,000"): both, between;
- « au moins X …, jusqu'à Y » in one sentence: one range with both hedges.

Shares are fractions (unit ``"share"``): « 90 % » → 0.9, « un tiers » → 0.333…, « la moitié »
→ 0.5. Money carries an ISO currency code as its unit, areas ``"km2"``; counts have no unit.

>>> [(f.text, f.value, f.min_value, f.max_value, f.qualifiers) for f in find_figures(
...     "Le NIS estime qu'au moins 10 000 soldats, jusqu'à 15 000 hommes, sont en Russie.")]
[("au moins 10 000 soldats, jusqu'à 15 000", None, 10000.0, 15000.0, ('at-least', 'up-to'))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

#: Space, no-break space and narrow no-break space: French thousands separators.
_SP = "[ \u00a0\u202f]"
_APOS = "['’]"

_FR_DIGITS = rf"\d{{1,3}}(?:{_SP}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?"
_EN_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FR_SCALE = {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9}
_EN_SCALE = {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9}
_FR_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "vingt": 20, "trente": 30, "cent": 100,
}  # fmt: skip
_EN_WORDS = {
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "thirty": 30, "hundred": 100,
}  # fmt: skip
_FR_FRACTIONS = {"tiers": 1 / 3, "quart": 0.25, "quarts": 0.25, "moitié": 0.5}
_EN_FRACTIONS = {"third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25, "half": 0.5}

_CURRENCIES = {
    "euro": "EUR", "euros": "EUR", "€": "EUR", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB",
    "rubles": "RUB", "yen": "JPY", "yens": "JPY", "dollar": "USD", "dollars": "USD", "$": "USD",
    "won": "KRW", "wons": "KRW", "livres": "GBP", "pounds": "GBP", "£": "GBP",
}  # fmt: skip
_PERCENT = re.compile(r"\s*(?:%|pour\s?cent\b|percent\b|per cent\b)", re.IGNORECASE)
_AREA = re.compile(r"\s*(?:km²|km2|kilomètres carrés|square kilomet(?:re|er)s)", re.IGNORECASE)
#: Things counted, after a number that could be a year (« 1500 soldats »).
_COUNTED = (
    r"soldats|militaires|hommes|troupes|combattants|morts|tués|blessés|obus|missiles|"
    r"conteneurs|soldiers|troops|men|fighters|dead|killed|wounded|shells|containers"
)
#: Words after a number that make it a duration, a calibre or a date, not a figure.
_NOT_AFTER = re.compile(
    r"\s*(?:ans?|années?|mois|semaines?|jours?|heures?|minutes?|secondes?|décennies|siècles?|"
    r"years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|"
    r"mm|cm|h\b|min\b|er\b|e\b|ème|th\b|st\b|nd\b|rd\b|\^|"
    r"janv\.|févr\.|avr\.|juil\.|sept\.|oct\.|nov\.|déc\.|"
    r"jan\b|feb\b|mar\b|apr\b|jun\b|jul\b|aug\b|sep\b|sept\b|oct\b|nov\b|dec\b|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r")(?![\w-])",
    re.IGNORECASE,
)
#: Words before a number that make it a name, a date or a reference.
_NOT_BEFORE = re.compile(
    r"(?:articles?|résolutions?|resolutions?|numéro|n°|no\.|notes?|chapitre|chapter|section|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"[A-Z][\w]*-)\s*$",
    re.IGNORECASE,
)

_HEDGES = {
    "fr": [
        (rf"jusqu{_APOS}à|jusqu{_APOS}a|au plus|au maximum|(?:pouvant|puisse|pourrait|pourraient"
         rf"|peut|peuvent)\s+atteindre(?:\s+jusqu{_APOS}à)?", "up-to"),
        (r"au moins|au minimum", "at-least"),
        (rf"plus\s+d{_APOS}|plus\s+de|au-delà\s+de|au-delà\s+d{_APOS}", "more-than"),
        (rf"moins\s+d{_APOS}|moins\s+de", "less-than"),
        (rf"près\s+d{_APOS}|près\s+de|presque|quasiment|pratiquement", "nearly"),
        (rf"environ|quelque|quelques|approximativement|autour\s+de|d{_APOS}environ|"
         rf"de l{_APOS}ordre\s+de", "approximately"),
    ],
    "en": [
        (r"up to|as many as|as much as|at most|could reach|may reach", "up-to"),
        (r"at least|no fewer than|no less than", "at-least"),
        (r"more than|over|in excess of|upwards of", "more-than"),
        (r"less than|fewer than|under|below", "less-than"),
        (r"nearly|almost|close to|just under", "nearly"),
        (r"about|around|approximately|roughly|some|an estimated|estimated", "approximately"),
    ],
}  # fmt: skip
_LOWER = {"more-than", "at-least"}
_UPPER = {"less-than", "up-to"}
_ARTICLE = rf"(?:\s+(?:la|le|les|l{_APOS}|un|une|the|a|an))?\s*$"


@dataclass(frozen=True)
class Figure:
    """One figure at ``start:end`` of the sentence it was found in (hedge included)."""

    start: int
    end: int
    text: str
    value: float | None = None
    min_value: float | None = None
    max_value: float | None = None
    qualifiers: tuple[str, ...] = ()
    unit: str | None = None


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    value: float
    unit: str | None
    scale: float = 1.0


def _number_pattern(lang: str) -> re.Pattern:
    digits = _FR_DIGITS if lang == "fr" else _EN_DIGITS
    scales = _FR_SCALE if lang == "fr" else _EN_SCALE
    words = _FR_WORDS if lang == "fr" else _EN_WORDS
    fractions = _FR_FRACTIONS if lang == "fr" else _EN_FRACTIONS
    scale = "|".join(sorted(scales, key=len, reverse=True))
    word = "|".join(sorted(words, key=len, reverse=True))
    fraction = "|".join(sorted(fractions, key=len, reverse=True))
    return re.compile(
        rf"(?P<cur>[€$£])?(?<![\w,.\-/+])(?P<digits>{digits})(?:\s+(?P<scale>{scale}))?(?![\w\-/+])"
        rf"|(?<![\w\-])(?P<word>{word})\s+(?P<wscale>{scale})(?![\w\-])"
        rf"|(?<![\w\-])(?P<fnum>{word}|la|the)[\s-]+(?P<fraction>{fraction})(?![\w\-])"
        rf"|(?<![\w\-])(?P<half>half)(?=\s+(?:of|the)\b)",
        re.IGNORECASE,
    )


_PATTERNS = {lang: _number_pattern(lang) for lang in ("fr", "en")}


def parse_digits(digits: str, lang: str) -> float:
    """The value of digits as written: ``"10 000"`` → 10000, ``"1,2"`` (fr) → 1.2,
    ``"10,000"`` (en) → 10000.

    >>> parse_digits("1,2", "fr"), parse_digits("12,500", "en")
    (1.2, 12500.0)
    """
    if lang == "fr":
        return float(re.sub(_SP, "", digits).replace(",", "."))
    return float(digits.replace(",", ""))


def _numbers(sentence: str, lang: str) -> list[_Number]:
    """Every number of ``sentence`` that may be a figure, with its unit."""
    scales = _FR_SCALE if lang == "fr" else _EN_SCALE
    words = _FR_WORDS if lang == "fr" else _EN_WORDS
    fractions = _FR_FRACTIONS if lang == "fr" else _EN_FRACTIONS
    found = []
    for m in _PATTERNS[lang].finditer(sentence):
        end = m.end()
        after = sentence[end:]
        unit, factor = None, 1.0
        if m.group("half"):  # "nearly half of", without an article
            value, unit = 0.5, "share"
        elif m.group("fraction"):
            count = m.group("fnum").lower()
            value = fractions[m.group("fraction").lower()] * words.get(count, 1)
            unit = "share"
        else:
            if m.group("digits"):
                digits = m.group("digits")
                if _not_a_figure(sentence, m.start("digits"), end, digits):
                    continue
                value = parse_digits(digits, lang)
                scale = m.group("scale")
            else:
                value, scale = float(words[m.group("word").lower()]), m.group("wscale")
            factor = scales[scale.lower()] if scale else 1.0
            value *= factor
            if percent := _PERCENT.match(after):
                value, unit, end = value / 100, "share", end + percent.end()
            elif area := _AREA.match(after):
                unit, end = "km2", end + area.end()
            elif m.group("cur"):
                unit = _CURRENCIES[m.group("cur")]
            else:
                currency = re.match(r"\s*(?:de\s+|d['’]\s*|of\s+)?([€$£]|[^\W\d_]+)", after)
                if currency and currency.group(1).lower() in _CURRENCIES:
                    unit, end = _CURRENCIES[currency.group(1).lower()], end + currency.end()
        found.append(_Number(m.start(), end, value, unit, factor))
    return found


def _not_a_figure(sentence: str, start: int, end: int, digits: str) -> bool:
    """A year, a date, a duration, a calibre, a reference or a name rather than a figure."""
    before, after = sentence[:start], sentence[end:]
    if re.fullmatch(r"1[5-9]\d\d|20\d\d", digits):  # a year, unless it counts something
        return not re.match(rf"\s*(?:%|pour\s?cent|percent|(?:{_COUNTED})(?![\w-]))", after, re.I)
    if _NOT_AFTER.match(after) or _NOT_BEFORE.search(before):
        return True
    next_word = re.match(r"\s*[*_]*\s+[*_]*([A-Z][\w-]*)", after)
    if next_word and re.fullmatch(r"\d{1,3}", digits):
        return True  # « France 24 », « 38 North »: part of a name
    if re.search(r"(?<![.!?]\s)\b[A-Z][\w-]+\s+$", before) and not re.match(r"\s*[^\W\d_]", after):
        return True  # « France 24, »: a name
    if re.search(r"[^.!?\s]\s+[A-Z][a-z]+\s+$", before) and int(re.sub(r"\D", "", digits)) < 1000:
        return True  # « Master 2 de … »: a small number after a name is part of it
    if re.search(r"[\(\[⁽]\s*$", before) and re.match(r"\s*[\)\]⁾]", after):
        return True  # a note call « (3) »
    return bool(re.search(r"\d\s*[+/]\s*$", before))


def _hedge(sentence: str, start: int, lang: str) -> tuple[str | None, int]:
    """The hedge written just before ``start`` and where it begins."""
    before = sentence[:start]
    for pattern, qualifier in _HEDGES[lang]:
        m = re.search(rf"(?<![\w])(?:{pattern}){_ARTICLE}", before, re.IGNORECASE)
        if m and m.end() == len(before):
            if (
                lang == "fr"
                and qualifier == "approximately"
                and re.search(r"quelques\s*$", before, re.IGNORECASE)
            ):
                continue
            return qualifier, m.start()
    return None, start


#: A change from one figure to another, not a range.
_CHANGE = re.compile(
    r"(?:pass\w*|augment\w*|grimp\w*|diminu\w*|baiss\w*|chut\w*|"
    r"rose|risen|increased|grew|grown|fell|fallen|dropped|decreased|went up|went down)"
    r"(?:\s+\w+){0,2}?\s+(?:de|d['’]|from)\s*$",
    re.IGNORECASE,
)


def _range(sentence: str, first: _Number, second: _Number, lang: str) -> int | None:
    """Where the range « entre A et B », « de A à B », "A to B" starts, or None."""
    between = sentence[first.end : second.start]
    if not re.fullmatch(r"\s*(?:et|à|a|and|to|-|–|—)\s*", between, re.IGNORECASE):
        return None
    if second.value <= first.value and first.unit == second.unit:
        return None
    before = sentence[: first.start]
    if _CHANGE.search(before):
        return None  # « passé de 10 000 à 12 000 », "rose from 10,000 to 12,000": two figures
    opener = re.search(r"(?:entre|de|d['’]|between|from)\s*$", before, re.IGNORECASE)
    if opener:
        if re.fullmatch(r"\s*(?:et|and)\s*", between) or re.match(r"\s*(?:à|to)", between):
            return opener.start()
    if re.fullmatch(r"\s*(?:to|à|-|–|—)\s*", between):
        return first.start  # « 11 000 à 12 000 soldats », "10,000-12,000 troops"
    return None


def find_figures(sentence: str, lang: str = "fr") -> list[Figure]:
    """The figures of one sentence, in order, with hedges, ranges, shares and units.

    >>> [(f.min_value, f.max_value) for f in find_figures("between 10,000 and 12,000 troops", "en")]
    [(10000.0, 12000.0)]
    """
    numbers = _numbers(sentence, lang)
    figures: list[Figure] = []
    i = 0
    while i < len(numbers):
        n = numbers[i]
        if i + 1 < len(numbers):
            second = numbers[i + 1]
            opener = _range(sentence, n, second, lang)
            if opener is not None:
                low = n.value * (second.scale if n.scale == 1 else 1)
                unit = second.unit or n.unit
                if unit == "share" and n.unit != "share":
                    low /= 100
                figures.append(
                    Figure(
                        opener, second.end, sentence[opener : second.end],
                        min_value=low, max_value=second.value,
                        qualifiers=("between",), unit=unit,
                    )
                )  # fmt: skip
                i += 2
                continue
        qualifier, start = _hedge(sentence, n.start, lang)
        figure = Figure(start, n.end, sentence[start : n.end], unit=n.unit)
        if qualifier in _LOWER:
            figure = replace(figure, min_value=n.value, qualifiers=(qualifier,))
        elif qualifier in _UPPER:
            figure = replace(figure, max_value=n.value, qualifiers=(qualifier,))
        else:
            figure = replace(figure, value=n.value, qualifiers=(qualifier,) if qualifier else ())
        figures.append(figure)
        i += 1
    return _merge_bounds(sentence, figures)


def _merge_bounds(sentence: str, figures: list[Figure]) -> list[Figure]:
    """« au moins X …, jusqu'à Y »: a lower bound then a higher upper bound of the same kind,
    with no other figure between them, is one range."""
    merged: list[Figure] = []
    for figure in figures:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.min_value is not None
            and last.max_value is None
            and figure.max_value is not None
            and figure.min_value is None
            and figure.unit == last.unit
            and figure.max_value > last.min_value
        ):
            merged[-1] = Figure(
                last.start, figure.end, sentence[last.start : figure.end],
                min_value=last.min_value, max_value=figure.max_value,
                qualifiers=last.qualifiers + figure.qualifiers, unit=last.unit,
            )  # fmt: skip
            continue
        merged.append(figure)
    return merged
