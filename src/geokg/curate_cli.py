"""``geokg curate list|accept|reject|text``: decide on the candidate claims of ingested articles.

Registered on the ``geokg`` group by :mod:`geokg.cli`; every command takes ``--store`` (or
works through the ``geokg serve`` that owns the store) like the others.

    $ geokg curate list
    $ geokg curate list SOURCE
    $ geokg curate accept SOURCE/3 --measure troops-in-training --as-of 2024-10
    $ geokg curate reject SOURCE/4
"""

from __future__ import annotations

from pathlib import Path

import click

from geokg.cli import _opened, endpoint_options, store_option
from geokg.graph.ingest.candidates_graph import shorten


@click.group("curate")
def curate() -> None:
    """Accept, edit or reject the candidate claims that geokg ingest proposed."""


@curate.command("list")
@click.argument("source", required=False)
@store_option
@endpoint_options
def curate_list(source, store_path) -> None:
    """The ingested articles; with SOURCE (a slug), that article's candidates (one a line,
    tab-separated: id, status, kind, figure, measure, agent, as of, confidence, quote)."""
    from geokg.graph.ingest.curation import list_sources, source_view

    with _opened(store_path) as kg:
        if source is None:
            rows = list_sources(kg)
        else:
            view = source_view(kg, source)
    if source is None:
        click.echo("\t".join(("source", "date", *_STATUSES, "title")))
        for r in rows:
            click.echo(
                "\t".join((r["slug"], r["date"], *(str(r[s]) for s in _STATUSES), r["title"]))
            )
        return
    click.echo(
        "\t".join(("id", "status", "kind", "figure", "measure", "agent", "as of", "conf", "quote"))
    )
    for s in view.candidates:
        c = s.candidate
        agent = shorten(c.attributed_to) or (f"? {c.attributed_text}" if c.attributed_text else "")
        fields = (s.id, s.status, c.kind, c.figure, shorten(c.measure), agent, c.as_of or "")
        quote = " ".join(c.quote.split())
        click.echo("\t".join((*fields, f"{c.confidence:.2f}", quote)))


_STATUSES = ("proposed", "accepted", "rejected")


@curate.command("accept")
@click.argument("candidate_id", metavar="ID")
@click.option("--measure", help="A concept of scheme:measure (troops-deployed, killed…).")
@click.option("--value", type=float, help="The figure (replaces the candidate's figure).")
@click.option("--min", "min_value", type=float, help="Lower bound of a range.")
@click.option("--max", "max_value", type=float, help="Upper bound of a range.")
@click.option(
    "--qualifier",
    "qualifiers",
    multiple=True,
    help="A concept of scheme:qualifier (at-least, up-to, approximately…); repeat for several; "
    "--qualifier '' for none.",
)
@click.option("--agent", help="Who the claim is attributed to: an IRI (org:nis).")
@click.option(
    "--new-agent",
    "new_agent",
    metavar="NAME",
    help="Or a new actor, named as the text writes it (org:<slug>, labelled NAME).",
)
@click.option("--as-of", "as_of", help="YYYY-MM-DD, YYYY-MM or YYYY: the precision written.")
@click.option("--about", help="What the claim is about: an IRI (deployment:…).")
@click.option("--statement", help="English paraphrase (statement claims).")
@store_option
@endpoint_options
def curate_accept(candidate_id, qualifiers, store_path, **fields) -> None:
    """Accept candidate ID (SOURCE/NUMBER), with edits: a claim is validated, then written."""
    from geokg.graph.ingest.curation import Edits, accept

    edits = Edits(qualifiers=tuple(qualifiers) if qualifiers else None, **fields)
    with _opened(store_path) as kg:
        claim = accept(kg, candidate_id, edits)
    click.echo(claim)


@curate.command("reject")
@click.argument("candidate_id", metavar="ID")
@store_option
@endpoint_options
def curate_reject(candidate_id, store_path) -> None:
    """Reject candidate ID: remembered, so that ingesting the article again skips it."""
    from geokg.graph.ingest.curation import reject

    with _opened(store_path) as kg:
        reject(kg, candidate_id)
    click.echo(f"rejected {candidate_id}")


@curate.command("text")
@click.argument("source")
@click.option(
    "--sources",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write it into this folder under its gk:fileName (for geokg check-quotes --sources).",
)
@store_option
@endpoint_options
def curate_text(source, folder, store_path) -> None:
    """The text of ingested article SOURCE, as stored (to standard output, or --sources DIR)."""
    from geokg.graph.ingest.curation import source_view

    with _opened(store_path) as kg:
        view = source_view(kg, source)
    if folder is None:
        click.echo(view.text, nl=False)
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{view.slug}.txt"
    path.write_text(view.text, encoding="utf-8")
    click.echo(str(path))
