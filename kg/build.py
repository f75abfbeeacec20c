"""The build: articles in, graph out, incrementally and idempotently.

1. Read articles (`kg.ingest`); each problem is reported, none stops the build.
2. Extract the articles the store has no current record of, in batches (in
   parallel processes when asked), saving each batch's records to the records
   graph at once, so a killed build resumes where it stopped.
3. Merge the new records into the graph in increments of `INCREMENT_SIZE` articles
   (`kg.increment`): each recomputes only the entities and facts its articles touch and
   rewrites them in one transaction, so memory grows with the increment, not the store, and a
   killed build leaves the graph of the increments it finished (its saved records are merged
   by the next build).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from kg import vocab
from kg.extract import extract_articles
from kg.gazetteer import Gazetteer
from kg.increment import COUNTED, Increment
from kg.index import Index
from kg.ingest import Problem, article_key, read_paths
from kg.merge import merge_facts
from kg.model import Article, ArticleFacts, Corpus, facts_from_json, facts_to_json
from kg.nlp import load_model
from kg.resolve import resolve_entities
from kg.store import Store

BATCH_SIZE = 32
INCREMENT_SIZE = 500
"""Articles merged into the graph per transaction."""
EXTRACTOR_FILES = ("repair", "entities", "events", "statements", "roles", "timex", "extract", "gazetteer", "nlp")
RECORD = ox.NamedNode(vocab.KG + "extractionRecord")
VERSION = ox.NamedNode(vocab.KG + "extractorVersion")
MERGED = ox.NamedNode(vocab.KG + "merged")
RDF_JSON = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON")


@dataclass
class BuildReport:
    """What a build did, for the CLI summary and for tests."""

    read: int = 0
    extracted: int = 0
    reused: int = 0
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    added: int = 0
    removed: int = 0
    triples: int = 0

    def add(self, added: int, removed: int) -> None:
        """Count the quads one increment added and removed."""
        self.added += added
        self.removed += removed

    @property
    def skipped(self) -> list[Problem]:
        """Problems that made an input be left out."""
        return [p for p in self.problems if p.skipped]

    def summary(self) -> str:
        """One line: articles read, extracted and reused; the graph's counts and quads (records and index apart)."""
        counts = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        return (
            f"read {self.read} articles ({self.extracted} extracted, {self.reused} unchanged); "
            f"graph: {counts}; {self.triples} triples (+{self.added} -{self.removed})"
        )


@cache
def extractor_version() -> str:
    """Fingerprint of the extractor's code and reference data; a change re-extracts stored articles."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    code = [root / f"{name}.py" for name in EXTRACTOR_FILES] + sorted((root / "extract").glob("*.py"))
    for path in code + sorted((root.parent / "data").rglob("*.csv")):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def extract_batch(articles: list[Article]) -> list[ArticleFacts]:
    """Extract a batch of articles; a top-level function so worker processes can run it."""
    return list(extract_articles(articles, load_model(), Gazetteer.load()))


def batches(items: Iterable[Article], size: int = BATCH_SIZE) -> Iterator[list[Article]]:
    """Consecutive lists of at most `size` items."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def process_map(workers: int) -> Callable[[Callable, Iterable], Iterator]:
    """A `map` that runs batches in `workers` processes (in this process when 1)."""
    if workers <= 1:
        return map

    def pooled(fn: Callable, items: Iterable) -> Iterator:
        with ProcessPoolExecutor(workers) as pool:
            yield from pool.map(fn, items)

    return pooled


def dask_map(address: str) -> Callable[[Callable, Iterable], Iterator]:
    """A `map` that runs batches on the Dask cluster at `address` (results in order)."""

    def mapped(fn: Callable, items: Iterable) -> Iterator:
        from distributed import Client

        with Client(address) as client:
            for future in client.map(fn, list(items), pure=False):
                yield future.result()

    return mapped


def record_quads(facts: ArticleFacts) -> list[ox.Quad]:
    """The records-graph quads that cache one article's extraction."""
    subject = ox.NamedNode(vocab.article_iri(facts.article.id))
    graph = ox.NamedNode(vocab.RECORDS_GRAPH)
    return [
        ox.Quad(subject, RECORD, ox.Literal(facts_to_json(facts).decode(), datatype=RDF_JSON), graph),
        ox.Quad(subject, VERSION, ox.Literal(extractor_version()), graph),
    ]


def actorless(facts: Iterable[ArticleFacts]) -> list[Problem]:
    """A note for each article in which extraction found no actor (the article is kept)."""
    return [
        Problem(f.article.source or f.article.name, "no actors found in the text (the article is kept)", False)
        for f in facts
        if not f.entities
    ]


def pending_records(store: Store) -> tuple[set[str], set[str]]:
    """Ids of stored articles whose extraction is stale (another extractor version), and of those
    whose record is not merged into the graph yet (a build was killed between the two)."""
    query = f"""SELECT ?a ?v ?m WHERE {{ GRAPH <{vocab.RECORDS_GRAPH}> {{
        ?a {VERSION} ?v OPTIONAL {{ ?a {MERGED} ?m }} FILTER(?v != "{extractor_version()}" || !BOUND(?m)) }} }}"""
    stale, unmerged = set(), set()
    prefix = vocab.article_iri("")
    for row in store.query(query, default_graph=[vocab.RECORDS_GRAPH]):
        article = row["a"].value.removeprefix(prefix)
        (stale if row["v"].value != extractor_version() else unmerged).add(article)
    return stale, unmerged


def stored_ids(store: Store, ids: Iterable[str]) -> set[str]:
    """Which of `ids` have a saved extraction."""
    subjects = [vocab.article_iri(i) for i in ids]
    prefix = vocab.article_iri("")
    return {q.subject.value.removeprefix(prefix) for q in store.quads_about(subjects, vocab.RECORDS_GRAPH)}


def read_records(store: Store, ids: Iterable[str]) -> list[ArticleFacts]:
    """The saved extractions of `ids`."""
    subjects = [vocab.article_iri(i) for i in sorted(ids)]
    return [
        facts_from_json(q.object.value)
        for q in store.quads_about(subjects, vocab.RECORDS_GRAPH)
        if q.predicate == RECORD
    ]


def merge_increment(store: Store, facts: list[ArticleFacts], removed: Iterable[str] = ()) -> tuple[int, int]:
    """Merge records into the graph and mark them merged, and take the articles `removed` (and their
    saved extractions) out of it, in one transaction; returns the graph quads (added, removed)."""
    removed = set(removed)
    changes = Increment(store, facts, removed).run()
    graph = ox.NamedNode(vocab.RECORDS_GRAPH)
    marks = [ox.Quad(ox.NamedNode(vocab.article_iri(f.article.id)), MERGED, ox.Literal(True), graph) for f in facts]
    subjects = [vocab.article_iri(i) for i in sorted(removed - {f.article.id for f in facts})]
    forgotten = list(store.quads_about(subjects, vocab.RECORDS_GRAPH))
    store.apply(changes.remove + forgotten, changes.add + marks)
    internal = vocab.INTERNAL_GRAPHS
    return (
        sum(q.graph_name.value not in internal for q in changes.add),
        sum(q.graph_name.value not in internal for q in changes.remove),
    )


def forget_unindexed_graph(store: Store) -> None:
    """Empty the graph of a store built before it had an index (it is merged again from its records)."""
    if Index(store).get("counts") is not None:
        return
    old = [q for g in store.graphs() if g not in vocab.INTERNAL_GRAPHS for q in store.graph_quads(g)]
    marks = [q for q in store.graph_quads(vocab.RECORDS_GRAPH) if q.predicate == MERGED]
    if old or marks:
        store.apply(old + marks, [])


def graph_counts(store: Store) -> dict[str, int]:
    """Articles, entities, events, statements, roles, near-copies and quads of the graph (kept by the index)."""
    counts = Index(store).get("counts", {})
    return {name: counts.get(name, 0) for name in (*COUNTED.values(), "duplicates", "quads")}


def superseded(store: Store, articles: list[Article], unmerged: list[ArticleFacts]) -> set[str]:
    """Ids of the stored articles that a version read now replaces (same file or feed `id`, other text):
    found through the index's ``key/KEY`` entries (`kg.ingest.article_key` -> the article stored under
    it), and among the `unmerged` records, which the index does not hold yet."""
    read = {a.id for a in articles}
    keyed = {key: a.id for a in articles if (key := article_key(a))}
    index = Index(store)
    index.load(f"key/{k}" for k in keyed)
    stored = [(key, index.get(f"key/{key}")) for key in keyed]
    stored += [(article_key(f.article), f.article.id) for f in unmerged]
    return {old for key, old in stored if old and key in keyed and old != keyed[key] and old not in read}


def corpus_of(records: Iterable[ArticleFacts]) -> Corpus:
    """Resolve entities and merge facts over all records at once (sorted by article id): the graph
    that the increments of `build` add up to, whatever their order."""
    ordered = sorted(records, key=lambda f: f.article.id)
    gazetteer = Gazetteer.load()
    entities, mapping = resolve_entities(ordered, gazetteer)
    return merge_facts(ordered, entities, mapping)


def build(
    paths: list[Path],
    store: Store,
    *,
    workers: int = 1,
    mapper: Callable[[Callable, Iterable], Iterator] | None = None,
    progress: Callable[[int], None] = lambda n: None,
    increment: int = INCREMENT_SIZE,
    later: Collection[Path] = (),
) -> BuildReport:
    """Build or update the graph in `store` from the articles under `paths`.

    Args:
        paths: Files or folders of `.txt` / `.jsonl` articles.
        store: Where the graph is kept.
        workers: Extraction processes (ignored when `mapper` is given).
        mapper: A `map`-like function to run extraction batches (e.g. on Dask).
        progress: Called with the number of articles each finished batch holds.
        increment: Articles merged into the graph per transaction.
        later: Files still being written, left for a later build.
    """
    articles, problems = read_paths(paths, later)
    report = BuildReport(read=len(articles), problems=problems)
    forget_unindexed_graph(store)
    stale, unmerged = pending_records(store)
    pending = read_records(store, unmerged)
    gone = superseded(store, articles, pending)
    pending = [f for f in pending if f.article.id not in gone]
    stored = stored_ids(store, (a.id for a in articles))
    stale_facts = read_records(store, stale - gone)
    todo = [a for a in articles if a.id not in stored] + [f.article for f in stale_facts]
    report.reused = sum(a.id in stored and a.id not in stale for a in articles)
    for batch_facts in (mapper or process_map(workers))(extract_batch, batches(todo)):
        ids = [f.article.id for f in batch_facts if f.article.id in stale]
        old = list(store.quads_about([vocab.article_iri(i) for i in ids], vocab.RECORDS_GRAPH))
        store.apply(old, [q for f in batch_facts for q in record_quads(f)])
        pending += batch_facts
        report.problems += actorless(batch_facts)
        report.extracted += len(batch_facts)
        progress(len(batch_facts))
        if len(pending) >= increment:
            report.add(*merge_increment(store, pending, gone))
            pending, gone = [], set()
    if pending or gone:
        report.add(*merge_increment(store, pending, gone))
    report.counts = graph_counts(store)
    report.triples = report.counts.pop("quads")
    return report
