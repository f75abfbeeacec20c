"""Benchmark 5, memory when serving: the app's RSS over stores of growing size, idle and at peak under queries.

    python -m bench.bench_memory [QUADS ...]      # default: 100000 1000000 5000000

The app (uvloop + httptools) serves the on-disk store of the synthetic graph
(`bench.graphs`) in its own process; its RSS is read from ``/proc`` once it
is up and its peak (``VmHWM``) after 8 clients have asked the ten analyst
queries twice each. Memory when loading is measured by `bench.bench_load`
(each of its runs is a process of its own).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.bench_sparql import over_http
from bench.common import machine, table
from bench.graphs import articles_for, graph_file, store_dir
from bench.queries import analyst_queries, most_active_actor
from bench.servers import start, stop
from kg import vocab
from kg.store import OxigraphStore


def kib(pid: int, field: str) -> int:
    """A memory field (``VmRSS``, ``VmHWM``) of process `pid`, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def measure(size: int) -> list[str]:
    """One row: quads, store size on disk, idle RSS, peak RSS and peak per million quads (MiB)."""
    store = store_dir(graph_file(articles_for(size)))
    db = OxigraphStore(store, vocab.CANONICAL_GRAPH)
    quads, queries = db.count(), analyst_queries(most_active_actor(db))
    del db  # one process at a time may open an on-disk store
    proc, url = start("app", store, "--loop", "uvloop", "--http", "httptools")
    try:
        idle = kib(proc.pid, "VmRSS")
        over_http(url + "/sparql", queries, 2)
        peak = kib(proc.pid, "VmHWM")
    finally:
        stop(proc)
    disk = sum(f.stat().st_size for f in store.iterdir()) / 2**20
    return [
        f"{quads:,}",
        f"{disk:,.0f}",
        f"{idle / 1024:,.0f}",
        f"{peak / 1024:,.0f}",
        f"{peak / 1024 / (quads / 1e6):,.0f}",
    ]


def main(sizes: list[int]) -> None:
    """Print the serving-memory table."""
    print(f"machine: {machine()}")
    header = ["quads", "store on disk MiB", "app RSS idle MiB", "app peak RSS MiB", "peak MiB per M quads"]
    print(table([measure(size) for size in sizes], header))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000, 5_000_000])
