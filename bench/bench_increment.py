"""Benchmark 6, growth: what adding a few articles costs as the store grows, and a fresh build's write
against `bulk_load` of the same quads.

    python -m bench.bench_increment [--add 20] [SIZES ...]      # default: --add 20 1000 3000

For each size S, on an on-disk store: the first S synthetic articles (`bench.synth`, seed 0, their
extractions cached under ``bench/.cache`` so that extraction is paid once) are saved and merged as
`kg build` does (increments of `kg.build.INCREMENT_SIZE`), timing the merge and the store writes
apart; the graph is then dumped and bulk-loaded into a fresh store (the reference). Then the same
`--add` new articles are added with `kg.build.build` (reading their file, extracting them, merging),
three times into copies of the store, so the cost of an increment at each size is measured side by
side in one run. Peak RSS of each size's process is reported too.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import shutil
import statistics
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from bench.common import machine, table, table_rows, timer
from bench.graphs import CACHE
from bench.synth import articles
from kg import vocab
from kg.build import INCREMENT_SIZE, batches, build, extract_batch, merge_increment, process_map, record_quads
from kg.ingest import read_paths
from kg.model import ArticleFacts, facts_from_json, facts_to_json
from kg.nlp import load_model
from kg.store import OxigraphStore

REPEAT = 3


def corpus(n: int) -> Path:
    """The JSONL feed of the first `n` synthetic articles (seed 0), written once."""
    path = CACHE / f"synth-{n}.jsonl"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        with path.open("w") as fh:
            for i, item in enumerate(articles(n)):
                fh.write(json.dumps({"id": f"synth-{i}", **item}) + "\n")
    return path


def records(n: int) -> list[ArticleFacts]:
    """Extractions of the first `n` synthetic articles, cached (extracted in 2 processes the first time)."""
    larger = sorted((p for p in CACHE.glob("records-*.jsonl") if int(p.stem.split("-")[1]) >= n), key=str)
    if larger:  # the corpus of n articles is the start of any larger one (same seed)
        lines = larger[0].read_bytes().splitlines()[:n]
        return [facts_from_json(line) for line in lines]
    path = CACHE / f"records-{n}.jsonl"
    if not path.exists():
        found, _ = read_paths([corpus(n)])
        with path.open("wb") as fh:
            for batch in process_map(2)(extract_batch, batches(found)):
                fh.writelines(facts_to_json(f) + b"\n" for f in batch)
    return [facts_from_json(line) for line in path.read_bytes().splitlines()]


class TimedStore(OxigraphStore):
    """An on-disk store that adds up the time its writes take."""

    written = 0.0

    def apply(self, remove: list[ox.Quad], add: list[ox.Quad]) -> None:
        """Write, timed."""
        with timer() as t:
            super().apply(remove, add)
        self.written += t()


def base_build(facts: list[ArticleFacts], location: Path) -> dict[str, float]:
    """Save and merge `facts` into a fresh store at `location` as `kg build` does; seconds spent."""
    store = TimedStore(location, vocab.CANONICAL_GRAPH)
    with timer() as total:
        for start in range(0, len(facts), INCREMENT_SIZE):
            chunk = facts[start : start + INCREMENT_SIZE]
            store.apply([], [q for f in chunk for q in record_quads(f)])
            merge_increment(store, chunk)
        store.flush()
    quads = sum(1 for g in store.graphs() if g not in vocab.INTERNAL_GRAPHS for _ in store.graph_quads(g))
    dump = location.parent / "graph.nq"
    graphs = [g for g in store.graphs() if g not in vocab.INTERNAL_GRAPHS]
    dump.write_bytes(ox.serialize((q for g in graphs for q in store.graph_quads(g)), format=ox.RdfFormat.N_QUADS))
    store_written = store.written
    del store
    reference = ox.Store(str(location.parent / "bulk"))
    with timer() as bulk:
        reference.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        reference.flush()
    return {"total": total(), "write": store_written, "quads": quads, "bulk": bulk()}


def add_articles(location: Path, feed: Path) -> float:
    """Seconds for `kg build` of the new articles in `feed` into a copy of the store at `location`."""
    copy = location.parent / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(location, copy)
    store = OxigraphStore(copy, vocab.CANONICAL_GRAPH)
    with timer() as t:
        build([feed], store)
        store.flush()
    return t()


def measure(size: int, new: list[dict]) -> dict[str, float]:
    """In a fresh process: the base build of `size` articles, then adding `new` ones `REPEAT` times."""
    load_model()
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        location = Path(tmp) / "store"
        result = base_build(records(size), location)
        feed = Path(tmp) / "new.jsonl"
        feed.write_text("".join(json.dumps(item) + "\n" for item in new))
        times = [add_articles(location, feed) for _ in range(REPEAT)]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {**result, "add": statistics.median(times), "add_all": times, "peak": peak}


def in_child(size: int, new: list[dict]) -> dict[str, float]:
    """`measure` in a new process, so its peak memory is its own."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(measure, size, new).result()


def main() -> None:
    """Print the growth table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", type=int, default=20, help="new articles added at each size")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 3000])
    args = parser.parse_args()
    largest = max(args.sizes)
    records(largest)
    new = [{**item, "id": f"new-{i}"} for i, item in enumerate(articles(args.add, seed=99))]
    header = [
        "articles in store",
        "graph quads",
        "fresh build: merge + write s",
        "of which writes s",
        "bulk_load of its quads s",
        "writes / bulk_load",
        "build / bulk_load",
        "peak RSS MiB",
        f"adding {args.add} articles s ({REPEAT} runs)",
        "median vs smallest store",
    ]
    print(f"machine: {machine()}; pyoxigraph {ox.__version__}")
    print(table([], header), flush=True)
    smallest = None
    for size in sorted(args.sizes):
        r = in_child(size, new)
        smallest = smallest or r["add"]
        row = [
            f"{size:,}",
            f"{r['quads']:,}",
            f"{r['total']:.1f}",
            f"{r['write']:.1f}",
            f"{r['bulk']:.1f}",
            f"{r['write'] / r['bulk']:.2f}x",
            f"{r['total'] / r['bulk']:.2f}x",
            f"{r['peak']:,.0f}",
            ", ".join(f"{t:.2f}" for t in r["add_all"]),
            f"{r['add'] / smallest:.2f}x",
        ]
        print(table_rows([row]), flush=True)


if __name__ == "__main__":
    main()
