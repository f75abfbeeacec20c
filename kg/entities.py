"""Actors in one article (first version: spaCy's named entities, grouped by name)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span

from kg.model import LocalEntity, Mention

if TYPE_CHECKING:
    from kg.extract import Context

LABEL_TYPES = {"PERSON": "Person", "GPE": "State", "ORG": "Organization", "NORP": "State"}


class EntityIndex:
    """The article's entities and which character spans of the doc refer to them."""

    def __init__(self, entities: list[LocalEntity], spans: dict[tuple[int, int], str]) -> None:
        self.entities = entities
        self.spans = spans
        self.by_key = {e.key: e for e in entities}

    def key_for(self, span: Span) -> str | None:
        """Key of the entity that a doc span (or a span containing it) names, else None."""
        for (start, end), key in self.spans.items():
            if start <= span.start_char and span.end_char <= end or span.start_char <= start < span.end_char:
                return key
        return None


def find_entities(ctx: Context) -> EntityIndex:
    """Group spaCy's PERSON/GPE/ORG/NORP mentions by surface form."""
    entities: dict[str, LocalEntity] = {}
    spans: dict[tuple[int, int], str] = {}
    for ent in ctx.doc.ents:
        if ent.label_ not in LABEL_TYPES:
            continue
        key = ent.text.casefold()
        entity = entities.setdefault(key, LocalEntity(key=key, name=ent.text, type=LABEL_TYPES[ent.label_]))
        start, end = ctx.original_span(ent.start_char, ent.end_char)
        entity.mentions.append(Mention(ent.text, start, end, ent.label_, ctx.evidence(ent.sent)))
        spans[(ent.start_char, ent.end_char)] = key
    return EntityIndex(list(entities.values()), spans)
