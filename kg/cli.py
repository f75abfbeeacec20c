"""The `kg` command: build, query, export, evaluate and serve the graph.

Each command is a few lines over plain functions that tests call too. Errors
from `kg.errors` are reported once, in `main`, as a message and exit code 2.
"""

from __future__ import annotations

import json
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
from kg.errors import KGError
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
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv (CONSTRUCT: ttl or nt).")] = "table",
) -> None:
    """Run a SPARQL query against the canonical graph."""
    text = sys.stdin.read() if sparql == "-" else Path(sparql[1:]).read_text() if sparql.startswith("@") else sparql
    result = store_at(store).query(text)
    typer.echo(format_result(result, fmt), nl=False)


def format_result(result: object, fmt: str) -> str:
    """Query results as text: an aligned table, or the standard JSON/CSV results formats."""
    if isinstance(result, ox.QueryBoolean):
        return f"{bool(result)}\n"
    if isinstance(result, ox.QueryTriples):
        return result.serialize(format=ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE).decode()
    if fmt in ("json", "csv"):
        return result.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper())).decode()
    names = [v.value for v in result.variables]
    rows = [[_cell(solution[n]) for n in names] for solution in result]
    widths = [max(len(x) for x in column) for column in zip(names, *rows, strict=False)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) for row in [names, *rows]]
    return "\n".join([lines[0], "-+-".join("-" * w for w in widths), *lines[1:]]) + "\n"


def _cell(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    return "" if term is None else term.value


@app.command()
def facts(store: StoreOption = Settings.store) -> None:
    """Print the graph's facts as JSON (the shape the shared scorer reads), made by SPARQL over the store."""
    typer.echo(json.dumps(export_facts(store_at(store)), indent=1, ensure_ascii=False))


@app.command()
def export(
    store: StoreOption = Settings.store,
    fmt: Annotated[
        str, typer.Option("--format", help="ttl, nt, jsonld (canonical graph) or nq, trig (all graphs).")
    ] = "ttl",
    output: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
) -> None:
    """Export the graph as RDF."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    data = store_at(store).dump(FORMATS[fmt])
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@app.command(name="eval")
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files, one per article.")] = Path(
        "data/gold/seeds"
    ),
    articles: Annotated[list[Path], typer.Option(help="Articles to build.")] = [Path("data/articles")],  # noqa: B006
    scorer: Annotated[Path | None, typer.Option(help="score.py (default: GOLD_DIR/../../eval/score.py).")] = None,
) -> None:
    """Build the articles into a fresh store, export facts and score them against gold."""
    scorer = scorer or gold_dir.resolve().parents[1] / "eval" / "score.py"
    with tempfile.TemporaryDirectory() as tmp:
        store = store_at(str(Path(tmp) / "store"))
        build_graph(articles, store)
        facts_path = Path(tmp) / "facts.json"
        facts_path.write_text(json.dumps(export_facts(store)))
        done = subprocess.run([sys.executable, str(scorer), str(facts_path), str(gold_dir), "-v"], check=False)  # noqa: S603
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
