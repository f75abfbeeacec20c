"""SHACL: the canonical graph of a hand-made corpus conforms to ontology/shapes.ttl; broken graphs do not."""

from __future__ import annotations

from pathlib import Path

import corpus_fixture as cf
import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate

from kg import vocab

SHAPES = Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl"
K = vocab.KG


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES)


def canonical(drop: tuple[str, str] | None = None, add: list[ox.Quad] = ()) -> rdflib.Graph:
    """The fixture's canonical graph as rdflib, without triples matching `drop` (subject, predicate)."""
    quads = [
        q
        for q in cf.quads()
        if q.graph_name.value == vocab.CANONICAL_GRAPH
        and (drop is None or (q.subject.value, q.predicate.value) != drop)
    ]
    data = ox.serialize([q.triple for q in [*quads, *add]], format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def conforms(graph: rdflib.Graph, shapes: rdflib.Graph) -> bool:
    return validate(graph, shacl_graph=shapes)[0]


def test_canonical_graph_conforms(shapes: rdflib.Graph) -> None:
    ok, _, report = validate(canonical(), shacl_graph=shapes)
    assert ok, report


def test_event_without_participants_does_not_conform(shapes: rdflib.Graph) -> None:
    event = vocab.fact_iri("event", "event-talks")
    assert not conforms(canonical(drop=(event, K + "participant")), shapes)


def test_statement_with_two_quotes_does_not_conform(shapes: rdflib.Graph) -> None:
    node = ox.NamedNode(vocab.fact_iri("statement", "statement-wang"))
    extra = ox.Quad(node, ox.NamedNode(K + "quote"), ox.Literal("Another quote"))
    assert not conforms(canonical(add=[extra]), shapes)


def test_negative_evidence_offset_does_not_conform(shapes: rdflib.Graph) -> None:
    node = vocab.evidence_iri("bbb222", 68, 110)
    broken = ox.Quad(ox.NamedNode(node), ox.NamedNode(K + "startOffset"), ox.Literal(-1))
    assert not conforms(canonical(drop=(node, K + "startOffset"), add=[broken]), shapes)


def test_actor_without_label_does_not_conform(shapes: rdflib.Graph) -> None:
    assert not conforms(canonical(drop=(vocab.entity_iri("Q159"), vocab.RDFS + "label")), shapes)
