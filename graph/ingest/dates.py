"""As-of dates in a sentence, at the precision the text gives, never more precise.

A day written in full (« le 26 avril 2025 », "on 17 October 2024") is an ``xsd:date``; a month
(« en août 2024 », "in June 2025") an ``xsd:gYearMonth``; a year or a part of a year
(« en 2024 », « fin 2023 », « début 2024 », « à l'automne 2024 », "late 2023") an
``xsd:gYear``. What the text leaves
relative is resolved against the article's date ``published`` (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``), and never made more precise than both allow:

- a day without a year (« le 17 octobre ») takes the year of ``published`` (the year before
  if that day would fall after it); a month without a year (« en août ») likewise;
- a weekday (« vendredi », "on Wednesday") is the last such day up to ``published`` when
  ``published`` is a day, else only ``published``'s month or year;
- « hier », « aujourd'hui », "yesterday", "today": the day before or of a full ``published``.

A period « entre janvier et mars 2025 » is dated by its end (2025-03); what follows « depuis »,
"since", « a commencé en », "began in" is the start of a period, not an as-of date, and is left
out.

>>> [(d.value, d.precision) for d in find_dates("Le 17 octobre, il a parlé.", "fr", "2024-11-25")]
[('2024-10-17', 'date')]
>>> [(d.value, d.precision) for d in find_dates("Il a révélé vendredi que…", "fr", "2024-10")]
[('2024-10', 'gYearMonth')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)
_YEAR = r"(?:1[89]|20)\d\d"
_PART = (
    r"fin|début|mi-|courant|late|early|mid-?|end of|beginning of|the end of|"
    r"(?:au |à l['’]|en )?(?:printemps|été|automne|hiver)|(?:in )?(?:the )?(?:spring|summer|"
    r"autumn|fall|winter)(?: of)?"
)
_DAY = r"(?:1er|1\^\{er\}|\d{1,2})"

_PATTERN = re.compile(
    rf"(?P<since>(?:depuis|since|from|à partir du|à partir de|dès|"
    rf"(?:began|begun|started|launched|commencée?|débutée?|lancée?|déclenchée?)\s+(?:in|on|en|le))"
    rf"\s+(?:le\s+|l['’]|the\s+)?)?"
    rf"(?:(?:entre|between)\s+(?P<m0>{_MONTH})\s+(?:et|and)\s+(?P<m1>{_MONTH})\s+(?P<y1>{_YEAR})"
    rf"|(?P<day>{_DAY})\s+(?P<dmonth>{_MONTH})(?:\s+(?P<dyear>{_YEAR}))?"
    rf"|(?P<emonth>{_MONTH})\s+(?P<eday>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*(?P<eyear>{_YEAR}))?"
    rf"|(?P<part>{_PART})\s*(?P<pyear>{_YEAR})"
    rf"|(?P<month>{_MONTH})(?:\s+(?:de\s+|of\s+)?(?P<myear>{_YEAR}))?"
    rf"|(?:en|in|au|of)\s+(?P<year>{_YEAR})"
    rf"|(?P<weekday>{_WEEKDAY})(?:\s+dernier)?"
    rf"|(?P<rel>hier|aujourd['’]hui|yesterday|today))(?![\w-])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AsOf:
    """A date as precise as the text gives it, at ``start:end`` of the sentence."""

    start: int
    end: int
    value: str
    precision: str  # "date", "gYearMonth" or "gYear"


def _published(published: str | None) -> tuple[int | None, int | None, int | None]:
    if not published:
        return None, None, None
    parts = [int(p) for p in published.split("-")[:3]]
    return tuple(parts + [None] * (3 - len(parts)))  # type: ignore[return-value]


def _year_for(month: int, day: int | None, published: str | None) -> int | None:
    """The year of a month (and day) the text gives without one: the last one up to
    ``published``; None if ``published`` gives no year, or may lie on either side."""
    y, m, d = _published(published)
    if y is None:
        return None
    if m is None:
        return y  # the article's year: the best the reader can tell
    if month < m or (month == m and (day is None or d is None or day <= d)):
        return y
    return y - 1


def _resolve(m: re.Match, published: str | None) -> tuple[str, str] | None:
    g = m.groupdict()
    if g["m1"]:
        return f"{int(g['y1']):04d}-{MONTHS[g['m1'].lower()]:02d}", "gYearMonth"
    if g["day"] or g["eday"]:
        day = int(re.sub(r"\D", "", g["day"] or g["eday"]) or 1)
        month = MONTHS[(g["dmonth"] or g["emonth"]).lower()]
        year = g["dyear"] or g["eyear"]
        year = int(year) if year else _year_for(month, day, published)
        if year is None:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}", "date"
    if g["pyear"]:
        return g["pyear"], "gYear"
    if g["month"]:
        month = MONTHS[g["month"].lower()]
        year = int(g["myear"]) if g["myear"] else _year_for(month, None, published)
        if year is None:
            return None
        return f"{year:04d}-{month:02d}", "gYearMonth"
    if g["year"]:
        return g["year"], "gYear"
    y, mo, d = _published(published)
    if y is None:
        return None
    if g["weekday"] or g["rel"]:
        if d is None:  # the article's month or year: never more precise than it
            return (f"{y:04d}-{mo:02d}", "gYearMonth") if mo else (f"{y:04d}", "gYear")
        day = date(y, mo, d)
        if g["weekday"]:
            back = (day.weekday() - WEEKDAYS[g["weekday"].lower()]) % 7
        else:
            back = 1 if g["rel"].lower() in ("hier", "yesterday") else 0
        return (day - timedelta(days=back)).isoformat(), "date"
    return None


def find_dates(sentence: str, lang: str = "fr", published: str | None = None) -> list[AsOf]:
    """The as-of dates ``sentence`` gives, in order (periods' starts left out).

    >>> [(d.value, d.precision) for d in find_dates("fin 2023 et en août 2024", "fr")]
    [('2023', 'gYear'), ('2024-08', 'gYearMonth')]
    """
    found = []
    for m in _PATTERN.finditer(sentence):
        if m.group("since"):
            continue
        if m.group("month") and lang == "en" and m.group("month").lower() == "may":
            if not m.group("myear"):
                continue  # the modal verb "may"
        if m.group("month") and m.group("month").lower() == "mars" and not m.group("myear"):
            if not re.search(r"(?:en|de|fin|début|mi-)\s*$", sentence[: m.start()], re.I):
                continue  # « Mars » the planet or a name
        resolved = _resolve(m, published)
        if resolved:
            found.append(AsOf(m.start(), m.end(), *resolved))
    return found


def nearest_date(dates: list[AsOf], position: int) -> AsOf | None:
    """The date of the sentence that applies to a figure at ``position``: the last one before
    it, else the first one after it.

    >>> d = find_dates("En juin 2025, 6 000 pertes ; en mai 2024, 3 000.", "fr")
    >>> nearest_date(d, 40).value
    '2024-05'
    """
    before = [d for d in dates if d.start <= position]
    if before:
        return before[-1]
    return dates[0] if dates else None
