"""Synthetic news corpora for benchmarks: varied templates over varied actors.

Articles are composed sentence by sentence from templates of visits, meetings,
calls, summits, agreements, arrest warrants, denials, plans and statements
(direct and reported), with actors drawn from the gazetteer and from
generated names, and dates spread over several years, mixed with background
sentences combined from a few thousand variants, so that the extractor meets
realistic, varied text rather than the samples, and independent articles do
not look like copies of each other (word-bigram Jaccard mostly below 0.2).

    python bench/synth.py articles N OUT.jsonl [--seed S]
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


def background(rng: random.Random, topic: str) -> str:
    """A background sentence naming no actor, from a few thousand combinations (as reports mix in context)."""
    if rng.random() < 0.15:
        return rng.choice(COLOUR)
    fact = rng.choice(FACTS).format(
        goods=rng.choice(GOODS), topic=topic, adj=rng.choice(ADJECTIVES), n=rng.randint(2, 90), small=rng.randint(1, 6)
    )
    return f"{rng.choice(SOURCES)} {rng.choice(OPINIONS)} {fact}."


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
        "topic": rng.choice(TOPICS),
        "state_a": rng.choice(states),
        "state_b": rng.choice(states),
        "city": rng.choice(cities),
        "org": rng.choice(orgs),
        "d0": rng.choice(WEEKDAYS),
        "d1": "Monday",
        "d2": "Wednesday",
    }
    sentences = [t.format(**slots) for t in rng.sample(TEMPLATES, rng.randint(3, 10))]
    sentences += [background(rng, slots["topic"]) for _ in range(rng.randint(3, 10))]
    rng.shuffle(sentences)
    paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    return {"text": "\n\n".join(paragraphs), "date": day.isoformat(), "title": f"{a} and {b} discuss {slots['topic']}"}


def articles(n: int, seed: int = 0) -> list[dict]:
    """`n` synthetic articles, reproducible from `seed`."""
    rng = random.Random(seed)
    gz = Gazetteer.load()
    persons = people(rng, gz, 200)
    start = date(2019, 1, 1)
    return [article(rng, gz, persons, start + timedelta(days=rng.randrange(2400))) for _ in range(n)]


def main() -> None:
    """Command line: write a JSONL corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["articles"])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as fh:
        for i, item in enumerate(articles(args.n, args.seed)):
            fh.write(json.dumps({"id": f"synth-{i}", **item}) + "\n")


if __name__ == "__main__":
    main()
