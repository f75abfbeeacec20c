"""Entity resolution across articles (first version: same lower-cased name, same entity)."""

from __future__ import annotations

import re
from collections import Counter

from kg.gazetteer import Gazetteer
from kg.model import ArticleFacts, Entity

EntityMap = dict[tuple[str, str], str]
"""(article id, local entity key) -> corpus `Entity.id`."""


def slug(text: str) -> str:
    """A readable IRI-safe id from a name: ``Xi Jinping`` -> ``xi-jinping``."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def resolve_entities(records: list[ArticleFacts], gazetteer: Gazetteer) -> tuple[list[Entity], EntityMap]:
    """Merge article-local entities into corpus entities; decide each type from all mentions."""
    entities: dict[str, Entity] = {}
    votes: dict[str, Counter[str]] = {}
    mapping: EntityMap = {}
    for facts in records:
        for local in facts.entities:
            eid = slug(local.name)
            entity = entities.setdefault(eid, Entity(id=eid, name=local.name, type=local.type or "Organization"))
            entity.mentions.extend(local.mentions)
            votes.setdefault(eid, Counter())[local.type or "Organization"] += len(local.mentions)
            mapping[(facts.article.id, local.key)] = eid
    for eid, entity in entities.items():
        entity.type = votes[eid].most_common(1)[0][0]
    return list(entities.values()), mapping
