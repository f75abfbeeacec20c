"""The read API over the store: lists, details with evidence, disputes, timelines and errors."""

from __future__ import annotations

import corpus_fixture as cf
import pytest

from kg import queries, vocab
from kg.errors import BadQuery, NotFound
from kg.store import OxigraphStore


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    return cf.store()


def ids(items: list[dict]) -> list[str]:
    return [i["id"] for i in items]


def test_list_entities_by_type_and_name_or_alias(store: OxigraphStore) -> None:
    assert ids(queries.list_entities(store, type="City")) == ["Q649"]
    assert ids(queries.list_entities(store, q="XI")) == ["Q15031"]
    assert ids(queries.list_entities(store, q="foreign ministry")) == ["chinese-foreign-ministry"]
    everyone = ids(queries.list_entities(store))
    assert everyone[:2] == ["chinese-foreign-ministry", "Q649"]
    assert ids(queries.list_entities(store, limit=2, offset=1)) == everyone[1:3]


def test_get_entity_with_facts_and_evidence(store: OxigraphStore) -> None:
    wang = queries.get_entity(store, "wang-wenbin")
    assert wang["name"] == "Wang Wenbin" and wang["type"] == "Person"
    statement = wang["statements"][0]
    assert statement["quote"] == "We are in communication with all parties"
    assert statement["evidence"][0]["article"] == "000_a.txt"
    assert statement["evidence"][0]["sentence"].startswith("Wang Wenbin, spokesperson")
    assert wang["roles"][0]["of"] == {"id": "chinese-foreign-ministry", "name": "Chinese Foreign Ministry"}
    xi = queries.get_entity(store, "Q15031")
    assert sorted(ids(xi["events"])) == ["event-call", "event-visit"]
    assert xi["aliases"] == ["Xi"]


def test_unknown_ids_raise_not_found(store: OxigraphStore) -> None:
    for call, unknown in (
        (queries.get_entity, "nobody"),
        (queries.get_event, "event-none"),
        (queries.timeline, "nobody"),
    ):
        with pytest.raises(NotFound):
            call(store, unknown)


def test_list_events_filters(store: OxigraphStore) -> None:
    assert ids(queries.list_events(store, type="Visit")) == ["event-visit"]
    assert ids(queries.list_events(store, status="speculative")) == ["event-call"]
    assert ids(queries.list_events(store, since="2023-03-21")) == ["event-talks", "event-visit"]
    assert ids(queries.list_events(store, until="2023-02-28")) == []
    assert ids(queries.list_events(store, entity="Q7747")) == ["event-visit"]


def test_bad_parameters_raise_bad_query(store: OxigraphStore) -> None:
    with pytest.raises(BadQuery):
        queries.list_events(store, type="Party")
    with pytest.raises(BadQuery):
        queries.list_events(store, since="March")
    with pytest.raises(BadQuery):
        queries.list_entities(store, limit=-1)


def test_get_event_with_roles_sources_and_disputes(store: OxigraphStore) -> None:
    visit = queries.get_event(store, "event-visit")
    roles = {p["name"]: p["roles"] for p in visit["participants"]}
    assert roles == {"Xi Jinping": ["visitor"], "Russia": ["host"], "Vladimir Putin": ["inviter"]}
    assert [s["name"] for s in visit["sources"]] == ["000_a.txt", "001_b.txt", "002_c.txt"]
    assert visit["disputes"] == [
        {
            "attribute": "date",
            "values": [
                {"value": "2023-03-20", "label": "2023-03-20", "articles": ["000_a.txt"]},
                {"value": "2023-03-21", "label": "2023-03-21", "articles": ["001_b.txt", "002_c.txt"]},
            ],
        }
    ]


def test_list_statements_by_speaker_and_words(store: OxigraphStore) -> None:
    assert ids(queries.list_statements(store, speaker="wang-wenbin")) == ["statement-wang"]
    assert ids(queries.list_statements(store, speaker="Q15031")) == []
    assert ids(queries.list_statements(store, q="COMMUNICATION")) == ["statement-wang"]


def test_disputed_facts(store: OxigraphStore) -> None:
    disputes = queries.disputed_facts(store)
    assert [(d["id"], d["kind"], d["attribute"]) for d in disputes] == [("event-visit", "event", "date")]
    assert disputes[0]["summary"] == "Visit 2023-03-20: Russia, Vladimir Putin, Xi Jinping"
    assert "SELECT" in queries.DISPUTED_QUERY


def test_fact_summaries_name_statements_and_roles(store: OxigraphStore) -> None:
    statement, role = vocab.fact_iri("statement", "statement-wang"), vocab.fact_iri("role", "role-wang")
    summaries = queries.fact_summaries(store, [statement, role])
    assert summaries[statement].startswith("Wang Wenbin") and summaries[statement].endswith("”")
    assert summaries[role] == "Wang Wenbin: spokesperson"


def test_timeline_is_dated_and_sorted(store: OxigraphStore) -> None:
    russia = queries.timeline(store, "Q159")
    assert [(i["date"], i["id"]) for i in russia] == [("2023-03", "event-talks"), ("2023-03-20", "event-visit")]
    wang = queries.timeline(store, "wang-wenbin")
    assert wang == [
        {
            "kind": "statement",
            "id": "statement-wang",
            "date": "2023-03-17",
            "end": None,
            "quote": "We are in communication with all parties",
        }
    ]
