"""Errors that geokg raises, each with a message a researcher can act on.

Every error derives from :class:`GeokgError`, so a caller (the CLI, the API)
can catch one class and print ``str(error)``: one line that says what went
wrong and where.
"""

from __future__ import annotations


class GeokgError(Exception):
    """Base class of geokg's errors."""


class StoreError(GeokgError):
    """The store cannot be opened or written (path, permissions, lock)."""


class StoreLockedError(StoreError):
    """Another process holds the on-disk store open for writing."""


class FormatError(GeokgError):
    """An unknown or unsupported serialisation format."""


class RdfSyntaxError(GeokgError):
    """Malformed RDF input, located by file, line and column.

    >>> str(RdfSyntaxError("kb.ttl", 3, 7, "unexpected ','"))
    "kb.ttl:3:7: unexpected ','"
    """

    def __init__(self, source: str, line: int | None, column: int | None, message: str):
        self.source, self.line, self.column, self.message = source, line, column, message
        where = source
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        super().__init__(f"{where}: {message}")


class QuerySyntaxError(GeokgError):
    """Malformed SPARQL, with the parser's message and position."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        super().__init__(message)


class QueryError(GeokgError):
    """A well-formed query that failed while it ran."""


class ValidationError(GeokgError):
    """Data that violates the SHACL shapes; nothing was loaded.

    ``report`` is the :class:`geokg.graph.validation.ValidationReport`.
    """

    def __init__(self, report):
        self.report = report
        super().__init__(report.summary())
