"""Who a speech verb's subject is: a name, a pronoun, "the statement" or a title ("the French president").

The words come from ``data/speech.csv`` (see data/README.md): speech verbs by how their
content is found, and the nouns that stand for the last speaker ("the statement said").

- A name is the mention at the subject, in apposition to it ("NUSA DUA, Indonesia —
  President X said"), or an organisation compounded with a body word ("Xinhua news agency").
- "he"/"she" take a person named earlier in the same sentence as a possessor or subject
  ("X's visit is part of ..., he tweeted"), else the latest speaker or person subject of the
  last few sentences.
- A title ("the Prime Minister", "French foreign minister", "the German leader") takes the
  latest person named before who holds it in this article (its roles) or in the gazetteer,
  of the state its adjective names; a leader's title with a state and no holder takes the
  latest person of that state; else the article's only holder of the title, named later.
  "a senior official", "his spokesman" and plurals stay unnamed.

States and capitals ("Beijing denies") are not speakers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from kg.extract.entities import entry_id
from kg.gazetteer import DATA_DIR, GazEntry

if TYPE_CHECKING:
    from kg.extract.context import Context
    from kg.extract.entities import EntityIndex
    from kg.model import Role

PRONOUNS = frozenset({"he", "she"})
RELATIVES = frozenset({"who", "which", "that"})
LEADER_KINDS = frozenset({"head_of_state", "head_of_government", "leader"})
"""Title kinds that, with a state ("the Russian leader"), name that state's person without a matching role."""
LOOKBACK = 3
"""How many sentences back a pronoun speaker is looked for."""
MODIFIERS = frozenset({"amod", "compound", "nmod"})


@dataclass(frozen=True)
class SpeechWords:
    """The lemmas of ``data/speech.csv`` by kind.

    Attributes:
        clause: Verbs whose clausal complement is the content ("said that ...").
        object: Verbs whose object and its phrase are the content ("accused X of Y").
        quote: Verbs that report speech only before or after a quotation ("he continued: ...").
        source: Nouns that stand for the last speaker ("the statement said").
    """

    clause: frozenset[str]
    object: frozenset[str]
    quote: frozenset[str]
    source: frozenset[str]

    @property
    def verbs(self) -> frozenset[str]:
        return self.clause | self.object | self.quote


@cache
def speech_words() -> SpeechWords:
    """``data/speech.csv``, loaded once."""
    with (DATA_DIR / "speech.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kinds = {k: frozenset(r["word"] for r in rows if r["kind"] == k) for k in ("clause", "object", "quote", "source")}
    return SpeechWords(**kinds)


def subject_of(verb: Token) -> Token | None:
    """The verb's nominal subject (the nearest, when a misparse gives two); for a relative clause ("Xi, who
    accused") its antecedent."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    subj = min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None
    if subj is not None and subj.lower_ in RELATIVES and verb.dep_ == "relcl":
        return verb.head
    return subj


@dataclass
class Speakers:
    """Resolves a subject token to a speaker key (None for states, capitals and unnamed sources)."""

    ctx: Context
    index: EntityIndex
    roles: list[Role]
    recent: list[tuple[int, str, bool]] = field(default_factory=list)
    """(sentence number, key, is a speaker) in text order: speakers and person subjects."""

    def key(self, subj: Token, sent_no: int) -> str | None:
        """Speaker key for a subject: pronoun, "the statement", a name, or a title."""
        if any(c.dep_ == "conj" for c in subj.children):
            return None
        if subj.lower_ in PRONOUNS:
            key = self.in_sentence(subj) or self.antecedent(sent_no, persons=True)
        elif subj.lemma_.lower() in speech_words().source:
            key = self.antecedent(sent_no, persons=False)
        else:
            key = self.named(subj) or self.titled(subj)
        return key if key is not None and self.actor(key) else None

    def actor(self, key: str) -> bool:
        """True for a person or organisation (not a state, city or capital standing for a state)."""
        entity = self.index.by_key.get(key)
        return entity is not None and entity.type in ("Person", "Organization") and not entity.stands_for

    def is_person(self, key: str | None) -> bool:
        entity = self.index.by_key.get(key) if key else None
        return entity is not None and entity.type == "Person"

    def named(self, subj: Token) -> str | None:
        """Key of the actor at the subject, in apposition to it, or compounded with a body word."""
        body = self.ctx.gazetteer.title(subj.lemma_)
        candidates = [subj, *(c for c in subj.children if c.dep_ == "appos")]
        if body is not None and body.type_vote == "Organization":
            candidates += [c for c in subj.children if c.dep_ in MODIFIERS]
        keys = [k for c in candidates if (k := self.index.key_for_token(c)) and self.actor(k)]
        return keys[0] if keys else None

    def in_sentence(self, pronoun: Token) -> str | None:
        """A person named before the pronoun in its sentence as a possessor or subject ("X's visit ..., he said")."""
        sent = pronoun.sent
        keys = [
            k
            for s, k in self.index.mentions_in(sent)
            if s.end <= pronoun.i and s.root.dep_ in ("poss", "nsubj") and self.is_person(k)
        ]
        return keys[-1] if keys else None

    def titled(self, subj: Token) -> str | None:
        """The person a title subject names ("the Prime Minister", "the German leader"), else None."""
        if subj.tag_ in ("NNS", "NNPS") or any(c.dep_ in ("det", "poss") and c.lower_ != "the" for c in subj.children):
            return None
        modifiers = [c for c in subj.lefts if c.dep_ in MODIFIERS]
        title = self.title_phrase(modifiers, subj)
        if title is None:
            return None
        state = self.state_named(modifiers)
        people = self.people_before(subj)
        holder = next((k for k in people if self.holds(k, title) and (state is None or self.of_state(k, state))), None)
        if holder is None and state is not None and self.ctx.gazetteer.title(title).kind in LEADER_KINDS:
            holder = next((k for k in people if self.of_state(k, state)), None)
        return holder or self.only_holder(title, state)

    def only_holder(self, title: str, state: GazEntry | None) -> str | None:
        """The one person of the whole article who holds `title` (of `state`), for a title named before
        the name ("The French president said ... Emmanuel Macron will ...")."""
        people = {k for _, k in self.index.mentions if self.is_person(k)}
        holders = [k for k in people if self.holds(k, title) and (state is None or self.of_state(k, state))]
        return holders[0] if len(holders) == 1 else None

    def title_phrase(self, modifiers: list[Token], head: Token) -> str | None:
        """The longest person's title ending at `head` among its modifiers ("prime minister"), normalised."""
        for start in range(len(modifiers) + 1):
            phrase = " ".join([*(t.lower_ for t in modifiers[start:]), head.lemma_.lower()])
            found = self.ctx.gazetteer.title(phrase)
            if found is not None and found.type_vote == "Person":
                return found.phrase
        return None

    def state_named(self, modifiers: list[Token]) -> GazEntry | None:
        """The state an adjective or name among the modifiers names ("French", "U.S.")."""
        gazetteer = self.ctx.gazetteer
        for token in modifiers:
            entry = gazetteer.demonym(token.text) or gazetteer.lookup(token.text)
            if entry is None and (key := self.index.key_for_token(token)):
                entry = gazetteer.by_id(key) or gazetteer.lookup(self.index.by_key[key].name)
            if entry is not None and entry.type == "State":
                return entry
        return None

    def people_before(self, token: Token) -> list[str]:
        """Keys of the people named before `token`, latest first, each once."""
        keys = [k for s, k in reversed(self.index.mentions) if s.start < token.i and self.is_person(k)]
        return list(dict.fromkeys(keys))

    def holds(self, key: str, title: str) -> bool:
        """Whether the person holds `title` by a role of this article or by the gazetteer ("minister" in
        "foreign minister")."""
        gazetteer = self.ctx.gazetteer
        wanted = gazetteer.title(title).title.split()
        entry = gazetteer.by_id(key) or gazetteer.lookup(self.index.by_key[key].name)
        titles = [r.title for r in self.roles if r.person == key] + ([entry.title] if entry and entry.title else [])
        for held in titles:
            normal = gazetteer.title(held)
            words = (normal.title if normal else held.casefold()).split()
            if words[-len(wanted) :] == wanted:
                return True
        return False

    def of_state(self, key: str, state: GazEntry) -> bool:
        """True when the person is of `state`: by the gazetteer's country, else a role of it or a mention
        right after it ("Russian President X")."""
        state_key = entry_id(state)
        entry = self.ctx.gazetteer.by_id(key) or self.ctx.gazetteer.lookup(self.index.by_key[key].name)
        if entry is not None and entry.country:
            return entry.country == state.name
        if any(r.person == key and r.of == state_key for r in self.roles):
            return True
        return any(self.state_before(span, state_key) for span, k in self.index.mentions if k == key)

    def state_before(self, span: Span, state_key: str) -> bool:
        before = span.doc[max(0, span.start - 4) : span.start]
        return any(self.index.key_for_token(t) == state_key for t in before)

    def antecedent(self, sent_no: int, persons: bool) -> str | None:
        """The latest speaker (or, for pronouns, person subject) of the last few sentences."""
        for no, key, speaker in reversed(self.recent):
            if no < sent_no - LOOKBACK:
                return None
            if speaker or persons:
                return key
        return None
