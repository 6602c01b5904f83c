"""IRIs as a server compares them: normalised, and which ones are safe to show as links.

>>> normalise("HTTP://Ex.ORG:80/a/./b/%7euser/../%2E%2e/c%2f")
'http://ex.org/a/c%2F'
>>> under("https://a.example/sparql", "https://a.example/sparql")
True
>>> under("https://a.example/sparqlx", "https://a.example/sparql")
False
>>> link_host("//evil.example/phish"), link_host("javascript:alert(1)"), link_host("https://w3id.org/x")
(None, None, 'w3id.org')
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_UNRESERVED = re.compile(r"%(4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]|3[0-9]|2[DE]|5F|7E)", re.I)
_ESCAPED = re.compile(r"%[0-9a-fA-F]{2}")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _decode_unreserved(text: str) -> str:
    text = _UNRESERVED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return _ESCAPED.sub(lambda m: m.group().upper(), text)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986, section 5.2.4."""
    out: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        elif segment == ".":
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/".join(out)


def normalise(iri: str) -> str | None:
    """The normal form of an http(s) IRI (RFC 3986 section 6.2.2), or None if it is not one.

    Case of scheme and host, default port, percent-encoding of unreserved characters
    (decoded) and of the others (upper case), dot segments removed. None for another scheme,
    no host, a user name, a backslash or white space.
    """
    if any(c in iri for c in "\\ \t\r\n") or not iri.isprintable():
        return None
    try:
        parts = urlsplit(iri)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    host = parts.hostname.lower()
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    path = _remove_dot_segments(_decode_unreserved(parts.path)) or "/"
    return urlunsplit(
        (scheme, netloc, path, _decode_unreserved(parts.query), _decode_unreserved(parts.fragment))
    )


def under(iri: str, prefix: str) -> bool:
    """Whether ``iri`` is ``prefix`` or below it, both normalised; no dot segments allowed."""
    mine, theirs = normalise(iri), normalise(prefix)
    if mine is None or theirs is None:
        return False
    path = _decode_unreserved(urlsplit(iri).path)
    if _remove_dot_segments(path) != path:
        return False  # a ./.. segment, even encoded: refused rather than resolved
    if mine == theirs or theirs.endswith("/"):
        return mine.startswith(theirs)
    return mine.startswith(theirs) and mine[len(theirs)] in "/?#"


def link_host(iri: str) -> str | None:
    """The host to show for ``iri`` if it may be rendered as a link (http(s) with a host)."""
    try:
        parts = urlsplit(iri)
    except ValueError:
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.hostname
