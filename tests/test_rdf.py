"""The corpus as RDF: IRIs, graphs, per-article versions, determinism, and terms declared in the ontology."""

from __future__ import annotations

import re
from pathlib import Path

import corpus_fixture as cf
import pyoxigraph as ox
import rdflib

from kg import rdf, vocab
from kg.model import Disagreement

ROOT = Path(__file__).resolve().parents[1]
K = vocab.KG


def triples_in(quads: list[ox.Quad], graph: str) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value) for q in quads if q.graph_name.value == graph}


def declared_terms() -> set[str]:
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "kg.ttl")
    return {str(s) for s in ontology.subjects() if str(s).startswith(K)}


def test_no_blank_nodes_and_only_canonical_or_article_graphs() -> None:
    quads = cf.quads()
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {vocab.CANONICAL_GRAPH} | {vocab.article_graph(a.id) for a in cf.ARTICLES.values()}


def test_output_is_deterministic() -> None:
    assert cf.quads() == cf.quads()


def test_store_keeps_every_quad_as_made_so_a_rebuild_changes_nothing() -> None:
    store = cf.store()
    stored = {q for graph in store.graphs() for q in store.graph_quads(graph)}
    assert stored == set(cf.quads())


def test_event_in_canonical_graph() -> None:
    canon = triples_in(cf.quads(), vocab.CANONICAL_GRAPH)
    visit = vocab.fact_iri("event", "event-visit")
    assert (visit, vocab.RDF + "type", K + "Visit") in canon
    assert (visit, K + "visitor", vocab.entity_iri("Q15031")) in canon
    assert (visit, K + "participant", vocab.entity_iri("Q15031")) in canon
    assert (visit, K + "place", vocab.entity_iri("Q649")) in canon
    assert (visit, K + "startDate", "2023-03-20") in canon
    assert (visit, K + "disputed", "true") in canon
    sources = {o for s, p, o in canon if s == visit and p == K + "source"}
    assert sources == {vocab.article_iri(a.id) for a in cf.ARTICLES.values()}


def test_dates_are_typed_by_precision() -> None:
    quads = cf.quads()
    types = {
        q.object.value: q.object.datatype.value
        for q in quads
        if q.predicate.value == K + "startDate" and q.graph_name.value == vocab.CANONICAL_GRAPH
    }
    assert types == {"2023-03-20": vocab.XSD + "date", "2023-03": vocab.XSD + "gYearMonth"}


def test_dispute_nodes_name_each_value_and_its_articles() -> None:
    canon = triples_in(cf.quads(), vocab.CANONICAL_GRAPH)
    dispute = vocab.fact_iri("event", "event-visit") + "/dispute/date"
    assert (dispute, K + "attribute", "date") in canon
    second = dispute + "/2"
    assert (second, K + "value", "2023-03-21") in canon
    reported = {o for s, p, o in canon if s == second and p == K + "reportedBy"}
    assert reported == {vocab.article_iri("bbb222"), vocab.article_iri("ccc333")}


def test_article_graph_holds_that_articles_own_values_and_evidence() -> None:
    quads = cf.quads()
    visit = vocab.fact_iri("event", "event-visit")
    in_b = triples_in(quads, vocab.article_graph("bbb222"))
    in_a = triples_in(quads, vocab.article_graph("aaa111"))
    assert (visit, K + "startDate", "2023-03-21") in in_b
    assert (visit, K + "startDate", "2023-03-20") not in in_b
    assert (visit, K + "startDate", "2023-03-20") in in_a
    evidence = {o for s, p, o in in_b if s == visit and p == K + "evidence"}
    assert evidence == {vocab.evidence_iri("bbb222", 0, 67)}
    assert not any(p == K + "confidence" for _, p, _ in in_b)


def test_evidence_offsets_point_at_the_sentence() -> None:
    canon = triples_in(cf.quads(), vocab.CANONICAL_GRAPH)
    texts = {vocab.article_iri(a.id): a.text for a in cf.ARTICLES.values()}
    evidence = {s for s, p, o in canon if p == vocab.RDF + "type" and o == K + "Evidence"}
    assert evidence
    for node in evidence:
        values = {p: o for s, p, o in canon if s == node}
        text = texts[values[K + "article"]]
        assert text[int(values[K + "startOffset"]) : int(values[K + "endOffset"])] == values[K + "sentence"]


def test_entities_have_labels_aliases_wikidata_and_stand_for() -> None:
    canon = triples_in(cf.quads(), vocab.CANONICAL_GRAPH)
    xi, moscow = vocab.entity_iri("Q15031"), vocab.entity_iri("Q649")
    assert (xi, vocab.RDFS + "label", "Xi Jinping") in canon
    assert (xi, vocab.SKOS + "altLabel", "Xi") in canon
    assert (xi, vocab.OWL + "sameAs", vocab.WIKIDATA + "Q15031") in canon
    assert (moscow, K + "standsFor", vocab.entity_iri("Q159")) in canon
    assert (vocab.article_iri("ccc333"), K + "duplicateOf", vocab.article_iri("bbb222")) in canon
    assert (vocab.article_iri("ccc333"), K + "inferredDate", "2023-03-18") in canon


def test_confidence_is_a_canonical_decimal() -> None:
    assert rdf.decimal_literal(0.75).value == "0.75"
    assert rdf.decimal_literal(1 - 0.5**20).value == "1"


def test_interval_date_dispute_sets_start_and_end_in_article_graph() -> None:
    corpus = cf.corpus()
    visit = corpus.events[0]
    visit.disputes = [Disagreement("date", {"2023-03-20/2023-03-22": ["aaa111"], "2023-03-21": ["bbb222"]})]
    record = rdf.article_version(visit, "aaa111")
    assert (record.time.start, record.time.end) == ("2023-03-20", "2023-03-22")
    assert rdf.article_version(visit, "bbb222").time.start == "2023-03-21"


def test_ids_with_unsafe_characters_round_trip() -> None:
    iri = vocab.entity_iri("São Paulo/x")
    ox.NamedNode(iri)
    assert vocab.id_of(iri) == "São Paulo/x"


def test_every_kg_term_used_is_declared_in_the_ontology() -> None:
    declared = declared_terms()
    produced = {t.value for q in cf.quads() for t in (q.predicate, q.object) if isinstance(t, ox.NamedNode)}
    assert {t for t in produced if t.startswith(K)} <= declared
    for module in ("rdf", "facts", "queries"):
        source = (ROOT / "kg" / f"{module}.py").read_text()
        used = set(re.findall(r"\bK\.(\w+)", source)) | set(re.findall(r"\bkg:(\w+)", source))
        assert {K + t for t in used} <= declared, module
    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
    assert {str(t) for triple in shapes for t in triple if str(t).startswith(K)} <= declared
