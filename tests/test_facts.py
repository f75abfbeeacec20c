"""The facts export: the scorer's JSON shape, read by SPARQL from the store."""

from __future__ import annotations

import corpus_fixture as cf
import pytest

from kg import vocab
from kg.facts import export_facts
from kg.store import OxigraphStore


@pytest.fixture(scope="module")
def facts() -> dict:
    return export_facts(cf.store())


def by(items: list[dict], key: str, value: str) -> dict:
    return next(i for i in items if i[key] == value)


def test_entities_have_the_scorer_fields(facts: dict) -> None:
    xi = by(facts["entities"], "name", "Xi Jinping")
    assert xi == {
        "id": vocab.entity_iri("Q15031"),
        "name": "Xi Jinping",
        "type": "Person",
        "aliases": ["Xi"],
        "wikidata": "Q15031",
        "articles": ["000_a.txt", "001_b.txt"],
    }
    assert by(facts["entities"], "name", "Wang Wenbin")["wikidata"] is None


def test_event_names_participants_place_dates_and_all_articles(facts: dict) -> None:
    visit = by(facts["events"], "type", "Visit")
    assert visit["participants"] == ["Russia", "Vladimir Putin", "Xi Jinping"]
    assert (visit["location"], visit["date"], visit["end"]) == ("Moscow", "2023-03-20", "2023-03-22")
    assert visit["articles"] == ["000_a.txt", "001_b.txt", "002_c.txt"]
    assert visit["disputed"] is True
    talks = by(facts["events"], "type", "Meeting")
    assert (talks["date"], talks["end"]) == ("2023-03", None)


def test_speculative_events_are_left_out(facts: dict) -> None:
    assert "VideoCall" not in {e["type"] for e in facts["events"]}


def test_statements_and_roles(facts: dict) -> None:
    assert facts["statements"] == [
        {
            "id": vocab.fact_iri("statement", "statement-wang"),
            "speaker": "Wang Wenbin",
            "quote": "We are in communication with all parties",
            "date": "2023-03-17",
            "direct": True,
            "articles": ["000_a.txt"],
        }
    ]
    role = facts["roles"][0]
    assert (role["person"], role["role"], role["of"], role["articles"]) == (
        "Wang Wenbin",
        "spokesperson",
        "Chinese Foreign Ministry",
        ["000_a.txt"],
    )


def test_names_used_in_facts_are_entity_names(facts: dict) -> None:
    names = {e["name"] for e in facts["entities"]}
    used = {p for e in facts["events"] for p in e["participants"]} | {e["location"] for e in facts["events"]}
    used |= {s["speaker"] for s in facts["statements"]} | {r["person"] for r in facts["roles"]}
    assert used <= names


def test_empty_store_exports_empty_lists() -> None:
    empty = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    assert export_facts(empty) == {"entities": [], "events": [], "statements": [], "roles": []}
