"""Merging facts across articles (first version: no merging, one fact per record)."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from kg.model import Article, ArticleFacts, Corpus, Entity, Event, Fact, Role, Statement
from kg.resolve import EntityMap


def fact_id(kind: str, *parts: str) -> str:
    """A stable id for a fact from its kind and identifying parts."""
    digest = hashlib.sha1("\x1f".join((kind, *parts)).encode()).hexdigest()[:16]  # noqa: S324
    return f"{kind}-{digest}"


def _remap(record: Event | Statement | Role, article: str, mapping: EntityMap) -> Event | Statement | Role:
    def m(key: str | None) -> str | None:
        return mapping.get((article, key)) if key else None

    if isinstance(record, Event):
        return replace(
            record,
            participants=[p for p in (m(k) for k in record.participants) if p],
            location=m(record.location),
            roles={r: [p for p in (m(k) for k in ks) if p] for r, ks in record.roles.items()},
        )
    if isinstance(record, Statement):
        return replace(record, speaker=m(record.speaker) or record.speaker,
                       about=[p for p in (m(k) for k in record.about) if p])
    return replace(record, person=m(record.person) or record.person, of=m(record.of))


def merge_facts(records: list[ArticleFacts], entities: list[Entity], mapping: EntityMap) -> Corpus:
    """Assemble the corpus view: entity ids substituted, one fact per source record."""
    kinds: dict[str, list[Fact]] = {"event": [], "statement": [], "role": []}
    for facts in records:
        aid = facts.article.id
        for kind, items in (("event", facts.events), ("statement", facts.statements), ("role", facts.roles)):
            for record in items:
                ev = record.evidence
                kinds[kind].append(Fact(fact_id(kind, aid, str(ev.start), repr(record)),
                                        _remap(record, aid, mapping), [ev]))
    articles: list[Article] = [f.article for f in records]
    return Corpus(articles, entities, kinds["event"], kinds["statement"], kinds["role"])
