"""SPARQL fragments that several queries share, written once.

>>> print(claim_fields("?c").splitlines()[0])
OPTIONAL { ?c gk:measure ?measure }
"""

from __future__ import annotations


def claim_fields(claim: str = "?claim", as_of: str = "?asOf", agent: str = "?agency") -> str:
    """The OPTIONAL patterns that read a claim's figure and provenance.

    Binds ``?measure``, ``?value``, ``?min``, ``?max``, ``as_of``, ``agent``,
    ``?source`` and ``?quote`` (prefixes ``gk:``, ``schema:``, ``prov:``).
    A figure is either ``?value`` or a ``?min``/``?max`` range.

    >>> "schema:minValue ?min" in claim_fields()
    True
    """
    return "\n".join(
        f"OPTIONAL {{ {claim} {predicate} {variable} }}"
        for predicate, variable in (
            ("gk:measure", "?measure"),
            ("schema:value", "?value"),
            ("schema:minValue", "?min"),
            ("schema:maxValue", "?max"),
            ("gk:asOf", as_of),
            ("prov:wasAttributedTo", agent),
            ("prov:wasDerivedFrom", "?source"),
            ("gk:quote", "?quote"),
        )
    )
