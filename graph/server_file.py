"""The server file: how a running ``geokg serve`` tells other processes that it owns a store.

Oxigraph lets one process at a time open an on-disk store for writing. While ``geokg serve``
holds a store at ``…/NAME``, it keeps beside it (not inside the folder, which Oxigraph owns)
the file ``…/NAME.server.json``: the server's URL, host, port and process id, the store's
path, and a **local credential**, a random token that lets other processes of the same user
query without a row cap, update and bulk-load through the server. The file has mode 0600 (only
its owner may read it) and is written atomically; the server removes it when it stops.

A file is trusted only if it belongs to the current user; whether its server still runs is for
the caller to check (:mod:`geokg.graph.server_backend` asks the server itself). A file left
behind by a server that was killed is stale: ignored by the readers, replaced by the next server.

>>> import tempfile, pathlib
>>> store = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> written = write_server_file(store, "127.0.0.1", 8000, "s3cret")
>>> oct(server_file_path(store).stat().st_mode & 0o777), written.url
('0o600', 'http://127.0.0.1:8000')
>>> "s3cret" in repr(read_server_file(store))
False
>>> remove_server_file(store, "s3cret"); read_server_file(store) is None
True
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

SUFFIX = ".server.json"


@dataclass(frozen=True)
class ServerFile:
    """What a running server says about itself (the token never shows in ``repr``)."""

    url: str
    host: str
    port: int
    pid: int
    store: str
    token: str = field(repr=False)


def server_file_path(store: str | os.PathLike) -> Path:
    """Where the server of ``store`` announces itself: ``NAME.server.json`` beside the folder.

    >>> server_file_path("/data/geokg/store").as_posix()
    '/data/geokg/store.server.json'
    """
    folder = store_key(store)
    return folder.with_name(folder.name + SUFFIX)


def store_key(store: str | os.PathLike) -> Path:
    """The store's folder as one absolute path, however it was spelled (symbolic links followed)."""
    return Path(store).expanduser().resolve()


def client_url(host: str, port: int) -> str:
    """The URL a local client uses: the loopback address when the server listens on all of them.

    >>> client_url("0.0.0.0", 8000), client_url("::", 8000), client_url("localhost", 80)
    ('http://127.0.0.1:8000', 'http://[::1]:8000', 'http://localhost:80')
    """
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def write_server_file(store: str | os.PathLike, host: str, port: int, token: str) -> ServerFile:
    """Announce this process as the server of ``store`` (replacing any stale file)."""
    path = server_file_path(store)
    info = ServerFile(client_url(host, port), host, port, os.getpid(), str(store_key(store)), token)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # whatever the umask
        with os.fdopen(descriptor, "w", encoding="utf-8") as sink:
            json.dump(asdict(info), sink, indent=2)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, path)
    return info


def read_server_file(store: str | os.PathLike) -> ServerFile | None:
    """The server file of ``store``, or None: absent, unreadable, malformed, or not the user's."""
    path = server_file_path(store)
    try:
        if path.stat().st_uid != os.getuid():
            return None  # another user's file is never trusted
        data = json.loads(path.read_text(encoding="utf-8"))
        return ServerFile(
            str(data["url"]),
            str(data["host"]),
            int(data["port"]),
            int(data["pid"]),
            str(data["store"]),
            str(data["token"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (it may belong to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_server_file(store: str | os.PathLike, token: str | None = None) -> None:
    """Remove the user's server file of ``store`` (with ``token``: only if it is still that
    server's); a file that cannot be removed is left, to be ignored."""
    found = read_server_file(store)
    if found is None or (token is not None and found.token != token):
        return
    try:
        server_file_path(store).unlink(missing_ok=True)
    except OSError:
        pass


__all__ = [
    "ServerFile",
    "client_url",
    "process_alive",
    "read_server_file",
    "remove_server_file",
    "server_file_path",
    "store_key",
]
