"""The store contract, held by the embedded store and by a real remote Oxigraph server alike."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import BadQuery
from kg.store import OxigraphStore, RemoteStore, Store, open_store

CANON = "http://example.org/graph/canonical"
OTHER = "http://example.org/graph/other"


def quad(s: str, o: str, g: str = CANON) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(f"http://example.org/{s}"), ox.NamedNode("http://example.org/p"), ox.Literal(o), ox.NamedNode(g)
    )


@pytest.fixture(params=["embedded", "remote"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "embedded":
        yield OxigraphStore(tmp_path / "store", CANON)
    else:
        server = request.getfixturevalue("oxigraph_server")
        yield open_store(f"sparql+{server}", CANON)


def test_open_store_chooses_by_location(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path / "s"), CANON), OxigraphStore)
    remote = open_store("sparql+http://127.0.0.1:1/ds?query=sparql&update=update&gsp=data", CANON)
    assert isinstance(remote, RemoteStore)
    assert remote.endpoints == {
        "query": "http://127.0.0.1:1/ds/sparql",
        "update": "http://127.0.0.1:1/ds/update",
        "gsp": "http://127.0.0.1:1/ds/data",
    }


def test_remote_paths_of_the_readme_stores() -> None:
    graphdb = RemoteStore.from_url("sparql+http://h:7200/repositories/kg?query=&update=statements", CANON)
    assert graphdb.endpoints["query"] == "http://h:7200/repositories/kg"
    assert graphdb.endpoints["update"] == "http://h:7200/repositories/kg/statements"
    virtuoso = RemoteStore.from_url("sparql+http://dba:pw@h:8890/?query=sparql", CANON)
    assert virtuoso.endpoints["query"] == "http://dba:pw@h:8890/sparql"


def test_apply_adds_and_replaces_atomically(store: Store) -> None:
    first = [quad("a", 'quote "x"\nnext line'), quad("b", "y", OTHER)]
    store.apply([], first)
    assert store.count() == 2
    assert store.graphs() == sorted([CANON, OTHER])
    assert set(store.graph_quads(CANON)) == {first[0]}
    store.apply([first[0]], [quad("a", "z")])
    assert set(store.graph_quads(CANON)) == {quad("a", "z")}


def test_queries_default_to_the_canonical_graph_and_reach_named_graphs(store: Store) -> None:
    store.apply([], [quad("a", "x"), quad("b", "y", OTHER)])
    rows = list(store.query("SELECT ?o WHERE { ?s ?p ?o }"))
    assert [r["o"].value for r in rows] == ["x"]
    rows = list(store.query("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?o"))
    assert [(r["g"].value, r["o"].value) for r in rows] == [(CANON, "x"), (OTHER, "y")]
    assert bool(store.query('ASK { ?s ?p "x" }'))
    assert len(list(store.query("CONSTRUCT WHERE { ?s ?p ?o }"))) == 1


def test_a_query_with_from_reads_the_graphs_it_names(store: Store) -> None:
    store.apply([], [quad("a", "x"), quad("b", "y", OTHER)])
    rows = list(store.query(f"SELECT ?o FROM <{OTHER}> WHERE {{ ?s ?p ?o }}"))
    assert [r["o"].value for r in rows] == ["y"]
    rows = list(store.query(f"SELECT ?o FROM <{OTHER}> WHERE {{ ?s ?p ?o }}", default_graph=[CANON]))
    assert [r["o"].value for r in rows] == ["x"], "the request's default graph overrides FROM, as the protocol says"


def test_malformed_query_is_a_bad_query(store: Store) -> None:
    with pytest.raises(BadQuery):
        store.query("SELEC ?x WHERE {")


def test_dump_triples_and_quads(store: Store) -> None:
    store.apply([], [quad("a", "x"), quad("b", "y", OTHER)])
    assert store.dump(ox.RdfFormat.N_TRIPLES).count(b"\n") == 1
    assert store.dump(ox.RdfFormat.N_QUADS).count(b"\n") == 2


def test_a_store_another_process_holds_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "store"
    code = f"import pyoxigraph, sys; s = pyoxigraph.Store({str(path)!r}); print('open', flush=True); sys.stdin.read()"
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        result = subprocess.run(
            [sys.executable, "-c", "from kg.cli import main; main()", "build", "--store", str(path), str(tmp_path)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        holder.communicate("")
    assert result.returncode == 2
    assert "kg serve" in result.stderr and "Remote stores" in result.stderr
