"""Synthetic graphs of the project's real shape: a generated `Corpus` mapped to quads by `kg.rdf`.

A corpus of `n` articles gets about ``2 n`` actors (persons, organisations,
states, cities; a few prominent ones take part in much of the news, the rest
rarely), and each article 3-6 events, 2-4 statements and 1-2 roles with
evidence sentences written from the templates of `bench.synth`. A third of
the facts are reported again by a later article, and some of those disagree
on the date or the place, so the canonical graph, the article graphs,
provenance and dispute nodes are all there in realistic proportion (about 410
quads per article). Files are cached as N-Quads under ``bench/.cache``.

    python -m bench.graphs 1000000      # writes (or finds) the ~1M-quad graph and prints its path
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox

from bench.synth import FAMILY, GIVEN, TEMPLATES, TITLES, TOPICS
from kg.model import (
    Article,
    Corpus,
    Disagreement,
    Duplicate,
    Entity,
    Event,
    Evidence,
    Fact,
    Mention,
    Role,
    Statement,
    TimeExpr,
)
from kg.rdf import corpus_quads

CACHE = Path(__file__).parent / ".cache"
QUADS_PER_ARTICLE = 410
"""Measured average; `articles_for` uses it to size a corpus for a number of quads."""
ACTOR_TYPES = (("Person", 0.7), ("Organization", 0.15), ("State", 0.1), ("City", 0.05))
EVENTS = (("Meeting", 4), ("Visit", 3), ("PhoneCall", 2), ("VideoCall", 1), ("Summit", 1), ("Agreement", 1))
STATUSES = (("happened", 8), ("planned", 2), ("speculative", 1), ("negated", 1))
ROLES = ("visitor", "host")
PROMINENT = 0.02
"""Share of actors who are prominent; they fill `PROMINENT_PICKS` of the places in the news."""
PROMINENT_PICKS = 0.3
RETOLD = 0.35
DISPUTED = 0.3


@dataclass
class Writer:
    """Builds one article's evidence sentences, keeping their offsets contiguous."""

    article: str
    rng: random.Random
    offset: int = 0

    def evidence(self, slots: dict[str, str]) -> Evidence:
        """An evidence sentence from a random template filled with `slots`."""
        sentence = self.rng.choice(TEMPLATES).format(**slots)
        start, self.offset = self.offset, self.offset + len(sentence) + 1
        return Evidence(self.article, sentence, start, start + len(sentence))


class Generator:
    """Random but reproducible corpora (`seed`) over a pool of `n_actors` actors."""

    def __init__(self, n_actors: int, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        kinds, weights = zip(*ACTOR_TYPES, strict=True)
        self.actors = [self.actor(i, self.rng.choices(kinds, weights)[0]) for i in range(n_actors)]
        self.by_type = {k: [a for a in self.actors if a.type == k] or self.actors for k in kinds}
        self.index = {a.id: a for a in self.actors}
        self.facts: list[Fact] = []

    def actor(self, i: int, kind: str) -> Entity:
        """The `i`-th actor: a person's name, or a made-up organisation, state or city; some with a QID."""
        given, family = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
        name = {
            "Person": f"{given} {family}",
            "Organization": f"{family} {self.rng.choice(['Institute', 'Council', 'Ministry', 'Group'])}",
            "State": f"Republic of {family}ia",
            "City": f"{family}grad",
        }[kind]
        aliases = [family] if kind == "Person" else []
        wikidata = f"Q{1000 + i}" if self.rng.random() < 0.2 else None
        return Entity(
            id=wikidata or f"{name.lower().replace(' ', '-')}-{i}",
            name=name,
            type=kind,
            aliases=aliases,
            wikidata=wikidata,
        )

    def pick(self, kind: str | None = None) -> Entity:
        """An actor (of `kind`), the prominent ones more often."""
        pool = self.by_type[kind] if kind else self.actors
        head = max(1, int(len(pool) * PROMINENT))
        return self.rng.choice(pool[:head] if self.rng.random() < PROMINENT_PICKS else pool)

    def corpus(self, n_articles: int) -> Corpus:
        """A resolved, merged corpus of `n_articles` articles."""
        start = date(2019, 1, 1)
        articles = [self.article(i, start + timedelta(days=i * 2400 // max(n_articles, 1))) for i in range(n_articles)]
        for article in articles:
            self.report(article)
        duplicates = [Duplicate(a.id, b.id, 0.93) for a, b in zip(articles[1::50], articles[::50], strict=False)]
        facts = {Event: [], Statement: [], Role: []}
        for fact in self.facts:
            fact.confidence = 1 - 0.5 ** len(fact.articles)
            facts[type(fact.record)].append(fact)
        return Corpus(articles, self.actors, facts[Event], facts[Statement], facts[Role], duplicates)

    def article(self, i: int, day: date) -> Article:
        """Metadata of the `i`-th article."""
        return Article(
            id=f"{i:016x}",
            name=f"synth-{i}.txt",
            text="",
            date=day.isoformat(),
            url=f"https://news.example/{i}",
            title=f"Report {i}",
            source="synthetic",
        )

    def report(self, article: Article) -> None:
        """Add the facts `article` reports: new ones, and some already reported by earlier articles."""
        writer = Writer(article.id, self.rng)
        for _ in range(self.rng.randint(3, 6)):
            self.add(self.event(writer, article.date), writer)
        for _ in range(self.rng.randint(2, 4)):
            self.add(self.statement(writer, article.date), writer)
        for _ in range(self.rng.randint(1, 2)):
            self.add(self.role(writer), writer)

    def add(self, fact: Fact, writer: Writer) -> None:
        """Keep `fact`; sometimes also have this article retell an earlier fact, maybe disagreeing."""
        self.facts.append(fact)
        if len(self.facts) < 2 or self.rng.random() >= RETOLD:
            return
        earlier = self.rng.choice(self.facts[-200:-1])
        if writer.article in earlier.articles:
            return
        evidence = writer.evidence(self.slots())
        earlier.sources.append(evidence)
        record = earlier.record
        if self.rng.random() < DISPUTED and isinstance(record, Event) and record.time and record.time.start:
            other = (date.fromisoformat(record.time.start) + timedelta(days=1)).isoformat()
            values = {record.time.start: earlier.articles[:-1], other: [writer.article]}
            earlier.disputes.append(Disagreement("date", values))
        self.mention(record, evidence)

    def slots(self, a: Entity | None = None, b: Entity | None = None) -> dict[str, str]:
        """Values for the sentence templates."""
        a, b = a or self.pick("Person"), b or self.pick("Person")
        title = self.rng.choice(TITLES)
        return {
            "a": a.name, "b": b.name, "c": self.pick("Person").name,
            "title_a": title, "title_a_lower": title.lower(),
            "topic": self.rng.choice(TOPICS), "state_a": self.pick("State").name, "state_b": self.pick("State").name,
            "city": self.pick("City").name, "org": self.pick("Organization").name,
            "date": "12 March", "d0": "Monday", "d1": "Tuesday", "d2": "Thursday",
        }  # fmt: skip

    def mention(self, record: Event | Statement | Role, evidence: Evidence) -> None:
        """Note that the actors of `record` are mentioned in the evidence's article."""
        ids = {e.id: e for e in self.actors_of(record)}
        for entity in ids.values():
            entity.mentions.append(Mention(entity.name, evidence.start, evidence.start + 1, "PERSON", evidence))

    def actors_of(self, record: Event | Statement | Role) -> list[Entity]:
        """The actors a record names."""
        if isinstance(record, Event):
            ids = [*record.participants, *([record.location] if record.location else [])]
        elif isinstance(record, Statement):
            ids = [record.speaker, *record.about]
        else:
            ids = [record.person, *([record.of] if record.of else [])]
        return [self.index[i] for i in ids]

    def fact(self, kind: str, record: Event | Statement | Role, evidence: Evidence) -> Fact:
        """A new fact of one source, its actors mentioned."""
        self.mention(record, evidence)
        return Fact(f"{kind}{len(self.facts):08x}", record, [evidence])

    def event(self, writer: Writer, day: str | None) -> Fact:
        """An event between 2-3 actors, at a place, dated near the article."""
        kinds, weights = zip(*EVENTS, strict=True)
        statuses, status_weights = zip(*STATUSES, strict=True)
        people = list({e.id: e for e in (self.pick() for _ in range(self.rng.randint(2, 3)))}.values())
        when = (date.fromisoformat(day) - timedelta(days=self.rng.randint(0, 6))).isoformat() if day else None
        kind = self.rng.choices(kinds, weights)[0]
        roles = {"visitor": [people[0].id], "host": [people[-1].id]} if kind == "Visit" and len(people) > 1 else {}
        record = Event(
            type=kind, participants=[p.id for p in people], evidence=writer.evidence(self.slots(*people[:2])),
            trigger=kind.lower(), status=self.rng.choices(statuses, status_weights)[0],
            location=self.pick("City").id, time=TimeExpr("on Tuesday", when), roles=roles,
        )  # fmt: skip
        return self.fact("e", record, record.evidence)

    def statement(self, writer: Writer, day: str | None) -> Fact:
        """A quote by an actor about one or two others."""
        speaker, about = self.pick("Person"), [self.pick() for _ in range(self.rng.randint(1, 2))]
        evidence = writer.evidence(self.slots(speaker, about[0]))
        quote = f"We are ready to talk about {self.rng.choice(TOPICS)}"
        record = Statement(
            speaker.id,
            quote,
            evidence,
            direct=self.rng.random() < 0.6,
            time=TimeExpr("on Monday", day),
            about=[a.id for a in about],
        )
        return self.fact("s", record, evidence)

    def role(self, writer: Writer) -> Fact:
        """A title a person holds of a state or organisation."""
        person, of = self.pick("Person"), self.pick(self.rng.choice(["State", "Organization"]))
        evidence = writer.evidence(self.slots(person))
        return self.fact("r", Role(person.id, self.rng.choice(TITLES), evidence, of.id), evidence)


def synthetic_corpus(n_articles: int, seed: int = 0) -> Corpus:
    """A corpus of `n_articles` articles over ``2 n_articles`` actors."""
    return Generator(max(2 * n_articles, 50), seed).corpus(n_articles)


def articles_for(quads: int) -> int:
    """Articles of a corpus whose graph holds about `quads` quads."""
    return max(1, round(quads / QUADS_PER_ARTICLE))


def graph_file(n_articles: int, seed: int = 0) -> Path:
    """The N-Quads file of the synthetic corpus of `n_articles` articles (generated once, then cached)."""
    path = CACHE / f"graph-{n_articles}a-s{seed}.nq"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        with partial.open("wb") as out:
            ox.serialize(dict.fromkeys(corpus_quads(synthetic_corpus(n_articles, seed))), out, ox.RdfFormat.N_QUADS)
        partial.rename(path)
    return path


def store_dir(nq: Path) -> Path:
    """An on-disk store holding the quads of `nq`, bulk-loaded once and cached."""
    path = CACHE / f"store-{nq.stem}"
    if not (path / "LOADED").exists():
        store = ox.Store(str(path))
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        (path / "LOADED").touch()
    return path


def quads_of(path: Path) -> list[ox.Quad]:
    """The quads of an N-Quads file."""
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


if __name__ == "__main__":
    print(graph_file(articles_for(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)))
