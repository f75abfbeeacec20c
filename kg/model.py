"""Plain records that flow through the pipeline.

Text goes in, these dataclasses come out, and RDF is made from them only at
the edge (`kg.rdf`). Per-article records (`ArticleFacts`) name entities by a
key local to the article; corpus records (`Corpus`) name them by the stable
`Entity.id` that resolution assigns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import TypeAdapter

EntityType = Literal["Person", "State", "City", "Organization"]
EventType = Literal["Visit", "Meeting", "PhoneCall", "VideoCall", "Summit", "Agreement", "ArrestWarrant", "Other"]
Status = Literal["happened", "planned", "negated", "speculative"]

ENTITY_TYPES: tuple[str, ...] = EntityType.__args__  # type: ignore[attr-defined]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Article:
    """One news article as ingested.

    Attributes:
        id: Stable content hash of `text` (hex), so the same text gets the same id.
        name: File name (or JSONL `id`) that users and the scorer know it by.
        text: The article body, exactly as read (header lines removed).
        date: ISO publication date from the article's metadata, if any.
        url: Source URL from metadata, if any.
        title: Title from metadata, if any.
        source: Where it was read from, e.g. ``data/articles/a.txt`` or ``feed.jsonl:12``.
    """

    id: str
    name: str
    text: str
    date: str | None = None
    url: str | None = None
    title: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Evidence:
    """The sentence of an article that supports a fact.

    `start`/`end` are character offsets of the sentence in `Article.text`
    (the original, unrepaired text), so `text[start:end] == sentence`.
    """

    article: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class TimeExpr:
    """A time expression and its normalised value.

    `start`/`end` are ISO dates with their precision kept (``2023-03-20``,
    ``2023-03``, ``2023``); `start` is None when the expression could not be
    resolved (for example a weekday in an undated article). `end` is set only
    for ranges.
    """

    text: str
    start: str | None = None
    end: str | None = None


@dataclass
class Mention:
    """One occurrence of an entity in an article (offsets into the original text)."""

    text: str
    start: int
    end: int
    label: str
    evidence: Evidence


@dataclass
class LocalEntity:
    """An actor as one article mentions it.

    Attributes:
        key: Unique within the article; events, statements and roles refer to it.
        name: The fullest clean name the article uses.
        type: The article's best guess; the corpus decides the final type.
        aliases: Other clean surface forms used in the article.
        wikidata: Wikidata QID when the gazetteer knows the actor.
        type_votes: Evidence for each type (mention labels, gazetteer, titles).
        stands_for: For a capital used as an actor ("Beijing denies"), the key
            of the state whose government it stands for.
    """

    key: str
    name: str
    type: EntityType | None = None
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    type_votes: dict[str, float] = field(default_factory=dict)
    stands_for: str | None = None


@dataclass
class Event:
    """Something that happened, or is said to be planned, between actors.

    `participants`, `location` and the values of `roles` are `LocalEntity.key`
    values in `ArticleFacts`, and `Entity.id` values in a `Corpus`.
    `roles` names argument roles: ``visitor``, ``host``, ``inviter``,
    ``broker``, ``issuer``, ``subject``. `details` holds attributes that
    sources may disagree on, such as ``{"meal": "dinner"}``.
    """

    type: EventType
    participants: list[str]
    evidence: Evidence
    trigger: str = ""
    status: Status = "happened"
    location: str | None = None
    time: TimeExpr | None = None
    roles: dict[str, list[str]] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class Statement:
    """Who said what: a direct quote or reported speech with a named speaker."""

    speaker: str
    quote: str
    evidence: Evidence
    direct: bool = True
    time: TimeExpr | None = None
    about: list[str] = field(default_factory=list)


@dataclass
class Role:
    """A title a person holds, of a state, organisation or person ("adviser to Putin")."""

    person: str
    title: str
    evidence: Evidence
    of: str | None = None


@dataclass
class ArticleFacts:
    """Everything extracted from one article, with article-local entity keys."""

    article: Article
    entities: list[LocalEntity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)


@dataclass
class Entity:
    """One real actor across the corpus. `id` is stable (QID or name slug)."""

    id: str
    name: str
    type: EntityType
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    stands_for: str | None = None


@dataclass
class Disagreement:
    """Sources that differ on one attribute of a fact: value -> article ids."""

    attribute: str
    values: dict[str, list[str]]


@dataclass
class Fact:
    """A merged fact (event, statement or role) with all its sources.

    `record` is the representative record with corpus entity ids; `sources`
    holds the evidence of every article that reports it; `disputes` lists the
    attributes on which those sources disagree. `confidence` is
    ``1 - 0.5 ** n`` for the `n` independent sources (near-copies of an
    article count once with it).
    """

    id: str
    record: Event | Statement | Role
    sources: list[Evidence]
    disputes: list[Disagreement] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def articles(self) -> list[str]:
        """Ids of the supporting articles, in first-seen order."""
        return list(dict.fromkeys(e.article for e in self.sources))


@dataclass
class Duplicate:
    """Two articles whose texts are near copies (one rewritten or translated from the other)."""

    article: str
    copy_of: str
    similarity: float


@dataclass
class Corpus:
    """The resolved, merged view of all articles: what the canonical graph holds.

    `inferred_dates` maps the id of an undated article to the publication date
    inferred from the events it shares with dated articles: ``2023-03-17``, or
    an ISO interval ``2023-03-13/2023-03-19`` when only that much is certain.
    """

    articles: list[Article]
    entities: list[Entity]
    events: list[Fact]
    statements: list[Fact]
    roles: list[Fact]
    duplicates: list[Duplicate] = field(default_factory=list)
    inferred_dates: dict[str, str] = field(default_factory=dict)


_FACTS = TypeAdapter(ArticleFacts)


def facts_to_json(facts: ArticleFacts) -> bytes:
    """Serialise one article's records (the build's resumable cache)."""
    return _FACTS.dump_json(facts)


def facts_from_json(data: bytes | str) -> ArticleFacts:
    """Inverse of `facts_to_json`."""
    return _FACTS.validate_json(data)
