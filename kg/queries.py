"""The read API shared by the app, the CLI and the notebook: SPARQL over the canonical graph.

Functions take a `Store` and return plain dicts and lists ready for JSON.
Ids are the last segment of a node's IRI (`Entity.id`, `Fact.id`); unknown
ids raise `NotFound`, bad parameters `BadQuery`. Dates are ISO strings of
day, month or year precision; `since`/`until` compare them at the precision
of each date, so an event dated ``2023-03`` is within ``since=2023-03-15``.
Evidence items give the ``sentence`` as the article has it and its ``text``
repaired for reading (`readable`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from string import Template
from typing import Any

import pyoxigraph as ox

from kg import vocab
from kg.errors import BadQuery, NotFound
from kg.gazetteer import Gazetteer
from kg.model import ENTITY_TYPES, EVENT_TYPES, STATUSES
from kg.repair import repair
from kg.store import Store

SEP = "\x1f"
ROLE_NAMES = ("visitor", "host", "inviter", "broker", "issuer", "subject")

DISPUTED_QUERY = """\
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Facts whose sources disagree: each disputed attribute, every value, and the articles reporting it.
SELECT ?fact ?kind ?attribute ?value ?entity ?file WHERE {
  VALUES ?kind { kg:Event kg:Statement kg:Role }
  ?fact a ?kind ; kg:dispute ?dispute .
  ?dispute kg:attribute ?attribute ; kg:alternative ?alternative .
  ?alternative kg:value ?value ; kg:reportedBy/kg:fileName ?file .
  OPTIONAL { ?alternative kg:valueEntity/rdfs:label ?entity }
}
ORDER BY ?fact ?attribute ?value ?file
"""
"""SPARQL of `disputed_facts` (shown in the README)."""
FACT_SUMMARY = Template("""
SELECT ?fact (SAMPLE(?t) AS ?type) (SAMPLE(?d) AS ?date) (SAMPLE(?q) AS ?quote) (SAMPLE(?ti) AS ?title)
       (GROUP_CONCAT(DISTINCT ?name; separator="\\u001f") AS ?names) WHERE {
  VALUES ?fact { $facts }
  ?fact a ?t . FILTER(?t != kg:Event)
  OPTIONAL { ?fact kg:startDate|kg:date ?d }
  OPTIONAL { ?fact kg:participant|kg:speaker|kg:person ?who . ?who rdfs:label ?name }
  OPTIONAL { ?fact kg:quote ?q }
  OPTIONAL { ?fact kg:title ?ti }
} GROUP BY ?fact""")
"""What `fact_summaries` reads of each fact: its most specific type, date, actors' names, quote and title."""
SUMMARY_QUOTE = 80
"""Characters of a quote kept in a fact's summary."""

ENTITY_SELECT = Template("""
SELECT ?s ?name ?type ?wikidata ?standsFor ?standsForName (COUNT(DISTINCT ?article) AS ?articles) WHERE {
  $pattern
  ?s a kg:Actor, ?type ; rdfs:label ?name .
  FILTER(?type != kg:Actor)
  OPTIONAL { ?s owl:sameAs ?wd . FILTER(STRSTARTS(STR(?wd), STR(wd:))) BIND(STRAFTER(STR(?wd), STR(wd:)) AS ?wikidata) }
  OPTIONAL { ?s kg:standsFor ?standsFor . ?standsFor rdfs:label ?standsForName }
  OPTIONAL { ?s kg:mentionedIn ?article }
} GROUP BY ?s ?name ?type ?wikidata ?standsFor ?standsForName ORDER BY LCASE(?name) ?s $page""")

EVENT_SELECT = Template("""
SELECT ?s ?type ?status ?date ?end ?timeText ?trigger ?location ?locationName ?disputed ?confidence WHERE {
  $pattern
  ?s a kg:Event, ?type ; kg:status ?status .
  FILTER(?type != kg:Event)
  OPTIONAL { ?s kg:startDate ?date }
  OPTIONAL { ?s kg:endDate ?end }
  OPTIONAL { ?s kg:timeText ?timeText }
  OPTIONAL { ?s kg:trigger ?trigger }
  OPTIONAL { ?s kg:place ?location . ?location rdfs:label ?locationName }
  OPTIONAL { ?s kg:disputed ?disputed }
  OPTIONAL { ?s kg:confidence ?confidence }
  $filter
} ORDER BY STR(?date) ?s $page""")

STATEMENT_SELECT = Template("""
SELECT ?s ?speaker ?speakerName ?quote ?date ?direct ?disputed ?confidence WHERE {
  $pattern
  ?s a kg:Statement ; kg:speaker ?speaker ; kg:quote ?quote .
  ?speaker rdfs:label ?speakerName .
  OPTIONAL { ?s kg:date ?date }
  OPTIONAL { ?s kg:direct ?direct }
  OPTIONAL { ?s kg:disputed ?disputed }
  OPTIONAL { ?s kg:confidence ?confidence }
  $filter
} ORDER BY STR(?date) ?s $page""")

ROLE_SELECT = Template("""
SELECT ?s ?person ?personName ?title ?of ?ofName ?date WHERE {
  $pattern
  ?s a kg:Role ; kg:person ?person ; kg:title ?title .
  ?person rdfs:label ?personName .
  OPTIONAL { ?s kg:of ?of . ?of rdfs:label ?ofName }
  OPTIONAL { ?s kg:date ?date }
} ORDER BY ?personName ?title ?s""")

PARTICIPANTS = Template("""
SELECT ?s ?p ?name (GROUP_CONCAT(DISTINCT ?roleName; separator=" ") AS ?roles) WHERE {
  VALUES ?s { $iris }
  ?s kg:participant ?p . ?p rdfs:label ?name .
  OPTIONAL { VALUES ?role { $roles } ?s ?role ?p . BIND(STRAFTER(STR(?role), "#") AS ?roleName) }
} GROUP BY ?s ?p ?name ORDER BY ?s ?name""")

EVIDENCE = Template("""
SELECT ?s ?article ?file ?sentence ?start ?end WHERE {
  VALUES ?s { $iris }
  ?s kg:evidence ?e .
  ?e kg:article ?article ; kg:sentence ?sentence ; kg:startOffset ?start ; kg:endOffset ?end .
  ?article kg:fileName ?file .
} ORDER BY ?s ?file ?start""")

SOURCES = Template("""
SELECT ?article ?file ?title ?url ?date WHERE {
  $iri kg:source ?article . ?article kg:fileName ?file .
  OPTIONAL { ?article schema:headline ?title }
  OPTIONAL { ?article schema:url ?url }
  OPTIONAL { ?article schema:datePublished ?date }
} ORDER BY ?file""")

TIMELINE = Template("""
SELECT ?s ?kind ?date ?end ?type ?status ?quote WHERE {
  {
    ?s kg:participant|kg:place $iri ; a kg:Event, ?type ; kg:startDate ?date ; kg:status ?status .
    FILTER(?type != kg:Event)
    OPTIONAL { ?s kg:endDate ?end }
    BIND("event" AS ?kind)
  } UNION {
    ?s kg:speaker $iri ; kg:quote ?quote ; kg:date ?date .
    BIND("statement" AS ?kind)
  }
} ORDER BY STR(?date) ?kind ?s""")


def rows(store: Store, sparql: str) -> list[dict[str, str]]:
    """Solutions of a SELECT query (the project's prefixes added) as dicts of string values; unbound is absent."""
    result = store.query(vocab.SPARQL_PREFIXES + sparql)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def grouped(store: Store, pattern: str) -> dict[str, list[str]]:
    """Sorted distinct values of ``?v`` for each ``?s`` matching `pattern`, in one GROUP_CONCAT query."""
    sparql = f'SELECT ?s (GROUP_CONCAT(DISTINCT ?v; separator="\\u001f") AS ?vs) WHERE {{ {pattern} }} GROUP BY ?s'
    return {r["s"]: sorted(r["vs"].split(SEP)) for r in rows(store, sparql) if r.get("vs")}


def literal(value: str) -> str:
    """`value` as an escaped SPARQL string literal."""
    return str(ox.Literal(value))


def iris(values: list[str]) -> str:
    """IRIs written for a VALUES block."""
    return " ".join(str(ox.NamedNode(v)) for v in values)


def page(limit: int, offset: int) -> str:
    """LIMIT/OFFSET clause, checked."""
    if limit < 0 or offset < 0:
        raise BadQuery("limit and offset must not be negative")
    return f"LIMIT {int(limit)} OFFSET {int(offset)}"


def _ref(iri: str | None, name: str | None) -> dict[str, str] | None:
    return {"id": vocab.id_of(iri), "name": name or ""} if iri else None


def _bool(value: str | None) -> bool:
    return value == "true"


def _number(value: str | None) -> float | None:
    return float(value) if value is not None else None


def _check(value: str | None, allowed: tuple[str, ...], what: str) -> None:
    if value is not None and value not in allowed:
        raise BadQuery(f"unknown {what} {value!r}; use one of {', '.join(allowed)}")


def date_filter(since: str | None, until: str | None, start: str = "?date", end: str | None = None) -> str:
    """A FILTER keeping items dated within [since, until], each date compared at its own precision.

    Args:
        since: Earliest ISO date, or None.
        until: Latest ISO date, or None.
        start: Expression of an item's (start) date.
        end: Expression of its end date, for ranges that overlap `since`.
    """
    clauses = []
    for bound, op, var in ((since, ">=", end or start), (until, "<=", start)):
        if bound is None:
            continue
        if not vocab.is_iso_date(bound):
            raise BadQuery(f"not an ISO date: {bound!r}")
        clauses.append(f"STR({var}) {op} SUBSTR({literal(bound)}, 1, STRLEN(STR({var})))")
    return f"FILTER({' && '.join(clauses)})" if clauses else ""


def _is_actor(store: Store, iri: str) -> bool:
    return bool(store.query(vocab.SPARQL_PREFIXES + f"ASK {{ {iris([iri])} a kg:Actor }}"))


def actor_iri(store: Store, entity_id: str) -> str:
    """The IRI of the actor `entity_id` names: its id, or the gazetteer's id of a well-known actor
    (``xi-jinping``), whose graph id is its Wikidata QID.

    Raises:
        NotFound: No actor has this id.
    """
    iri = vocab.entity_iri(entity_id)
    if _is_actor(store, iri):
        return iri
    entry = Gazetteer.load().by_id(entity_id)
    if entry is not None and entry.wikidata and _is_actor(store, vocab.entity_iri(entry.wikidata)):
        return vocab.entity_iri(entry.wikidata)
    raise NotFound(f"no entity {entity_id!r}")


def _entity_row(row: dict[str, str]) -> dict[str, Any]:
    return {
        "id": vocab.id_of(row["s"]),
        "iri": row["s"],
        "name": row["name"],
        "type": vocab.local_name(row["type"]),
        "wikidata": row.get("wikidata"),
        "stands_for": _ref(row.get("standsFor"), row.get("standsForName")),
        "article_count": int(row.get("articles", 0)),
    }


def list_entities(
    store: Store, type: str | None = None, q: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Actors sorted by name, optionally of one `type` and whose name or an alias contains `q` (any case)."""
    _check(type, ENTITY_TYPES, "entity type")
    pattern = f"VALUES ?type {{ kg:{type} }}" if type else ""
    if q:
        pattern += (
            f" FILTER EXISTS {{ ?s rdfs:label|skos:altLabel ?n ."
            f" FILTER(CONTAINS(LCASE(STR(?n)), LCASE({literal(q)}))) }}"
        )
    return [_entity_row(r) for r in rows(store, ENTITY_SELECT.substitute(pattern=pattern, page=page(limit, offset)))]


def get_entity(store: Store, entity_id: str) -> dict[str, Any]:
    """One actor with its aliases, articles, events, statements and roles (each with evidence).

    Raises:
        NotFound: No actor has this id.
    """
    iri = actor_iri(store, entity_id)
    found = rows(store, ENTITY_SELECT.substitute(pattern=f"VALUES ?s {{ {iris([iri])} }}", page=""))
    node = iris([iri])
    entity = _entity_row(found[0])
    entity["aliases"] = grouped(store, f"VALUES ?s {{ {node} }} ?s skos:altLabel ?v").get(iri, [])
    entity["articles"] = grouped(store, f"VALUES ?s {{ {node} }} ?s kg:mentionedIn/kg:fileName ?v").get(iri, [])
    entity["events"] = _events(store, f"?s kg:participant|kg:place {node} .")
    entity["statements"] = _statements(store, f"?s kg:speaker {node} .")
    entity["roles"] = _roles(store, f"?s kg:person|kg:of {node} .")
    return entity


EMPTY_QUOTES = re.compile(r'\s*(?:""|“”|‘’)\s*')
OPENING, CLOSING = '"“', '"”'


def readable(sentence: str) -> str:
    """An evidence sentence as a person reads it: glued words split (`kg.repair`, its own punctuation kept),
    empty quotation marks dropped, and a quotation mark left unpaired at either end removed."""
    fixed = repair(sentence)
    origin = fixed.origin
    text = "".join(" " if origin[i] == origin[i + 1] else sentence[origin[i]] for i in range(len(fixed.text)))
    text = " ".join(EMPTY_QUOTES.sub(" ", text).split())
    unpaired = text.count('"') % 2 or text.count("“") != text.count("”")
    if unpaired and text[:1] in OPENING and text.count("“") >= text.count("”"):
        text = text[1:].lstrip()
    elif unpaired and text[-1:] in CLOSING:
        text = text[:-1].rstrip()
    return text


def _with_evidence(store: Store, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    evidence = _evidence(store, [i["iri"] for i in items])
    for item in items:
        item["evidence"] = evidence.get(item["iri"], [])
        item["articles"] = sorted({e["article"] for e in item["evidence"]})
    return items


def _evidence(store: Store, fact_iris: list[str]) -> dict[str, list[dict[str, Any]]]:
    if not fact_iris:
        return {}
    found: dict[str, list[dict[str, Any]]] = {}
    for r in rows(store, EVIDENCE.substitute(iris=iris(fact_iris))):
        found.setdefault(r["s"], []).append(
            {
                "article": r["file"],
                "article_id": vocab.id_of(r["article"]),
                "sentence": r["sentence"],
                "text": readable(r["sentence"]),
                "start": int(r["start"]),
                "end": int(r["end"]),
            }
        )
    return found


def _participants(store: Store, event_iris: list[str]) -> dict[str, list[dict[str, Any]]]:
    if not event_iris:
        return {}
    roles = " ".join(f"kg:{r}" for r in ROLE_NAMES)
    found: dict[str, list[dict[str, Any]]] = {}
    for r in rows(store, PARTICIPANTS.substitute(iris=iris(event_iris), roles=roles)):
        found.setdefault(r["s"], []).append(
            {"id": vocab.id_of(r["p"]), "name": r["name"], "roles": sorted(r.get("roles", "").split())}
        )
    return found


def _event_row(row: dict[str, str]) -> dict[str, Any]:
    return {
        "id": vocab.id_of(row["s"]),
        "iri": row["s"],
        "type": vocab.local_name(row["type"]),
        "status": row["status"],
        "date": row.get("date"),
        "end": row.get("end"),
        "time_text": row.get("timeText"),
        "trigger": row.get("trigger"),
        "location": _ref(row.get("location"), row.get("locationName")),
        "disputed": _bool(row.get("disputed")),
        "confidence": _number(row.get("confidence")),
    }


def _events(store: Store, pattern: str, where: str = "", paging: str = "") -> list[dict[str, Any]]:
    events = [_event_row(r) for r in rows(store, EVENT_SELECT.substitute(pattern=pattern, filter=where, page=paging))]
    participants = _participants(store, [e["iri"] for e in events])
    for event in events:
        event["participants"] = participants.get(event["iri"], [])
    return _with_evidence(store, events)


def list_events(
    store: Store,
    type: str | None = None,
    since: str | None = None,
    until: str | None = None,
    entity: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Events sorted by date, filtered by type, date range, a participant's id and status.

    Raises:
        BadQuery: An unknown type or status, or a date that is not ISO.
        NotFound: `entity` is no actor's id.
    """
    _check(type, EVENT_TYPES, "event type")
    _check(status, STATUSES, "status")
    pattern = " ".join(
        filter(
            None,
            [
                f"VALUES ?type {{ kg:{type} }}" if type else "",
                f"VALUES ?status {{ {literal(status)} }}" if status else "",
                f"?s kg:participant {iris([actor_iri(store, entity)])} ." if entity else "",
            ],
        )
    )
    return _events(store, pattern, date_filter(since, until, end="COALESCE(?end, ?date)"), page(limit, offset))


def get_event(store: Store, event_id: str) -> dict[str, Any]:
    """One event with its participants, sources, evidence and disputes.

    Raises:
        NotFound: No event has this id.
    """
    iri = vocab.fact_iri("event", event_id)
    found = _events(store, f"VALUES ?s {{ {iris([iri])} }}")
    if not found:
        raise NotFound(f"no event {event_id!r}")
    event = found[0]
    event["sources"] = _sources(store, iri)
    event["disputes"] = [{k: d[k] for k in ("attribute", "values")} for d in _disputes(store, iri)]
    return event


def _sources(store: Store, iri: str) -> list[dict[str, Any]]:
    return [
        {
            "id": vocab.id_of(r["article"]),
            "name": r["file"],
            "title": r.get("title"),
            "url": r.get("url"),
            "date": r.get("date"),
        }
        for r in rows(store, SOURCES.substitute(iri=iris([iri])))
    ]


def _statement_row(row: dict[str, str]) -> dict[str, Any]:
    return {
        "id": vocab.id_of(row["s"]),
        "iri": row["s"],
        "speaker": _ref(row["speaker"], row["speakerName"]),
        "quote": row["quote"],
        "date": row.get("date"),
        "direct": row.get("direct") != "false",
        "disputed": _bool(row.get("disputed")),
        "confidence": _number(row.get("confidence")),
    }


def _statements(store: Store, pattern: str, where: str = "", paging: str = "") -> list[dict[str, Any]]:
    found = rows(store, STATEMENT_SELECT.substitute(pattern=pattern, filter=where, page=paging))
    return _with_evidence(store, [_statement_row(r) for r in found])


def list_statements(
    store: Store,
    speaker: str | None = None,
    since: str | None = None,
    until: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Statements sorted by date, filtered by the speaker's entity id, date range and words of the quote.

    Raises:
        NotFound: `speaker` is no actor's id.
    """
    pattern = f"?s kg:speaker {iris([actor_iri(store, speaker)])} ." if speaker else ""
    if q:
        pattern += f" FILTER(CONTAINS(LCASE(?quote), LCASE({literal(q)})))"
    return _statements(store, pattern, date_filter(since, until), page(limit, offset))


def _roles(store: Store, pattern: str) -> list[dict[str, Any]]:
    items = [
        {
            "id": vocab.id_of(r["s"]),
            "iri": r["s"],
            "person": _ref(r["person"], r["personName"]),
            "title": r["title"],
            "of": _ref(r.get("of"), r.get("ofName")),
            "date": r.get("date"),
        }
        for r in rows(store, ROLE_SELECT.substitute(pattern=pattern))
    ]
    return _with_evidence(store, items)


def _disputes(store: Store, fact_iri: str | None = None) -> list[dict[str, Any]]:
    sparql = DISPUTED_QUERY
    if fact_iri:
        sparql = sparql.replace("WHERE {", f"WHERE {{\n  VALUES ?fact {{ {iris([fact_iri])} }}", 1)
    disputes: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows(store, sparql):
        item = disputes.setdefault(
            (r["fact"], r["attribute"]),
            {
                "id": vocab.id_of(r["fact"]),
                "iri": r["fact"],
                "kind": vocab.local_name(r["kind"]).lower(),
                "attribute": r["attribute"],
                "values": [],
            },
        )
        values = item["values"]
        if not values or values[-1]["value"] != r["value"]:
            values.append({"value": r["value"], "label": r.get("entity", r["value"]), "articles": []})
        values[-1]["articles"].append(r["file"])
    return list(disputes.values())


def fact_summaries(store: Store, fact_iris: Iterable[str]) -> dict[str, str]:
    """A line naming each fact for people: ``PhoneCall 2023-03-16: Qin Gang, Dmytro Kuleba``,
    ``Wang Wenbin 2023-03-17: “the quote…”`` or ``Qin Gang: foreign minister``."""
    wanted = sorted(set(fact_iris))
    if not wanted:
        return {}
    out = {}
    for r in rows(store, FACT_SUMMARY.substitute(facts=iris(wanted))):
        kind, when = vocab.local_name(r["type"]), r.get("date")
        who = ", ".join(sorted(filter(None, r.get("names", "").split(SEP))))
        if kind == "Statement":
            quote = r.get("quote", "")
            quote = quote if len(quote) <= SUMMARY_QUOTE else quote[:SUMMARY_QUOTE].rstrip() + "…"
            out[r["fact"]] = " ".join(filter(None, [who, when])) + f": “{quote}”"
        elif kind == "Role":
            out[r["fact"]] = who + (f": {r['title']}" if "title" in r else "")
        else:
            out[r["fact"]] = " ".join(filter(None, [kind, when])) + (f": {who}" if who else "")
    return out


def disputed_facts(store: Store) -> list[dict[str, Any]]:
    """Every disputed attribute of a fact: its values, each with the file names of the articles reporting it,
    and a `summary` line naming the fact (`fact_summaries`).

    Runs `DISPUTED_QUERY`; one item per (fact, attribute).
    """
    disputes = _disputes(store)
    summaries = fact_summaries(store, (d["iri"] for d in disputes))
    return [{**d, "summary": summaries.get(d["iri"], d["id"])} for d in disputes]


def timeline(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """The dated events (as participant or place) and statements of an actor, sorted by date.

    Raises:
        NotFound: No actor has this id.
    """
    iri = actor_iri(store, entity_id)
    items = []
    for r in rows(store, TIMELINE.substitute(iri=iris([iri]))):
        item = {"kind": r["kind"], "id": vocab.id_of(r["s"]), "date": r["date"], "end": r.get("end")}
        if r["kind"] == "event":
            item.update(type=vocab.local_name(r["type"]), status=r["status"])
        else:
            item["quote"] = r["quote"]
        items.append(item)
    return items
