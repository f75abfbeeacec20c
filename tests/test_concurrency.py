"""Queries keep being answered, each from one consistent state, while a build adds articles to the store."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kg import vocab
from kg.build import build
from kg.store import OxigraphStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 70
STATE = vocab.SPARQL_PREFIXES + (
    "SELECT ?articles ?graphs WHERE {"
    " { SELECT (COUNT(DISTINCT ?a) AS ?articles) WHERE { ?a a kg:Article } }"
    " { SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?fact a ?type }"
    f" FILTER(STRSTARTS(STR(?g), '{vocab.ARTICLE_GRAPH}')) }} }}"
    " }"
)


def state(base: str, store: OxigraphStore) -> tuple[int, int, int]:
    """(articles with records, read from the store: /sparql does not serve the records graph; articles in the
    canonical graph and article graphs, as one query sees them)."""
    records = len({q.subject for q in store.graph_quads(vocab.RECORDS_GRAPH)})
    response = httpx.get(base + "/sparql", params={"query": STATE}, timeout=30)
    response.raise_for_status()
    [row] = response.json()["results"]["bindings"]
    return records, int(row["articles"]["value"]), int(row["graphs"]["value"])


def poll(until: threading.Event, ask: Callable[[], object], answers: list, failures: list) -> None:
    """Call `ask` until `until` is set, keeping its answers and any exception."""
    while not until.is_set():
        try:
            answers.append(ask())
        except Exception as exc:  # every failure is a test failure, reported below
            failures.append(exc)


def test_queries_are_answered_consistently_during_a_build(
    tmp_path: Path, start_server: Callable[[FastAPI], str], make_app: Callable[..., FastAPI]
) -> None:
    feed = tmp_path / "feed.jsonl"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "articles", str(ARTICLES), str(feed)], check=True)
    store = OxigraphStore(tmp_path / "store", vocab.CANONICAL_GRAPH)
    base = start_server(make_app(store))
    done = threading.Event()
    states: list[tuple[int, int, int]] = []
    pages: list[int] = []
    failures: list[Exception] = []

    def entities() -> int:
        return httpx.get(base + "/entities", params={"limit": 5}, timeout=30).status_code

    askers = [
        threading.Thread(target=poll, args=(done, lambda: state(base, store), states, failures)),
        threading.Thread(target=poll, args=(done, entities, pages, failures)),
    ]
    for thread in askers:
        thread.start()
    start = time.monotonic()
    try:
        build([feed], store)
    finally:
        done.set()
        for thread in askers:
            thread.join(30)
    print(f"build {time.monotonic() - start:.1f} s; {len(states)} SPARQL and {len(pages)} JSON answers meanwhile")
    assert failures == []
    assert set(pages) == {200} and len(states) >= 10
    records = [r for r, _, _ in states]
    assert records == sorted(records), "articles saved never disappear"
    assert len(set(records)) > 2, "queries were answered between the batches of the build"
    final = state(base, store)
    assert final[:2] == (ARTICLES, ARTICLES) and final[2] > 0
    assert {(a, g) for _, a, g in states} <= {(0, 0), final[1:]}, "each query sees the graph before or after"
