"""Building the sample articles end to end: the CLI, idempotence, SHACL, and the sample scores held at floors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import ROOT, SAMPLE_ARTICLES
from pyshacl import validate
from typer.testing import CliRunner

from kg import queries
from kg.cli import app
from kg.facts import export_facts
from kg.ingest import read_paths
from kg.store import Store

pytestmark = pytest.mark.slow

FLOORS = {"entities": 0.97, "events": 0.91, "events+date": 0.87, "statements": 0.88, "roles": 0.95}
"""F1 on the sample gold that extraction must keep (measured: 1.0, .932, .898, .916, .979)."""


def kg(*args: str) -> str:
    """Run the `kg` command; returns its output, failing the test on a non-zero exit."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_build_counts_and_rebuilding_changes_nothing(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    first = kg("build", str(SAMPLE_ARTICLES), "--store", store)
    assert "read 5 articles (5 extracted, 0 unchanged)" in first
    triples = int(re.search(r"(\d+) triples", first)[1])
    second = kg("build", str(SAMPLE_ARTICLES), "--store", store)
    assert "(0 extracted, 5 unchanged)" in second
    assert f"{triples} triples (+0 -0)" in second
    assert kg("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--store", store, "--format", "csv")


def test_a_new_article_adds_and_known_ones_are_reused(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SAMPLE_ARTICLES, folder)
    last = sorted(folder.glob("*.txt"))[-1]
    text = last.read_text()
    last.unlink()
    store = str(tmp_path / "store")
    assert "read 4 articles (4 extracted, 0 unchanged)" in kg("build", str(folder), "--store", store)
    last.write_text(text)
    assert "read 5 articles (1 extracted, 4 unchanged)" in kg("build", str(folder), "--store", store)


def test_built_graph_conforms_to_the_shapes(sample_store: Store) -> None:
    data = sample_store.dump(ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph().parse(data=data, format="nt")
    conforms, _, report = validate(graph, shacl_graph=str(ROOT / "ontology" / "shapes.ttl"))
    assert conforms, report


def test_sample_scores_hold_their_floors(sample_store: Store, tmp_path: Path) -> None:
    facts, scores = tmp_path / "facts.json", tmp_path / "scores.json"
    facts.write_text(json.dumps(export_facts(sample_store)))
    scorer, gold = ROOT / "data" / "eval" / "score.py", ROOT / "data" / "gold" / "seeds"
    subprocess.run([sys.executable, scorer, facts, gold, "--json", scores], check=True, capture_output=True)
    result = json.loads(scores.read_text())
    for kind, floor in FLOORS.items():
        assert result[kind]["f1"] >= floor, (kind, result[kind])
    assert result["fragmented_entities"]["split"] == 0


def test_the_visit_is_one_event_with_five_sources_and_sides_right(sample_store: Store) -> None:
    visits = [e for e in queries.list_events(sample_store, type="Visit", limit=1000) if len(e["articles"]) == 5]
    assert len(visits) == 1
    roles = {p["name"]: set(p["roles"]) for p in visits[0]["participants"]}
    assert "visitor" in roles["Xi Jinping"] and "host" in roles["Vladimir Putin"]
    assert "visitor" not in roles["Vladimir Putin"]


def test_dinner_lunch_and_met_phone_disagreements_are_found(sample_store: Store) -> None:
    disputes = {
        (d["attribute"], frozenset(v["value"] for v in d["values"])) for d in queries.disputed_facts(sample_store)
    }
    assert ("meal", frozenset({"dinner", "lunch"})) in disputes
    assert ("type", frozenset({"Meeting", "PhoneCall"})) in disputes


def test_every_evidence_sentence_is_the_article_text_at_its_offsets(sample_store: Store) -> None:
    texts = {a.name: a.text for a in read_paths([SAMPLE_ARTICLES])[0]}
    rows = queries.rows(
        sample_store,
        """PREFIX kg: <https://w3id.org/newskg/ontology#>
        SELECT DISTINCT ?file ?start ?end ?sentence WHERE {
          GRAPH ?g { ?evidence kg:article ?article ; kg:startOffset ?start ; kg:endOffset ?end ; kg:sentence ?sentence }
          ?article kg:fileName ?file }""",
    )
    assert len(rows) > 50
    for row in rows:
        assert texts[row["file"]][int(row["start"]) : int(row["end"])] == row["sentence"]
