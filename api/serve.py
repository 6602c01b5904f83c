"""``geokg serve``: uvicorn over the application, and the server file beside an on-disk store.

On an on-disk store the server makes a fresh local credential, and once it listens writes
the server file (:mod:`geokg.graph.server_file`: URL, host, port, pid, credential; mode
0600) so that other geokg processes of the same user work through it; it removes the file as
it begins to shut down. A server killed outright leaves a stale file, which readers ignore and
the next server replaces.
"""

from __future__ import annotations

import logging
import secrets

import uvicorn
from geokg.graph import KnowledgeGraph
from geokg.graph.server_file import remove_server_file, server_file_path, write_server_file

from . import sandbox
from .app import create_app
from .config import Settings
from .logs import keep_query_strings_out_of_logs


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that keeps the server file while it listens."""

    def __init__(self, config: uvicorn.Config, store, token: str | None):
        super().__init__(config)
        self.store, self.token = store, token

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        if self.started and self.store is not None:
            log = logging.getLogger("uvicorn.error")
            try:
                write_server_file(self.store, self.config.host, self._port(), self.token)
            except OSError as error:
                log.warning(
                    "no server file, other geokg processes cannot share the store: %s", error
                )
                return
            log.info(
                "other geokg processes on this store work through this server (%s)",
                server_file_path(self.store),
            )

    async def shutdown(self, sockets=None) -> None:
        if self.store is not None:
            remove_server_file(self.store, self.token)  # no new client while it stops
        await super().shutdown(sockets)

    def _port(self) -> int:
        """The port listened on (the one the system chose for ``--port 0``)."""
        for server in getattr(self, "servers", []):
            for sock in server.sockets:
                return sock.getsockname()[1]
        return self.config.port


def serve(kg: KnowledgeGraph, settings: Settings, host: str, port: int) -> None:
    """Serve ``kg`` on ``host:port`` until stopped (Ctrl-C or SIGTERM)."""
    remote = getattr(kg.backend, "remote", False)
    store = None if remote else getattr(kg.backend, "path", None)
    if store is not None:
        settings.local_token = secrets.token_urlsafe(32)
    # uvicorn picks httptools and uvloop (dependencies) when they import: C parsers and loop
    config = uvicorn.Config(
        create_app(kg, settings),
        host=host,
        port=port,
        log_level="info",
        access_log=settings.access_log,
    )
    keep_query_strings_out_of_logs()  # tokens and queries never in the access log
    if not settings.allow_service and not sandbox.available():
        logging.getLogger("uvicorn.error").warning(
            "this system cannot shut the query workers off from the network (Linux only): "
            "SERVICE and LOAD are refused by reading the query text alone"
        )
    server = _AnnouncingServer(config, store, settings.local_token)
    try:
        server.run()
    finally:
        if store is not None:
            remove_server_file(store, settings.local_token)
