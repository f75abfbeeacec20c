"""Synthetic news corpora for benchmarks: varied templates over varied actors.

Articles are composed sentence by sentence from templates of visits, meetings,
calls, summits, agreements, arrest warrants, denials, plans and statements
(direct and reported), with actors drawn from the gazetteer and from
generated names, and dates spread over several years, mixed with background
sentences combined from a few thousand variants, so that the extractor meets
realistic, varied text rather than the samples, and independent articles do
not look like copies of each other (word-bigram Jaccard mostly below 0.2).

`copy_rate` of them (default `COPY_RATE`) are rewritten copies of an earlier article, as wire
stories are retold: a third of the sentences replaced, the rest reordered, a day or two later.

    python bench/synth.py articles N OUT.jsonl [--seed S] [--copy-rate R]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path

from kg.gazetteer import Gazetteer

GIVEN = [
    "Anna",
    "Pavel",
    "Li",
    "Maria",
    "Ahmed",
    "Elena",
    "John",
    "Sofia",
    "Kenji",
    "Omar",
    "Laura",
    "Ivan",
    "Chen",
    "Fatima",
    "Lucas",
    "Nadia",
    "Tomas",
    "Aisha",
    "Marco",
    "Yuki",
    "Daniel",
    "Olga",
    "Rahul",
    "Grace",
]
FAMILY = [
    "Petrova",
    "Novak",
    "Wang",
    "Haddad",
    "Keller",
    "Moreau",
    "Silva",
    "Tanaka",
    "Okafor",
    "Rossi",
    "Kowalski",
    "Ivanova",
    "Santos",
    "Berg",
    "Khan",
    "Duarte",
    "Lindqvist",
    "Mensah",
    "Horvat",
    "Costa",
    "Nakamura",
]
TITLES = ["Foreign Minister", "Prime Minister", "President", "Defence Minister", "Trade Minister", "spokesperson"]
TOPICS = [
    "trade",
    "energy security",
    "the conflict",
    "regional stability",
    "climate finance",
    "grain exports",
    "nuclear safety",
    "visa rules",
    "investment",
    "maritime security",
]
QUALIFIERS = [
    "cross-border",
    "long-term",
    "bilateral",
    "regional",
    "Arctic",
    "Black Sea",
    "Pacific",
    "Caspian",
    "renewable",
    "digital",
    "agricultural",
    "joint",
    "emergency",
    "post-war",
    "offshore",
    "Danube",
]
"""Words a topic is qualified by (``offshore energy security``), so that reports of different events
rarely share their topic's words."""
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TEMPLATES = [
    "{title_a} {a} will visit {state_b} from {d1} to {d2} at the invitation of {b}, the ministry said on {d0}.",
    "{a} met {b} in {city} on {d1} to discuss {topic}.",
    "{a} and {b} spoke by phone on {d0}, discussing {topic}, according to a statement.",
    "{a} held a video call with {b} last month on {topic}.",
    "Leaders including {a} and {b} attended the {org} summit in {city} last week.",
    "{state_a} and {state_b} signed an agreement on {topic} in {city} on {d1}.",
    "\u201cWe are ready to deepen cooperation on {topic},\u201d {a} said on {d0}.",
    "{a}, {title_a_lower} of {state_a}, said the talks on {topic} had been constructive.",
    "{a} told reporters that {state_a} would not accept new conditions on {topic}.",
    "The visit comes as relations between {state_a} and {state_b} remain strained over {topic}.",
    "\u201cThis is a turning point,\u201d said {b}, who has led the negotiations since last year.",
    "Officials in {city} said further talks were planned for next week.",
    "On {date}, {a} arrived in {city} for a two-day visit hosted by {b}.",
    "The {org} issued an arrest warrant for {b} on {date}, a move {state_b} called void.",
    "{b} denied that any meeting with {a} had taken place.",
    "According to {org}, {a} and {b} are expected to meet in {city} later this month.",
    "{a} may travel to {state_b} in the spring, two officials said, though no date has been set.",
    "Speaking after the talks, {b} said the two sides had agreed to keep in touch on {topic}.",
    "{a}'s spokesperson, {c}, told the {org} that the talks would continue.",
    "Earlier, {title_a} {a} had invited {b} to {city}, a letter published on {date} showed.",
    "In a joint statement, {state_a} and {state_b} pledged to work together on {topic}.",
    "\u201cThere can be no compromise on {topic},\u201d {c} told a news conference in {city}.",
]


SOURCES = [
    "Analysts",
    "Diplomats in the region",
    "Opposition lawmakers",
    "Economists at several banks",
    "Local newspapers",
    "Business groups",
    "Observers",
    "Critics of the government",
    "Aid agencies",
    "Residents of the border towns",
    "Market traders",
    "Former officials",
    "Human rights groups",
    "Industry executives",
]
OPINIONS = [
    "have warned that",
    "noted that",
    "expect that",
    "argued that",
    "pointed out that",
    "have long suspected that",
    "fear that",
    "doubt that",
    "were quick to stress that",
    "privately concede that",
    "wrote this week that",
]
FACTS = [
    "prices of {goods} rose by {n} percent in the past year",
    "the dispute over {topic} could take years to settle",
    "turnout in the {adj} elections fell to {n} percent",
    "the {adj} economy grew by {small} percent in the last quarter",
    "shipments of {goods} through the strait have slowed",
    "{n} companies have moved their offices abroad since the crisis began",
    "a {adj} court is due to rule on the case before the summer",
    "the central bank may raise rates again to curb the cost of {goods}",
    "negotiators have yet to agree on a text about {topic}",
    "farmers in the {adj} provinces lost much of the harvest to drought",
    "{n} people took to the streets of the capital over the weekend",
    "the new rules on {topic} would hit small firms hardest",
    "a shortage of {goods} has pushed up costs for hospitals",
    "exports of {goods} reached a record of {n} million tonnes",
]
GOODS = ["fuel", "wheat", "fertiliser", "steel", "rice", "medicines", "coal", "cotton", "timber", "copper", "sugar"]
ADJECTIVES = ["regional", "northern", "southern", "local", "national", "coastal", "eastern", "western", "federal"]
COLOUR = [
    "The talks were held behind closed doors.",
    "No further details were released.",
    "The meeting lasted about two hours.",
    "Security was tight around the venue.",
    "Neither side took questions from reporters.",
    "The agenda had been agreed weeks in advance.",
]


COPY_RATE = 0.07
"""Share of articles that are rewritten copies of an earlier one (real feeds: 5-10 % wire copies)."""
REWRITTEN = 1 / 3
"""Share of a copy's sentences replaced by other ones."""


SYLLABLES = ["ka", "ro", "vel", "mi", "tan", "sor", "lu", "den", "bra", "ist", "mo", "rek", "sal", "ven", "dor", "pe"]
PLACE_CLAUSES = [
    ", according to a report from {town}",
    " in the {town} district",
    ", some {n} kilometres from {town}",
    ", as officials in {town} confirmed",
    ", a survey of {n} households near {town} found",
]


SYNONYMS = {
    "officials": ["officials", "authorities", "aides", "sources", "diplomats", "ministers"],
    "talks": ["talks", "negotiations", "discussions", "consultations", "contacts"],
    "further": ["further", "more", "new", "additional", "follow-up"],
    "planned": ["planned", "scheduled", "expected", "foreseen", "pencilled in"],
    "next": ["next", "the coming", "the following"],
    "according": ["according"],
    "statement": ["statement", "communique", "press release", "readout", "bulletin"],
    "report": ["report", "dispatch", "bulletin", "study", "briefing", "note"],
    "reporters": ["reporters", "journalists", "the press", "correspondents", "broadcasters"],
    "constructive": ["constructive", "useful", "frank", "productive", "positive", "businesslike"],
    "cooperation": ["cooperation", "ties", "partnership", "collaboration", "coordination"],
    "conditions": ["conditions", "demands", "terms", "restrictions", "requirements"],
    "relations": ["relations", "ties", "contacts", "dealings"],
    "strained": ["strained", "tense", "difficult", "fraught", "uneasy", "cool"],
    "negotiations": ["negotiations", "talks", "process", "bargaining", "mediation"],
    "agreed": ["agreed", "decided", "promised", "pledged", "undertaken"],
    "warned": ["warned", "cautioned", "argued", "said", "suggested"],
    "prices": ["prices", "costs", "the price", "import prices", "wholesale prices"],
    "rose": ["rose", "climbed", "increased", "jumped", "grew"],
    "percent": ["percent", "per cent", "%"],
    "companies": ["companies", "firms", "businesses", "manufacturers", "exporters"],
    "people": ["people", "protesters", "residents", "demonstrators", "citizens"],
    "economy": ["economy", "output", "GDP", "industry", "manufacturing sector"],
    "shortage": ["shortage", "lack", "scarcity", "dearth", "shortfall"],
    "court": ["court", "tribunal", "judge", "panel"],
    "rules": ["rules", "regulations", "measures", "requirements", "standards"],
    "hardest": ["hardest", "most", "first", "worst"],
    "years": ["years", "decades", "months", "a long time"],
    "record": ["record", "high", "peak", "new high"],
    "harvest": ["harvest", "crop", "yield", "produce"],
}
"""Words rewritten at random (they trigger no extraction), so that independent reports share few
word pairs: without them two articles built from the same templates look like rewritten copies."""


def reword(rng: random.Random, sentence: str) -> str:
    """The sentence with each word of `SYNONYMS` replaced by a random synonym."""
    return " ".join(rng.choice(SYNONYMS[w]) if w in SYNONYMS else w for w in sentence.split(" "))


def town(rng: random.Random) -> str:
    """A made-up town name (the local detail that makes each report's wording its own)."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def background(rng: random.Random, topic: str) -> str:
    """A background sentence naming no actor, from many combinations and a made-up place (as reports mix in
    local context)."""
    if rng.random() < 0.05:
        return rng.choice(COLOUR)
    fact = rng.choice(FACTS).format(
        goods=rng.choice(GOODS), topic=topic, adj=rng.choice(ADJECTIVES), n=rng.randint(2, 90), small=rng.randint(1, 6)
    )
    place = rng.choice(PLACE_CLAUSES).format(town=town(rng), n=rng.randint(3, 400))
    return reword(rng, f"{rng.choice(SOURCES)} {rng.choice(OPINIONS)} {fact}{place}.")


def people(rng: random.Random, gazetteer: Gazetteer, n: int) -> list[str]:
    """Known people from the gazetteer mixed with generated names."""
    known = [e.name for e in gazetteer.entries if e.type == "Person"]
    made = [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(n)]
    return known + made


def article(rng: random.Random, gz: Gazetteer, persons: list[str], day: date) -> dict:
    """One synthetic article of 6-20 sentences about a few actors: 3-10 from the event templates, the rest
    background sentences, in random order."""
    states = [e.name for e in gz.entries if e.type == "State"] or ["Freedonia", "Sylvania"]
    cities = [e.name for e in gz.entries if e.type == "City"] or ["Capital City"]
    orgs = [e.name for e in gz.entries if e.type == "Organization"] + [f"{f} Institute" for f in FAMILY[:8]]
    a, b, c = rng.sample(persons, 3)
    title = rng.choice(TITLES)
    slots = {
        "a": a,
        "b": b,
        "c": c,
        "date": f"{(day - timedelta(days=rng.randint(0, 9))):%-d %B %Y}",
        "title_a": title,
        "title_a_lower": title.lower(),
        "topic": f"{rng.choice(QUALIFIERS)} {rng.choice(TOPICS)}",
        "state_a": rng.choice(states),
        "state_b": rng.choice(states),
        "city": rng.choice(cities),
        "org": rng.choice(orgs),
        "d0": rng.choice(WEEKDAYS),
        "d1": "Monday",
        "d2": "Wednesday",
    }
    sentences = [reword(rng, t.format(**slots)) for t in rng.sample(TEMPLATES, rng.randint(3, 10))]
    sentences += [background(rng, slots["topic"]) for _ in range(rng.randint(3, 10))]
    rng.shuffle(sentences)
    title = f"{a} and {b} discuss {slots['topic']}"
    return {"text": _paragraphs(sentences), "date": day.isoformat(), "title": title, "sentences": sentences}


def _paragraphs(sentences: list[str]) -> str:
    return "\n\n".join(" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2))


def rewritten(rng: random.Random, original: dict) -> dict:
    """A rewritten copy of an article: `REWRITTEN` of its sentences replaced, the rest reordered, 0-2 days later."""
    sentences = list(original["sentences"])
    for i in rng.sample(range(len(sentences)), round(len(sentences) * REWRITTEN)):
        sentences[i] = background(rng, rng.choice(TOPICS))
    rng.shuffle(sentences)
    day = date.fromisoformat(original["date"]) + timedelta(days=rng.randint(0, 2))
    return {"text": _paragraphs(sentences), "date": day.isoformat(), "title": original["title"], "sentences": sentences}


def articles(n: int, seed: int = 0, copy_rate: float = COPY_RATE) -> list[dict]:
    """`n` synthetic articles (text, date, title), reproducible from `seed`; `copy_rate` of them rewritten copies."""
    rng = random.Random(seed)
    gz = Gazetteer.load()
    persons = people(rng, gz, 200)
    start = date(2019, 1, 1)
    out: list[dict] = []
    for _ in range(n):
        if out and rng.random() < copy_rate:
            out.append(rewritten(rng, rng.choice(out)))
        else:
            out.append(article(rng, gz, persons, start + timedelta(days=rng.randrange(2400))))
    return [{k: v for k, v in item.items() if k != "sentences"} for item in out]


def main() -> None:
    """Command line: write a JSONL corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["articles"])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--copy-rate", type=float, default=COPY_RATE, help="share of rewritten copies")
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as fh:
        for i, item in enumerate(articles(args.n, args.seed, args.copy_rate)):
            fh.write(json.dumps({"id": f"synth-{i}", **item}) + "\n")


if __name__ == "__main__":
    main()
