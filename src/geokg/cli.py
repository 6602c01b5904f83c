"""The ``geokg`` command line: load, validate, query, export, serve, info.

Every command takes ``--store PATH`` (or ``$GEOKG_STORE``); an empty store
first gets the bundled ontology and knowledge base. Errors are one line on
standard error: exit status 1, or 2 for a malformed query or a usage error.

    $ geokg query 'SELECT ?s WHERE { ?s a gk:State } LIMIT 3'
"""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from geokg.graph import (
    PREFIXES,
    GeokgError,
    QuerySyntaxError,
    ValidationError,
    default_store_path,
    open_store,
)
from geokg.graph.formats import RDF_FORMATS

err = Console(stderr=True, soft_wrap=True)

store_option = click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the on-disk store [env GEOKG_STORE; default: the per-user data folder].",
)


def _remember(ctx: click.Context, param: click.Parameter, value):
    if value is not None:
        ctx.meta[f"geokg.{param.name}"] = value
    return value


def endpoint_options(command):
    """``--endpoint``, ``--update-endpoint``, ``--graph-store``: work on a remote SPARQL store
    (see geokg.graph.sparql_backend); given on the group or on the command."""
    for name, env, text in reversed(
        (
            (
                "--endpoint",
                "GEOKG_ENDPOINT",
                "SPARQL endpoint of a remote store (instead of --store)",
            ),
            ("--update-endpoint", "GEOKG_UPDATE_ENDPOINT", "Its SPARQL Update endpoint"),
            ("--graph-store", "GEOKG_GRAPH_STORE", "Its Graph Store Protocol endpoint for loads"),
        )
    ):
        command = click.option(
            name,
            metavar="URL",
            envvar=env,
            expose_value=False,
            is_eager=True,
            callback=_remember,
            help=f"{text} [env {env}].",
        )(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@endpoint_options
@click.version_option(version("geokg"), prog_name="geokg")
@click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    envvar="GEOKG_STORE",
    help="As each command's --store.",
)
@click.pass_context
def cli(ctx: click.Context, store_path: Path | None) -> None:
    """geokg: a knowledge graph of geopolitical actors (states, treaties, deployments, claims)."""
    ctx.obj = store_path


@contextmanager
def _opened(store_path: Path | None, *, server: bool = True):
    """Open the store for a command, with a progress bar if the bundled data are loaded.

    While a ``geokg serve`` owns the store, the command works through it (``server=False``:
    fail instead, as ``geokg serve`` itself does)."""
    meta = click.get_current_context().meta
    if meta.get("geokg.endpoint"):
        from geokg.graph.sparql_backend import open_endpoint

        kg = open_endpoint(
            meta["geokg.endpoint"],
            meta.get("geokg.update_endpoint"),
            graph_store=meta.get("geokg.graph_store") or "auto",
        )
        try:
            if kg.is_empty():
                err.print(
                    f"[dim]no data at {kg.location}: `geokg load --endpoint URL` loads the "
                    "bundled knowledge base[/dim]"
                )
            yield kg
        finally:
            kg.close()
        return
    store_path = store_path or click.get_current_context().obj or default_store_path()
    kg = open_store(store_path, bundled=False, server=server)
    try:
        if kg.is_empty():
            err.print(
                f"[dim]empty store at {kg.location}: loading the bundled knowledge base[/dim]"
            )
            kg.load_bundled()
        yield kg
    finally:
        kg.close()


@contextmanager
def _progress(steps: bool = False):
    """A ``progress(phase, done, total)`` callback drawing bars on a terminal (of bytes, or
    with ``steps`` of steps)."""
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn() if steps else DownloadColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    tasks: dict[str, int] = {}

    def report(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = bars.add_task(phase, total=total)
        bars.update(tasks[phase], completed=done)

    with bars:
        yield report


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--graph", "graph", metavar="IRI", help="Named graph for the triples (default: one per file)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RDF_FORMATS)),
    help="Format (default: from the extension).",
)
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (trusted bulk loads).")
@click.option("--replace", is_flag=True, help="Empty the target graph(s) first.")
@store_option
@endpoint_options
def load(files, graph, fmt, no_validate, replace, store_path) -> None:
    """Load RDF FILES (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD), all or nothing.

    Every file is parsed and (unless --no-validate) checked against the SHACL shapes,
    with what it refers to in the store, before anything is written. With no FILES,
    (re)load the bundled ontology and knowledge base.
    """
    with _opened(store_path) as kg, _progress() as progress:
        if not files:
            kg.load_bundled(validate=not no_validate, progress=progress)
            click.echo(f"loaded the bundled ontology and knowledge base into {kg.location}")
            return
        report = kg.load(
            files, graph, format=fmt, validate=not no_validate, replace=replace, progress=progress
        )
        click.echo(f"loaded {report.triples} triples into {', '.join(report.graphs)}")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "out",
    type=click.Choice(["text", "ttl"]),
    default="text",
    help="Report as text or as the SHACL report graph in Turtle.",
)
@store_option
@endpoint_options
def validate(files, out, store_path) -> None:
    """Validate FILES (or, with none, the data in the store) against the SHACL shapes.

    Exit status 1 when there are violations.
    """
    with _opened(store_path) as kg:
        report = kg.check(files) if files else kg.validate()
    if out == "ttl":
        click.echo(report.graph.serialize(format="turtle"))
    else:
        click.echo(report.text(), nl=False)
    sys.exit(0 if report.conforms else 1)


@cli.command()
@click.argument("sparql", required=False)
@click.option(
    "--file",
    "query_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the query from a file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld"]),
    default="table",
    show_default=True,
)
@click.option(
    "--no-prefixes", is_flag=True, help="Do not add geokg's standard PREFIX declarations."
)
@store_option
@endpoint_options
def query(sparql, query_file, fmt, no_prefixes, store_path) -> None:
    """Run a SPARQL query (argument or --file) and print its results.

    geokg's prefixes (gk:, state:, prov:, skos:, schema: …) are declared for you.
    """
    if (sparql is None) == (query_file is None):
        raise click.UsageError("give a query as an argument, or --file Q.rq (not both)")
    text = query_file.read_text(encoding="utf-8") if query_file else sparql
    with _opened(store_path) as kg:
        if fmt == "table":
            _print_table(kg.query(text, prefixes=not no_prefixes))
            return
        _, data = kg.query_serialized(text, fmt, prefixes=not no_prefixes)
    sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")


def _print_table(result) -> None:
    """Print rows, triples or a boolean as a table."""
    console = Console()
    if isinstance(result, bool):
        console.print("true" if result else "false")
        return
    if hasattr(result, "vars"):
        columns, rows = result.vars, list(result)
    else:
        columns, rows = ["subject", "predicate", "object"], sorted(result)
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*(_short(term) for term in row), end_section=False)
    console.print(table)
    err.print(f"[dim]{len(rows)} row(s)[/dim]")


def _short(term) -> str:
    """A term as text, with IRIs shortened by geokg's prefixes (markup-escaped for rich)."""
    from rich.markup import escape

    if term is None:
        return ""
    text = str(term)
    if term.__class__.__name__ == "URIRef":
        for prefix, iri in PREFIXES.items():
            if text.startswith(iri) and "/" not in text[len(iri) :]:
                return escape(f"{prefix}:{text[len(iri) :]}")
        return escape(f"<{text}>")
    lang = getattr(term, "language", None)
    return escape(text + (f"@{lang}" if lang else ""))


@cli.group(invoke_without_command=True)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(RDF_FORMATS)), default="trig", show_default=True
)
@click.option(
    "--graph", "graph", metavar="IRI", help="Export one named graph (default: everything)."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to a file (default: standard output).",
)
@store_option
@endpoint_options
@click.pass_context
def export(ctx, fmt, graph, output, store_path) -> None:
    """Export the data: a quad format keeps the named graphs; a triple format with no --graph writes their union.

    Subcommands export research tables and networks instead: `geokg export dyad-years`,
    `state-years` (CSV, Parquet or Stata by the extension) and `gexf` (Gephi, --dynamic).
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = store_path or ctx.obj
        return
    with _opened(store_path) as kg:
        if graph is not None and graph not in kg.graphs():
            raise GeokgError(f"no named graph {graph} in the store (see `geokg info`)")
        if output is None:
            kg.dump(sys.stdout.buffer, fmt, graph)
        else:
            with open(output, "wb") as sink:
                kg.dump(sink, fmt, graph)
            err.print(f"wrote {output}")


def _panel_options(command):
    """``--start``, ``--end``, ``--provisions``, ``--rule``, ``-o`` for the panel exports."""
    options = [
        click.option("--start", type=int, default=1816, show_default=True, help="First year."),
        click.option("--end", type=int, default=2016, show_default=True, help="Last year."),
        click.option(
            "--provisions",
            default="defense,offense,neutral,nonagg,consul",
            show_default=True,
            help="ATOP obligation types, comma-separated.",
        ),
        click.option(
            "--rule",
            type=click.Choice(["any-day", "year-end"]),
            default="any-day",
            show_default=True,
            help="A state or tie counts for a year if it holds on any day of it, or on 31 December.",
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            required=True,
            help="FILE.csv, FILE.parquet (needs pyarrow) or FILE.dta (Stata).",
        ),
        store_option,
        endpoint_options,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _write_panel(build, output: Path, **kwargs) -> None:
    from geokg.graph.panels import check_panel_path, write_panel

    check_panel_path(output)
    with _opened(kwargs.pop("store_path")) as kg, _progress(steps=True) as progress:
        frame = build(kg, progress=progress, **kwargs)
        progress(f"writing {output.name}", 0, 1)
        write_panel(frame, output)
        progress(f"writing {output.name}", 1, 1)
    err.print(f"wrote {len(frame):,} rows to {output}")


@export.command("dyad-years")
@click.option("--directed", is_flag=True, help="Both orders of every pair (ccode1 owes ccode2).")
@_panel_options
def export_dyad_years(start, end, provisions, rule, output, store_path, directed) -> None:
    """Dyad-years of the COW state system with ATOP's obligation indicators and alliance ids."""
    from geokg.graph.panels import dyad_years

    _write_panel(
        dyad_years,
        output,
        start=start,
        end=end,
        directed=directed,
        provisions=provisions,
        rule=rule,
        store_path=store_path,
    )


@export.command("state-years")
@_panel_options
def export_state_years(start, end, provisions, rule, output, store_path) -> None:
    """State-years of the COW state system with ATOP's obligation indicators and alliance ids."""
    from geokg.graph.panels import state_years

    _write_panel(
        state_years,
        output,
        start=start,
        end=end,
        provisions=provisions,
        rule=rule,
        store_path=store_path,
    )


@export.command("gexf")
@click.option("--dynamic", is_flag=True, help="Every node and edge with its time intervals.")
@click.option(
    "--as-of", "as_of", metavar="DATE", help="The network on one date (not with --dynamic)."
)
@click.option("--provisions", default=None, help="Provision types (default: ATOP's five).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
@store_option
@endpoint_options
def export_gexf(dynamic, as_of, provisions, output, store_path) -> None:
    """The alliance network as GEXF for Gephi; --dynamic plays it on Gephi's timeline."""
    from geokg.graph import alliance_graph, alliance_timeline, write_gexf

    if dynamic and as_of:
        raise click.UsageError("--as-of and --dynamic exclude each other")
    with _opened(store_path) as kg, _progress(steps=True) as progress:
        progress("alliance network", 0, 1)
        if dynamic:
            g = alliance_timeline(kg, provisions=provisions)
        else:
            g = alliance_graph(kg, as_of=as_of, provisions=provisions)
        progress("alliance network", 1, 1)
    write_gexf(g, output, dynamic=dynamic)
    err.print(f"wrote {g.number_of_nodes()} nodes and {g.number_of_edges()} edges to {output}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="GEOKG_HOST")
@click.option("--port", default=8000, show_default=True, type=int, envvar="GEOKG_PORT")
@click.option(
    "--query-timeout",
    type=float,
    default=30.0,
    show_default=True,
    envvar="GEOKG_QUERY_TIMEOUT",
    metavar="SECONDS",
    help="Stop a query past this many seconds [env GEOKG_QUERY_TIMEOUT].",
)
@click.option(
    "--max-rows",
    type=int,
    default=100_000,
    show_default=True,
    envvar="GEOKG_MAX_ROWS",
    metavar="N",
    help="Cut answers at N rows or triples, with an X-Geokg-Truncated header; 0: no cap "
    "[env GEOKG_MAX_ROWS].",
)
@click.option(
    "--update-token",
    envvar="GEOKG_UPDATE_TOKEN",
    default=None,
    show_default=False,
    metavar="TOKEN",
    help="Switch SPARQL Update on for requests with this bearer token [env GEOKG_UPDATE_TOKEN].",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    envvar="GEOKG_CORS_ORIGIN",
    metavar="ORIGIN",
    help="Allow this origin by CORS (repeatable; default: CORS off) [env GEOKG_CORS_ORIGIN, "
    "space-separated].",
)
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    envvar="GEOKG_ALLOW_SERVICE",
    metavar="IRI-PREFIX",
    help="Let SERVICE, LOAD and FROM reach IRIs starting with this http(s) prefix (repeatable; "
    "default: none) [env GEOKG_ALLOW_SERVICE, space-separated].",
)
@click.option(
    "--max-body-bytes",
    type=int,
    default=1_000_000,
    show_default=True,
    envvar="GEOKG_MAX_BODY_BYTES",
    help="Refuse larger request bodies with 413 [env GEOKG_MAX_BODY_BYTES].",
)
@click.option(
    "--max-response-bytes",
    type=int,
    default=64_000_000,
    show_default=True,
    envvar="GEOKG_MAX_RESPONSE_BYTES",
    help="End a query whose answer is larger with 503 (not for local geokg processes) "
    "[env GEOKG_MAX_RESPONSE_BYTES]. A query worker's memory: GEOKG_WORKER_MEMORY_MB "
    "(default 1536).",
)
@click.option(
    "--workers",
    type=int,
    default=None,
    envvar="GEOKG_WORKERS",
    help="Query worker processes [env GEOKG_WORKERS; default: CPUs, at least 2].",
)
@click.option(
    "--questions-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GEOKG_QUESTIONS_DIR",
    help="Example queries (NN-name.rq) for the query page [env GEOKG_QUESTIONS_DIR; default: "
    "the bundled competency questions].",
)
@click.option(
    "--reads",
    type=click.Choice(["disk", "memory", "auto"]),
    default="auto",
    show_default=True,
    envvar="GEOKG_READS",
    help="How query workers read the store: disk (a read-only open), memory (each worker copies "
    "it into memory after every write: faster queries, its size in RAM per worker), auto "
    "(memory for a store of up to 50 MB on disk) [env GEOKG_READS].",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    envvar="GEOKG_ACCESS_LOG",
    help="Log each request (query strings cut off) [env GEOKG_ACCESS_LOG; default: off].",
)
@store_option
@endpoint_options
def serve(
    host,
    port,
    query_timeout,
    max_rows,
    update_token,
    cors_origins,
    allow_service,
    max_body_bytes,
    max_response_bytes,
    workers,
    questions_dir,
    reads,
    access_log,
    store_path,
) -> None:
    """Serve the SPARQL endpoint and the HTML views (loads the bundled data into an empty store).

    Queries run in worker processes with a time limit; the endpoint never fetches
    anything on a query's behalf unless --allow-service says so; updates are off
    unless --update-token is given.
    """
    from geokg.api.config import Settings
    from geokg.api.serve import serve as run_server

    def split(values) -> list[str]:
        return [item for value in values for item in value.replace(",", " ").split()]

    settings = Settings(
        query_timeout=query_timeout,
        max_rows=max_rows if max_rows and max_rows > 0 else None,
        update_token=update_token or None,
        cors_origins=split(cors_origins),
        allow_service=split(allow_service),
        max_body_bytes=max_body_bytes,
        max_response_bytes=max_response_bytes,
        questions_dir=str(questions_dir) if questions_dir else None,
        reads=reads,
        access_log=access_log,
    )
    os.environ["GEOKG_READS"] = settings.reads  # the query workers read it from there
    if workers:
        settings.workers = max(1, workers)
    with _opened(store_path, server=False) as kg:
        err.print(
            f"geokg: store {kg.location}; serving on http://{host}:{port}/sparql "
            f"(query timeout {settings.query_timeout:g} s, {settings.workers} workers, "
            f"updates {'on' if settings.update_token else 'off'})"
        )
        run_server(kg, settings, host, port)


@cli.command()
@store_option
@endpoint_options
def info(store_path) -> None:
    """Where the store is, triples per named graph, and versions."""
    import pyoxigraph
    import rdflib

    with _opened(store_path) as kg:
        counts = kg.counts()
        click.echo(f"store: {kg.location}")
        table = Table("named graph", "triples")
        for graph, n in counts.items():
            table.add_row(graph or "(default graph)", f"{n:,}")
        table.add_row("total", f"{sum(counts.values()):,}", style="bold")
        Console().print(table)
    click.echo(
        f"geokg {version('geokg')}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}"
    )


# -- importers of real data sets (issue 6) ------------------------------------------------------

_no_validate_option = click.option(
    "--no-validate",
    is_flag=True,
    help="Skip SHACL validation (trusted data only: validating all of ATOP takes seconds).",
)


def _import_summary(what: str, result: dict) -> None:
    counts = ", ".join(
        f"{result[k]} {k}"
        for k in ("treaties", "participations", "deployments", "claims")
        if k in result
    )
    err.print(
        f"{what}: {counts}; {result['triples']} triples into {result['graph']} "
        f"(replaced) in {result['seconds']:.1f} s"
    )
    if result.get("places"):
        err.print(
            f"{len(result['places'])} theatres are not states: modelled as places "
            "(geokg reconcile --report lists each with its host state)"
        )
    if result.get("unrecognised"):
        err.print(
            f"WARNING: {len(result['unrecognised'])} theatres are in no table of places and "
            f"have no host state: {'; '.join(result['unrecognised'])}"
        )


@cli.group("import")
def import_group() -> None:
    """Import a real data set (ATOP, MDI, US troops) into its own named graph, replacing it."""


@import_group.command("atop")
@click.option(
    "--alliances", type=click.Path(path_type=Path), required=True, help="atop-alliance-level.csv"
)
@click.option(
    "--members", type=click.Path(path_type=Path), required=True, help="atop-member-level.csv"
)
@_no_validate_option
@store_option
def import_atop_command(alliances, members, no_validate, store_path) -> None:
    """ATOP alliances: one treaty per atopid, member phases, obligations (graph/import/atop)."""
    from geokg.graph.importers import import_atop

    with _opened(store_path) as kg, _progress() as progress:
        result = import_atop(kg, alliances, members, validate=not no_validate, progress=progress)
    _import_summary("ATOP", result)


@import_group.command("mdi")
@click.argument("file", type=click.Path(path_type=Path))
@_no_validate_option
@store_option
def import_mdi_command(file, no_validate, store_path) -> None:
    """Military Deployment Index: deployments and personnel claims (graph/import/mdi)."""
    from geokg.graph.importers import import_mdi

    with _opened(store_path) as kg, _progress() as progress:
        result = import_mdi(kg, file, validate=not no_validate, progress=progress)
    _import_summary("MDI", result)


@import_group.command("us-troops")
@click.argument("file", type=click.Path(path_type=Path))
@_no_validate_option
@store_option
def import_us_troops_command(file, no_validate, store_path) -> None:
    """US troops abroad by country and year: deployments and claims (graph/import/us-troops)."""
    from geokg.graph.importers import import_us_troops

    with _opened(store_path) as kg, _progress() as progress:
        result = import_us_troops(kg, file, validate=not no_validate, progress=progress)
    _import_summary("US troops", result)


@cli.command()
@click.option("--report", is_flag=True, help="List what could not be matched and why.")
@store_option
def reconcile(report, store_path) -> None:
    """How the imported data sets resolve to geokg's states and treaties (ISO, COW, Wikidata)."""
    from geokg.graph.importers.reconcile import reconciliation_report, report_text

    with _opened(store_path) as kg:
        found = reconciliation_report(kg)
    if report:
        click.echo(report_text(found))
    else:
        click.echo(
            f"{len(found['unmatched_codes'])} unmatched codes, "
            f"{len(found['import_notes'])} notes on rows left out, "
            f"{len(found['states_without_wikidata'])} states without Wikidata, "
            f"{len(found['linked_treaties'])} curated treaties linked (--report for the list)"
        )


@cli.command("check-quotes")
@click.option(
    "--sources",
    "sources",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder holding the source documents' texts (named as their gk:fileName).",
)
@click.option(
    "--not-claims",
    "not_claims",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="List of numbers that are not claims [default: the bundled kb/not-claims.txt].",
)
@store_option
@endpoint_options
def check_quotes_command(sources, not_claims, store_path) -> None:
    """Report every gk:quote not verbatim in its source's text, and every number a source text
    writes that no claim quotes and the not-claims list does not exclude; exit 1 if any."""
    from geokg.graph.numbers import bundled_not_claims, check_numbers
    from geokg.graph.quotes import check_quotes, count_quotes

    with _opened(store_path) as kg:
        problems = check_quotes(kg, sources)
        checked = count_quotes(kg)
        numbers = check_numbers(kg, sources, not_claims)
    for problem in [*problems, *numbers]:
        click.echo(str(problem))
    listed = not_claims or bundled_not_claims()
    if problems:
        err.print(f"{len(problems)} of {checked} quotes not verbatim in their sources")
    else:
        err.print(f"all {checked} quotes found verbatim in their sources")
    if numbers:
        err.print(
            f"{len(numbers)} numbers in the source texts neither quoted by a claim nor listed in {listed}"
        )
    else:
        err.print(f"every number in the source texts is quoted by a claim or listed in {listed}")
    if problems or numbers:
        sys.exit(1)


@cli.command("ingest")
@click.argument("article", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--title", required=True, help="The article's title.")
@click.option(
    "--date",
    "published",
    required=True,
    help="The article's date: YYYY-MM-DD (or YYYY-MM, YYYY when that is all that is known).",
)
@click.option("--publisher", default=None, help="The outlet that published the article.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, one a candidate.")
@click.option(
    "--dry-run", is_flag=True, help="Print the candidates only; write nothing to the store."
)
@store_option
@endpoint_options
def ingest(article, title, published, publisher, lang, as_json, dry_run, store_path) -> None:
    """Propose candidate claims from ARTICLE (a UTF-8 text file, French or English): figures
    with their measure, hedge, credited agent and as-of date, and attributed statements,
    linked to what the knowledge graph holds. The new ones are kept in the article's
    candidates graph (graph/candidates/<article>), never in the curated data: review them
    with `geokg curate list|accept|reject` or on the /curation page. Candidates already
    accepted or rejected, and figures a claim of the store already quotes, are not proposed
    again."""
    import re

    try:
        from geokg.graph.ingest.extract import propose
    except ImportError as missing:  # spaCy is in the ingest extra
        raise click.ClickException(
            f"geokg ingest needs spaCy and its French pipeline: pip install 'geokg[ingest]' "
            f"({missing})"
        ) from missing
    from geokg.graph.ingest.curation import Article, store_candidates

    if not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", published):
        raise click.BadParameter("YYYY-MM-DD, YYYY-MM or YYYY", param_hint="--date")
    text = article.read_text(encoding="utf-8")
    with _opened(store_path) as kg:
        candidates = propose(kg, text, lang=lang, published=published)
        if dry_run:
            print_candidates(candidates, as_json=as_json, publisher=publisher)
            err.print(f"{len(candidates)} candidates from «{title}» (dry run: nothing written)")
            return
        stored = store_candidates(kg, Article(text, title, published, publisher, lang), candidates)
    print_candidates(
        [s.candidate for s in stored.new],
        as_json=as_json,
        publisher=publisher,
        ids=[s.id for s in stored.new],
    )
    err.print(
        f"{len(stored.new)} new candidates from «{title}» in <{stored.graph}>"
        f" ({stored.already_decided} already decided, {stored.already_curated} already curated);"
        " review them with `geokg curate list`"
    )


def print_candidates(
    candidates, *, as_json: bool = False, publisher: str | None = None, ids=None
) -> None:
    """Print candidates as a table, or as JSON lines (every field of the Candidate, its
    figure included, and its ``id`` for `geokg curate` when stored); a candidate that
    credits no one is in the text's own voice (the ``publisher``'s, when given)."""
    import dataclasses
    import json

    ids = list(ids) if ids is not None else None
    if as_json:
        for n, c in enumerate(candidates):
            row = {**({"id": ids[n]} if ids else {}), **dataclasses.asdict(c), "figure": c.figure}
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    from rdflib import URIRef
    from rich.markup import escape

    def curie(iri: str | None) -> str:
        return _short(URIRef(iri)) if iri else ""

    table = Table(show_lines=False)
    if ids:
        table.add_column("id", no_wrap=True)
    for name in ("kind", "figure", "measure", "credited to", "as of", "about", "quote"):
        table.add_column(name, overflow="fold")
    for n, c in enumerate(candidates):
        own = f"(own voice: {publisher})" if publisher else "(own voice)"
        credit = curie(c.attributed_to) or escape(c.attributed_text or own)
        hedge = ", ".join(q.rsplit("/", 1)[-1] for q in c.qualifiers)
        figure = c.figure + (f" {c.unit}" if c.unit else "") + (f" ({hedge})" if hedge else "")
        quote = c.quote if len(c.quote) <= 160 else c.quote[:159] + "…"
        cells = [c.kind, figure, curie(c.measure), credit, c.as_of or "", curie(c.about)]
        table.add_row(*([escape(ids[n])] if ids else []), *cells, escape(quote))
    Console(soft_wrap=False, width=200).print(table)


# -- geokg curate (issue 17): its commands live in geokg.curate_cli ---------------------------


def _add_curate() -> None:
    from geokg.curate_cli import curate

    cli.add_command(curate)


_add_curate()


def main() -> None:
    """Entry point: run the CLI, turning geokg's errors into one line on stderr."""
    # rdflib logs a traceback for every ill-formed literal (e.g. "2024-13-01"^^xsd:date);
    # the SHACL report already names each one, with its node and property.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        err.print("aborted")
        sys.exit(1)
    except QuerySyntaxError as error:
        print(f"geokg: {error}", file=sys.stderr)
        sys.exit(2)
    except ValidationError as error:
        print(f"geokg: nothing loaded: {error.report.text()}", file=sys.stderr, end="")
        sys.exit(1)
    except GeokgError as error:
        print(f"geokg: {error}", file=sys.stderr)
        sys.exit(1)
    except OSError as error:
        print(
            f"geokg: {error.filename + ': ' if error.filename else ''}{error.strerror or error}",
            file=sys.stderr,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
