"""`kg build --store sparql+http://…` writes to a real Oxigraph server, and the app serves from it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest
from conftest import SAMPLE_ARTICLES, all_quads
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from kg import vocab
from kg.cli import app as cli
from kg.config import Settings
from kg.facts import export_facts
from kg.store import Store, open_store

pytestmark = pytest.mark.slow


@pytest.fixture
def remote_location(oxigraph_server: str) -> str:
    """A ``sparql+http://`` location of a fresh Oxigraph server with the sample articles built into it by the CLI."""
    location = f"sparql+{oxigraph_server}"
    done = CliRunner().invoke(cli, ["build", str(SAMPLE_ARTICLES), "--store", location])
    assert done.exit_code == 0, done.output
    return location


def test_remote_build_holds_the_same_graph_as_an_embedded_build(remote_location: str, sample_store: Store) -> None:
    remote = open_store(remote_location, vocab.CANONICAL_GRAPH)
    assert remote.count() == sample_store.count() > 1000
    assert remote.graphs() == sample_store.graphs()
    assert export_facts(remote) == export_facts(sample_store)
    assert all_quads(remote) == all_quads(sample_store)


def test_rebuilding_into_the_remote_store_changes_nothing(remote_location: str) -> None:
    done = CliRunner().invoke(cli, ["build", str(SAMPLE_ARTICLES), "--store", remote_location])
    assert done.exit_code == 0, done.output
    assert "0 extracted, 5 unchanged" in done.output
    assert "(+0 -0)" in done.output


def test_the_app_serves_from_the_remote_store(
    remote_location: str, sample_store: Store, make_client: Callable[..., TestClient]
) -> None:
    client = make_client(open_store(remote_location, vocab.CANONICAL_GRAPH))
    query = "PREFIX kg: <https://w3id.org/newskg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Event }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    events = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert events == int(next(iter(sample_store.query(query)))["n"].value) > 0
    remote_entities = client.get("/entities", params={"limit": 1000}).json()
    local_entities = TestClient(create_app(sample_store, Settings())).get("/entities", params={"limit": 1000}).json()
    assert remote_entities == local_entities
    assert any(e["type"] == "Person" for e in remote_entities)


def test_the_app_keeps_answering_while_a_build_writes_to_the_remote_store(
    oxigraph_server: str, start_server: Callable[[FastAPI], str], make_app: Callable[..., FastAPI]
) -> None:
    location = f"sparql+{oxigraph_server}"
    base = start_server(make_app(open_store(location, vocab.CANONICAL_GRAPH)))
    query = vocab.SPARQL_PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"
    cli_main = [sys.executable, "-c", "from kg.cli import main; main()"]
    build = subprocess.Popen(
        [*cli_main, "build", str(SAMPLE_ARTICLES), "--store", location], stderr=subprocess.PIPE, text=True
    )
    answers = []
    with httpx.Client(base_url=base, timeout=30, headers={"Accept": "application/sparql-results+json"}) as http:

        def articles() -> tuple[int, int]:
            response = http.get("/sparql", params={"query": query})
            return response.status_code, int(response.json()["results"]["bindings"][0]["n"]["value"])

        while build.poll() is None:
            answers.append(articles())
        final = articles()
    assert build.returncode == 0, build.stderr.read() if build.stderr else ""
    assert len(answers) >= 10, "queries were answered while the build ran"
    assert {status for status, _ in answers} == {200}
    assert {n for _, n in answers} <= {0, 5}, "each query sees the graph before or after the build"
    assert final == (200, 5)
