"""The corpus as RDF quads, under the ontology in ``ontology/kg.ttl``.

The canonical graph holds the merged facts, the entities and the articles; the
graph of each article holds that article's own version of every fact it
supports (same fact and entity IRIs, but the values that article reports
where sources disagree) with its evidence. Output is deterministic and uses
no blank nodes, so two builds can be compared quad by quad.

Disputed attributes that change an article's version of a fact are
``type``, ``status``, ``location``, ``date`` (an ISO date or an interval
``start/end``), ``end``, ``quote``, ``title`` and ``of``; an empty value
means that article gives none. Other disputed
attributes (details such as ``meal``) appear only as dispute nodes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache

import pyoxigraph as ox

from kg import vocab
from kg.model import EVENT_TYPES, STATUSES, Article, Corpus, Entity, Event, Evidence, Fact, Role, Statement, TimeExpr
from kg.vocab import K

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]
Record = Event | Statement | Role

A = ox.NamedNode(vocab.RDF + "type")
LABEL = ox.NamedNode(vocab.RDFS + "label")
ALT_LABEL = ox.NamedNode(vocab.SKOS + "altLabel")
SAME_AS = ox.NamedNode(vocab.OWL + "sameAs")
URL = ox.NamedNode(vocab.SCHEMA + "url")
DATE_PUBLISHED = ox.NamedNode(vocab.SCHEMA + "datePublished")
HEADLINE = ox.NamedNode(vocab.SCHEMA + "headline")
ANY_URI = ox.NamedNode(vocab.XSD + "anyURI")
DECIMAL = ox.NamedNode(vocab.XSD + "decimal")

ROLE_NAMES = ("visitor", "host", "inviter", "broker", "issuer", "subject")
KIND_OF = {Event: "event", Statement: "statement", Role: "role"}
_QID = re.compile(r"Q\d+")


def corpus_quads(corpus: Corpus) -> Iterator[ox.Quad]:
    """All quads of the corpus: each article's, each entity's, then each fact's (canonical and article graphs).

    Args:
        corpus: The resolved, merged corpus.

    Returns:
        Quads in a deterministic order (duplicates possible, e.g. shared evidence).
    """
    dates = article_dates(corpus)
    entity_ids = {e.id for e in corpus.entities}
    copy_of = {d.article: d.copy_of for d in corpus.duplicates}
    for article in corpus.articles:
        yield from article_quads(article, corpus.inferred_dates.get(article.id), copy_of.get(article.id))
    for entity in corpus.entities:
        yield from entity_quads(entity)
    for fact in facts_of(corpus):
        yield from fact_quads(fact, dates, entity_ids.__contains__)


def facts_of(corpus: Corpus) -> Iterator[Fact]:
    """Events, statements and roles of the corpus, in that order."""
    yield from corpus.events
    yield from corpus.statements
    yield from corpus.roles


def article_dates(corpus: Corpus) -> dict[str, str | None]:
    """Each article's publication date, or the single date inferred for an undated one (dates its roles)."""
    return {a.id: article_date(a, corpus.inferred_dates.get(a.id)) for a in corpus.articles}


def article_date(article: Article, inferred: str | None) -> str | None:
    """The article's publication date, else its inferred date when that is one day (not an interval)."""
    return article.date or (inferred if inferred and vocab.is_iso_date(inferred) else None)


def _in(graph: str, triples: Iterable[Triple]) -> Iterator[ox.Quad]:
    node = ox.NamedNode(graph)
    return (ox.Quad(*t, node) for t in triples)


def article_quads(article: Article, inferred_date: str | None, copy_of: str | None) -> Iterator[ox.Quad]:
    """An article's quads in the canonical graph, with the article it is a near-copy of."""
    yield from _in(vocab.CANONICAL_GRAPH, article_triples(article, inferred_date))
    if copy_of:
        node, original = _node(vocab.article_iri(article.id)), _node(vocab.article_iri(copy_of))
        yield ox.Quad(node, K.duplicateOf, original, ox.NamedNode(vocab.CANONICAL_GRAPH))


def entity_quads(entity: Entity) -> Iterator[ox.Quad]:
    """An entity's quads in the canonical graph."""
    return _in(vocab.CANONICAL_GRAPH, entity_triples(entity))


def fact_quads(fact: Fact, dates: dict[str, str | None], is_entity: Callable[[str], bool]) -> Iterator[ox.Quad]:
    """A merged fact in the canonical graph, and each source article's version of it in that article's graph.

    Args:
        fact: The merged fact.
        dates: Publication (or inferred) date of each of its source articles (dates roles).
        is_entity: Whether a disputed value is an entity id (then the alternative links the entity).
    """
    yield from _in(vocab.CANONICAL_GRAPH, canonical_fact_triples(fact, dates, is_entity))
    for article_id in fact.articles:
        yield from _in(vocab.article_graph(article_id), article_fact_triples(fact, article_id, dates.get(article_id)))


def canonical_fact_triples(
    fact: Fact, dates: dict[str, str | None], is_entity: Callable[[str], bool]
) -> Iterator[Triple]:
    """A merged fact's record, provenance, confidence and disputes."""
    node = fact_node(fact)
    first_date = next((dates[a] for a in fact.articles if dates.get(a)), None)
    yield from record_triples(node, fact.record, first_date)
    yield from provenance_triples(node, fact.sources)
    yield node, K.confidence, decimal_literal(fact.confidence)
    yield node, K.disputed, ox.Literal(bool(fact.disputes))
    yield from dispute_triples(node, fact, is_entity)


def article_fact_triples(fact: Fact, article_id: str, article_date: str | None) -> Iterator[Triple]:
    """One article's version of a fact: its own values where sources disagree, and its evidence."""
    node = fact_node(fact)
    yield from record_triples(node, article_version(fact, article_id), article_date)
    yield from provenance_triples(node, [e for e in fact.sources if e.article == article_id])


def fact_node(fact: Fact) -> ox.NamedNode:
    """The IRI node of a fact (``event/``, ``statement/`` or ``role/`` + its id)."""
    return ox.NamedNode(vocab.fact_iri(KIND_OF[type(fact.record)], fact.id))


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@lru_cache(maxsize=1 << 16)
def _entity(entity_id: str) -> ox.NamedNode:
    return ox.NamedNode(vocab.entity_iri(entity_id))


def _date_triples(node: ox.NamedNode, prop: ox.NamedNode, value: str | None) -> Iterator[Triple]:
    literal = vocab.date_literal(value) if value else None
    if literal is not None:
        yield node, prop, literal


def article_triples(article: Article, inferred_date: str | None = None) -> Iterator[Triple]:
    """An article's type, file name, URL, publication date (or inferred date/interval) and headline."""
    node = _node(vocab.article_iri(article.id))
    yield node, A, K.Article
    yield node, K.fileName, ox.Literal(article.name)
    if article.url:
        yield node, URL, ox.Literal(article.url, datatype=ANY_URI)
    yield from _date_triples(node, DATE_PUBLISHED, article.date)
    if inferred_date and not article.date:
        yield node, K.inferredDate, ox.Literal(inferred_date)
    if article.title:
        yield node, HEADLINE, ox.Literal(article.title)


def entity_triples(entity: Entity) -> Iterator[Triple]:
    """An actor's types, label, aliases, Wikidata link, articles and the state it stands for."""
    node = _entity(entity.id)
    yield node, A, K.Actor
    yield node, A, getattr(K, entity.type)
    yield node, LABEL, ox.Literal(entity.name)
    for alias in dict.fromkeys(entity.aliases):
        if alias != entity.name:
            yield node, ALT_LABEL, ox.Literal(alias)
    if entity.wikidata and _QID.fullmatch(entity.wikidata):
        yield node, SAME_AS, _node(vocab.wikidata_iri(entity.wikidata))
    for article_id in dict.fromkeys(m.evidence.article for m in entity.mentions):
        yield node, K.mentionedIn, _node(vocab.article_iri(article_id))
    if entity.stands_for:
        yield node, K.standsFor, _entity(entity.stands_for)


def record_triples(node: ox.NamedNode, record: Record, article_date: str | None) -> Iterator[Triple]:
    """The triples of an event, statement or role record (`article_date` dates roles)."""
    if isinstance(record, Event):
        return event_triples(node, record)
    if isinstance(record, Statement):
        return statement_triples(node, record)
    return role_triples(node, record, article_date)


def _time_triples(node: ox.NamedNode, time: TimeExpr | None, start: ox.NamedNode) -> Iterator[Triple]:
    if time is None:
        return
    yield from _date_triples(node, start, time.start)
    yield from _date_triples(node, K.endDate, time.end)
    if time.text:
        yield node, K.timeText, ox.Literal(time.text)


def event_triples(node: ox.NamedNode, event: Event) -> Iterator[Triple]:
    """An event's type, participants (with their argument roles), place, time, status and trigger."""
    yield node, A, K.Event
    yield node, A, getattr(K, event.type)
    role_values = [p for name in ROLE_NAMES for p in event.roles.get(name, [])]
    for participant in dict.fromkeys(event.participants + role_values):
        yield node, K.participant, _entity(participant)
    for name in ROLE_NAMES:
        for participant in dict.fromkeys(event.roles.get(name, [])):
            yield node, getattr(K, name), _entity(participant)
    if event.location:
        yield node, K.place, _entity(event.location)
    yield from _time_triples(node, event.time, K.startDate)
    yield node, K.status, ox.Literal(event.status)
    if event.trigger:
        yield node, K.trigger, ox.Literal(event.trigger)


def statement_triples(node: ox.NamedNode, statement: Statement) -> Iterator[Triple]:
    """A statement's speaker, quote, directness, time and the actors it is about."""
    yield node, A, K.Statement
    yield node, K.speaker, _entity(statement.speaker)
    yield node, K.quote, ox.Literal(statement.quote)
    yield node, K.direct, ox.Literal(statement.direct)
    yield from _time_triples(node, statement.time, K.date)
    for about in dict.fromkeys(statement.about):
        yield node, K.about, _entity(about)


def role_triples(node: ox.NamedNode, role: Role, article_date: str | None) -> Iterator[Triple]:
    """A role's person, title, whom it is of, and the date of the article that reports it."""
    yield node, A, K.Role
    yield node, K.person, _entity(role.person)
    yield node, K.title, ox.Literal(role.title)
    if role.of:
        yield node, K.of, _entity(role.of)
    yield from _date_triples(node, K.date, article_date)


def provenance_triples(node: ox.NamedNode, sources: Iterable[Evidence]) -> Iterator[Triple]:
    """The fact's source articles and evidence sentences (each evidence node described)."""
    for evidence in sources:
        article = _node(vocab.article_iri(evidence.article))
        ev = _node(vocab.evidence_iri(evidence.article, evidence.start, evidence.end))
        yield node, K.source, article
        yield node, K.evidence, ev
        yield ev, A, K.Evidence
        yield ev, K.article, article
        yield ev, K.sentence, ox.Literal(evidence.sentence)
        yield ev, K.startOffset, ox.Literal(evidence.start)
        yield ev, K.endOffset, ox.Literal(evidence.end)


def decimal_literal(value: float) -> ox.Literal:
    """`value` to 3 places as an xsd:decimal in canonical form (as stores keep it: ``0.5``, ``1``)."""
    return ox.Literal(f"{value:.3f}".rstrip("0").rstrip("."), datatype=DECIMAL)


def dispute_triples(node: ox.NamedNode, fact: Fact, is_entity: Callable[[str], bool]) -> Iterator[Triple]:
    """Dispute nodes: ``{fact}/dispute/{attribute}``, with one ``.../{n}`` node per value and its articles."""
    for disagreement in fact.disputes:
        dispute = _node(f"{node.value}/dispute/{vocab.quote_segment(disagreement.attribute)}")
        yield node, K.dispute, dispute
        yield dispute, A, K.Dispute
        yield dispute, K.attribute, ox.Literal(disagreement.attribute)
        for n, value in enumerate(sorted(disagreement.values), start=1):
            alternative = _node(f"{dispute.value}/{n}")
            yield dispute, K.alternative, alternative
            yield alternative, A, K.DisputedValue
            yield alternative, K.value, ox.Literal(value)
            if is_entity(value):
                yield alternative, K.valueEntity, _entity(value)
            for article_id in dict.fromkeys(disagreement.values[value]):
                yield alternative, K.reportedBy, _node(vocab.article_iri(article_id))


def _interval(value: str) -> dict[str, str | None]:
    """``2023-03-20/2023-03-22`` -> start and end; a single date -> start only."""
    start, _, end = value.partition("/")
    return {"start": start or None, "end": end or None}


def _retime(record: Record, **change: str | None) -> Record:
    return replace(record, time=replace(getattr(record, "time", None) or TimeExpr(""), **change))


_SETTERS: dict[str, tuple[str, Callable[[Record, str], Record]]] = {
    "type": ("type", lambda r, v: replace(r, type=v) if v in EVENT_TYPES else r),
    "status": ("status", lambda r, v: replace(r, status=v) if v in STATUSES else r),
    "location": ("location", lambda r, v: replace(r, location=v or None)),
    "of": ("of", lambda r, v: replace(r, of=v or None)),
    "quote": ("quote", lambda r, v: replace(r, quote=v or r.quote)),
    "title": ("title", lambda r, v: replace(r, title=v or r.title)),
    "date": ("time", lambda r, v: _retime(r, **_interval(v))),
    "end": ("time", lambda r, v: _retime(r, end=v or None)),
}


def article_version(fact: Fact, article_id: str) -> Record:
    """The fact's record with the values that `article_id` reports for its disputed attributes."""
    record = fact.record
    for disagreement in fact.disputes:
        field, setter = _SETTERS.get(disagreement.attribute, ("", None))
        if setter is None or not hasattr(record, field):
            continue
        for value, articles in disagreement.values.items():
            if article_id in articles:
                record = setter(record, value)
    return record
