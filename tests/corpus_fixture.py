"""A small hand-made Corpus (three articles, one a near copy) for the RDF, facts and query tests."""

from __future__ import annotations

import pyoxigraph as ox

from kg import vocab
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
from kg.store import OxigraphStore

SENTENCES = {
    "a": [
        "Xi Jinping will visit Russia from March 20 to 22 at the invitation of Vladimir Putin.",
        "Wang Wenbin, spokesperson of the Chinese Foreign Ministry, said: “We are in communication with all parties.”",
        "Xi may hold a video call with Volodymyr Zelenskyy.",
    ],
    "b": [
        "Xi Jinping will visit Russia from March 21 to 22, the Kremlin said.",
        "Talks in Moscow are planned for next week.",
    ],
    "c": [
        "Xi Jinping will visit Russia from March 21 to 22, the Kremlin announced.",
    ],
}
TEXTS = {key: " ".join(sentences) for key, sentences in SENTENCES.items()}
ARTICLES = {
    "a": Article(
        "aaa111", "000_a.txt", TEXTS["a"], date="2023-03-17", url="https://example.org/a", title="Xi to visit Russia"
    ),
    "b": Article("bbb222", "001_b.txt", TEXTS["b"], date="2023-03-18"),
    "c": Article("ccc333", "002_c.txt", TEXTS["c"]),
}


def ev(key: str, index: int) -> Evidence:
    """Evidence for sentence `index` of article `key`, with its true offsets."""
    sentence = SENTENCES[key][index]
    start = TEXTS[key].index(sentence)
    return Evidence(ARTICLES[key].id, sentence, start, start + len(sentence))


def mention(key: str, index: int, text: str, label: str) -> Mention:
    """A mention of `text` in sentence `index` of article `key`."""
    evidence = ev(key, index)
    start = evidence.start + evidence.sentence.index(text)
    return Mention(text, start, start + len(text), label, evidence)


def entities() -> list[Entity]:
    """Actors of the fixture corpus."""
    return [
        Entity(
            "Q15031",
            "Xi Jinping",
            "Person",
            aliases=["Xi"],
            wikidata="Q15031",
            mentions=[
                mention("a", 0, "Xi Jinping", "PERSON"),
                mention("a", 2, "Xi", "PERSON"),
                mention("b", 0, "Xi Jinping", "PERSON"),
            ],
        ),
        Entity("Q7747", "Vladimir Putin", "Person", wikidata="Q7747", mentions=[mention("a", 0, "Putin", "PERSON")]),
        Entity(
            "Q159",
            "Russia",
            "State",
            wikidata="Q159",
            mentions=[mention("a", 0, "Russia", "GPE"), mention("b", 0, "Russia", "GPE")],
        ),
        Entity(
            "Q649", "Moscow", "City", wikidata="Q649", mentions=[mention("b", 1, "Moscow", "GPE")], stands_for="Q159"
        ),
        Entity("wang-wenbin", "Wang Wenbin", "Person", mentions=[mention("a", 1, "Wang Wenbin", "PERSON")]),
        Entity(
            "chinese-foreign-ministry",
            "Chinese Foreign Ministry",
            "Organization",
            aliases=["Foreign Ministry"],
            mentions=[mention("a", 1, "Chinese Foreign Ministry", "ORG")],
        ),
        Entity(
            "Q3874799", "Volodymyr Zelenskyy", "Person", mentions=[mention("a", 2, "Volodymyr Zelenskyy", "PERSON")]
        ),
    ]


def corpus() -> Corpus:
    """The fixture corpus: a visit reported by three articles that disagree on its date, and more."""
    visit = Event(
        "Visit",
        ["Q15031", "Q159", "Q7747"],
        ev("a", 0),
        trigger="visit",
        status="planned",
        location="Q649",
        time=TimeExpr("from March 20 to 22", "2023-03-20", "2023-03-22"),
        roles={"visitor": ["Q15031"], "host": ["Q159"], "inviter": ["Q7747"]},
    )
    call = Event("VideoCall", ["Q15031", "Q3874799"], ev("a", 2), trigger="video call", status="speculative")
    talks = Event(
        "Meeting",
        ["Q159"],
        ev("b", 1),
        trigger="talks",
        status="planned",
        location="Q649",
        time=TimeExpr("next week", "2023-03"),
    )
    quote = Statement(
        "wang-wenbin", "We are in communication with all parties", ev("a", 1), time=TimeExpr("", "2023-03-17")
    )
    role = Role("wang-wenbin", "spokesperson", ev("a", 1), of="chinese-foreign-ministry")
    dates = Disagreement("date", {"2023-03-20": ["aaa111"], "2023-03-21": ["bbb222", "ccc333"]})
    return Corpus(
        articles=list(ARTICLES.values()),
        entities=entities(),
        events=[
            Fact("event-visit", visit, [ev("a", 0), ev("b", 0), ev("c", 0)], [dates], confidence=0.75),
            Fact("event-call", call, [ev("a", 2)], confidence=0.5),
            Fact("event-talks", talks, [ev("b", 1)], confidence=0.5),
        ],
        statements=[Fact("statement-wang", quote, [ev("a", 1)], confidence=0.5)],
        roles=[Fact("role-wang", role, [ev("a", 1)], confidence=0.5)],
        duplicates=[Duplicate("ccc333", "bbb222", 0.93)],
        inferred_dates={"ccc333": "2023-03-18"},
    )


def quads() -> list[ox.Quad]:
    """All quads of the fixture corpus."""
    return list(corpus_quads(corpus()))


def store() -> OxigraphStore:
    """An in-memory store holding the fixture corpus."""
    kg_store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    kg_store.apply([], quads())
    return kg_store
