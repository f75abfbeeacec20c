"""Benchmark 3, SPARQL over HTTP: the app's /sparql against pyoxigraph in-process and against rdflib-endpoint.

    python -m bench.bench_sparql [--quads 100000 1000000] [--rdflib-max 100000] [--rounds 10]

Ten analyst queries (`bench.queries`) about the most active actor, POSTed by
8 concurrent clients (httpx on asyncio, in the benchmark's process), each
running every query `rounds` times in its own shuffled order, against:
pyoxigraph in the benchmark's process (8 threads, query + SPARQL JSON
serialisation), the app under uvicorn (asyncio + h11, then uvloop +
httptools) in another process on loopback, and rdflib-endpoint serving the
same canonical graph (only for graphs up to ``--rdflib-max`` quads; a query
it cannot answer alone within 30 s is left out of its run). Prints p50 and
p99 latencies per query and overall, requests per second, and the ratios the
targets are about.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TypeVar

import httpx
import pyoxigraph as ox

from bench.common import machine, percentile, table, timer
from bench.graphs import articles_for, graph_file, store_dir
from bench.queries import analyst_queries, most_active_actor
from bench.servers import start, stop
from kg import vocab
from kg.store import OxigraphStore

CLIENTS = 8
HEADERS = {"Accept": "application/sparql-results+json", "Content-Type": "application/sparql-query"}
"""Queries are POSTed directly (SPARQL 1.1 Protocol): httpx percent-encodes a long GET URL slowly, on our CPUs."""
Latencies = dict[str, list[float]]
APP_VARIANTS = {"app, asyncio + h11": ("asyncio", "h11"), "app, uvloop + httptools": ("uvloop", "httptools")}
IN_PROCESS = "pyoxigraph in-process"
BEST_APP = "app, uvloop + httptools"
RDFLIB_LIMIT = 30.0
"""Seconds rdflib-endpoint may take over a query asked alone; slower queries are left out of its run."""
T = TypeVar("T")


def canonical_nt(store: Path) -> Path:
    """The canonical graph of `store` as N-Triples (what rdflib-endpoint serves), written once."""
    path = store.with_name(store.name + "-canonical.nt")
    if not path.exists():
        path.write_bytes(OxigraphStore(store, vocab.CANONICAL_GRAPH).dump(ox.RdfFormat.N_TRIPLES))
    return path


def schedule(names: list[str], rounds: int, client: int) -> list[str]:
    """The order in which one client asks the queries: every query `rounds` times, shuffled."""
    order = names * rounds
    random.Random(client).shuffle(order)
    return order


async def _client(url: str, queries: dict[str, str], order: list[str], out: Latencies) -> None:
    async with httpx.AsyncClient(timeout=600, headers=HEADERS) as http:
        for name in order:
            start_time = time.perf_counter()
            response = await http.post(url, content=queries[name])
            response.raise_for_status()
            out[name].append(time.perf_counter() - start_time)


def over_http(url: str, queries: dict[str, str], rounds: int) -> tuple[Latencies, float]:
    """Latencies of `CLIENTS` concurrent HTTP clients asking `queries` at `url`, and the wall time."""
    out: Latencies = {name: [] for name in queries}
    asyncio.run(_client(url, queries, list(queries), {n: [] for n in queries}))  # warm-up, not counted

    async def everyone() -> None:
        orders = [schedule(list(queries), rounds, c) for c in range(CLIENTS)]
        await asyncio.gather(*(_client(url, queries, order, out) for order in orders))

    with timer() as t:
        asyncio.run(everyone())
    return out, t()


def in_process(store: Path, queries: dict[str, str], rounds: int) -> tuple[Latencies, float]:
    """Latencies of `CLIENTS` threads running `queries` on pyoxigraph directly (and serialising JSON)."""
    db = ox.Store(str(store))
    graph = [ox.NamedNode(vocab.CANONICAL_GRAPH)]
    out: Latencies = {name: [] for name in queries}

    def ask(name: str, into: Latencies) -> None:
        start_time = time.perf_counter()
        db.query(queries[name], default_graph=graph).serialize(format=ox.QueryResultsFormat.JSON)
        into[name].append(time.perf_counter() - start_time)

    for name in queries:
        ask(name, {n: [] for n in queries})
    with ThreadPoolExecutor(CLIENTS) as pool, timer() as t:
        orders = [schedule(list(queries), rounds, c) for c in range(CLIENTS)]
        list(pool.map(lambda order: [ask(name, out) for name in order], orders))
    return out, t()


def served(kind: str, path: Path, options: list[str], run: Callable[[str], T]) -> T:
    """`run(url)` while the ``bench.servers`` server `kind` over `path` is up at `url`."""
    proc, url = start(kind, path, *options)
    try:
        return run(url)
    finally:
        stop(proc)


def too_slow(queries: dict[str, str], limit: float, url: str) -> set[str]:
    """Names of the queries the endpoint at `url` does not answer within `limit` seconds, asked one at a time."""
    slow = set()
    with httpx.Client(timeout=limit, headers=HEADERS) as http:
        for name, query in queries.items():
            try:
                http.post(url + "/", content=query).raise_for_status()
            except httpx.TimeoutException:
                slow.add(name)
                break  # the server is still busy with it: the caller restarts it
    return slow


def rdflib_run(store: Path, queries: dict[str, str], rounds: int) -> tuple[Latencies, float]:
    """rdflib-endpoint's latencies, on the queries it answers within `RDFLIB_LIMIT` seconds (others left out)."""
    graph = canonical_nt(store)
    slow: set[str] = set()
    while found := served("rdflib", graph, [], partial(too_slow, _without(queries, slow), RDFLIB_LIMIT)):
        slow |= found
    return served("rdflib", graph, [], lambda url: over_http(url + "/", _without(queries, slow), rounds))


def _without(queries: dict[str, str], names: set[str]) -> dict[str, str]:
    return {n: q for n, q in queries.items() if n not in names}


def measure(size: int, rounds: int, rdflib_max: int) -> dict[str, tuple[Latencies, float]]:
    """Latencies and wall time of each system on the graph of about `size` quads."""
    store = store_dir(graph_file(articles_for(size)))
    db = OxigraphStore(store, vocab.CANONICAL_GRAPH)
    queries = analyst_queries(most_active_actor(db))
    del db  # one process at a time may open an on-disk store
    results = {IN_PROCESS: in_process(store, queries, rounds)}
    for name, (loop, http) in APP_VARIANTS.items():
        options = ["--loop", loop, "--http", http]
        results[name] = served("app", store, options, lambda url: over_http(url + "/sparql", queries, rounds))
    if size <= rdflib_max:
        results["rdflib-endpoint"] = rdflib_run(store, queries, max(1, rounds // 5))
    return results


def ms(values: list[float], p: float) -> float:
    """The `p`-th percentile of `values` in milliseconds."""
    return percentile(values, p) * 1000


def pooled(latencies: Latencies, names: Iterable[str]) -> list[float]:
    """All latencies of the queries `names`."""
    return [v for name in names for v in latencies[name]]


def per_query(results: dict[str, tuple[Latencies, float]]) -> str:
    """Table of each query's p50 on each system, and the apps' ratios to in-process."""
    base, _ = results[IN_PROCESS]
    header = ["query (p50 ms)", *results, *(f"{s} / in-process" for s in APP_VARIANTS)]
    rows = []
    for q in base:
        p50 = {s: ms(lat[q], 50) if q in lat else None for s, (lat, _) in results.items()}
        cells = [f"{v:.1f}" if v is not None else f"> {RDFLIB_LIMIT:.0f} s, left out" for v in p50.values()]
        rows.append([q, *cells, *(f"{p50[s] / p50[IN_PROCESS]:.2f}" for s in APP_VARIANTS)])
    return table(rows, header)


def overall(results: dict[str, tuple[Latencies, float]]) -> str:
    """Table of each system's p50, p99 and throughput over all its requests, and p50 ratios on the same queries."""
    base, _ = results[IN_PROCESS]
    app, _ = results[BEST_APP]
    rows = []
    for system, (lat, wall) in results.items():
        every = pooled(lat, lat)
        rows.append(
            [system, len(every), f"{ms(every, 50):.1f}", f"{ms(every, 99):.1f}", f"{len(every) / wall:.0f}"]
            + [f"{ms(every, 50) / ms(pooled(other, lat), 50):.2f}" for other in (base, app)]
        )
    head = ["system", "requests", "p50 ms", "p99 ms", "requests/s", "p50 / in-process", f"p50 / {BEST_APP}"]
    return table(rows, head)


def report(size: int, results: dict[str, tuple[Latencies, float]]) -> str:
    """The per-query and overall tables for one graph size."""
    title = f"### {size:,} quads, {CLIENTS} concurrent clients"
    return f"\n{title}\n\n{per_query(results)}\n\n{overall(results)}"


def main() -> None:
    """Command line: run the comparison for each size and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quads", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--rdflib-max", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    print(f"machine: {machine()}; pyoxigraph {ox.__version__}")
    for size in args.quads:
        print(report(size, measure(size, args.rounds, args.rdflib_max)))


if __name__ == "__main__":
    main()
