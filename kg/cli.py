"""The `kg` command: build, query, export, evaluate and serve the graph.

Each command is a few lines over plain functions that tests call too. Errors
from `kg.errors` are reported once, in `main`, as a message and exit code 2.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from tqdm import tqdm

from kg import vocab
from kg.build import build as build_graph
from kg.build import dask_map
from kg.config import SETTINGS_HELP, Settings, env_name
from kg.errors import BadQuery, KGError, NotFound
from kg.evaluate import report_false
from kg.facts import export_facts
from kg.store import Store, open_store

app = typer.Typer(help="A knowledge graph of the actors and events that news articles report.", no_args_is_help=True)

EXIT_SKIPPED = 3
FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def store_at(location: str) -> Store:
    """Open the store a command was pointed at."""
    return open_store(location, vocab.CANONICAL_GRAPH)


def reader_at(location: str) -> Store:
    """Open the store a reading command was pointed at, read-only: it works while `kg serve` holds the store."""
    return open_store(location, vocab.CANONICAL_GRAPH, read_only=True)


def _setting(name: str) -> typer.models.OptionInfo:
    """The option of a setting, with its environment variable and help from `kg.config`."""
    return typer.Option(f"--{name.replace('_', '-')}", envvar=env_name(name), help=SETTINGS_HELP[name])


StoreOption = Annotated[str, _setting("store")]


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (.txt, .jsonl).")],
    store: StoreOption = Settings.store,
    workers: Annotated[int, _setting("workers")] = Settings.workers,
    dask: Annotated[str | None, typer.Option(help="Address of a Dask scheduler to extract on.")] = None,
) -> None:
    """Extract articles into the graph (new articles add; known ones change nothing)."""
    mapper = dask_map(dask) if dask else None
    with tqdm(unit="article", desc="extracting", file=sys.stderr) as bar:
        report = build_graph(paths, store_at(store), workers=workers, mapper=mapper, progress=bar.update)
    for problem in report.problems:
        typer.echo(f"{'skipped' if problem.skipped else 'note'}: {problem.source}: {problem.message}", err=True)
    typer.echo(report.summary())
    if report.skipped:
        typer.echo(f"{len(report.skipped)} input(s) skipped", err=True)
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="SPARQL query text, @FILE to read it from a file, or - for stdin.")],
    store: StoreOption = Settings.store,
    fmt: Annotated[
        str, typer.Option("--format", help="table, json, xml, csv or tsv (CONSTRUCT and DESCRIBE: ttl or nt).")
    ] = "table",
) -> None:
    """Run a SPARQL query against the canonical graph (works while `kg serve` holds the store)."""
    text = read_query(sparql)
    try:
        result = reader_at(store).query(text)
    except BadQuery as exc:
        raise BadQuery(syntax_message(str(exc), text)) from None
    typer.echo(format_result(result, fmt), nl=False)


def read_query(argument: str) -> str:
    """The query a command was given: the text itself, ``@FILE``'s content, or stdin for ``-``.

    Raises:
        NotFound: ``@FILE`` names no readable file.
    """
    if argument == "-":
        return sys.stdin.read()
    if not argument.startswith("@"):
        return argument
    try:
        return Path(argument[1:]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NotFound(
            f"cannot read the query file {argument[1:]!r}: {getattr(exc, 'strerror', None) or exc}"
        ) from None


SYNTAX_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
CHARACTER_CLASS = re.compile(r"\[(?:'[^']*'|[^\]'\"])*\]")
"""A character class in the parser's list of what it expected: ``['0'..='9']``, ``['A' ..= 'Z' | ...]``, ``[_]``."""
MOST_EXPECTED = 6


def syntax_message(message: str, sparql: str) -> str:
    """The parser's `message` made short: where it stopped (line, column, the line with a caret) and what it
    expected, without the character classes it lists and at most `MOST_EXPECTED` choices."""
    found = SYNTAX_ERROR.fullmatch(message.strip())
    if not found:
        return message
    line, column, expected = int(found[1]), int(found[2]), found[3]
    if expected.startswith("expected one of "):
        choices = [c for c in CHARACTER_CLASS.sub("", expected[16:]).split(", ") if c.strip()]
        if "Prefix not found" in choices:
            expected = "a prefix that is not declared (add PREFIX name: <IRI>)"
        else:
            shown = ", ".join(choices[:MOST_EXPECTED]) + (
                f" … ({len(choices)} choices)" if len(choices) > MOST_EXPECTED else ""
            )
            expected = f"expected one of {shown}" if choices else "unexpected text"
    lines = sparql.splitlines() or [""]
    text = lines[min(line, len(lines)) - 1]
    return f"malformed SPARQL at line {line}, column {column}: {expected}\n  {text}\n  {' ' * (column - 1)}^"


SOLUTION_FORMATS = ("table", "json", "xml", "csv", "tsv")
GRAPH_FORMATS = {"table": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


def format_result(result: object, fmt: str) -> str:
    """Query results as text: an aligned table, or the standard SPARQL results formats (JSON, XML, CSV, TSV);
    CONSTRUCT and DESCRIBE results as Turtle (with the project's prefixes) or N-Triples.

    Raises:
        BadQuery: `fmt` is not one of the result's formats.
    """
    if isinstance(result, ox.QueryTriples):
        _check_format(fmt, tuple(GRAPH_FORMATS), "CONSTRUCT and DESCRIBE results")
        return ox.serialize(result, format=GRAPH_FORMATS[fmt], prefixes=vocab.PREFIXES).decode()
    _check_format(fmt, SOLUTION_FORMATS, "SELECT and ASK results")
    if fmt != "table":
        return result.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper())).decode() + "\n"
    if isinstance(result, ox.QueryBoolean):
        return f"{str(bool(result)).lower()}\n"
    names = [v.value for v in result.variables]
    rows = [[_cell(solution[n]) for n in names] for solution in result]
    widths = [max(len(x) for x in column) for column in zip(names, *rows, strict=False)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) for row in [names, *rows]]
    return "\n".join([lines[0], "-+-".join("-" * w for w in widths), *lines[1:]]) + "\n"


def _check_format(fmt: str, allowed: tuple[str, ...], what: str) -> None:
    if fmt not in allowed:
        raise BadQuery(f"--format {fmt!r} cannot print {what}; use one of {', '.join(allowed)}")


def _cell(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    return "" if term is None else term.value


@app.command()
def facts(store: StoreOption = Settings.store) -> None:
    """Print the graph's facts as JSON (the shape the shared scorer reads), made by SPARQL over the store."""
    typer.echo(json.dumps(export_facts(reader_at(store)), indent=1, ensure_ascii=False))


@app.command()
def export(
    store: StoreOption = Settings.store,
    fmt: Annotated[
        str, typer.Option("--format", help="ttl, nt, jsonld (canonical graph) or nq, trig (all graphs).")
    ] = "ttl",
    output: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
) -> None:
    """Export the graph as RDF (Turtle and TriG with the project's prefixes: kg:, rdfs:, owl:, schema:...)."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    data = with_prefixes(reader_at(store).dump(FORMATS[fmt]), FORMATS[fmt])
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


def with_prefixes(data: bytes, fmt: ox.RdfFormat) -> bytes:
    """`data` in `fmt` written again with the project's prefixes (`kg.vocab.PREFIXES`), when `fmt` has prefixes."""
    if fmt not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return data
    return ox.serialize(ox.parse(data, format=fmt), format=fmt, prefixes=vocab.PREFIXES)


@app.command(name="eval")
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files, one per article.")] = Path(
        "data/gold/seeds"
    ),
    articles: Annotated[list[Path], typer.Option(help="Articles to build (repeat for several).")] = [  # noqa: B006
        Path("data/articles")
    ],
    scorer: Annotated[Path | None, typer.Option(help="score.py (default: GOLD_DIR/../../eval/score.py).")] = None,
) -> None:
    """Build the articles into a fresh store and score its facts against gold: P/R/F1 per kind, then per
    article the gold facts missed and the false facts (what the graph says that the gold does not)."""
    scorer = scorer or gold_dir.resolve().parents[1] / "eval" / "score.py"
    with tempfile.TemporaryDirectory() as tmp:
        store = store_at(str(Path(tmp) / "store"))
        build_graph(articles, store)
        facts = export_facts(store)
        facts_path = Path(tmp) / "facts.json"
        facts_path.write_text(json.dumps(facts))
        done = subprocess.run([sys.executable, str(scorer), str(facts_path), str(gold_dir), "-v"], check=False)  # noqa: S603
    for line in report_false(facts, gold_dir, scorer):
        typer.echo(line)
    raise typer.Exit(done.returncode)


@app.command()
def serve(
    store: StoreOption = Settings.store,
    host: Annotated[str, _setting("host")] = Settings.host,
    port: Annotated[int, _setting("port")] = Settings.port,
    query_timeout: Annotated[float, _setting("query_timeout")] = Settings.query_timeout,
    result_cap: Annotated[int, _setting("result_cap")] = Settings.result_cap,
    max_query_bytes: Annotated[int, _setting("max_query_bytes")] = Settings.max_query_bytes,
    max_query_depth: Annotated[int, _setting("max_query_depth")] = Settings.max_query_depth,
    query_workers: Annotated[int, _setting("query_workers")] = Settings.query_workers,
    query_queue: Annotated[int, _setting("query_queue")] = Settings.query_queue,
    query_memory: Annotated[int, _setting("query_memory")] = Settings.query_memory,
    update_token: Annotated[str, _setting("update_token")] = Settings.update_token,
    cors_origins: Annotated[str, _setting("cors_origins")] = Settings.cors_origins,
    watch: Annotated[str, _setting("watch")] = Settings.watch,
) -> None:
    """Serve the SPARQL endpoint, JSON API and graph pages (and keep watched folders built into the graph)."""
    from api.app import serve as serve_app

    settings = Settings(
        store=store,
        host=host,
        port=port,
        query_timeout=query_timeout,
        result_cap=result_cap,
        max_query_bytes=max_query_bytes,
        max_query_depth=max_query_depth,
        query_workers=query_workers,
        query_queue=query_queue,
        query_memory=query_memory,
        update_token=update_token,
        cors_origins=cors_origins,
        watch=watch,
    )
    typer.echo(f"serving {settings.store} at http://{settings.host}:{settings.port}/ (SPARQL: /sparql)")
    serve_app(settings)


def main() -> None:
    """Entry point of the `kg` console script."""
    try:
        app()
    except KGError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
