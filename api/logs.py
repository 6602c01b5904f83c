"""The access log without query strings: a token sent as ``?access_token=`` is never written.

uvicorn logs each request as ``(client, method, path with query string, HTTP version,
status)``; :class:`NoQueryStrings` cuts the query string off the path (``?…`` shows there
was one), so that neither a token nor a query's text lands in the log.

>>> import logging
>>> record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
...     ("127.0.0.1:5", "GET", "/sparql?access_token=s3cret&query=ASK{}", "1.1", 200), None)
>>> NoQueryStrings().filter(record), record.getMessage()
(True, '127.0.0.1:5 - "GET /sparql?… HTTP/1.1" 200')
"""

from __future__ import annotations

import logging


class NoQueryStrings(logging.Filter):
    """Remove the query string from the path in uvicorn's access-log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, mark, _ = args[2].partition("?")
            record.args = (*args[:2], path + ("?…" if mark else ""), *args[3:])
        return True


def keep_query_strings_out_of_logs() -> None:
    """Install :class:`NoQueryStrings` on uvicorn's access logger (after uvicorn set it up)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, NoQueryStrings) for f in logger.filters):
        logger.addFilter(NoQueryStrings())
