"""The facts export: the graph's entities, events, statements and roles as JSON for the shared scorer.

Everything is read with SPARQL from the store's canonical graph: one query for
the single-valued fields of each kind, and one grouped query per
multi-valued field (aliases, participants, articles), joined by IRI.
"""

from __future__ import annotations

from typing import Any

from kg import vocab
from kg.queries import grouped, rows
from kg.store import Store

EXPORTED_STATUSES = ("happened", "planned")

ENTITIES = """
SELECT ?s ?name ?type ?wikidata WHERE {
  ?s a kg:Actor, ?type ; rdfs:label ?name .
  FILTER(?type != kg:Actor)
  OPTIONAL { ?s owl:sameAs ?wd . FILTER(STRSTARTS(STR(?wd), STR(wd:))) BIND(STRAFTER(STR(?wd), STR(wd:)) AS ?wikidata) }
} ORDER BY ?name ?s"""

EVENTS = (
    """
SELECT ?s ?type ?location ?date ?end ?status ?disputed ?confidence WHERE {
  VALUES ?status { """
    + " ".join(f'"{s}"' for s in EXPORTED_STATUSES)
    + """ }
  ?s a kg:Event, ?type ; kg:status ?status .
  FILTER(?type != kg:Event)
  OPTIONAL { ?s kg:place/rdfs:label ?location }
  OPTIONAL { ?s kg:startDate ?date }
  OPTIONAL { ?s kg:endDate ?end }
  OPTIONAL { ?s kg:disputed ?disputed }
  OPTIONAL { ?s kg:confidence ?confidence }
} ORDER BY ?date ?s"""
)

STATEMENTS = """
SELECT ?s ?speaker ?quote ?date ?direct WHERE {
  ?s a kg:Statement ; kg:speaker/rdfs:label ?speaker ; kg:quote ?quote .
  OPTIONAL { ?s kg:date ?date }
  OPTIONAL { ?s kg:direct ?direct }
} ORDER BY ?date ?s"""

ROLES = """
SELECT ?s ?person ?role ?of ?date WHERE {
  ?s a kg:Role ; kg:person/rdfs:label ?person ; kg:title ?role .
  OPTIONAL { ?s kg:of/rdfs:label ?of }
  OPTIONAL { ?s kg:date ?date }
} ORDER BY ?person ?s"""


def export_facts(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The facts JSON of the shared scorer (``entities``, ``events``, ``statements``, ``roles``).

    Events are exported only when their status is ``happened`` or ``planned``
    (the gold leaves out speculative and negated events); the graph keeps
    them all. Besides the scorer's keys, events carry ``status``,
    ``disputed`` and ``confidence``, and statements ``direct``.
    """
    files = grouped(store, "?s kg:source/kg:fileName ?v")
    return {
        "entities": export_entities(store),
        "events": export_events(store, files),
        "statements": [_statement(r, files) for r in rows(store, STATEMENTS)],
        "roles": [_role(r, files) for r in rows(store, ROLES)],
    }


def export_entities(store: Store) -> list[dict[str, Any]]:
    """Every actor with its name, type, aliases, Wikidata QID and the file names of articles mentioning it."""
    aliases = grouped(store, "?s a kg:Actor ; skos:altLabel ?v")
    files = grouped(store, "?s a kg:Actor ; kg:mentionedIn/kg:fileName ?v")
    return [
        {
            "id": r["s"],
            "name": r["name"],
            "type": vocab.local_name(r["type"]),
            "aliases": aliases.get(r["s"], []),
            "wikidata": r.get("wikidata"),
            "articles": files.get(r["s"], []),
        }
        for r in rows(store, ENTITIES)
    ]


def export_events(store: Store, files: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Happened and planned events with participant names, place, dates and source file names."""
    participants = grouped(store, "?s a kg:Event ; kg:participant/rdfs:label ?v")
    return [
        {
            "id": r["s"],
            "type": vocab.local_name(r["type"]),
            "participants": participants.get(r["s"], []),
            "location": r.get("location"),
            "date": r.get("date"),
            "end": r.get("end"),
            "articles": files.get(r["s"], []),
            "status": r["status"],
            "disputed": r.get("disputed") == "true",
            "confidence": float(r["confidence"]) if "confidence" in r else None,
        }
        for r in rows(store, EVENTS)
    ]


def _statement(row: dict[str, str], files: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "id": row["s"],
        "speaker": row["speaker"],
        "quote": row["quote"],
        "date": row.get("date"),
        "direct": row.get("direct") != "false",
        "articles": files.get(row["s"], []),
    }


def _role(row: dict[str, str], files: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "id": row["s"],
        "person": row["person"],
        "role": row["role"],
        "of": row.get("of"),
        "date": row.get("date"),
        "articles": files.get(row["s"], []),
    }
