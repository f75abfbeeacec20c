"""Entity resolution across articles: one `Entity` per real actor.

Local entities are grouped by (1) the gazetteer entry their name finds, else (2) a
spelling-tolerant key of their name (Zelensky/Zelenskyy, Yury/Yuri), and (3) a name
of one word (a surname) joins the only multi-word name in the corpus that contains it.
Ids are the gazetteer's QID or slug, else the slug of the canonical name (other scripts
transliterated), so they do not depend on the order of the articles; two groups whose
names share a slug are told apart by a short hash of the later one's key, so two actors
never share an id. The type is decided corpus-wide: the
gazetteer wins, else the sum of the type votes of every article.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from kg.extract.entities import entry_id, normal, slug
from kg.gazetteer import GazEntry, Gazetteer
from kg.model import ArticleFacts, Entity, LocalEntity

EntityMap = dict[tuple[str, str], str]
"""(article id, local entity key) -> corpus `Entity.id`."""

TYPE_ORDER = ("Person", "Organization", "State", "City")
"""Tie-break between equal type votes."""
LABEL_ONLY_PERSON_VOTE = 1.0
"""A spaCy PERSON label gives 1 vote per mention; more than that means a title or the gazetteer vouched."""


@dataclass
class Group:
    """Local entities found to be one actor."""

    members: list[tuple[str, LocalEntity]] = field(default_factory=list)
    entry: GazEntry | None = None

    @property
    def names(self) -> list[str]:
        return [n for _, e in self.members for n in (e.name, *e.aliases)]

    def words(self) -> set[str]:
        """The normalised words of its multi-word names."""
        return {w for n in self.names if len(normal(n).split()) > 1 for w in normal(n).split()}

    def single_word(self) -> bool:
        return all(len(normal(n).split()) <= 1 for n in self.names)

    def votes(self) -> dict[str, float]:
        total: dict[str, float] = defaultdict(float)
        for _, e in self.members:
            for vote, weight in e.type_votes.items():
                total[vote] += weight
        return total


def group_key(local: LocalEntity, gazetteer: Gazetteer) -> tuple[str, GazEntry | None]:
    """Grouping key: the gazetteer entry of the local entity's name, else its institution key or normalised name."""
    entry = gazetteer.lookup(local.name)
    if entry is None and local.type == "Person":
        entry = gazetteer.variant(local.name, "Person")
    if entry is not None:
        return entry_id(entry), entry
    return qualified_key(local.name, gazetteer) or f"name:{normal(local.name)}", None


def qualified_key(name: str, gazetteer: Gazetteer) -> str | None:
    """Key of a state's institution, however the state is written: "Chinese Foreign Ministry" and
    "China's Foreign Ministry" -> ``Q148:foreign ministri``; None for other names."""
    words = name.split()
    for n in range(1, min(3, len(words) - 1) + 1):
        qualifier = " ".join(words[:n])
        state = gazetteer.demonym(qualifier) or gazetteer.lookup(qualifier)
        if state is not None and state.type == "State":
            return f"{entry_id(state)}:{normal(' '.join(words[n:]))}"
    return None


def initial_groups(records: list[ArticleFacts], gazetteer: Gazetteer) -> dict[str, Group]:
    """Groups by gazetteer entry or normalised name."""
    groups: dict[str, Group] = {}
    for facts in records:
        for local in facts.entities:
            key, entry = group_key(local, gazetteer)
            group = groups.setdefault(key, Group(entry=entry))
            group.members.append((facts.article.id, local))
    return groups


def decide_type(group: Group) -> str:
    """Gazetteer type, else the type with most votes."""
    if group.entry is not None:
        return group.entry.type
    votes = group.votes()
    if not votes:
        return "Organization"
    return max(TYPE_ORDER, key=lambda t: (votes.get(t, 0.0), -TYPE_ORDER.index(t)))


def merge_surnames(groups: dict[str, Group]) -> dict[str, str]:
    """Fold one-word person names into the only multi-word person in the corpus that has that word.

    Returns:
        The key of each folded group -> the key of the group it joined.
    """
    people = {k: g for k, g in groups.items() if decide_type(g) == "Person" and not g.single_word()}
    words = {k: g.words() for k, g in people.items()}
    folded = {}
    for key, group in list(groups.items()):
        if group.entry is not None or not group.single_word() or decide_type(group) != "Person":
            continue
        word = normal(group.names[0])
        owners = [k for k, ws in words.items() if word in ws]
        if len(owners) == 1:
            groups[owners[0]].members.extend(group.members)
            del groups[key]
            folded[key] = owners[0]
    return folded


def unsupported(group: Group) -> bool:
    """A one-word 'person' that no title, gazetteer entry or full name vouches for (e.g. "Covid")."""
    mentions = sum(len(e.mentions) for _, e in group.members)
    person_votes = group.votes().get("Person", 0.0)
    return (
        group.entry is None
        and group.single_word()
        and decide_type(group) == "Person"
        and person_votes <= LABEL_ONLY_PERSON_VOTE * mentions
    )


def canonical_name(group: Group) -> str:
    """Gazetteer name, else the longest name (ties: one without a possessive, the most used, alphabetical)."""
    if group.entry is not None:
        return group.entry.name
    counts: dict[str, int] = defaultdict(int)
    for _, e in group.members:
        counts[e.name] += len(e.mentions) or 1
    return min(counts, key=lambda n: (-len(normal(n).split()), "'" in n or "’" in n, -counts[n], n))


def entity_ids(groups: dict[str, Group]) -> dict[str, str]:
    """The corpus id of each group: its gazetteer id, else the slug of its name, with a short hash of the group's
    key when an earlier group (in key order) or a gazetteer entry already has that slug."""
    ids = {key: key for key, group in groups.items() if group.entry is not None}
    taken = set(ids.values())
    for key, group in sorted(groups.items()):
        if group.entry is None:
            eid = slug_of(key, group)
            if eid in taken:
                eid = f"{eid}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
            ids[key] = eid
            taken.add(eid)
    return ids


def slug_of(key: str, group: Group) -> str:
    """The id a group asks for: its gazetteer id, else the slug of its name (`entity_ids` tells apart the
    groups asking for one id)."""
    return key if group.entry is not None else slug(canonical_name(group))


def build_entity(eid: str, group: Group) -> Entity:
    """The corpus entity of a group (without `stands_for`, set once all ids are known)."""
    name = canonical_name(group)
    aliases = sorted({n for n in group.names if n != name})
    mentions = [m for _, e in group.members for m in e.mentions]
    wikidata = group.entry.wikidata if group.entry else None
    return Entity(eid, name, decide_type(group), aliases, wikidata, mentions)  # type: ignore[arg-type]


def resolve_entities(records: list[ArticleFacts], gazetteer: Gazetteer) -> tuple[list[Entity], EntityMap]:
    """Merge article-local entities into corpus entities; decide each type from all mentions."""
    groups = initial_groups(records, gazetteer)
    merge_surnames(groups)
    kept = {key: group for key, group in groups.items() if not unsupported(group)}
    entities: dict[str, Entity] = {}
    mapping: EntityMap = {}
    for key, eid in sorted(entity_ids(kept).items()):
        entities[eid] = build_entity(eid, kept[key])
        for article, local in kept[key].members:
            mapping[(article, local.key)] = eid
    set_stands_for(records, entities, mapping)
    drop_shared_aliases(list(entities.values()))
    return sorted(entities.values(), key=lambda e: e.id), mapping


def set_stands_for(records: list[ArticleFacts], entities: dict[str, Entity], mapping: EntityMap) -> None:
    """Carry "capital used as actor" over to corpus ids (the first article that says so decides)."""
    for facts in records:
        for local in facts.entities:
            eid = mapping.get((facts.article.id, local.key))
            if eid and local.stands_for and not entities[eid].stands_for:
                entities[eid].stands_for = mapping.get((facts.article.id, local.stands_for))


def drop_shared_aliases(entities: list[Entity]) -> None:
    """Remove aliases that another entity also goes by ("Wang" for Wang Yi and Wang Wenbin): they name neither."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        for name in (entity.name, *entity.aliases):
            owners[normal(name)].add(entity.id)
    for entity in entities:
        entity.aliases = [a for a in entity.aliases if len(owners[normal(a)]) == 1]
