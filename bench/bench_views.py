"""Benchmark 4, views and pages: time to build each relationship view, its metrics and its page, and page size.

    python -m bench.bench_views [ARTICLES ...]      # default: 500 2439 12195 (~1k, ~5k, ~20k actors)

For each synthetic corpus (`bench.graphs`, loaded into an on-disk store):
`kg.views.build_view` (SPARQL + networkx), `kg.views.with_metrics`
(degree, betweenness, PageRank, Louvain), the page's drawing data
(`kg.draw.network_data`), and the whole page as the app serves it
(``GET /graph/{view}``: all of the above plus the HTML template), with its
size. Views with more than `MAX_EDGES` edges are measured up to the view
only: a page cannot draw hundreds of thousands of edges.
"""

from __future__ import annotations

import sys
import warnings

from api.app import create_app
from bench.common import machine, table, table_rows, timer
from bench.graphs import graph_file, store_dir
from kg import vocab
from kg.config import Settings
from kg.draw import network_data
from kg.store import OxigraphStore
from kg.views import VIEWS, build_view, with_metrics

with warnings.catch_warnings():  # Starlette prefers httpx2 for its test client; httpx is what is installed
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

MAX_EDGES = 200_000


def measure_view(store: OxigraphStore, client: TestClient, name: str) -> list[str]:
    """One table row: the view's size, and the seconds of each step and the page's bytes."""
    with timer() as t:
        g = build_view(store, name)
    cells = [name, f"{len(g):,}", f"{g.number_of_edges():,}", f"{t():.2f}"]
    if g.number_of_edges() > MAX_EDGES:
        return [*cells, "skipped", "", "", ""]
    with timer() as t:
        with_metrics(g)
    cells.append(f"{t():.2f}")
    with timer() as t:
        network_data(g)
    cells.append(f"{t():.2f}")
    with timer() as t:
        page = client.get(f"/graph/{name}")
    page.raise_for_status()
    return [*cells, f"{t():.2f}", f"{len(page.content):,}"]


def measure(n_articles: int) -> list[list[str]]:
    """Rows for every view of the corpus of `n_articles` articles."""
    store = OxigraphStore(store_dir(graph_file(n_articles)), vocab.CANONICAL_GRAPH)
    with TestClient(create_app(store, Settings())) as client:
        return [[f"{n_articles:,}", f"{store.count():,}", *measure_view(store, client, name)] for name in VIEWS]


def main(sizes: list[int]) -> None:
    """Print the table, a corpus at a time."""
    print(f"machine: {machine()}")
    header = ["articles", "quads", "view", "nodes", "edges", "build_view s", "with_metrics s"]
    print(table([], [*header, "network_data s", "GET /graph/{view} s", "page bytes"]), flush=True)
    for n in sizes:
        print(table_rows(measure(n)), flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 2439, 12195])
