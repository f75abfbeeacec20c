"""The `kg` command's reading commands: query formats and errors, export prefixes, reading while served."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import corpus_fixture
import pytest
from conftest import free_port, wait_for
from typer.testing import CliRunner

from kg import vocab
from kg.cli import app
from kg.store import OxigraphStore

PUTIN_LABEL = f"SELECT ?name WHERE {{ <{vocab.ID}entity/Q7747> <{vocab.RDFS}label> ?name }}"
KG = [sys.executable, "-c", "from kg.cli import main; main()"]


@pytest.fixture
def store_dir(tmp_path: Path) -> str:
    """An on-disk store of the fixture corpus, closed again (so a command may open it)."""
    path = tmp_path / "store"
    store = OxigraphStore(path, vocab.CANONICAL_GRAPH)
    store.apply([], corpus_fixture.quads())
    store.flush()
    del store
    gc.collect()
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    """Run `kg` as a user does, in its own process: exit code, stdout and stderr."""
    result = subprocess.run([*KG, *args], capture_output=True, text=True, check=False)
    return result.returncode, result.stdout, result.stderr


def test_a_missing_query_file_is_a_clear_error(store_dir: str) -> None:
    code, out, err = run("query", "@missing.rq", "--store", store_dir)
    assert code == 2 and out == ""
    assert err.strip() == "error: cannot read the query file 'missing.rq': No such file or directory"


def test_ask_in_json_is_sparql_json_and_select_in_xml_is_sparql_xml(store_dir: str) -> None:
    runner = CliRunner()
    ask = runner.invoke(app, ["query", "ASK { ?s ?p ?o }", "--store", store_dir, "--format", "json"])
    assert json.loads(ask.output) == {"head": {}, "boolean": True}
    xml = runner.invoke(app, ["query", PUTIN_LABEL, "--store", store_dir, "--format", "xml"])
    assert xml.output.startswith('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    assert "<literal>Vladimir Putin</literal>" in xml.output
    assert runner.invoke(app, ["query", "ASK {}", "--store", store_dir]).output == "true\n"


def test_a_format_a_result_cannot_have_is_refused(store_dir: str) -> None:
    code, out, err = run("query", "CONSTRUCT WHERE { ?s ?p ?o }", "--store", store_dir, "--format", "xml")
    assert code == 2 and out == "" and "use one of table, ttl, nt" in err


def test_a_malformed_query_gets_a_short_message_with_its_position(store_dir: str) -> None:
    code, _, err = run("query", "SELECT ?s WHERE {\n  ?s a kg:Person .\n}", "--store", store_dir)
    assert code == 2
    assert (
        err.splitlines()[0]
        == "error: malformed SPARQL at line 2, column 17: a prefix that is not declared (add PREFIX name: <IRI>)"
    )
    assert err.splitlines()[1:] == ["    ?s a kg:Person .", " " * 18 + "^"]
    code, _, err = run("query", "ASK {", "--store", store_dir)
    assert code == 2 and len(err) < 200 and "\\u{" not in err and "line 1, column 6" in err


def test_turtle_export_writes_the_projects_prefixes(store_dir: str) -> None:
    ttl = CliRunner().invoke(app, ["export", "--store", store_dir, "--format", "ttl"]).output
    for prefix in ("kg", "rdfs", "owl", "xsd", "schema", "skos"):
        assert f"@prefix {prefix}: <{vocab.PREFIXES[prefix]}> ." in ttl
    body = "\n".join(line for line in ttl.splitlines() if not line.startswith("@prefix"))
    assert "<https://w3id.org/newskg/ontology#" not in body and "rdfs:label" in body


def test_reading_an_absent_store_says_so(tmp_path: Path) -> None:
    code, _, err = run("facts", "--store", str(tmp_path / "none"))
    assert code == 2 and "no store at" in err and "kg build" in err
    assert not (tmp_path / "none").exists(), "a reading command creates nothing"


@pytest.fixture
def served(store_dir: str) -> Iterator[str]:
    """`kg serve` holding the store (a real server process); yields the store's path."""
    port = free_port()
    server = subprocess.Popen([*KG, "serve", "--store", store_dir, "--port", str(port)], stderr=subprocess.DEVNULL)
    wait_for(f"http://127.0.0.1:{port}/health", server, "kg serve")
    yield store_dir
    server.terminate()
    server.wait(10)


@pytest.mark.slow
def test_query_facts_and_export_work_while_kg_serve_holds_the_store(served: str) -> None:
    code, out, err = run("query", PUTIN_LABEL, "--store", served, "--format", "csv")
    assert (code, out.split()) == (0, ["name", "Vladimir", "Putin"]), err
    code, out, err = run("facts", "--store", served)
    assert code == 0 and "Vladimir Putin" in out, err
    code, out, err = run("export", "--store", served, "--format", "nt")
    assert code == 0 and out.count("\n") > 100, err
