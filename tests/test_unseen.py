"""Extraction on two articles written for this test, not the samples: actors, events, statements and roles.

The articles (tests/data/unseen) name other people, places and dates than the
samples, so these checks fail if the extractor only knows the samples.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import vocab
from kg.build import build
from kg.facts import export_facts
from kg.store import OxigraphStore

pytestmark = pytest.mark.slow

UNSEEN = Path(__file__).parent / "data" / "unseen"


@pytest.fixture(scope="module")
def facts() -> dict:
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    build([UNSEEN], store)
    return export_facts(store)


def test_actors_and_their_types(facts: dict) -> None:
    types = {e["name"]: e["type"] for e in facts["entities"]}
    for person in ("Emmanuel Macron", "Narendra Modi", "Olaf Scholz", "Mauro Vieira", "Fumio Kishida"):
        assert types.get(person) == "Person", person
    for state in ("France", "India", "Germany", "Japan", "Brazil"):
        assert types.get(state) == "State", state
    assert types.get("Berlin") == "City" and types.get("Paris") == "City"


def test_events_with_dates_merged_across_articles(facts: dict) -> None:
    events = {(e["type"], frozenset(e["participants"])): e for e in facts["events"]}
    berlin = events[("Meeting", frozenset({"Narendra Modi", "Olaf Scholz"}))]
    assert (berlin["date"], berlin["location"], sorted(berlin["articles"])) == (
        "2024-06-17",
        "Berlin",
        ["modi_berlin.txt", "modi_paris.txt"],
    )
    call = events[("PhoneCall", frozenset({"Stéphane Séjourné", "Mauro Vieira"}))]
    assert call["date"] == "2024-05"
    assert events[("VideoCall", frozenset({"Narendra Modi", "Fumio Kishida"}))]["date"] == "2024-06-18"


def test_speculative_visit_is_not_a_fact(facts: dict) -> None:
    assert not [e for e in facts["events"] if "Fumio Kishida" in e["participants"] and e["type"] == "Visit"]


def test_statements_with_and_without_quotation_marks(facts: dict) -> None:
    said = {(s["speaker"], s["quote"]) for s in facts["statements"]}
    assert ("Emmanuel Macron", "India is a strategic partner for France") in said
    assert ("Stéphane Séjourné", "We will keep working together on climate finance") in said
    assert ("Olaf Scholz", "the talks were open and constructive") in said  # quoted words in reported speech


def test_roles(facts: dict) -> None:
    roles = {(r["person"], r["role"], r["of"]) for r in facts["roles"]}
    assert {
        ("Emmanuel Macron", "President", "France"),
        ("Narendra Modi", "Prime Minister", "India"),
        ("Mauro Vieira", "Foreign Minister", "Brazil"),
        ("Ursula von der Leyen", "President", "European Commission"),
    } <= roles
