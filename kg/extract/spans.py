"""Candidate names in one parse: where actors are named, cleaned of titles, credits and junk.

Spans come from spaCy's named entities (repaired: a person's name + "administration" is an
organisation, "Chinese" + "Foreign Ministry" one institution, "King Harald" a person, a photo
credit its agency and photographer) and from a phrase matcher over the gazetteer's names
(built once per process), and from names in capitals the article also writes otherwise.
`clean` strips a leading "the", titles and possessives; what is no actor (a title's word,
a region, a document, a conference, a capitalised common word) is told by `not_an_actor`.
Word lists are in ``data/entity_words.csv`` and ``data/titles.csv``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import cache, lru_cache

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kg.gazetteer import DATA_DIR, GazEntry, Gazetteer

LABEL_VOTES = {"PERSON": "Person", "ORG": "Organization", "GPE": "City"}
"""Type vote of a spaCy label. A GPE the gazetteer does not know is more often a town than a state."""
GAZETTEER_ONLY_LABELS = frozenset({"LOC", "FAC"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "madam", "mr.", "mrs.", "ms.", "dr."})
ORG_SUFFIXES = frozenset({"administration", "government"})
"""A person's name followed by one of these names an organisation ("the Biden administration")."""
EVENT_WORDS = frozenset({"summit", "meeting", "conference", "talks", "forum"})
_JUNK = re.compile(r"^[A-Za-z]?\d|\n|^\W*$")
_NUMBERED = re.compile(r"([a-z]+)\s*\d+")
"""A word and a number: "cop28", "g20"."""
CREDIT_SEPARATORS = frozenset({"/", ",", "via", ";"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


@cache
def entity_words(kind: str) -> frozenset[str]:
    """The words of ``data/entity_words.csv`` of one kind (credit, document, region), loaded once."""
    with (DATA_DIR / "entity_words.csv").open(newline="", encoding="utf-8") as f:
        return frozenset(r["word"] for r in csv.DictReader(f) if r["kind"] == kind)


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
    honorific are a name ("Dr Amina Al Farsi"), not a title.

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
    """A photo credit split into its names ("AP Photo/Jane Porter" -> AP, Jane Porter); other spans as they are.

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
    """The gazetteer person a person's name misspells ("Vladmir Putin"), cached like `lookup`.

    Organisations are never matched so: their names differ by one word ("Indian" / "Iranian Foreign Ministry").
    """
    return gazetteer.variant(text, "Person") if label == "PERSON" else None


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
    text = span.text.casefold()
    numbered = _NUMBERED.fullmatch(text)
    if title_fragment(span, gazetteer) or (numbered and numbered.group(1) in entity_words("event")):
        return True
    regions = entity_words("region")
    if text in regions or span[0].lower_ in regions or span[-1].lower_ in ("region", *entity_words("document")):
        return True
    return len(span) == 1 and span[0].pos_ != "PROPN" and not span.text.isupper()


def dateline(span: Span) -> bool:
    """True for a place in capitals opening a paragraph before a comma ("NUSA DUA, Indonesia - ...")."""
    doc = span.doc
    opens = span.start == 0 or "\n" in doc[span.start - 1].text
    return opens and span.text.isupper() and span.end < len(doc) and doc[span.end].text == ","
