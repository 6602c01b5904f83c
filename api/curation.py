"""The curation page ``/curation`` and ``POST /curation/ingest``, behind the update credential.

- ``GET /curation``: the ingested articles and a form to ingest one; ``GET
  /curation/source/SLUG``: the article, each candidate's quote highlighted, beside its
  candidates, each with a form to accept it (its fields editable: measure, figure, range,
  qualifiers, agent, date, what it is about) and one to reject it.
- ``POST /curation/ingest`` (text, title, date, publisher, lang; form-encoded or JSON):
  runs ``geokg ingest``'s extraction and stores the new candidates; ``POST
  /curation/accept`` and ``/curation/reject`` (``id`` and the edited fields).

**Who may curate.** Only a holder of the update credential (``GEOKG_UPDATE_TOKEN``, the one
that switches SPARQL Update on); with no update token configured, curation is off (403).
An API client sends it as ``Authorization: Bearer TOKEN`` on each POST. A browser cannot
send that header on navigation, so the page has a sign-in form: the token is posted once
(``POST /curation/login``), compared in constant time, and exchanged for a random session
id in a cookie that is ``HttpOnly`` (no script reads it), ``SameSite=Strict`` (no other site's
page sends it), ``Path=/curation``, ``Secure`` over HTTPS, valid 8 hours and kept in this
server's memory only (a restart signs everyone out). Every form of the page carries the
session's CSRF token (a second random value, compared in constant time), and a POST whose
``Origin`` header names another origin is refused: a forged cross-site POST fails even where
SameSite is not honoured. Anything else is refused: 401 with the sign-in form for a page, 401
or 403 for a POST (fail closed). Every string from the article and the graph is escaped by the
template engine; the page runs no script (a strict Content-Security-Policy: nothing inline,
nothing from elsewhere).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from geokg.graph import GeokgError, ValidationError
from geokg.graph.ingest.candidates_graph import MSR_SCHEME, QUAL_SCHEME, shorten
from geokg.graph.ingest.curation import (
    Article,
    Edits,
    accept,
    ingest_article,
    list_sources,
    reject,
    source_view,
)

from .entities import local_href, templates
from .sparql import PAGE_HEADERS, ProtocolError, _bearer, _media, _same, authorise, read_body

router = APIRouter()

COOKIE = "geokg_curation"
#: Seconds a sign-in lasts.
SESSION_SECONDS = 8 * 3600
HEADERS = {**PAGE_HEADERS, "Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
#: The largest article accepted (characters).
MAX_TEXT = 500_000


@dataclass
class Sessions:
    """Signed-in browsers: session id → (CSRF token, expiry), in this process only."""

    entries: dict[str, tuple[str, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self) -> tuple[str, str]:
        session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.lock:
            now = time.monotonic()
            self.entries = {k: v for k, v in self.entries.items() if v[1] > now}
            self.entries[session] = (csrf, now + SESSION_SECONDS)
        return session, csrf

    def csrf(self, session: str | None) -> str | None:
        """The CSRF token of a live session, or None."""
        if not session:
            return None
        with self.lock:
            found = self.entries.get(session)
        if found is None or found[1] <= time.monotonic():
            return None
        return found[0]

    def close(self, session: str | None) -> None:
        with self.lock:
            self.entries.pop(session or "", None)


def _sessions(request: Request) -> Sessions:
    state = request.app.state
    if getattr(state, "curation_sessions", None) is None:
        state.curation_sessions = Sessions()
    return state.curation_sessions


def _settings(request: Request):
    return request.app.state.endpoint.settings


def _signed_in(request: Request) -> str | None:
    """The CSRF token of the browser's session, if it has a live one (and curation is on)."""
    if not _settings(request).update_token:
        return None
    return _sessions(request).csrf(request.cookies.get(COOKIE))


def _refused(request: Request, message: str = "", status: int = 401) -> HTMLResponse:
    on = bool(_settings(request).update_token)
    page = templates.get_template("curation-login.html").render(
        on=on, message=message, next=request.url.path
    )
    return HTMLResponse(page, status_code=status if on else 403, headers=HEADERS)


async def _form(request: Request) -> dict[str, list[str]]:
    """The POSTed fields: form-encoded, or a JSON object (values or lists of values)."""
    body = await read_body(request, max(_settings(request).max_body_bytes, 4 * MAX_TEXT))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the body is not UTF-8") from None
    media = _media(request)
    fields: dict[str, list[str]] = {}
    if media == "application/x-www-form-urlencoded":
        for key, value in parse_qsl(text, keep_blank_values=True):
            fields.setdefault(key, []).append(value)
    elif media == "application/json":
        try:
            data = json.loads(text)
        except ValueError:
            raise ProtocolError(400, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise ProtocolError(400, "send a JSON object")
        for key, value in data.items():
            values = value if isinstance(value, list) else [value]
            fields[key] = ["" if v is None else str(v) for v in values]
    else:
        raise ProtocolError(415, "send application/x-www-form-urlencoded or application/json")
    return fields


def _one(fields: dict[str, list[str]], name: str) -> str:
    return (fields.get(name) or [""])[0]


async def _allowed(request: Request) -> tuple[dict[str, list[str]], bool]:
    """The fields of a POST that may curate, and whether it came from the page (a browser).

    A bearer token must be the update token (or the local credential); otherwise the session
    cookie with its CSRF token, from this origin. Anything else: 401 or 403, nothing done.
    """
    settings = _settings(request)
    if _bearer(request):
        authorise(request, settings)
        return await _form(request), False
    if not settings.update_token:
        raise ProtocolError(403, "curation is off: the server has no update token")
    origin = request.headers.get("origin")
    if origin and origin != _origin(request):
        raise ProtocolError(403, "cross-origin request refused")
    expected = _signed_in(request)
    if expected is None:
        raise ProtocolError(
            401,
            "curation needs the update credential: sign in at /curation, "
            "or send Authorization: Bearer TOKEN",
            {"WWW-Authenticate": 'Bearer realm="geokg"'},
        )
    fields = await _form(request)
    if not _same(_one(fields, "csrf"), expected):
        raise ProtocolError(403, "the form's CSRF token is missing or stale: reload the page")
    return fields, True


def _origin(request: Request) -> str:
    url = request.url
    default = {"http": 80, "https": 443}.get(url.scheme)
    port = f":{url.port}" if url.port and url.port != default else ""
    return f"{url.scheme}://{url.hostname}{port}"


# -- signing in -----------------------------------------------------------------------------------


@router.post("/curation/login", include_in_schema=False)
async def login(request: Request) -> Response:
    """Exchange the update token for a session cookie (see the module's docstring)."""
    settings = _settings(request)
    if not settings.update_token:
        return _refused(request, status=403)
    origin = request.headers.get("origin")
    if origin and origin != _origin(request):
        raise ProtocolError(403, "cross-origin request refused")
    fields = await _form(request)
    if not _same(_one(fields, "token"), settings.update_token):
        return _refused(request, "That is not the update token.")
    session, _ = _sessions(request).open()
    target = _one(fields, "next")
    if not target.startswith("/curation") or "//" in target or "\\" in target:
        target = "/curation"
    answer = RedirectResponse(target, status_code=303, headers=HEADERS)
    answer.set_cookie(
        COOKIE,
        session,
        max_age=SESSION_SECONDS,
        path="/curation",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return answer


@router.post("/curation/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    await _allowed(request)
    _sessions(request).close(request.cookies.get(COOKIE))
    answer = RedirectResponse("/curation", status_code=303, headers=HEADERS)
    answer.delete_cookie(COOKIE, path="/curation")
    return answer


# -- the pages ------------------------------------------------------------------------------------


@router.get("/curation", include_in_schema=False)
async def sources_page(request: Request) -> Response:
    """The ingested articles and the form that ingests one."""
    csrf = _signed_in(request)
    if csrf is None:
        return _refused(request)
    rows = await run_in_threadpool(list_sources, request.app.state.kg)
    page = templates.get_template("curation.html").render(sources=rows, csrf=csrf, error=None)
    return HTMLResponse(page, headers=HEADERS)


@router.get("/curation/source/{slug}", include_in_schema=False)
async def source_page(request: Request, slug: str) -> Response:
    """One article with its candidates."""
    csrf = _signed_in(request)
    if csrf is None:
        return _refused(request)
    return await _render_source(request, slug, csrf)


async def _render_source(
    request: Request, slug: str, csrf: str, error: dict | None = None, status: int = 200
) -> Response:
    kg = request.app.state.kg
    try:
        view = await run_in_threadpool(source_view, kg, slug)
    except GeokgError as problem:
        raise ProtocolError(404, str(problem)) from None
    choices = await run_in_threadpool(_choices, kg)
    page = templates.get_template("curation-source.html").render(
        view=view,
        segments=segments(
            view.text,
            [(s.number, s.candidate.start, s.candidate.end, s.status) for s in view.candidates],
        ),
        cards=[_card(s, view.lang) for s in view.candidates],
        choices=choices,
        csrf=csrf,
        error=error,
    )
    return HTMLResponse(page, status_code=status, headers=HEADERS)


def segments(text: str, spans: list[tuple[int, int, int, str]]) -> list[dict]:
    """The text cut at every candidate's start and end: each piece with the candidates that
    cover it (``numbers``), those that start there (``starts``) and their statuses.

    >>> [(s["text"], s["numbers"]) for s in segments("ab cd ef", [(1, 3, 5, "proposed")])]
    [('ab ', []), ('cd', [1]), (' ef', [])]
    """
    cuts = sorted({0, len(text), *(a for _, a, _, _ in spans), *(b for _, _, b, _ in spans)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [(n, status) for n, start, end, status in spans if start <= a and b <= end]
        pieces.append(
            {
                "text": text[a:b],
                "numbers": [n for n, _ in covering],
                "starts": [n for n, start, _, _ in spans if start == a],
                "statuses": sorted({status for _, status in covering}),
            }
        )
    return pieces


_CONCEPTS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?label WHERE {
  ?c skos:inScheme <%s> .
  OPTIONAL { ?c skos:prefLabel ?label FILTER(langMatches(lang(?label), "en")) }
} ORDER BY ?label"""


def _choices(kg) -> dict[str, list[tuple[str, str]]]:
    """The measures and qualifiers a curator may pick: (bare name, English label)."""
    found = {}
    for name, scheme in (("measures", MSR_SCHEME), ("qualifiers", QUAL_SCHEME)):
        rows = kg.query(_CONCEPTS % scheme)
        found[name] = [
            (str(c).rsplit("/", 1)[-1], str(label) if label is not None else str(c))
            for c, label in rows
        ]
    return found


def _bare(iri: str | None) -> str:
    return iri.rsplit("/", 1)[-1] if iri else ""


def _number_text(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _card(stored, lang: str) -> dict:
    """What one candidate's card shows and its form's fields."""
    c = stored.candidate
    return {
        "n": stored.number,
        "id": stored.id,
        "status": stored.status,
        "kind": c.kind,
        "confidence": f"{c.confidence:.2f}",
        "quote": c.quote,
        "figure": c.figure,
        "measure": _bare(c.measure),
        "value": _number_text(c.value),
        "min": _number_text(c.min_value),
        "max": _number_text(c.max_value),
        "qualifiers": [_bare(q) for q in c.qualifiers],
        "agent": shorten(c.attributed_to),
        "agent_text": c.attributed_text or "",
        "about": shorten(c.about),
        "about_text": c.about_text or "",
        "as_of": c.as_of or "",
        # a statement the extraction left as the (non-English) quote is no paraphrase
        "statement": "" if c.statement == c.quote and lang != "en" else (c.statement or ""),
        "new_actors": list(c.new_actors),
        "claim": stored.accepted_as,
        "claim_href": local_href(stored.accepted_as) if stored.accepted_as else None,
    }


# -- the writes -----------------------------------------------------------------------------------


@router.post("/curation/ingest", include_in_schema=False)
async def ingest(request: Request) -> Response:
    """Ingest an article: its text, title, date, publisher and language."""
    fields, from_page = await _allowed(request)
    text = _one(fields, "text")
    if not text.strip() or len(text) > MAX_TEXT:
        raise ProtocolError(400, f"give the article's text (at most {MAX_TEXT:,} characters)")
    article = Article(
        text=text.replace("\r\n", "\n"),
        title=_one(fields, "title").strip(),
        date=_one(fields, "date").strip(),
        publisher=_one(fields, "publisher").strip() or None,
        lang=_one(fields, "lang").strip() or "fr",
    )
    try:
        result = await run_in_threadpool(ingest_article, request.app.state.kg, article)
    except ImportError as missing:
        raise ProtocolError(
            503, f"the extraction is not installed here (pip install 'geokg[ingest]'): {missing}"
        ) from None
    except GeokgError as problem:
        raise ProtocolError(400, f"nothing ingested: {problem}") from None
    slug = result.graph.rsplit("/", 1)[-1]
    if from_page:
        return RedirectResponse(f"/curation/source/{quote(slug)}", 303, headers=HEADERS)
    return JSONResponse(
        {
            "source": result.source,
            "graph": result.graph,
            "page": f"/curation/source/{slug}",
            "new": [s.id for s in result.new],
            "already_decided": result.already_decided,
            "already_curated": result.already_curated,
        },
        headers=HEADERS,
    )


@router.post("/curation/accept", include_in_schema=False)
async def accept_route(request: Request) -> Response:
    """Accept a candidate, with the fields the curator changed as edits."""
    fields, from_page = await _allowed(request)
    return await _decide(request, fields, from_page, accepting=True)


@router.post("/curation/reject", include_in_schema=False)
async def reject_route(request: Request) -> Response:
    """Reject a candidate (remembered for the next ingest of the article)."""
    fields, from_page = await _allowed(request)
    return await _decide(request, fields, from_page, accepting=False)


async def _decide(request: Request, fields, from_page: bool, *, accepting: bool) -> Response:
    kg = request.app.state.kg
    candidate_id = _one(fields, "id")
    slug, _, number = candidate_id.rpartition("/")
    try:
        view = await run_in_threadpool(source_view, kg, slug)
        found = [s for s in view.candidates if s.id == candidate_id]
        if not found:
            raise GeokgError(f"no candidate {candidate_id!r}")
        if accepting:
            edits = edits_from_form(found[0].candidate, fields)
            claim = await run_in_threadpool(accept, kg, candidate_id, edits)
        else:
            await run_in_threadpool(reject, kg, candidate_id)
            claim = None
    except (GeokgError, ValueError) as problem:
        messages = (
            [str(v) for v in problem.report.violations]
            if isinstance(problem, ValidationError)
            else [str(problem)]
        )
        if not from_page:
            return JSONResponse(
                {"error": "nothing written", "details": messages}, 422, headers=HEADERS
            )
        if not slug or not number.isdigit():
            raise ProtocolError(400, str(problem)) from None
        error = {"n": int(number), "messages": messages}
        return await _render_source(request, slug, _signed_in(request) or "", error, 422)
    if not from_page:
        return JSONResponse({"id": candidate_id, "claim": claim}, headers=HEADERS)
    return RedirectResponse(f"/curation/source/{quote(slug)}#c-{number}", 303, headers=HEADERS)


def edits_from_form(c, fields: dict[str, list[str]]) -> Edits:
    """The fields the curator changed, compared with the candidate's (blank: unchanged).

    ``value``, ``min``, ``max`` are one figure: changing any of them replaces it whole.
    """

    def changed(name: str, current: str) -> str | None:
        given = _one(fields, name).strip()
        return given if given and given != current else None

    figure = tuple(_float(_one(fields, n)) for n in ("value", "min", "max"))
    edit_figure = "value" in fields and figure != (c.value, c.min_value, c.max_value)
    qualifiers = None
    if "qualifiers-shown" in fields or "qualifier" in fields:  # the page: check boxes
        picked = tuple(sorted(q for q in fields.get("qualifier", []) if q))
        if picked != tuple(sorted(_bare(q) for q in c.qualifiers)):
            qualifiers = picked
    return Edits(
        measure=changed("measure", _bare(c.measure)),
        value=figure[0] if edit_figure else None,
        min_value=figure[1] if edit_figure else None,
        max_value=figure[2] if edit_figure else None,
        qualifiers=qualifiers,
        agent=changed("agent", shorten(c.attributed_to)),
        as_of=changed("as_of", c.as_of or ""),
        about=changed("about", shorten(c.about)),
        statement=changed("statement", c.statement or ""),
        new_agent=_one(fields, "new_agent").strip() or None,
    )


def _float(text: str) -> float | None:
    text = text.strip().replace(" ", "").replace("\u202f", "").replace("\xa0", "")
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
