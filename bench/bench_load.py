"""Benchmark 2, loading: quads per second into an on-disk store, the project's write path against `bulk_load`.

    python -m bench.bench_load [QUADS ...]      # default: 100000 1000000

For each size, on the synthetic graph of `bench.graphs`, each run in a fresh
process (so its peak RSS is its own) and into a fresh on-disk store: mapping
the corpus to quads (`kg.rdf`), `Store.apply` of all of them (one
transaction), and pyoxigraph's non-transactional `bulk_load` of the N-Quads
file as the reference. (The build now writes in increments:
`bench.bench_increment` compares a fresh build's writes with `bulk_load`.) Memory: RSS before the timed part (the
parsed quads included) and the peak, per million quads.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil
import pyoxigraph as ox

from bench.common import machine, table, table_rows, timer
from bench.graphs import CACHE, articles_for, graph_file, quads_of, synthetic_corpus
from kg import vocab
from kg.rdf import corpus_quads
from kg.store import OxigraphStore

TARGET = 200_000
Work = Callable[[], object]


def _fresh_store(tmp: str) -> OxigraphStore:
    return OxigraphStore(Path(tmp) / "store", vocab.CANONICAL_GRAPH)


def _setup(kind: str, n_articles: int, tmp: str) -> Work:
    """Prepare run `kind` (untimed) and return the work to time."""
    path = graph_file(n_articles)
    if kind == "mapping":
        corpus = synthetic_corpus(n_articles)
        return lambda: sum(1 for _ in corpus_quads(corpus))
    if kind == "bulk_load":
        store = ox.Store(str(Path(tmp) / "store"))
        return lambda: (store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS), store.flush())
    quads, store = quads_of(path), _fresh_store(tmp)
    return lambda: (store.apply([], quads), store.flush())


def run(kind: str, n_articles: int) -> tuple[float, int, int]:
    """In a fresh process: seconds of run `kind`, RSS before it and peak RSS (KiB)."""
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        work = _setup(kind, n_articles, tmp)
        before = psutil.Process().memory_info().rss // 1024
        with timer() as t:
            work()
        return t(), before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def in_child(kind: str, n_articles: int) -> tuple[float, int, int]:
    """`run(kind, n_articles)` in a new process, so its peak memory is its own."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(run, kind, n_articles).result()


RUNS = {
    "mapping": "kg.rdf: corpus -> quads (mapping only, no store)",
    "apply": "Store.apply (one transaction)",
    "bulk_load": "reference: pyoxigraph bulk_load of the .nq file",
}
FULL_MAX = 2_000_000
LARGE_RUNS = ("mapping", "bulk_load")
"""Runs made on graphs larger than `FULL_MAX` quads (the others take as long again and tell nothing new)."""


def measure(size: int) -> list[list[str]]:
    """Table rows for the graph of about `size` quads: each run's time, rate and memory."""
    n_articles = articles_for(size)
    n = sum(1 for _ in graph_file(n_articles).open("rb"))
    kinds = [k for k in RUNS if size <= FULL_MAX or k in LARGE_RUNS]
    results = {kind: in_child(kind, n_articles) for kind in kinds}
    bulk = results["bulk_load"][0]
    rows = []
    for kind, (seconds, before, peak) in results.items():
        rate = n / seconds
        verdict = f"{seconds / bulk:.2f}x bulk_load time; {'meets' if rate >= TARGET else 'misses'} 200k/s"
        memory = [f"{before / 1024:,.0f}", f"{peak / 1024:,.0f}", f"{(peak - before) / 1024 / (n / 1e6):,.0f}"]
        rows.append([f"{n:,}", RUNS[kind], f"{seconds:.2f}", f"{rate:,.0f}", verdict, *memory])
    return rows


def main(sizes: list[int]) -> None:
    """Print the loading table, a size at a time."""
    print(f"machine: {machine()}; pyoxigraph {ox.__version__}")
    memory = ["RSS before MiB", "peak RSS MiB", "peak - before, MiB per M quads"]
    print(table([], ["quads", "run", "seconds", "quads/s", "ratio", *memory]), flush=True)
    for size in sizes:
        print(table_rows(measure(size)), flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
