"""Content negotiation: the Accept header, with q-values and wildcards.

>>> choose("text/csv;q=0.5, application/sparql-results+xml", ["text/csv", "application/sparql-results+xml"])
'application/sparql-results+xml'
>>> choose("image/png", ["text/csv"]) is None
True
>>> choose("", ["text/turtle", "text/html"])
'text/turtle'
"""

from __future__ import annotations

import functools

#: Accept headers up to this length are remembered with their answer (the same few headers come
#: with request after request); longer ones are worked out each time, so memory stays small.
REMEMBERED_HEADER = 500


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values (malformed q: ignored range)."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media + "/*"
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value.strip())))
                except ValueError:
                    q = -1.0
        if q >= 0:
            ranges.append((media, q))
    return ranges


def quality(ranges: list[tuple[str, float]], media: str) -> float:
    """The q-value the most specific matching range gives ``media`` (0 when none matches)."""
    kind = media.split("/")[0] + "/*"
    best, specificity = 0.0, -1
    for pattern, q in ranges:
        level = 2 if pattern == media else 1 if pattern == kind else 0 if pattern == "*/*" else -1
        if level > specificity:
            best, specificity = q, level
    return best if specificity >= 0 else 0.0


def choose(header: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers (ties: the first offer); None when none is acceptable."""
    if header and len(header) <= REMEMBERED_HEADER:
        return _choose_remembered(header, tuple(offers))
    return _choose(header, offers)


@functools.lru_cache(maxsize=512)
def _choose_remembered(header: str, offers: tuple[str, ...]) -> str | None:
    return _choose(header, offers)


def _choose(header: str | None, offers) -> str | None:
    if not header or not header.strip():
        return offers[0] if offers else None
    ranges = parse_accept(header)
    if not ranges:
        return offers[0] if offers else None
    best, best_q = None, 0.0
    for media in offers:
        q = quality(ranges, media)
        if q > best_q:
            best, best_q = media, q
    return best
