"""Actors in one article: named-entity spans cleaned, typed and grouped into local entities.

Candidate spans come from spaCy's named entities and from a phrase matcher over the
gazetteer's names (built once per process). Spans are cleaned (leading "the" and
titles, possessives, trailing punctuation), junk is dropped, and mentions are grouped:
a gazetteer name goes to its entry; a bare surname or a shortened name ("Wang",
"Foreign Ministry") goes to the nearest earlier fuller name that contains it.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING

import spacy
from rapidfuzz import fuzz, process
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from kg.gazetteer import DATA_DIR, VARIANT_MIN_LENGTH, VARIANT_SCORE, GazEntry, Gazetteer
from kg.model import LocalEntity, Mention

if TYPE_CHECKING:
    from kg.extract.context import Context

LABEL_VOTES = {"PERSON": "Person", "ORG": "Organization", "GPE": "City"}
"""Type vote of a spaCy label. A GPE the gazetteer does not know is more often a town than a state."""
GAZETTEER_ONLY_LABELS = frozenset({"LOC", "FAC"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "madam", "mr.", "mrs.", "ms.", "dr."})
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
ORG_SUFFIXES = frozenset({"administration", "government"})
"""A person's name followed by one of these names an organisation ("the Biden administration")."""
EVENT_WORDS = frozenset({"summit", "meeting", "conference", "talks", "forum"})
ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent"})
GAZETTEER_WEIGHT = 10.0
TITLE_WEIGHT = 2.0
_JUNK = re.compile(r"^[A-Za-z]?\d|\n|^\W*$")
CREDIT_SEPARATORS = frozenset({"/", ",", "via", ";"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


@cache
def entity_words(kind: str) -> frozenset[str]:
    """The words of ``data/entity_words.csv`` of one kind (credit, document, region), loaded once."""
    with (DATA_DIR / "entity_words.csv").open(newline="", encoding="utf-8") as f:
        return frozenset(r["word"] for r in csv.DictReader(f) if r["kind"] == kind)


def normal(text: str) -> str:
    """Spelling-tolerant key: ``Zelenskyy`` and ``Zelensky``, ``Yury`` and ``Yuri`` agree."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^a-z0-9 ]+", " ", text.casefold().replace("’", "'").replace("'s", "")).replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", " ".join(text.split()))


def slug(text: str) -> str:
    """A readable IRI-safe id from a name: ``Xi Jinping`` -> ``xi-jinping``."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


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


def is_title_word(token: Token, gazetteer: Gazetteer) -> bool:
    """True for a word that is a person's title on its own ("President", "spokesman") or an honorific."""
    title = gazetteer.title(token.text)
    return token.lower_ in HONORIFICS or (title is not None and title.type_vote == "Person")


def title_length(doc: Doc, i: int, gazetteer: Gazetteer, longest: int = 4) -> int:
    """Number of words of the longest person's title starting at token `i` ("Foreign Minister" -> 2), else 0."""
    if doc[i].lower_ not in title_starts(gazetteer):
        return int(doc[i].lower_ in HONORIFICS)
    for n in range(min(longest, len(doc) - i), 0, -1):
        title = gazetteer.title(doc[i : i + n].text)
        if title is not None and title.type_vote == "Person":
            return n
    return int(doc[i].lower_ in HONORIFICS)


def clean(span: Span, gazetteer: Gazetteer) -> tuple[Span, str | None] | None:
    """Span without leading "the"/titles/verbs ("Forcing X") and trailing possessive/punctuation, cut at
    an unclosed bracket ("Shanghai Cooperation Organisation (SCO"); None for junk. Words after an
    honorific are a name ("Dr Sultan Al Jaber"), not a title.

    Returns the clean span and the title words stripped from it, if any.
    """
    start, end = span.start, span.end
    doc = span.doc
    opened = next((t.i for t in span if t.text == "(" and not any(u.text == ")" for u in doc[t.i : end])), None)
    end = opened if opened is not None else end
    while start < end and doc[start].tag_ in ("VBG", "VB") and doc[start].pos_ != "PROPN":
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].text in _POSSESSIVE):
        end -= 1
    while end - start > 1 and doc[end - 1].lower_ in EVENT_WORDS and span.label_ != "PERSON":
        end -= 1
    if start < end and doc[start].lower_ == "the":
        start += 1
    first = start
    named = start > 0 and doc[start - 1].lower_ in HONORIFICS
    while (
        not named and span.label_ in ("PERSON", "GAZ") and 0 < (n := title_length(doc, start, gazetteer)) < end - start
    ):
        start += n
        if doc[start - 1].lower_ in HONORIFICS:
            break
    out = doc[start:end]
    if not out.text or not out.text[0].isupper() or (is_title_word(out[0], gazetteer) and not named):
        return None
    if _JUNK.search(out.text) and not lookup(out.text, gazetteer):
        return None
    return out, (doc[first:start].text or None)


@cache
def _matcher(gazetteer: Gazetteer, vocab: Vocab) -> PhraseMatcher:
    """Phrase matcher over every gazetteer name (normalised words), built once per process."""
    tokenizer = spacy.blank("en", vocab=vocab).tokenizer
    matcher = PhraseMatcher(vocab, attr="NORM")
    for entry in gazetteer.entries:
        matcher.add(entry.id, [tokenizer(n) for n in (entry.name, *entry.aliases)])
    return matcher


def gazetteer_spans(doc: Doc, gazetteer: Gazetteer) -> list[Span]:
    """Spans whose text is a gazetteer name written as a name (capitalised, acronyms in capitals)."""
    spans = _matcher(gazetteer, doc.vocab)(doc, as_spans=True)
    return [
        Span(doc, s.start, s.end, label="GAZ")
        for s in spans
        if s.text[0].isupper() and lookup(s.text, gazetteer) and not hyphenated(s, gazetteer)
    ]


def hyphenated(span: Span, gazetteer: Gazetteer) -> bool:
    """True for a name inside a hyphenated word ("Sino" in "Sino-Russian", "US" in "US-Russian"), unless
    the word joins two names ("Russia-Ukraine war" names both)."""
    doc = span.doc
    after = span.end + 1 < len(doc) and doc[span.end].text == "-" and not span[-1].whitespace_
    before = span.start > 1 and doc[span.start - 1].text == "-" and not doc[span.start - 1].whitespace_
    other = doc[span.end + 1] if after else doc[span.start - 2] if before else None
    return other is not None and not (other.text[:1].isupper() and lookup(other.text, gazetteer))


def ner_spans(doc: Doc, gazetteer: Gazetteer) -> Iterator[Span]:
    """spaCy's entities worth keeping, with two repairs: a person's name + "administration" is an
    organisation, and a state's institution keeps its state ("Chinese" + "Foreign Ministry")."""
    previous = None
    for ent in doc.ents:
        nxt = doc[ent.end] if ent.end < len(doc) else None
        if ent.label_ == "PERSON" and nxt is not None and nxt.lower_ in ORG_SUFFIXES:
            yield Span(doc, ent.start, ent.end + 1, label="ORG")
        elif previous is not None and state_institution(previous, ent, gazetteer):
            yield Span(doc, previous.start, ent.end, label="ORG")
        elif name_compound(ent, gazetteer) or title_glued(ent, gazetteer):
            pass
        elif titled_organisation(ent, gazetteer):
            yield Span(doc, ent.start, ent.end, label="PERSON")
        elif ent.label_ in LABEL_VOTES or ent.label_ in GAZETTEER_ONLY_LABELS:
            yield from credit_parts(ent, gazetteer)
        previous = ent


def titled_organisation(ent: Span, gazetteer: Gazetteer) -> bool:
    """True for a person's title and name taken for an organisation ("King Harald" as ORG), not for a body
    ("Prime Minister's Office")."""
    n = title_length(ent.doc, ent.start, gazetteer)
    if ent.label_ != "ORG" or not 0 < n < len(ent) or ent[n].norm_ == "'s":
        return False
    body = gazetteer.title(ent[-1].text)
    return all(t.text[:1].isupper() for t in ent[n:]) and not (body and body.type_vote == "Organization")


def credit_parts(ent: Span, gazetteer: Gazetteer) -> Iterator[Span]:
    """A photo credit split into its names ("AP Photo/Evan Vucci" -> AP, Evan Vucci); other spans as they are.

    A part of two or three capitalised words that the gazetteer does not know is the photographer.
    """
    credit = entity_words("credit")
    if not any(t.lower_ in credit for t in ent) or not any(t.lower_ in CREDIT_SEPARATORS for t in ent):
        yield ent
        return
    start = ent.start
    for i in range(ent.start, ent.end + 1):
        if i < ent.end and ent.doc[i].lower_ not in CREDIT_SEPARATORS:
            continue
        words = [t for t in ent.doc[start:i] if t.lower_ not in credit]
        if words:
            part = ent.doc[words[0].i : words[-1].i + 1]
            person = 2 <= len(part) <= 3 and all(t.text.istitle() for t in part) and not lookup(part.text, gazetteer)
            yield Span(ent.doc, part.start, part.end, label="PERSON" if person else "ORG")
        start = i + 1


def name_compound(ent: Span, gazetteer: Gazetteer) -> bool:
    """True for a hyphenated pair of names ("U.S.-China"): each is its own mention."""
    parts = [p for p in re.split(r"-", ent.text) if p.strip()]
    return "-" in ent.text and len(parts) > 1 and all(lookup(p.strip(), gazetteer) for p in parts)


def title_glued(ent: Span, gazetteer: Gazetteer) -> bool:
    """True for the first words of a title taken for an organisation ("National Security" of "National
    Security Adviser Jake Sullivan", "Indian External Affairs" of "Indian External Affairs Minister")."""
    doc = ent.doc
    for start in range(ent.start, ent.end):
        for n in range(1, 3):
            if ent.end + n <= len(doc) and (title := gazetteer.title(doc[start : ent.end + n].text)):
                return title.type_vote == "Person"
    return False


def state_institution(qualifier: Span, org: Span, gazetteer: Gazetteer) -> bool:
    """True for a demonym or a state's possessive right before an institution: "Chinese" + "Foreign Ministry"."""
    gap = org.doc[qualifier.end : org.start]
    if org.label_ != "ORG" or not (len(gap) == 0 or (len(gap) == 1 and gap[0].norm_ == "'s")):
        return False
    body = gazetteer.title(org[-1].text)
    state = gazetteer.demonym(qualifier.text) or gazetteer.lookup(qualifier.text)
    return body is not None and body.type_vote == "Organization" and state is not None and state.type == "State"


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


@lru_cache(maxsize=1 << 16)
def lookup(text: str, gazetteer: Gazetteer) -> GazEntry | None:
    """Gazetteer entry of a name, also when a possessive lost its apostrophe ("Zelenskyys"); None for a demonym.

    Cached: the same names recur across articles.
    """
    if gazetteer.demonym(text):
        return None
    return gazetteer.lookup(text) or (gazetteer.lookup(text[:-1]) if text.endswith("s") else None)


@lru_cache(maxsize=1 << 14)
def variant(text: str, label: str, gazetteer: Gazetteer) -> GazEntry | None:
    """The gazetteer entry a person's or organisation's name misspells ("Vladmir Putin"), of the type its
    label says (cached like `lookup`)."""
    type_ = LABEL_VOTES.get(label)
    return gazetteer.variant(text, type_) if type_ in ("Person", "Organization") else None


@cache
def title_starts(gazetteer: Gazetteer) -> frozenset[str]:
    """The first words of the title phrases ("foreign" of "foreign minister")."""
    return frozenset(phrase.split()[0] for phrase in gazetteer.titles)


@cache
def title_words(gazetteer: Gazetteer) -> frozenset[str]:
    """Every word of every title phrase ("state" from "secretary of state")."""
    return frozenset(w for phrase in gazetteer.titles for w in phrase.split())


def title_fragment(span: Span, gazetteer: Gazetteer) -> bool:
    """True for a one-word span that is a title's word or a demonym ("State" of "Secretary of State")."""
    text = span.text.casefold()
    return len(span) == 1 and (text in title_words(gazetteer) or gazetteer.demonym(text) is not None)


def capitals_spans(doc: Doc) -> list[Span]:
    """Names in capitals, which the tagger misses ("SUELLA BRAVERMAN insisted ..."): two or three capitalised
    words whose last one the article also names a person by ("Mrs Braverman")."""
    surnames = {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON"}
    spans, i = [], 0
    while i < len(doc):
        j = i
        while j < len(doc) and j - i < 3 and doc[j].is_alpha and len(doc[j]) > 1 and doc[j].text.isupper():
            j += 1
        if j - i >= 2 and doc[j - 1].text.title() in surnames:
            spans.append(Span(doc, i, j, label="PERSON"))
        i = max(j, i + 1)
    return spans


def without_document(span: Span, gazetteer: Gazetteer) -> Span:
    """The organisation of a document's name ("UN Charter" -> UN), else the span."""
    if len(span) > 1 and span[-1].lower_ in entity_words("document") and lookup(span[:-1].text, gazetteer):
        return span[:-1]
    return span


def not_an_actor(span: Span, gazetteer: Gazetteer) -> bool:
    """True for what is no actor: a title's word alone, a region, a conference ("COP28"), a capitalised
    common word ("Supposed")."""
    if title_fragment(span, gazetteer) or span.text.casefold() in entity_words("region"):
        return True
    if re.fullmatch(r"([a-z]+)\s*\d+", span.text.casefold(), flags=re.ASCII) and span.text.casefold().rstrip(
        "0123456789 "
    ) in entity_words("event"):
        return True
    if span[-1].lower_ in ("region", *entity_words("document")) or span[0].text.casefold() in entity_words("region"):
        return True
    return len(span) == 1 and span[0].pos_ != "PROPN" and not span.text.isupper()


def dateline(span: Span) -> bool:
    """True for a place in capitals opening a paragraph before a comma ("NUSA DUA, Indonesia - ...")."""
    doc = span.doc
    opens = span.start == 0 or "\n" in doc[span.start - 1].text
    return opens and span.text.isupper() and span.end < len(doc) and doc[span.end].text == ","


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
        if token.dep_ not in ("amod", "compound", "nmod") or token.head is token:
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

    def key(self, f: Found) -> str:
        """The local key for mention `f`, remembering it for later mentions."""
        if f.entry is not None:
            return entry_id(f.entry)
        norm = " ".join(f.tokens)
        key = self.fuller(f.tokens) or self.by_normal.get(norm) or self.spelled(norm) or slug(f.span.text)
        self.by_normal.setdefault(norm, key)
        return key

    def spelled(self, norm: str) -> str | None:
        """Key of an earlier name of the article that `norm` spells differently ("Kristershon")."""
        if len(norm) < VARIANT_MIN_LENGTH or len(norm.split()) < 2:
            return None
        found = process.extractOne(norm, list(self.by_normal), scorer=fuzz.ratio, score_cutoff=VARIANT_SCORE)
        return self.by_normal[found[0]] if found else None

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
