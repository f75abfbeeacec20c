"""Incremental builds: whatever the increments and their order, the graph is the graph of all articles at once."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ROOT, SAMPLE_ARTICLES

from kg import vocab
from kg.build import build, corpus_of, extract_batch, graph_counts, merge_increment, record_quads
from kg.extract.entities import slug
from kg.gazetteer import Gazetteer
from kg.increment import COUNTED, Increment
from kg.ingest import read_paths
from kg.model import Article, ArticleFacts, Evidence, LocalEntity, Mention
from kg.rdf import corpus_quads
from kg.store import OxigraphStore

pytestmark = pytest.mark.slow

DEV_ARTICLES = ROOT.parent / "shared" / "dev" / "articles"


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[ArticleFacts]:
    """Extractions of the samples, the dev articles (when present) and 60 synthetic ones with rewritten copies."""
    feed = tmp_path_factory.mktemp("feed") / "synth.jsonl"
    synth = [sys.executable, str(ROOT / "bench" / "synth.py"), "articles", "60", str(feed), "--copy-rate", "0.2"]
    subprocess.run([*synth, "--seed", "3"], check=True)
    paths = [SAMPLE_ARTICLES, feed] + ([DEV_ARTICLES] if DEV_ARTICLES.is_dir() else [])
    articles, _ = read_paths(paths)
    return extract_batch(articles)


def graph(store: OxigraphStore) -> set[ox.Quad]:
    """The canonical and article graphs."""
    return {q for g in store.graphs() if g not in vocab.INTERNAL_GRAPHS for q in store.graph_quads(g)}


def built(increments: list[list[ArticleFacts]]) -> OxigraphStore:
    """A fresh store with the increments saved and merged one after the other, as `kg build` does."""
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    for facts in increments:
        store.apply([], [q for f in facts for q in record_quads(f)])
        merge_increment(store, facts)
    return store


def chunks(items: list[ArticleFacts], size: int) -> list[list[ArticleFacts]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def test_increments_in_any_order_give_the_graph_of_all_articles_at_once(records: list[ArticleFacts]) -> None:
    at_once = set(corpus_quads(corpus_of(records)))
    assert len(at_once) > 10_000
    shuffled = random.Random(1).sample(records, len(records))
    stores = [built([records]), built(chunks(records, 7)), built(chunks(shuffled, 3))]
    for store in stores:
        assert graph(store) == at_once
    indexes = [set(s.graph_quads(vocab.INDEX_GRAPH)) for s in stores]
    assert indexes[0] == indexes[1] == indexes[2], "the index does not depend on the order either"
    counted = graph_counts(stores[2])
    assert counted.pop("quads") == len(at_once)
    for name, pattern in {
        **{n: f"?x a {t}" for (_, t), n in COUNTED.items()},
        "duplicates": "?x kg:duplicateOf ?y",
    }.items():
        query = vocab.SPARQL_PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
        assert counted[name] == int(next(iter(stores[2].query(query)))["n"].value), name


def test_the_corpus_has_what_increments_must_get_right(records: list[ArticleFacts]) -> None:
    corpus = corpus_of(records)
    assert len(corpus.duplicates) >= 5, "near-copies (their originals change as copies arrive)"
    assert corpus.inferred_dates, "undated articles whose date other articles' events give"
    assert any(len(f.articles) > 2 for f in corpus.events), "events several articles report"
    assert any(f.disputes for f in corpus.events), "disputed events"


def test_removing_articles_gives_the_graph_of_the_others(records: list[ArticleFacts]) -> None:
    store = built(chunks(records, 20))
    gone = {f.article.id for f in records[3:40:3]}
    changes = Increment(store, [], gone).run()
    store.apply(changes.remove, changes.add)
    assert graph(store) == set(corpus_quads(corpus_of([f for f in records if f.article.id not in gone])))


def test_a_changed_record_replaces_the_old_one(records: list[ArticleFacts]) -> None:
    first, *rest = records
    emptied = ArticleFacts(first.article)
    store = built([records, [emptied]])
    assert graph(store) == set(corpus_quads(corpus_of([emptied, *rest])))


def test_an_increment_reads_only_the_records_it_touches(records: list[ArticleFacts]) -> None:
    store = built(chunks(records[:-1], 30))
    increment = Increment(store, [records[-1]], ())
    increment.run()
    read = [a for a, f in increment._records.items() if f is not None]
    assert len(read) < len(records) / 2, f"{len(read)} of {len(records)} records read to add one article"


def naming(article: str, *names: str) -> ArticleFacts:
    """An article naming people, each vouched for by a title (so resolution keeps them)."""
    text = f"Report {article} names {', '.join(names)}."
    people = [
        LocalEntity(slug(n), n, "Person", [], None, [Mention(n, 0, len(n), "PERSON", Evidence(article, text, 0, 1))])
        for n in names
    ]
    for person in people:
        person.type_votes = {"Person": 3.0}
    return ArticleFacts(Article(article, "", text), people)


SLUG_SHARERS = [
    naming("s1", "Jones's Party"),
    naming("s2", "Jones-s Party", "Volodymr Zelensky"),
    naming("s3", "Jones's Party"),
]
"""Two names with one slug (one id gets a hash, decided by both groups) and a misspelling the gazetteer
knows (`kg.gazetteer.Gazetteer.variant`), each group arriving in an increment of its own."""


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_names_sharing_a_slug_get_the_ids_of_a_build_at_once(order: tuple[int, ...]) -> None:
    records = [SLUG_SHARERS[i] for i in order]
    corpus = corpus_of(records)
    assert len({e.id for e in corpus.entities if e.name.startswith("Jones")}) == 2
    assert Gazetteer.load().variant("Volodymr Zelensky", "Person").wikidata in {e.id for e in corpus.entities}
    store = built([[r] for r in records])
    assert graph(store) == set(corpus_quads(corpus))
    for n in range(1, len(records)):
        changes = Increment(store, [], {records[n - 1].article.id}).run()
        store.apply(changes.remove, changes.add)
        assert graph(store) == set(corpus_quads(corpus_of(records[n:]))), "a slug freed goes to the group left"


@pytest.mark.parametrize("indexed", [True, False], ids=["indexed", "built-before-the-index"])
def test_a_file_replaced_by_a_later_version_gives_the_graph_of_a_fresh_build(tmp_path: Path, indexed: bool) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Tuesday.")
    (folder / "b.txt").write_text("Prime Minister Narendra Modi visited Tokyo on Monday, where he met Fumio Kishida.")
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    build([folder], store)
    if not indexed:
        store.apply(list(store.graph_quads(vocab.INDEX_GRAPH)), [])
    (folder / "b.txt").write_text("President Emmanuel Macron met Prime Minister Giorgia Meloni in Rome on Thursday.")
    build([folder], store)
    fresh = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    build([folder], fresh)
    assert graph(store) == graph(fresh)
    for internal in vocab.INTERNAL_GRAPHS:
        assert set(store.graph_quads(internal)) == set(fresh.graph_quads(internal)), internal
