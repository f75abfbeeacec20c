"""Actors in one article: named-entity spans cleaned, typed and grouped into local entities.

Candidate spans come from `spans` (spaCy's named entities, the gazetteer's names, names in
capitals), cleaned of titles, credits and junk. Each is typed by votes (gazetteer, label,
a title before it, an apposition after it), and mentions are grouped:
a gazetteer name goes to its entry; a bare surname or a shortened name ("Wang",
"Foreign Ministry") goes to the nearest earlier fuller name that contains it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from anyascii import anyascii
from rapidfuzz import fuzz, process
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.extract.spans import (
    GAZETTEER_ONLY_LABELS,
    LABEL_VOTES,
    capitals_spans,
    clean,
    dateline,
    gazetteer_spans,
    is_title_word,
    lookup,
    ner_spans,
    not_an_actor,
    variant,
    without_document,
)
from kg.gazetteer import VARIANT_MIN_LENGTH, VARIANT_SCORE, GazEntry, Gazetteer
from kg.model import LocalEntity, Mention

if TYPE_CHECKING:
    from kg.extract.context import Context

ORG_NOUNS = frozenset(
    {
        "manufacturer",
        "maker",
        "firm",
        "contractor",
        "aggregator",
        "producer",
        "supplier",
        "outlet",
        "group",
        "company",
        "agency",
        "organization",
        "organisation",
        "bank",
        "tank",
        "institute",
    }
)
"""Head nouns of an apposition that mark an organisation ("Techcrim, a Russian arms manufacturer")."""
RELATIONAL = frozenset({"counterpart", "equivalent"})
"""Words for a person holding the same post as another ("his Ukrainian counterpart")."""
ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent"})
GAZETTEER_WEIGHT = 10.0
TITLE_WEIGHT = 2.0


def normal(text: str) -> str:
    """Spelling-tolerant key: ``Zelenskyy`` and ``Zelensky``, ``Yury`` and ``Yuri`` agree; other scripts are
    transliterated (``Сергей Лавров`` -> ``sergei lavrov``), so no name is left without a key."""
    text = re.sub(r"[\W_]+", " ", transliterated(text).casefold().replace("'s", "")).replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", " ".join(text.split()))


def transliterated(text: str) -> str:
    """`text` in ASCII letters (anyascii), but for letters it has no spelling for, which are kept as they are."""
    return "".join(anyascii(c) or (c if c.isalnum() else "") for c in unicodedata.normalize("NFC", text))


def slug(text: str) -> str:
    """A readable IRI-safe id from a name, other scripts transliterated: ``Xi Jinping`` -> ``xi-jinping``,
    ``Thomas Müller`` -> ``thomas-muller``, ``Сергей Лавров`` -> ``sergey-lavrov`` (``x`` when nothing is left).

    Different names may still share a slug; `kg.resolve` makes corpus ids unique.
    """
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).casefold()).strip("-") or "x"


def entry_id(entry: GazEntry) -> str:
    """Corpus id of a gazetteer entry: its QID, else its slug."""
    return entry.wikidata or entry.id


@dataclass
class Found:
    """One cleaned mention before grouping."""

    span: Span
    label: str
    entry: GazEntry | None
    votes: dict[str, float] = field(default_factory=dict)
    titled: str | None = None

    @cached_property
    def tokens(self) -> list[str]:
        return normal(self.span.text).split()


class EntityIndex:
    """The article's entities and which tokens of the doc refer to them."""

    def __init__(self, entities: list[LocalEntity], mentions: list[tuple[Span, str]]) -> None:
        self.entities = entities
        self.mentions = sorted(mentions, key=lambda m: m[0].start)
        self.by_key = {e.key: e for e in entities}
        self.token_keys = {i: key for span, key in self.mentions for i in range(span.start, span.end)}
        self.spans = {(span.start_char, span.end_char): key for span, key in self.mentions}

    def key_for_token(self, token: Token) -> str | None:
        """Key of the entity whose mention covers `token`, else None."""
        return self.token_keys.get(token.i)

    def mention_at(self, token: Token) -> Span | None:
        """The mention span that covers `token`, else None."""
        return next((s for s, _ in self.mentions if s.start <= token.i < s.end), None)

    def mentions_in(self, sent: Span) -> list[tuple[Span, str]]:
        """Mentions (span, key) inside `sent`, in text order."""
        return [(s, k) for s, k in self.mentions if sent.start <= s.start and s.end <= sent.end]


def context_votes(span: Span, gazetteer: Gazetteer, titled: str | None) -> dict[str, float]:
    """Type votes from the words around a mention: a title before it, an apposition after it."""
    votes: dict[str, float] = {}
    before = span.doc[span.start - 1] if span.start > 0 else None
    if titled or (before is not None and is_title_word(before, gazetteer)):
        votes["Person"] = TITLE_WEIGHT
    for child in span.root.children:
        if child.dep_ == "appos" and child.lemma_.lower() in ORG_NOUNS:
            votes["Organization"] = votes.get("Organization", 0.0) + TITLE_WEIGHT
        elif child.dep_ == "appos" and is_title_word(child, gazetteer):
            votes["Person"] = votes.get("Person", 0.0) + TITLE_WEIGHT
    return votes


def found_mentions(doc: Doc, gazetteer: Gazetteer) -> list[Found]:
    """Clean, typed mentions of actors in `doc`, in text order."""
    found = []
    for span in filter_spans([*gazetteer_spans(doc, gazetteer), *ner_spans(doc, gazetteer), *capitals_spans(doc)]):
        cleaned = clean(span, gazetteer)
        if cleaned is None:
            continue
        text_span, titled = cleaned
        text_span = without_document(text_span, gazetteer)
        entry = lookup(text_span.text, gazetteer) or variant(text_span.text, span.label_, gazetteer)
        if entry is None and (span.label_ in GAZETTEER_ONLY_LABELS or not_an_actor(text_span, gazetteer)):
            continue
        votes = context_votes(text_span, gazetteer, titled)
        sure = entry is not None or dateline(text_span)
        vote = entry.type if entry else "City" if sure else LABEL_VOTES.get(span.label_)
        if vote:
            votes[vote] = votes.get(vote, 0.0) + (GAZETTEER_WEIGHT if sure else 1.0)
        found.append(Found(text_span, span.label_, entry, votes, titled))
    return sorted(found, key=lambda f: f.span.start)


def titled_head(token: Token, gazetteer: Gazetteer) -> bool:
    """True when `token` modifies (through adjectives/compounds) a title word ("Chinese [Foreign] Minister")."""
    for _ in range(3):
        if token.dep_ not in ("amod", "compound", "nmod") or token.head.i == token.i:
            return False
        token = token.head
        if is_title_word(token, gazetteer) or token.lower_ in RELATIONAL:
            return True
    return False


def demonym_mentions(doc: Doc, gazetteer: Gazetteer, taken: set[int]) -> list[Found]:
    """States named by a demonym that qualifies a title ("Chinese leader" -> China)."""
    found = []
    for ent in doc.ents:
        entry = gazetteer.demonym(ent.text) if ent.label_ in ("NORP", "GPE") else None
        if entry and ent.start not in taken and titled_head(ent.root, gazetteer):
            found.append(Found(ent, "NORP", entry, {entry.type: GAZETTEER_WEIGHT}))
    return found


class Grouper:
    """Assigns each mention a local key: gazetteer entry, same name, or the nearest fuller name."""

    def __init__(self) -> None:
        self.entities: dict[str, LocalEntity] = {}
        self.names: dict[str, list[str]] = {}
        self.last_seen: dict[str, int] = {}
        self.by_normal: dict[str, str] = {}
        self.people: dict[str, str] = {}
        """Normalised names labelled as people, for spelling variants (organisations differ by one word)."""

    def key(self, f: Found) -> str:
        """The local key for mention `f`, remembering it for later mentions."""
        if f.entry is not None:
            return entry_id(f.entry)
        norm = " ".join(f.tokens)
        person = f.label == "PERSON"
        key = (
            self.fuller(f.tokens)
            or self.by_normal.get(norm)
            or (person and self.spelled(norm))
            or self.fresh(slug(f.span.text))
        )
        self.by_normal.setdefault(norm, key)
        if person:
            self.people.setdefault(norm, key)
        return key

    def fresh(self, key: str) -> str:
        """`key`, numbered when another name of the article already has it (two names, one slug)."""
        taken = set(self.by_normal.values())
        return next(k for k in (key, *(f"{key}-{n}" for n in range(2, len(taken) + 3))) if k not in taken)

    def spelled(self, norm: str) -> str | None:
        """Key of an earlier person's name of the article that `norm` spells differently ("Mikael Andersen")."""
        if len(norm) < VARIANT_MIN_LENGTH or len(norm.split()) < 2:
            return None
        found = process.extractOne(norm, list(self.people), scorer=fuzz.ratio, score_cutoff=VARIANT_SCORE)
        return self.people[found[0]] if found else None

    def fuller(self, tokens: list[str]) -> str | None:
        """Key of the most recent entity whose longer name contains `tokens` (a surname, or a name's tail)."""
        best = None
        for key, names in self.names.items():
            if any(contains(name.split(), tokens) for name in names) and (
                best is None or self.last_seen[key] > self.last_seen[best]
            ):
                best = key
        return best

    def add(self, f: Found, key: str) -> None:
        """Record mention `f` under `key`."""
        entity = self.entities.setdefault(key, LocalEntity(key=key, name=readable(f.span.text)))
        for vote, weight in f.votes.items():
            entity.type_votes[vote] = entity.type_votes.get(vote, 0.0) + weight
        if f.entry is not None:
            entity.name, entity.wikidata = f.entry.name, f.entry.wikidata
        elif len(f.tokens) > len(normal(entity.name).split()) or (entity.name.isupper() and not f.span.text.isupper()):
            entity.name = readable(f.span.text)
        surfaces = () if f.label == "NORP" else (f.span.text, f"{f.titled} {f.span.text}" if f.titled else None)
        for surface in surfaces:
            if surface and surface != entity.name and surface not in entity.aliases:
                entity.aliases.append(surface)
        self.names.setdefault(key, []).append(" ".join(f.tokens))
        self.last_seen[key] = f.span.start


def readable(text: str) -> str:
    """A name written in capitals as a name ("SUELLA BRAVERMAN" -> "Suella Braverman"); acronyms stay."""
    return text.title() if text.isupper() and " " in text else text


def contains(name: list[str], part: list[str]) -> bool:
    """True when `part` is one word of the longer `name`, or its tail ("Foreign Ministry")."""
    if len(part) >= len(name):
        return False
    return part[0] in name if len(part) == 1 else name[-len(part) :] == part


def finish(entity: LocalEntity) -> LocalEntity:
    """Drop the canonical name from the aliases and decide the article's type guess."""
    entity.aliases = [a for a in entity.aliases if a != entity.name]
    if entity.type_votes:
        entity.type = max(entity.type_votes.items(), key=lambda kv: kv[1])[0]  # type: ignore[assignment]
    return entity


def capital_standins(ctx: Context, grouper: Grouper, found: list[tuple[Found, str]]) -> None:
    """Mark capitals used as actors ("Beijing denies") as standing for their state."""
    for f, key in found:
        entry = f.entry
        state = ctx.gazetteer.lookup(entry.capital_of) if entry and entry.capital_of else None
        if state is None or f.span.root.dep_ not in ACTOR_DEPS:
            continue
        state_key = entry_id(state)
        grouper.entities.setdefault(
            state_key, LocalEntity(key=state_key, name=state.name, type=state.type, wikidata=state.wikidata)
        )
        grouper.entities[key].stands_for = state_key


def find_entities(ctx: Context) -> EntityIndex:
    """Find, clean, type and group the article's actors."""
    mentions = found_mentions(ctx.doc, ctx.gazetteer)
    taken = {i for f in mentions for i in range(f.span.start, f.span.end)}
    mentions = sorted([*mentions, *demonym_mentions(ctx.doc, ctx.gazetteer, taken)], key=lambda f: f.span.start)
    grouper = Grouper()
    keyed = []
    for f in mentions:
        key = grouper.key(f)
        grouper.add(f, key)
        start, end = ctx.original_span(f.span.start_char, f.span.end_char)
        mention = Mention(ctx.article.text[start:end], start, end, f.label, ctx.evidence(f.span.sent))
        grouper.entities[key].mentions.append(mention)
        keyed.append((f, key))
    capital_standins(ctx, grouper, keyed)
    entities = [finish(e) for e in grouper.entities.values()]
    return EntityIndex(entities, [(f.span, key) for f, key in keyed])
