"""SPARQL read as the grammar's tokens, and updates rewritten so their default graph is the canonical graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from api.updates import prepare_update
from kg.errors import BadQuery
from kg.sparql_lexer import dataset_clauses, has_keyword, nesting_depth, tokens

CANONICAL = "http://example.org/canonical"
OTHER = "http://example.org/other"


@pytest.mark.parametrize(
    ("sparql", "found"),
    [
        ("SELECT * WHERE { #\rSERVICE <http://x/> {} }", True),
        ("SELECT * WHERE { #\r\nservice <http://x/> {} }", True),
        ("SELECT * WHERE { # SERVICE <http://x/> {}\n}", False),
        ("SELECT * WHERE { #\x0cSERVICE <http://x/> {}\n}", False),
        ('SELECT * WHERE { BIND("SERVICE" AS ?x) BIND("""a\nSERVICE""" AS ?y) }', False),
        ("SELECT ?service WHERE { ?service <http://x/SERVICE> service:x }", False),
        ("SELECT * WHERE { ?s ?p ?o }SERVICE", True),
    ],
)
def test_keywords_are_found_outside_strings_iris_comments_and_names(sparql: str, found: bool) -> None:
    assert has_keyword(sparql, "SERVICE") is found


def test_nesting_depth_counts_every_kind_of_bracket() -> None:
    assert nesting_depth(tokens("SELECT * WHERE { FILTER((1)) ?s ?p [ ?q ?r ] }")) == 3
    assert nesting_depth(tokens('ASK { FILTER("((((((") }')) == 2
    assert nesting_depth(tokens("}}} ASK {}")) == 1


def test_from_clauses_resolve_prefixes_bases_and_escapes() -> None:
    query = (
        "PREFIX g: <http://example.org/graph/> BASE <http://example.org/graph/x/> "
        "SELECT * FROM g:a FROM <../b> FROM NAMED <http://example.org/graph/\\u0063> FROM <http://example.org/d>"
        " WHERE { ?s ?p ?o }"
    )
    assert dataset_clauses(tokens(query), None) == (
        ["http://example.org/graph/a", "http://example.org/graph/b", "http://example.org/d"],
        ["http://example.org/graph/c"],
    )
    assert dataset_clauses(tokens("SELECT * FROM <a> {}"), "http://host/sparql") == (["http://host/a"], [])
    assert dataset_clauses(tokens("SELECT * WHERE { ?s ?p ?o }"), None) is None


def run(update: str, using: list[str] | None = None, using_named: list[str] | None = None) -> ox.Store:
    """A store with one triple in each of the canonical and another graph, after the rewritten update."""
    store = ox.Store()
    store.update(
        f"INSERT DATA {{ GRAPH <{CANONICAL}> {{ <urn:c> <urn:p> 1 }} GRAPH <{OTHER}> {{ <urn:o> <urn:p> 2 }} }}"
    )
    store.update(prepare_update(update, CANONICAL, using or [], using_named or []))
    return store


def in_graph(store: ox.Store, graph: str) -> set[str]:
    return {str(q.subject) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def test_operations_without_graph_act_on_the_canonical_graph() -> None:
    inserted = run("PREFIX u: <urn:> INSERT DATA { u:a u:p 3 . GRAPH <urn:g> { u:b u:p 4 } u:d u:p [ u:q ( 1 2 ) ] }")
    assert {"<urn:a>", "<urn:d>"} <= in_graph(inserted, CANONICAL) and in_graph(inserted, "urn:g") == {"<urn:b>"}
    assert not list(inserted.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert in_graph(run("DELETE WHERE { ?s <urn:p> ?o }"), CANONICAL) == set()
    assert in_graph(run("DELETE WHERE { ?s <urn:p> ?o }"), OTHER) == {"<urn:o>"}
    modified = run("INSERT { ?s <urn:seen> true } WHERE { ?s <urn:p> 1 }")
    assert len(list(modified.quads_for_pattern(None, ox.NamedNode("urn:seen"), None, ox.NamedNode(CANONICAL)))) == 1
    assert in_graph(run("CLEAR DEFAULT"), CANONICAL) == set() and in_graph(run("CLEAR DEFAULT"), OTHER)
    assert in_graph(run(f"COPY <{OTHER}> TO DEFAULT"), CANONICAL) == {"<urn:o>"}
    assert in_graph(run(f"WITH <{OTHER}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"), CANONICAL) == {"<urn:c>"}


def test_using_parameters_set_the_dataset_of_where() -> None:
    store = run("INSERT { GRAPH <urn:out> { ?s <urn:from> ?g } } WHERE { GRAPH ?g { ?s ?p ?o } }", [], [OTHER])
    assert in_graph(store, "urn:out") == {"<urn:o>"}
    store = run("INSERT { GRAPH <urn:out> { ?s <urn:x> 1 } } WHERE { ?s ?p ?o }", [OTHER])
    assert in_graph(store, "urn:out") == {"<urn:o>"}
    with pytest.raises(BadQuery, match="USING or WITH"):
        prepare_update(f"WITH <{OTHER}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", CANONICAL, [OTHER], [])
