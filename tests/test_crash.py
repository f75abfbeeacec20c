"""Crash safety: a `kg build` killed halfway leaves the last complete graph, and the next build completes it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import vocab
from kg.build import build
from kg.store import OxigraphStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 110
EARLIER = 10
KILL_AFTER = 64
"""Records the killed build must have saved (two batches) before it is killed."""
KG = "import sys; from kg.cli import main; sys.argv[0] = 'kg'; main()"
RECORDS = f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH <{vocab.RECORDS_GRAPH}> {{ ?a ?p ?o }} }}"


def synthetic_feeds(folder: Path) -> tuple[Path, Path]:
    """A feed of the first `EARLIER` synthetic articles and one of all `ARTICLES`, made with bench/synth.py."""
    full, earlier = folder / "full.jsonl", folder / "earlier.jsonl"
    synth = [sys.executable, str(ROOT / "bench" / "synth.py"), "articles", str(ARTICLES), str(full), "--seed", "7"]
    subprocess.run(synth, check=True)
    earlier.write_text("".join(full.read_text().splitlines(keepends=True)[:EARLIER]))
    return earlier, full


def records_in(location: Path) -> int:
    """Articles with a saved extraction in the store at `location`, read while another process writes it."""
    try:
        result = ox.Store.read_only(str(location)).query(RECORDS)
    except (OSError, RuntimeError):  # files replaced by the writer while opening ("Corruption"): try again later
        return 0
    return int(next(iter(result))["n"].value)


def kill_midway(feed: Path, location: Path, log: Path) -> int:
    """Start `kg build` and SIGKILL it once `KILL_AFTER` more articles are saved; the records saved by then."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", KG, "build", str(feed), "--store", str(location)], stdout=out, stderr=out
        )
    deadline = time.monotonic() + 120
    while (saved := records_in(location)) < EARLIER + KILL_AFTER and time.monotonic() < deadline:
        assert proc.poll() is None, f"the build ended before it could be killed: {log.read_text()[-2000:]}"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert saved < EARLIER + ARTICLES, "killed too late to be halfway"
    return saved


def quads(store: OxigraphStore, records: bool = False) -> set[ox.Quad]:
    """Quads of the canonical and article graphs, and of the records graph if `records`."""
    return {q for g in store.graphs() if records or g != vocab.RECORDS_GRAPH for q in store.graph_quads(g)}


def article_graph_ids(store: OxigraphStore) -> set[str]:
    """Ids of the articles that have an article graph."""
    return {g.removeprefix(vocab.ARTICLE_GRAPH) for g in store.graphs() if g.startswith(vocab.ARTICLE_GRAPH)}


def record_ids(store: OxigraphStore) -> set[str]:
    """Ids of the articles that have a saved extraction."""
    prefix = vocab.article_iri("")
    return {q.subject.value.removeprefix(prefix) for q in store.graph_quads(vocab.RECORDS_GRAPH)}


def test_killed_build_leaves_the_last_graph_and_the_next_build_completes_it(tmp_path: Path) -> None:
    earlier, full = synthetic_feeds(tmp_path)
    location = tmp_path / "store"
    store = OxigraphStore(location, vocab.CANONICAL_GRAPH)
    build([earlier], store)
    last_graph = quads(store)
    del store

    saved = kill_midway(full, location, tmp_path / "build.log")

    store = OxigraphStore(location, vocab.CANONICAL_GRAPH)
    assert quads(store) == last_graph, "the killed build changed the last complete graph"
    canonical = sum(q.graph_name.value == vocab.CANONICAL_GRAPH for q in last_graph)
    assert next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value == str(canonical)
    graphs, records = article_graph_ids(store), record_ids(store)
    assert len(graphs) == EARLIER and graphs <= records, "every article graph has its record"
    assert len(records) == saved >= EARLIER + KILL_AFTER, "the batches saved before the kill are kept"

    report = build([full], store)
    assert (report.reused, report.extracted) == (saved, ARTICLES - saved)
    uninterrupted = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    for feed in (earlier, full):
        build([feed], uninterrupted)
    assert report.counts["articles"] == ARTICLES
    assert quads(store, records=True) == quads(uninterrupted, records=True)
