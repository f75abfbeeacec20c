"""The build: articles in, graph out, incrementally and idempotently.

1. Read articles (`kg.ingest`); each problem is reported, none stops the build.
2. Extract the articles the store has no current record of, in batches (in
   parallel processes when asked), saving each batch's records to the records
   graph at once, so a killed build resumes where it stopped.
3. Resolve entities and merge facts over all records, map them to RDF, and
   apply the difference to the stored graphs in one transaction.
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
from kg.ingest import Problem, article_key, read_paths
from kg.merge import merge_facts
from kg.model import Article, ArticleFacts, Corpus, facts_from_json, facts_to_json
from kg.nlp import load_model
from kg.rdf import corpus_quads
from kg.resolve import resolve_entities
from kg.store import Store

BATCH_SIZE = 32
EXTRACTOR_FILES = ("repair", "entities", "events", "statements", "roles", "timex", "extract", "gazetteer", "nlp")
RECORD = ox.NamedNode(vocab.KG + "extractionRecord")
VERSION = ox.NamedNode(vocab.KG + "extractorVersion")
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

    @property
    def skipped(self) -> list[Problem]:
        """Problems that made an input be left out."""
        return [p for p in self.problems if p.skipped]

    def summary(self) -> str:
        """One line: articles read, extracted and reused; the graph's counts and triples."""
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


def load_records(store: Store) -> tuple[dict[str, ArticleFacts], dict[str, list[ox.Quad]]]:
    """Every cached extraction by article id, and the quads of those made by another extractor version."""
    by_subject: dict[str, list[ox.Quad]] = {}
    for quad in store.graph_quads(vocab.RECORDS_GRAPH):
        by_subject.setdefault(quad.subject.value, []).append(quad)
    records: dict[str, ArticleFacts] = {}
    stale: dict[str, list[ox.Quad]] = {}
    for quads in by_subject.values():
        values = {q.predicate: q.object.value for q in quads}
        facts = facts_from_json(values[RECORD])
        records[facts.article.id] = facts
        if values.get(VERSION) != extractor_version():
            stale[facts.article.id] = quads
    return records, stale


def drop_superseded(
    store: Store, articles: list[Article], records: dict[str, ArticleFacts], stale: dict[str, list[ox.Quad]]
) -> None:
    """Forget the stored extraction of each article that a version read now replaces (same file or feed `id`,
    other text), so its facts leave the graph; `records` and `stale` lose it too."""
    current = {key: a.id for a in articles if (key := article_key(a))}
    read = {a.id for a in articles}
    gone = [i for i, f in records.items() if i not in read and current.get(article_key(f.article) or "", i) != i]
    if gone:
        subjects = {ox.NamedNode(vocab.article_iri(i)) for i in gone}
        store.apply([q for q in store.graph_quads(vocab.RECORDS_GRAPH) if q.subject in subjects], [])
    for i in gone:
        del records[i]
        stale.pop(i, None)


def corpus_of(records: Iterable[ArticleFacts]) -> Corpus:
    """Resolve entities and merge facts over all records (sorted by article id for determinism)."""
    ordered = sorted(records, key=lambda f: f.article.id)
    gazetteer = Gazetteer.load()
    entities, mapping = resolve_entities(ordered, gazetteer)
    return merge_facts(ordered, entities, mapping)


def sync_graphs(store: Store, quads: Iterable[ox.Quad]) -> tuple[int, int]:
    """Make the canonical and article graphs hold exactly `quads`; returns (added, removed)."""
    desired = dict.fromkeys(quads)  # kept in the order made: the store loads clustered quads faster
    current = dict.fromkeys(q for g in store.graphs() if g != vocab.RECORDS_GRAPH for q in store.graph_quads(g))
    add = [q for q in desired if q not in current]
    remove = [q for q in current if q not in desired]
    if add or remove:
        store.apply(remove, add)
    return len(add), len(remove)


def build(
    paths: list[Path],
    store: Store,
    *,
    workers: int = 1,
    mapper: Callable[[Callable, Iterable], Iterator] | None = None,
    progress: Callable[[int], None] = lambda n: None,
    later: Collection[Path] = (),
) -> BuildReport:
    """Build or update the graph in `store` from the articles under `paths`.

    Args:
        paths: Files or folders of `.txt` / `.jsonl` articles.
        store: Where the graph is kept.
        workers: Extraction processes (ignored when `mapper` is given).
        mapper: A `map`-like function to run extraction batches (e.g. on Dask).
        progress: Called with the number of articles each finished batch holds.
        later: Files still being written, left for a later build.
    """
    articles, problems = read_paths(paths, later)
    report = BuildReport(read=len(articles), problems=problems)
    records, stale = load_records(store)
    drop_superseded(store, articles, records, stale)
    todo = [a for a in articles if a.id not in records] + [records[i].article for i in stale]
    report.reused = sum(a.id in records and a.id not in stale for a in articles)
    for batch_facts in (mapper or process_map(workers))(extract_batch, batches(todo)):
        old = [q for f in batch_facts for q in stale.get(f.article.id, [])]
        store.apply(old, [q for f in batch_facts for q in record_quads(f)])
        records.update((f.article.id, f) for f in batch_facts)
        report.problems += actorless(batch_facts)
        report.extracted += len(batch_facts)
        progress(len(batch_facts))
    corpus = corpus_of(records.values())
    report.added, report.removed = sync_graphs(store, corpus_quads(corpus))
    report.counts = {
        "articles": len(corpus.articles),
        "entities": len(corpus.entities),
        "events": len(corpus.events),
        "statements": len(corpus.statements),
        "roles": len(corpus.roles),
        "duplicates": len(corpus.duplicates),
    }
    report.triples = store.count()
    return report
