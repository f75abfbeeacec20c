"""Applying an increment (articles added, changed or removed) to the stored graph.

Only what the increment touches is recomputed: the entity groups its actors fall into, the event
clusters its reports can join, its speakers' statements, its people's roles and its near-copy
group, found through the index (`kg.index`) instead of by reading the whole graph. Each of these is
recomputed with the functions a build of all articles at once uses (`kg.resolve`, `kg.merge`,
`kg.rdf`), over a set of records closed under everything those functions compare, so the graph
equals the graph of a build of all articles at once, whatever the increments and their order.

Index entries (JSON):

- ``grp/KEY``: an entity group (`kg.resolve.group_key`): ``m`` its members (article -> the local
  entities' key, name, aliases, type votes, mention count, position and the group of the state
  they stand for), ``e`` the gazetteer entry it is, ``id`` the entity it resolves to, ``fold`` the
  group a one-word name joined, ``w`` the words of its multi-word names, ``s`` its slug
  (`kg.resolve.slug_of`).
- ``ent/ID``: an entity's groups ``g``, its normalised names ``n`` and the entity it stands for ``sf``.
- ``word/W``, ``name/N``, ``ref/KEY``: the groups with a multi-word name containing W; the entities
  going by name N (an alias two share is dropped); the groups standing for group KEY.
- ``slug/S``: the groups whose slug is S (their ids are decided together: `kg.resolve.entity_ids`).
- ``key/KEY``: the article stored under an article key (`kg.ingest.article_key`), whose later
  version replaces it (`kg.build.superseded`).
- ``art/ID``: an article's groups ``g`` (local key -> group), near-copy group ``dup``, original
  ``copy``, date ``pd``, possible dates ``dd`` and their label ``dl`` (when undated), its article
  key ``key``, and per kind of
  record (``e``, ``s``, ``r``) the fact each record is merged into (``f``), the keys each event is
  filed under (``k``) and the speaker or person of each statement and role (``p``).
- ``ev/ID``: an article's events with entity ids, and whether it is dated.
- ``blk/KEY``: events filed under a blocking key (`kg.merge.event_keys`), by month token.
- ``spk/ID``, ``per/ID``: the statements of a speaker, the roles of a person (each record with entity ids).
- ``sh/ID``: an article's word-bigram hashes and MinHash LSH bands; ``lsh/BAND``: articles by band.
- ``fact/ID``: the records a fact merges ``m`` and a digest of its quads ``h``.

A record is named ``ARTICLE#KIND INDEX`` (``a1b2#e0``: the first event of article a1b2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pyoxigraph as ox
from pydantic import TypeAdapter

from kg import vocab
from kg.extract.entities import normal
from kg.extract.timex import resolve as resolve_time
from kg.gazetteer import Gazetteer
from kg.index import Index
from kg.ingest import article_key
from kg.merge import (
    Record,
    _remap,
    article_bands,
    copies_in,
    copy_groups,
    date_label,
    event_facts,
    event_keys,
    infer_article_dates,
    is_copy,
    months_meet,
    role_facts,
    shingles_of,
    statement_facts,
    with_dates,
)
from kg.model import (
    Article,
    ArticleFacts,
    Entity,
    Event,
    Evidence,
    Fact,
    LocalEntity,
    Mention,
    Role,
    Statement,
    facts_from_json,
)
from kg.rdf import article_date, article_quads, entity_quads, fact_quads
from kg.resolve import Group, build_entity, entity_ids, group_key, merge_surnames, slug_of, unsupported
from kg.store import Store
from kg.vocab import K

RECORD = ox.NamedNode(vocab.KG + "extractionRecord")
EVENTS = TypeAdapter(list[Event])
FactsOf = Callable[[list, dict[str, str]], list[tuple[Fact, list[Record]]]]
"""`kg.merge.statement_facts` or `kg.merge.role_facts`: records and origins -> facts with their records."""
KINDS = {"e": "events", "s": "statements", "r": "roles"}
FOLLOWED = (K.dispute, K.alternative, K.evidence)
A = ox.NamedNode(vocab.RDF + "type")
COUNTED = {
    (A, K.Article): "articles",
    (A, K.Actor): "entities",
    (A, K.Event): "events",
    (A, K.Statement): "statements",
    (A, K.Role): "roles",
}
"""Typed nodes counted in the canonical graph (with near-copy links: ``duplicates``)."""
"""Links from a fact to the nodes it owns (dispute and value nodes) or shares (evidence nodes)."""


def ref(article: str, kind: str, index: int) -> str:
    """The name of one record of an article."""
    return f"{article}#{kind}{index}"


def split_ref(name: str) -> tuple[str, str, int]:
    """(article id, kind, index) of a record name."""
    article, _, rest = name.rpartition("#")
    return article, rest[0], int(rest[1:])


@dataclass
class Changes:
    """What an increment rewrites: the quads to remove and to add (graph and index)."""

    remove: list[ox.Quad] = field(default_factory=list)
    add: list[ox.Quad] = field(default_factory=list)


class Increment:
    """One increment's work: records read, entities resolved, facts merged, quads made."""

    def __init__(
        self, store: Store, added: list[ArticleFacts], removed: Iterable[str], gazetteer: Gazetteer | None = None
    ) -> None:
        self.store = store
        self.index = Index(store)
        self.gazetteer = gazetteer or Gazetteer.load()
        self.added = {f.article.id: f for f in added}
        self.removed = set(removed) | {a for a in self.added if self.index.old(f"art/{a}") is not None}
        self._records: dict[str, ArticleFacts | None] = {a: None for a in self.removed}
        self._records.update(self.added)
        self._mapped: dict[str, dict[str, list[Record]]] = {}
        self.dirty: set[str] = set(self.removed) | set(self.added)
        """Articles whose facts must be merged again."""
        self.retitled: set[str] = set(self.removed) | set(self.added)
        """Articles whose own triples (date, near-copy link) must be written again."""
        self.entities: set[str] = set()
        self.facts: dict[str, Fact | None] = {}
        """Fact id -> its new version (None: removed)."""
        self.shingles: dict[str, set[str]] = {}
        self._members: dict[str, list[tuple[str, LocalEntity]]] = {}
        self._events: dict[str, list[Record]] = {}
        """Word bigrams of the articles compared for near-copies."""

    # --- records -------------------------------------------------------------------------

    def records(self, ids: Iterable[str]) -> dict[str, ArticleFacts | None]:
        """The current records of articles (None for removed ones), read from the store once."""
        ids = list(ids)
        missing = [i for i in dict.fromkeys(ids) if i not in self._records]
        subjects = [vocab.article_iri(i) for i in missing]
        for quad in self.store.quads_about(subjects, vocab.RECORDS_GRAPH):
            if quad.predicate == RECORD:
                facts = facts_from_json(quad.object.value)
                self._records[facts.article.id] = facts
        for i in missing:
            self._records.setdefault(i, None)
        return {i: self._records[i] for i in ids}

    def record(self, article: str) -> ArticleFacts | None:
        """The current record of one article."""
        return self.records([article])[article]

    def mapped(self, article: str) -> dict[str, list[Record]]:
        """An article's events, statements and roles with entity ids (its records' current mapping)."""
        if article not in self._mapped:
            facts = self.record(article)
            if facts is None:
                self._mapped[article] = {k: [] for k in KINDS}
            else:
                groups = self.art(article).get("g", {})
                self.index.load(f"grp/{g}" for g in groups.values())
                mapping = {
                    (article, key): eid
                    for key, g in groups.items()
                    if (eid := self.index.get(f"grp/{g}", {}).get("id"))
                }
                self._mapped[article] = {
                    kind: [_remap(r, article, mapping) for r in getattr(facts, name)] for kind, name in KINDS.items()
                }
        return self._mapped[article]

    def art(self, article: str) -> dict:
        """The article's current index entry (created empty)."""
        entry = self.index.get(f"art/{article}")
        if entry is None:
            entry = {}
            if article not in self.removed or article in self.added:
                self.index.put(f"art/{article}", entry)
        return entry

    def old_art(self, article: str) -> dict:
        """The article's index entry as stored before the increment."""
        return self.index.old(f"art/{article}", {})

    # --- the increment ---------------------------------------------------------------------

    def run(self) -> Changes:
        """Recompute what the increment touches; returns the quads that make the store hold the result."""
        for article in self.removed:
            if (key := self.old_art(article).get("key")) and self.index.get(f"key/{key}") == article:
                self.index.put(f"key/{key}", None)
            self.index.put(f"art/{article}", {} if article in self.added else None)
        for article, facts in sorted(self.added.items()):
            if key := article_key(facts.article):
                self.art(article)["key"] = key
                self.index.put(f"key/{key}", article)
        self.resolve()
        self.find_copies()
        days = self.merge_events()
        self.merge_blocks("s", "spk", days, statement_facts)
        self.merge_blocks("r", "per", days, role_facts)
        return self.quads()

    # --- entities ----------------------------------------------------------------------------

    def resolve(self) -> None:
        """Update the entity groups of the increment's actors and re-resolve every group they affect."""
        direct: set[str] = set()
        for article in sorted(self.removed):
            for g in set(self.old_art(article).get("g", {}).values()):
                entry = self.index.get(f"grp/{g}", {})
                entry.get("m", {}).pop(article, None)
                self.index.put(f"grp/{g}", entry)
                direct.add(g)
        for article, facts in sorted(self.added.items()):
            groups, members, entries = self.contributions(facts)
            self.art(article).update(g=groups, pd=facts.article.date)
            for g, contribution in members.items():
                entry = self.index.get(f"grp/{g}", {})
                entry.setdefault("m", {})[article] = contribution
                entry["e"] = entries.get(g)
                self.index.put(f"grp/{g}", entry)
                direct.add(g)
        closure, outcome = self.group_closure(direct)
        self.store_groups(closure, outcome)

    def contributions(self, facts: ArticleFacts) -> tuple[dict[str, str], dict[str, list], dict[str, str]]:
        """An article's local key -> group, per group what its local entities contribute, and the id of
        the gazetteer entry of each group that is one."""
        keys = {local.key: group_key(local, self.gazetteer) for local in facts.entities}
        members: dict[str, list] = {}
        for pos, local in enumerate(facts.entities):
            key, _ = keys[local.key]
            sf = keys[local.stands_for][0] if local.stands_for in keys else None
            item = [local.key, local.name, local.aliases, local.type_votes, len(local.mentions), pos, sf]
            members.setdefault(key, []).append(item)
        entries = {g: entry.id for g, entry in keys.values() if entry is not None}
        return {k: g for k, (g, _) in keys.items()}, members, entries

    def group(self, key: str) -> Group:
        """A group rebuilt from its index entry (mentions as placeholders: only their count and article matter)."""
        entry = self.index.get(f"grp/{key}", {})
        if key not in self._members:  # members change only before groups are rebuilt (`resolve`)
            members = []
            for article, items in sorted(entry.get("m", {}).items()):
                placeholder = Mention("", 0, 0, "", Evidence(article, "", 0, 0))
                for local_key, name, aliases, votes, n, _, _ in items:
                    local = LocalEntity(local_key, name, aliases=aliases, type_votes=votes, mentions=[placeholder] * n)
                    members.append((article, local))
            self._members[key] = members
        entry_ = self.gazetteer.by_id(entry["e"]) if entry.get("e") else None
        return Group(members=list(self._members[key]), entry=entry_)

    def slugs(self, key: str) -> set[str]:
        """The group's slugs before and after the increment."""
        entry, old = self.index.get(f"grp/{key}", {}), self.index.old(f"grp/{key}", {})
        group = self.group(key)
        now = {slug_of(key, group)} if group.members else set()
        return {s for s in (entry.get("s"), old.get("s")) if s} | now

    def neighbours(self, key: str) -> set[str]:
        """Groups whose resolution may change with this group's: groups sharing its words, surname or
        slug, its entity id (before and after), and those standing for it."""
        entry, old = self.index.get(f"grp/{key}", {}), self.index.old(f"grp/{key}", {})
        out: set[str] = set(self.index.get(f"ref/{key}", []))
        for s in self.slugs(key):
            out |= set(self.index.get(f"slug/{s}", []))
        words = set(entry.get("w", [])) | set(old.get("w", [])) | set(self.group(key).words())
        if key.startswith("name:"):
            words.add(key.removeprefix("name:"))
        for word in words:
            if self.index.get(f"grp/name:{word}", {}).get("m"):
                out |= {f"name:{word}", *self.index.get(f"word/{word}", [])}
        for eid in (entry.get("id"), old.get("id")):
            if eid:
                out |= set(self.index.get(f"ent/{eid}", {}).get("g", []))
        return out

    def preload_neighbours(self, keys: list[str]) -> None:
        """Read in two requests the entries `neighbours` reads for `keys` (one each for a remote store)."""
        self.index.load([f"grp/{k}" for k in keys] + [f"ref/{k}" for k in keys])
        words = {w for k in keys for w in self.index.get(f"grp/{k}", {}).get("w", [])}
        words |= {k.removeprefix("name:") for k in keys if k.startswith("name:")}
        ids = {e.get("id") for k in keys for e in (self.index.get(f"grp/{k}", {}), self.index.old(f"grp/{k}", {}))}
        slugs = {s for k in keys for s in self.slugs(k)}
        self.index.load([f"grp/name:{w}" for w in words] + [f"word/{w}" for w in words] + [f"slug/{s}" for s in slugs])
        self.index.load(f"ent/{i}" for i in ids if i)

    def group_closure(self, direct: set[str]) -> tuple[set[str], dict[str, tuple[str | None, str | None]]]:
        """Groups to resolve again, and each one's (entity id, group it folds into), resolved together."""
        closure, todo = set(direct), list(direct)
        while True:
            while todo:
                self.preload_neighbours(todo)
                wave, todo = todo, []
                for key in wave:
                    for other in self.neighbours(key) - closure:
                        closure.add(other)
                        todo.append(other)
            outcome = self.resolve_groups(closure)
            partners = {g for eid, _ in outcome.values() if eid for g in self.index.get(f"ent/{eid}", {}).get("g", [])}
            if partners <= closure:
                return closure, outcome
            todo = list(partners - closure)
            closure |= partners

    def resolve_groups(self, keys: set[str]) -> dict[str, tuple[str | None, str | None]]:
        """As `kg.resolve.resolve_entities` does: fold surnames, drop unsupported groups, name the rest
        (`keys` holds every group sharing a slug with one of them)."""
        groups = {k: self.group(k) for k in sorted(keys) if self.index.get(f"grp/{k}", {}).get("m")}
        folded = merge_surnames(groups)
        ids = entity_ids({k: g for k, g in groups.items() if not unsupported(g)})
        out: dict[str, tuple[str | None, str | None]] = {k: (ids.get(k), None) for k in groups}
        out.update((k, (ids.get(owner), owner)) for k, owner in folded.items())
        out.update((k, (None, None)) for k in keys - out.keys())
        return out

    def store_groups(self, closure: set[str], outcome: dict[str, tuple[str | None, str | None]]) -> None:
        """Write the re-resolved groups and the entity, word and name entries they change."""
        touched: set[str] = set()
        for key in sorted(closure):
            entry, old = self.index.get(f"grp/{key}", {}), self.index.old(f"grp/{key}", {})
            eid, fold = outcome[key]
            if old.get("id") != eid:
                self.dirty |= set(entry.get("m", {})) | set(old.get("m", {}))
            for word in set(old.get("w", [])):
                self._drop(f"word/{word}", key)
            if old.get("s"):
                self._drop(f"slug/{old['s']}", key)
            for g in {item[6] for items in old.get("m", {}).values() for item in items if item[6]}:
                self._drop(f"ref/{g}", key)
            if entry.get("m"):
                entry.update(id=eid, fold=fold, w=sorted(self.group(key).words()), s=slug_of(key, self.group(key)))
                self.index.put(f"grp/{key}", entry)
                self._add(f"slug/{entry['s']}", key)
                for word in entry["w"]:
                    self._add(f"word/{word}", key)
                for g in {item[6] for items in entry["m"].values() for item in items if item[6]}:
                    self._add(f"ref/{g}", key)
            else:
                self.index.put(f"grp/{key}", None)
            if old.get("id"):
                self._drop(f"ent/{old['id']}", key, "g")
                touched.add(old["id"])
            if eid:
                self._add(f"ent/{eid}", key, "g")
                touched.add(eid)
        self.store_entities(touched)

    def _add(self, key: str, value: str, field: str | None = None) -> None:
        entry = self.index.get(key, {} if field else [])
        items = entry.setdefault(field, []) if field else entry
        if value not in items:
            items.append(value)
            items.sort()
        self.index.put(key, entry)

    def _drop(self, key: str, value: str, field: str | None = None) -> None:
        entry = self.index.get(key, {} if field else [])
        items = entry.get(field, []) if field else entry
        if value in items:
            items.remove(value)
        self.index.put(key, entry if items else None)

    def entity(self, eid: str) -> Entity | None:
        """The entity as `kg.resolve.resolve_entities` makes it, before shared aliases are dropped."""
        keys = self.index.get(f"ent/{eid}", {}).get("g", [])
        self.index.load(f"grp/{k}" for k in keys)
        owners = sorted(k for k in keys if not self.index.get(f"grp/{k}", {}).get("fold"))
        entity = None
        for key in owners:
            group = self.group(key)
            for single in keys:
                if self.index.get(f"grp/{single}", {}).get("fold") == key:
                    group.members += self.group(single).members
            made = build_entity(eid, group)
            if entity is None:
                entity = made
            else:
                entity.mentions.extend(made.mentions)
                entity.aliases = sorted(set(entity.aliases) | set(made.aliases))
        if entity is not None:
            entity.stands_for = self.stands_for(keys)
        return entity

    def stands_for(self, keys: list[str]) -> str | None:
        """The first member (by article, then position) that stands for a state decides (`set_stands_for`)."""
        claims = sorted(
            (article, item[5], item[6])
            for k in keys
            for article, items in self.index.get(f"grp/{k}", {}).get("m", {}).items()
            for item in items
            if item[6]
        )
        for _, _, target in claims:
            if eid := self.index.get(f"grp/{target}", {}).get("id"):
                return eid
        return None

    def store_entities(self, touched: set[str]) -> None:
        """Update the entities of `touched` ids, the name owners, and note every entity to write again."""
        renamed: set[str] = set()
        for eid in sorted(touched):
            old = self.index.old(f"ent/{eid}", {})
            entity = self.entity(eid)
            names = sorted({normal(n) for n in (entity.name, *entity.aliases)}) if entity else []
            for name in set(old.get("n", [])) ^ set(names):
                renamed.add(name)
            for name in set(old.get("n", [])) - set(names):
                self._drop(f"name/{name}", eid)
            for name in set(names) - set(old.get("n", [])):
                self._add(f"name/{name}", eid)
            if entity is None:
                self.index.put(f"ent/{eid}", None)
                continue
            entry = self.index.get(f"ent/{eid}", {})
            if old.get("sf") != entity.stands_for:
                self.dirty |= {a for k in entry.get("g", []) for a in self.index.get(f"grp/{k}", {}).get("m", {})}
            entry.update(n=names, sf=entity.stands_for)
            self.index.put(f"ent/{eid}", entry)
        owners = {e for n in renamed for e in self.index.old(f"name/{n}", []) + self.index.get(f"name/{n}", [])}
        self.entities |= touched | owners

    def final_entity(self, eid: str) -> Entity | None:
        """The entity as written: aliases another entity also goes by are dropped (`drop_shared_aliases`)."""
        entity = self.entity(eid)
        if entity is not None:
            entity.aliases = [a for a in entity.aliases if self.index.get(f"name/{normal(a)}", []) == [eid]]
        return entity

    def stands_for_map(self, ids: Iterable[str]) -> dict[str, str]:
        """Entity id -> the state it stands for, for `ids`."""
        self.index.load(f"ent/{i}" for i in ids)
        return {i: sf for i in ids if (sf := self.index.get(f"ent/{i}", {}).get("sf"))}

    # --- near-copies -------------------------------------------------------------------------

    def shingles_of(self, ids: Iterable[str]) -> list[set[int]]:
        """Word-bigram hashes of articles: of new ones from their text, of stored ones from the index."""
        ids = list(ids)
        self.index.load(f"sh/{i}" for i in ids if i not in self.shingles)
        for i in ids:
            if i not in self.shingles:
                self.shingles[i] = set(self.index.get(f"sh/{i}", {}).get("sh", []))
        return [self.shingles[i] for i in ids]

    def find_copies(self) -> None:
        """Update the near-copy groups of removed and added articles (`kg.merge.find_duplicates`)."""
        regroup: list[list[str]] = []
        for article in sorted(self.removed):
            old = self.old_art(article)
            for band in self.index.old(f"sh/{article}", {}).get("b", []):
                self._drop(f"lsh/{band}", article)
            self.index.put(f"sh/{article}", None)
            regroup.append([a for a in old.get("dup") or [] if a != article])
        added = sorted(self.added)
        for article in added:
            self.shingles[article] = shingles_of(self.added[article].article.text)
            self.index.put(f"sh/{article}", {"sh": sorted(self.shingles[article])})
        for article, bands in zip(added, article_bands(self.shingles_of(added)), strict=True):
            self.index.get(f"sh/{article}")["b"] = bands
            candidates = sorted({c for band in bands for c in self.index.get(f"lsh/{band}", [])})
            joined = {article}
            for other, shingles in zip(candidates, self.shingles_of(candidates), strict=True):
                if other not in joined and is_copy(self.shingles[article], shingles):
                    joined |= set(self.art(other).get("dup") or [other])
            for band in bands:
                self._add(f"lsh/{band}", article)
            group = sorted(joined)
            for member in group:
                self.art(member)["dup"] = group
            regroup.append(group)
        for members in regroup:
            self.store_copies([m for m in members if m not in self.removed or m in self.added])

    def store_copies(self, members: list[str]) -> None:
        """Split a group of articles into connected near-copies and note each one's original."""
        bands = [self.index.get(f"sh/{m}", {}).get("b", []) for m in members]
        shingles = self.shingles_of(members)
        records = self.records(members)
        for indexes in copy_groups(bands, shingles):
            group = [members[i] for i in indexes]
            copies = {
                d.article: d.copy_of
                for d in copies_in([records[m].article for m in group], [shingles[i] for i in indexes])
            }
            for member in group:
                entry = self.art(member)
                entry["dup"] = group if len(group) > 1 else None
                if self.old_art(member).get("copy") != copies.get(member):
                    self.dirty.add(member)
                    self.retitled.add(member)
                entry["copy"] = copies.get(member)

    def origin(self, articles: Iterable[str]) -> dict[str, str]:
        """Copy -> original, for `articles`."""
        return {a: c for a in articles if (c := self.art(a).get("copy"))}

    # --- events ------------------------------------------------------------------------------

    def current(self, name: str) -> Record | None:
        """A record's current version with entity ids (None when its article is gone)."""
        article, kind, index = split_ref(name)
        records = self.events(article) if kind == "e" else self.mapped(article)[kind]
        return records[index] if index < len(records) else None

    def events(self, article: str) -> list[Record]:
        """An article's events with entity ids: of a dirty article from its record, else from its ``ev/`` entry."""
        if article in self.dirty or self.index.get(f"ev/{article}") is None:
            return self.mapped(article)["e"]
        if article not in self._events:
            self._events[article] = EVENTS.validate_python(self.index.get(f"ev/{article}")["e"])
        return self._events[article]

    def dated(self, article: str) -> bool:
        """Whether the article has a publication date."""
        if article in self.dirty:
            return bool((facts := self.record(article)) and facts.article.date)
        return self.index.get(f"ev/{article}", {}).get("dated", True)

    def old_mates(self, name: str) -> list[str]:
        """The records merged into the same fact as record `name` before the increment."""
        article, kind, index = split_ref(name)
        facts = self.old_art(article).get(kind, {}).get("f", [])
        return self.index.old(f"fact/{facts[index]}", {}).get("m", []) if index < len(facts) else []

    def own_records(self, article: str, kind: str) -> list[str]:
        """Names of an article's current and former records of one kind."""
        n = max(len(self.mapped(article)[kind]), len(self.old_art(article).get(kind, {}).get("f", [])))
        return [ref(article, kind, i) for i in range(n)]

    def event_closure(self) -> set[str]:
        """Events to cluster again: those of dirty articles, closed under every report `cluster_events`
        may compare them with (`kg.merge.event_keys`), the former members of their clusters, and all
        reports of an undated article once one is in (its date is inferred from all of them)."""
        closure: set[str] = set()
        todo = [r for a in sorted(self.dirty) for r in self.own_records(a, "e")]
        while todo:
            name = todo.pop()
            if name in closure:
                continue
            closure.add(name)
            found = list(self.old_mates(name))
            if (event := self.current(name)) is not None:
                article = split_ref(name)[0]
                _, looked_up, months = event_keys(event, self.stands_for_map(event.participants))
                self.index.load(f"blk/{k}" for k in looked_up)
                for key in looked_up:
                    for month, names in self.index.get(f"blk/{key}", {}).items():
                        if months_meet([month], months):
                            found += names
                if not self.dated(article):
                    found += self.own_records(article, "e")
            todo += [f for f in found if f not in closure]
        return closure

    def merge_events(self) -> dict[str, list[date]]:
        """Cluster and merge the events of the closure again; returns the possible dates of undated articles."""
        names = sorted(self.event_closure())
        current = [(n, e) for n in names if (e := self.current(n)) is not None]
        articles = {split_ref(n)[0] for n, _ in current}
        stands_for = self.stands_for_map({i for _, e in current for i in _entity_ids(e)})
        undated = {a for a in articles if not self.dated(a)}
        for article in sorted(self.dirty):
            if (facts := self.record(article)) is None:
                self.index.put(f"ev/{article}", None)
                continue
            events = EVENTS.dump_python(self.mapped(article)["e"], mode="json")
            self.index.put(f"ev/{article}", {"dated": bool(facts.article.date), "e": events})
        events = [e for _, e in current]
        days = infer_article_dates(events, undated, stands_for, resolve_time)
        for article in undated:
            self.store_days(article, days.get(article))
        events = with_dates(events, days, resolve_time)
        names_of = {id(e): n for (n, _), e in zip(current, events, strict=True)}
        for name, event in zip((n for n, _ in current), events, strict=True):
            self.file_event(name, event, stands_for)
        for name in names:
            if self.current(name) is None:
                self.file_event(name, None, stands_for)
        merged = event_facts(events, self.origin(articles), stands_for, resolve_time)
        self.store_facts("e", names, merged, names_of)
        return {a: [date.fromisoformat(d) for d in self.art(a).get("dd") or []] for a in undated}

    def store_days(self, article: str, days: list[date] | None) -> None:
        """Note an undated article's possible dates; when they change its statements and roles merge again."""
        entry = self.art(article)
        entry["dd"] = [d.isoformat() for d in days] if days else None
        label = date_label(days) if days else None
        if label != self.old_art(article).get("dl"):
            self.dirty.add(article)
            self.retitled.add(article)
        entry["dl"] = label

    def file_event(self, name: str, event: Record | None, stands_for: dict[str, str]) -> None:
        """File an event under its blocking keys (and take it out of those it was filed under)."""
        article, _, index = split_ref(name)
        old_keys = self.old_art(article).get("e", {}).get("k", [])
        for key in old_keys[index] if index < len(old_keys) else []:
            entry = self.index.get(f"blk/{key}", {})
            for month in list(entry):
                if name in entry[month]:
                    entry[month].remove(name)
                    if not entry[month]:
                        del entry[month]
            self.index.put(f"blk/{key}", entry)
        if event is None:
            return
        filed, _, months = event_keys(event, {p: s for p, s in stands_for.items() if p in event.participants})
        for key in filed:
            entry = self.index.get(f"blk/{key}", {})
            for month in months:
                entry.setdefault(month, [])
                if name not in entry[month]:
                    entry[month] = sorted([*entry[month], name])
            self.index.put(f"blk/{key}", entry)
        keys = self.art(article).setdefault("e", {}).setdefault("k", [])
        keys += [[] for _ in range(index + 1 - len(keys))]
        keys[index] = filed

    def store_facts(
        self, kind: str, names: list[str], merged: list[tuple[Fact, list[Record]]], names_of: dict[int, str]
    ) -> None:
        """Replace the former facts of records `names` by the new ones merged from them."""
        for name in names:
            article, _, index = split_ref(name)
            facts = self.old_art(article).get(kind, {}).get("f", [])
            if index < len(facts) and facts[index] not in self.facts:
                self.facts[facts[index]] = None
                self.index.put(f"fact/{facts[index]}", None)
        for fact, members in merged:
            member_names = sorted(names_of[id(m)] for m in members)
            self.facts[fact.id] = fact
            self.index.put(f"fact/{fact.id}", {"m": member_names})
            for name in member_names:
                article, _, index = split_ref(name)
                ids = self.art(article).setdefault(kind, {}).setdefault("f", [])
                ids += [None] * (index + 1 - len(ids))
                ids[index] = fact.id
        for article in {split_ref(n)[0] for n in names} & self.dirty:
            entry = self.art(article).get(kind, {})
            n = len(self.mapped(article)[kind])
            for field_name in ("f", "k", "p"):
                if field_name in entry:
                    del entry[field_name][n:]

    # --- statements and roles -------------------------------------------------------------------

    def merge_blocks(self, kind: str, block: str, days: dict[str, list[date]], facts_of: FactsOf) -> None:
        """Merge again the statements of every speaker (or roles of every person) a dirty article names."""
        fresh: dict[str, list[str]] = {}
        keys: set[str] = set()
        for article in sorted(self.dirty):
            keys |= {p for p in self.old_art(article).get(kind, {}).get("p", []) if p}
            for i, record in enumerate(self.mapped(article)[kind]):
                fresh.setdefault(_key(record), []).append(ref(article, kind, i))
        adapter = TypeAdapter(Statement if kind == "s" else Role)
        for key in sorted(keys | fresh.keys()):
            old = self.index.old(f"{block}/{key}", {})
            stale = [n for n in old if split_ref(n)[0] in self.dirty]
            names = sorted(set(old) - set(stale) | set(fresh.get(key, [])))
            articles = {split_ref(n)[0] for n in names}
            records = [
                adapter.validate_python(old[n]) if n in old and n not in stale else self.current(n) for n in names
            ]
            self.index.put(
                f"{block}/{key}", {n: adapter.dump_python(r, mode="json") for n, r in zip(names, records, strict=True)}
            )
            if kind == "s":
                records = with_dates(records, self._days(articles, days), resolve_time)
            names_of = {id(r): n for n, r in zip(names, records, strict=True)}
            self.store_facts(kind, sorted(set(names) | set(stale)), facts_of(records, self.origin(articles)), names_of)
        for article in sorted(self.dirty):
            if self.record(article) is not None:
                self.art(article).setdefault(kind, {})["p"] = [_key(r) for r in self.mapped(article)[kind]]

    def _days(self, articles: set[str], days: dict[str, list[date]]) -> dict[str, list[date]]:
        out = {}
        for article in articles:
            found = days.get(article) or [date.fromisoformat(d) for d in self.art(article).get("dd") or []]
            if found:
                out[article] = found
        return out

    # --- quads ------------------------------------------------------------------------------

    def dates(self, articles: Iterable[str]) -> dict[str, str | None]:
        """Each article's publication date, or its inferred single date."""
        articles = list(articles)
        self.index.load(f"art/{a}" for a in articles)
        return {a: self.art(a).get("pd") or article_date(NO_DATE, self.art(a).get("dl")) for a in articles}

    def new_quads(self) -> Iterator[ox.Quad]:
        """The quads of every node the increment rewrites (see `changed`)."""
        for article in sorted(self.retitled):
            facts = self.record(article)
            if facts is not None:
                entry = self.art(article)
                yield from article_quads(facts.article, entry.get("dl"), entry.get("copy"))
        for eid in sorted(self.entities):
            if (entity := self.final_entity(eid)) is not None:
                yield from entity_quads(entity)
        for quads in self.changed.values():
            yield from quads

    @cached_property
    def changed(self) -> dict[str, list[ox.Quad]]:
        """The quads of each fact merged again that is new, gone or different from its stored version
        (a digest of its quads is kept in its index entry), so unchanged facts are neither read nor written."""
        roles = [f for f in self.facts.values() if isinstance(f, Fact) and isinstance(f.record, Role)]
        dates = self.dates({a for f in roles for a in f.articles})  # only roles are dated by their articles
        out = {}
        for fid, fact in self.facts.items():
            if fact is None:
                out[fid] = []
                continue
            quads = list(dict.fromkeys(fact_quads(fact, dates, lambda v: self.index.get(f"ent/{v}") is not None)))
            digest = hashlib.blake2b("\n".join(sorted(map(str, quads))).encode(), digest_size=12).hexdigest()
            self.index.get(f"fact/{fid}")["h"] = digest
            if self.index.old(f"fact/{fid}", {}).get("h") != digest:
                out[fid] = quads
        return out

    def subjects(self) -> list[str]:
        """IRIs of the nodes the increment rewrites (facts, entities, articles)."""
        out = [vocab.article_iri(a) for a in sorted(self.retitled)]
        out += [vocab.entity_iri(e) for e in sorted(self.entities)]
        return out + [_fact_iri(f) for f in sorted(self.changed)]

    def quads(self) -> Changes:
        """Quads to remove and add: the rewritten nodes' old and new quads, and the index's changes."""
        old = {q for q in self.store.quads_about(self.subjects()) if q.graph_name.value not in vocab.INTERNAL_GRAPHS}
        owned = {q.object.value for q in old if q.predicate in FOLLOWED}
        while owned:
            more = {
                q for q in self.store.quads_about(sorted(owned)) if q.graph_name.value not in vocab.INTERNAL_GRAPHS
            } - old
            old |= more
            owned = {q.object.value for q in more if q.predicate in FOLLOWED}
        new = dict.fromkeys(self.new_quads())  # in the order made: the store writes clustered quads faster
        keep = self.shared_evidence(old, new.keys())
        gone, added = [q for q in old if q not in new and q not in keep], [q for q in new if q not in old]
        self.count(gone, added)
        remove, add = self.index.changes()
        return Changes(remove + gone, add + added)

    def count(self, gone: list[ox.Quad], added: list[ox.Quad]) -> None:
        """Keep the graph's counts (`COUNTED`) in the index entry ``counts``, so a build reports them at once."""
        counts = self.index.get("counts", {})
        for quads, sign in ((gone, -1), (added, 1)):
            counts["quads"] = counts.get("quads", 0) + sign * len(quads)
            for q in quads:
                if (name := COUNTED.get((q.predicate, q.object))) and q.graph_name.value == vocab.CANONICAL_GRAPH:
                    counts[name] = counts.get(name, 0) + sign
                elif q.predicate == K.duplicateOf:
                    counts["duplicates"] = counts.get("duplicates", 0) + sign
        self.index.put("counts", counts)

    def shared_evidence(self, old: set[ox.Quad], new: Iterable[ox.Quad]) -> set[ox.Quad]:
        """Old quads of evidence nodes that facts the increment does not rewrite still cite."""
        rewritten = {_fact_iri(f) for f in self.changed}
        cited = {(q.object, q.graph_name) for q in new if q.predicate == K.evidence}
        dropped = {(q.object, q.graph_name) for q in old if q.predicate == K.evidence} - cited
        keep: set[ox.Quad] = set()
        for node, graph in dropped:
            query = f"SELECT ?f WHERE {{ GRAPH {graph} {{ ?f {K.evidence} {node} }} }}"
            if any(row["f"].value not in rewritten for row in self.store.query(query, default_graph=[graph.value])):
                keep |= {q for q in old if q.subject == node and q.graph_name == graph}
        return keep


NO_DATE = Article("", "", "")
"""An article without a date (`kg.rdf.article_date` then gives its inferred date, if one day)."""


def _fact_iri(fact_id: str) -> str:
    """The IRI of a fact from its id (``event-…``, ``statement-…``, ``role-…``)."""
    return vocab.fact_iri(fact_id.partition("-")[0], fact_id)


def _entity_ids(event: Record) -> set[str]:
    """The entity ids an event names (participants, place, role holders)."""
    held = {i for ids in event.roles.values() for i in ids}
    return {*event.participants, *([event.location] if event.location else []), *held}


def _key(record: Record) -> str:
    """The block of a statement (its speaker) or a role (its person)."""
    return getattr(record, "speaker", None) or record.person
