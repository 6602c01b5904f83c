"""The server's settings: ``geokg serve`` options, each with an environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _split(value: str | None) -> list[str]:
    return [item for item in (value or "").replace(",", " ").split() if item]


@dataclass
class Settings:
    """How the endpoint behaves; the defaults are safe on the open internet.

    >>> Settings.from_env({"GEOKG_MAX_ROWS": "10", "GEOKG_CORS_ORIGIN": "https://a.org"}).max_rows
    10
    """

    #: Seconds a query may run before its worker is stopped (GEOKG_QUERY_TIMEOUT).
    query_timeout: float = 30.0
    #: Most rows (or triples) in one answer; more are cut, with a header saying so (GEOKG_MAX_ROWS).
    max_rows: int | None = 100_000
    #: Bearer token that switches SPARQL Update on (GEOKG_UPDATE_TOKEN); None: updates refused.
    update_token: str | None = field(default=None, repr=False)
    #: The local credential of other processes of this user (set by ``geokg serve`` on an
    #: on-disk store, kept in the server file beside it): queries with no row cap, updates and
    #: bulk loads (geokg.graph.server_backend). Never from the environment.
    local_token: str | None = field(default=None, repr=False)
    #: Largest bulk load (``POST /store/load``) accepted from an authorised client
    #: (GEOKG_MAX_LOAD_BYTES).
    max_load_bytes: int = 4_000_000_000
    #: Origins allowed by CORS (GEOKG_CORS_ORIGIN); empty: CORS off.
    cors_origins: list[str] = field(default_factory=list)
    #: IRI prefixes that SERVICE, LOAD and FROM may reach (GEOKG_ALLOW_SERVICE); http(s) only.
    allow_service: list[str] = field(default_factory=list)
    #: Largest answer to a query, in bytes, for clients without the local credential
    #: (GEOKG_MAX_RESPONSE_BYTES); larger answers end with a 503 that says so.
    max_response_bytes: int = 64_000_000
    #: Largest request body accepted (GEOKG_MAX_BODY_BYTES).
    max_body_bytes: int = 1_000_000
    #: Query worker processes (GEOKG_WORKERS; default: the number of CPUs, at least 2).
    workers: int = field(default_factory=lambda: max(2, os.cpu_count() or 2))

    #: How query workers read an on-disk store (GEOKG_READS; ``geokg serve --reads``): ``disk``,
    #: ``memory`` (each worker holds a copy, made again after every write) or ``auto`` (memory
    #: up to :data:`geokg.api.worker_store.AUTO_MEMORY_MB` on disk). The workers read it from
    #: their environment, which ``geokg serve`` sets from this field.
    reads: str = "auto"
    #: Log each request (uvicorn's access log, query strings cut off) (GEOKG_ACCESS_LOG=1;
    #: ``geokg serve --access-log``). Off by default: it costs about a tenth of the throughput
    #: of cheap queries.
    access_log: bool = False

    #: Folder of the example queries (``NN-name.rq``) on the query page (GEOKG_QUESTIONS_DIR;
    #: default: the bundled competency questions).
    questions_dir: str | None = None

    @classmethod
    def from_env(cls, env=None) -> Settings:
        env = os.environ if env is None else env
        settings = cls()
        if env.get("GEOKG_QUERY_TIMEOUT"):
            settings.query_timeout = float(env["GEOKG_QUERY_TIMEOUT"])
        if env.get("GEOKG_MAX_ROWS"):
            rows = int(env["GEOKG_MAX_ROWS"])
            settings.max_rows = rows if rows > 0 else None
        settings.update_token = env.get("GEOKG_UPDATE_TOKEN") or None
        settings.cors_origins = _split(env.get("GEOKG_CORS_ORIGIN"))
        settings.allow_service = _split(env.get("GEOKG_ALLOW_SERVICE"))
        if env.get("GEOKG_MAX_BODY_BYTES"):
            settings.max_body_bytes = int(env["GEOKG_MAX_BODY_BYTES"])
        if env.get("GEOKG_MAX_RESPONSE_BYTES"):
            settings.max_response_bytes = int(env["GEOKG_MAX_RESPONSE_BYTES"])
        if env.get("GEOKG_MAX_LOAD_BYTES"):
            settings.max_load_bytes = int(env["GEOKG_MAX_LOAD_BYTES"])
        if env.get("GEOKG_WORKERS"):
            settings.workers = max(1, int(env["GEOKG_WORKERS"]))
        settings.questions_dir = env.get("GEOKG_QUESTIONS_DIR") or None
        from .worker_store import reads_from_env

        settings.reads = reads_from_env(env)  # ValueError if unknown, before any worker starts
        settings.access_log = env.get("GEOKG_ACCESS_LOG", "").lower() in ("1", "true", "yes", "on")
        return settings

    def allows(self, iri: str | None) -> bool:
        """Whether a query may reach ``iri`` (never a variable, never anything but http(s)).

        IRIs are compared normalised (:func:`geokg.api.iris.normalise`), and an IRI with a
        dot segment, a user name or a backslash is refused whatever the allow-list says.

        >>> s = Settings(allow_service=["https://a.example/sparql/"])
        >>> s.allows("HTTPS://A.example/sparql/x"), s.allows("https://a.example/sparql/../secret")
        (True, False)
        """
        from .iris import under

        return bool(iri) and any(under(iri, prefix) for prefix in self.allow_service)
