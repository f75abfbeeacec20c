"""Tokens to the article's actors: mentions, demonyms, capitals, titles, pronouns and groups.

An event's arguments are tokens of the parse; `Resolver` maps each to an entity key of
the article: its own mention, a demonym ("Russian" -> Russia), a title with a demonym
("the Russian leader" -> the Russian person mentioned nearest), a pronoun's antecedent,
or the two actors a group noun stands for ("the two men", "both countries").
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from kg.extract.lexicon import lexicon

if TYPE_CHECKING:
    from kg.extract.context import Context
    from kg.extract.entities import EntityIndex

PERSON_PRONOUNS = frozenset(["he", "she", "him", "her", "his", "hers", "who", "whom"])
THING_PRONOUNS = frozenset(["it", "its", "which"])
LEADER_NOUNS = lexicon().cue("leader")
"""Titles that, with a demonym, refer back to a person ("the Russian leader", "his Ukrainian counterpart")."""
NAME_POS = frozenset(["PROPN", "NOUN", "ADJ", "DET"])
"""Parts of speech of the words a nationality can be read from before a name ("Russian President")."""
GROUP_WORDS = dict.fromkeys(lexicon().cue("group_person"), "Person") | dict.fromkeys(
    lexicon().cue("group_state"), "State"
)
"""Plural nouns that refer back to two actors ("the two men", "both countries")."""
HEAD_KINDS = frozenset(["head_of_state", "head_of_government", "leader"])
"""Kinds of title (``titles.csv``) of the people "the two leaders" refers to."""
COUNTERPARTS = frozenset(["counterpart", "equivalent"])
"""Titles for the holder of the same office in another state ("his Ukrainian counterpart")."""
COUNTRY_NOUNS = frozenset(["country", "nation"])
"""Nouns that, after "the", refer back to a state mentioned before."""
ACTORS = frozenset({"Person", "State", "Organization"})


class Resolver:
    """Maps tokens to entity keys: mentions, demonyms, capitals, pronouns."""

    def __init__(self, ctx: Context, index: EntityIndex) -> None:
        self.ctx, self.index = ctx, index

    def type_of(self, key: str) -> str | None:
        """The article's type guess for `key`."""
        entity = self.index.by_key.get(key)
        return entity.type if entity else None

    def demonym(self, token: Token) -> str | None:
        """State key of a demonym or a hyphen prefix ("Russian", "Sino"), if the article knows the state."""
        hyphen = token.i + 1 < len(token.doc) and token.nbor(1).text == "-"
        entry = self.ctx.gazetteer.demonym(token.text) or (self.ctx.gazetteer.lookup(token.text) if hyphen else None)
        if entry is None or entry.type != "State":
            return None
        key = entry.wikidata or entry.id
        return key if key in self.index.by_key else None

    def state_of(self, key: str) -> str | None:
        """State key of a City (its country) or the state a capital stands for."""
        entity = self.index.by_key.get(key)
        if entity is None:
            return None
        if entity.stands_for:
            return entity.stands_for
        entry = self.ctx.gazetteer.lookup(entity.name)
        country = entry and (entry.capital_of or entry.country)
        state = self.ctx.gazetteer.lookup(country) if country else None
        state_key = state and (state.wikidata or state.id)
        return state_key if state_key in self.index.by_key else None

    @cached_property
    def nationality(self) -> dict[str, str]:
        """Person key -> state key from the words before a mention ("Russian President Putin", "China's Wang")."""
        out: dict[str, str] = {}
        for span, key in self.index.mentions:
            if self.type_of(key) != "Person" or key in out:
                continue
            for t in reversed(span.doc[max(0, span.start - 4) : span.start]):
                state = self.demonym(t) or (self.index.key_for_token(t) if t.dep_ == "poss" else None)
                if state and self.type_of(state) == "State":
                    out[key] = state
                    break
                if t.pos_ not in NAME_POS and t.text not in ("’s", "'s"):
                    break
        for span, key in self.index.mentions:
            if self.type_of(key) == "Person" and key not in out and (state := self.apposed_state(span)):
                out[key] = state
        for entity in self.index.entities:
            if entity.type == "Person" and entity.key not in out and (state := self.home_state(entity.name)):
                out[entity.key] = state
        return out

    def apposed_state(self, span: Span) -> str | None:
        """The state of the title a name is in apposition to ("Russia's ambassador to the US, Anatoly Antonov")."""
        root = span.root
        title = root.head if root.dep_ == "appos" else None
        if title is None:
            return None
        return next(
            (k for c in title.children if c.dep_ in ("poss", "amod", "compound") and (k := self.state_word(c))), None
        )

    def home_state(self, name: str) -> str | None:
        """Key of the state the gazetteer gives a known person (`country`), if the article names it."""
        entry = self.ctx.gazetteer.lookup(name)
        state = self.ctx.gazetteer.lookup(entry.country) if entry and entry.country else None
        key = state and state.type == "State" and (state.wikidata or state.id)
        return key if key and self.type_of(key) == "State" else None

    def nominal(self, token: Token) -> str | None:
        """The person a title stands for: "the Russian leader" -> the Russian person mentioned nearest."""
        state = next(
            (k for c in token.children if c.dep_ in ("amod", "compound", "poss") and (k := self.state_word(c))), None
        )
        after = token.doc[token.i + 1 : token.i + 3]
        named = next((k for t in after if not t.is_punct and (k := self.index.key_for_token(t))), None)
        if named and self.type_of(named) == "Person":
            return named
        if state is None:
            return None
        people = [(s.start, k) for s, k in self.index.mentions if self.type_of(k) == "Person"]
        fits = [
            (abs(i - token.i) + (0 if i < token.i else len(token.doc)), k)
            for i, k in people
            if self.nationality.get(k) == state
        ]
        if token.lemma_.lower() in COUNTERPARTS:
            fits = self.same_office(token, fits) or fits
        if not fits:
            fits = [
                (token.i - i, k)
                for i, k in people
                if token.sent.start <= i < token.i and self.nationality.get(k) in (None, state)
            ]
        return min(fits)[1] if fits else None

    def same_office(self, token: Token, fits: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """The candidates for "his counterpart" who hold the office the gazetteer gives the sentence's other people."""
        offices = {self.office(k) for _, k in self.index.mentions_in(token.sent)} - {None}
        return [(d, k) for d, k in fits if self.office(k) in offices]

    def office(self, key: str) -> str | None:
        """The gazetteer's title of a known person, lower-cased."""
        entity = self.index.by_key.get(key)
        entry = self.ctx.gazetteer.lookup(entity.name) if entity else None
        return entry.title.casefold() if entry and entry.title else None

    def listed(self, token: Token, appos: Token) -> bool:
        """True when a name's "apposition" is the next name of a list the parser misread ("Modi, Biden,
        Kishida and Albanese met"): another person, itself coordinated with more."""
        key, other = self.index.key_for_token(token), self.index.key_for_token(appos)
        people = self.type_of(key) == "Person" and self.type_of(other) == "Person"
        return people and other != key and bool(appos.conjuncts)

    def bodies_of(self, token: Token) -> list[str]:
        """The organisation whose members act ("members of the New Group held their meeting"), as one actor."""
        return [
            k
            for p in token.children
            if p.dep_ == "prep" and p.lower_ == "of"
            for o in p.children
            if o.dep_ == "pobj" and (k := self.index.key_for_token(o)) and self.type_of(k) == "Organization"
        ]

    def leaders_of(self, token: Token) -> list[str]:
        """The people a title "of" states stands for ("the leaders of Turkey and Sweden", "the president of
        Brazil"): for each state, the person of that state mentioned nearest."""
        states = [
            k
            for p in token.children
            if p.dep_ == "prep" and p.lower_ == "of"
            for o in p.children
            if o.dep_ == "pobj"
            for t in (o, *o.conjuncts)
            if (k := self.index.key_for_token(t)) and self.type_of(k) == "State"
        ]
        people = [(abs(s.start - token.i), k) for s, k in self.index.mentions if self.type_of(k) == "Person"]
        out = [
            min((d, k) for d, k in people if self.nationality.get(k) == state)[1]
            for state in states
            if any(self.nationality.get(k) == state for _, k in people)
        ]
        return list(dict.fromkeys(out))

    def leads(self, key: str) -> bool:
        """True for a person the gazetteer knows as a head of state or government."""
        office = self.office(key)
        title = self.ctx.gazetteer.title(office) if office else None
        return bool(title and title.kind in HEAD_KINDS)

    def state_word(self, token: Token) -> str | None:
        """The state a modifier of a title names: a demonym ("Chinese") or a state's name ("US", "Britain's")."""
        key = self.demonym(token) or self.index.key_for_token(token)
        return key if key and self.type_of(key) == "State" else None

    def whose_country(self, token: Token) -> str | None:
        """The state "the country" or "his country" stands for (a person's own state after a possessive)."""
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is not None:
            key = self.key(owner)
            return key if self.type_of(key) == "State" else self.nationality.get(key) if key else None
        return self.country(token) if any(c.lower_ == "the" for c in token.children) else None

    def country(self, token: Token) -> str | None:
        """The state "the country" / "the nation" refers back to: the nearest earlier state of the sentence
        (or a person's state) other than the clause's own subject ("Russia invaded the nation")."""
        subject = {
            k
            for c in token.head.children
            if c.dep_ in ("nsubj", "nsubjpass")
            for t in c.subtree
            if (k := self.index.key_for_token(t))
        }
        before = [k for s, k in self.index.mentions if s.start < token.i and s.start >= token.sent.start - 60]
        for key in reversed(before):
            state = key if self.type_of(key) == "State" else self.nationality.get(key)
            if state and state not in subject:
                return state
        return None

    def key(self, token: Token) -> str | None:
        """Entity key of `token`: its mention, a demonym, a title's person or a pronoun's antecedent."""
        key = self.index.key_for_token(token)
        if key is not None:
            return key
        if token.lower_ in PERSON_PRONOUNS | THING_PRONOUNS:
            return self.antecedent(token)
        if token.lemma_.lower() in LEADER_NOUNS:
            return self.nominal(token)
        if token.lemma_.lower() in COUNTRY_NOUNS:
            return self.whose_country(token)
        if token.lemma_.lower() == "capital":
            return next(
                (k for c in token.children if c.dep_ in ("amod", "poss", "compound") and (k := self.state_word(c))),
                None,
            )
        return self.demonym(token) if token.pos_ in ("ADJ", "PROPN", "NOUN") else None

    def antecedent(self, token: Token) -> str | None:
        """A pronoun's entity: for "who"/"which" the noun it follows; else the subject of a clause above
        it, the nearest earlier fitting entity of the sentence, or the previous sentence's subject."""
        if token.lower_ in ("who", "whom", "which") and token.head.head.i != token.head.i:
            head = token.head.head if token.head.dep_ == "relcl" else None
            return self.index.key_for_token(head) if head is not None else None
        wanted = {"Person"} if token.lower_ in PERSON_PRONOUNS else {"State", "City", "Organization"}
        if token.lower_ == "its" and (state := self.described_state(token)):
            return state
        start = token.sent.start
        inside = [k for s, k in self.index.mentions if start <= s.start < token.i and self.type_of(k) in wanted]
        before = start - 1
        while before > 0 and token.doc[before].is_space:
            before -= 1
        if not inside and before >= 0:
            previous = token.doc[before].sent
            subj = [t for t in previous if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"]
            inside = [k for t in subj if (k := self.index.key_for_token(t)) and self.type_of(k) in wanted]
            inside = inside or [k for s, k in self.index.mentions_in(previous) if self.type_of(k) in wanted]
        governing = self.governing_subject(token, wanted)
        key = governing or (inside[-1] if inside else None)
        return self.state_of(key) or key if key and self.type_of(key) == "City" else key

    def described_state(self, token: Token) -> str | None:
        """For "its", a state described just before it ("support his country in its war"), if any."""
        for t in reversed(token.doc[token.sent.start : token.i]):
            if t.lemma_.lower() in COUNTRY_NOUNS:
                return self.whose_country(t)
            if self.index.key_for_token(t):
                return None
        return None

    def governing_subject(self, token: Token, wanted: set[str]) -> str | None:
        """The subject of a clause above the pronoun's own, if it is an earlier entity of a wanted type."""
        own = token.head.i if token.dep_ in ("nsubj", "nsubjpass") else None
        for node in token.ancestors:
            subj = [c for c in node.children if c.dep_ == "nsubj" and c.i < token.i and node.i != own]
            keys = [k for c in subj for k in self.keys(c) if self.type_of(k) in wanted]
            if keys:
                return keys[0]
        return None

    def previous_person(self, token: Token) -> list[str]:
        """Key of the nearest person mentioned before `token` in its sentence, as a list."""
        keys = [k for s, k in self.index.mentions_in(token.sent) if s.start < token.i and self.type_of(k) == "Person"]
        return keys[-1:]

    def keys(self, token: Token) -> list[str]:
        """Keys of `token`, its conjuncts, examples and, for an unnamed token, appositions ("Xi and Putin",
        "counterpart, Kuleba", "leaders including Xi"); a named token's apposition is another actor or a misparse."""
        out = []
        if is_group(token):
            return group_keys(token, self)
        included = [x for p in token.children if p.lower_ == "including" for o in p.children for x in (o, *o.conjuncts)]
        if token.lemma_.lower() in LEADER_NOUNS and (heads := self.leaders_of(token)):
            return heads
        if token.lemma_.lower() == "member" and (bodies := self.bodies_of(token)):
            return bodies
        named_itself = self.index.key_for_token(token) is not None
        appositions = [c for c in token.children if c.dep_ == "appos" and (not named_itself or self.listed(token, c))]
        listed = [x for a in appositions if named_itself for x in a.conjuncts]
        for t in (token, *token.conjuncts, *appositions, *listed, *included):
            named = next((k for c in t.children if c.dep_ == "appos" and (k := self.index.key_for_token(c))), None)
            key = self.index.key_for_token(t) or named or self.key(t)
            if key and key not in out:
                out.append(key)
        return out


def is_group(token: Token) -> bool:
    """True for "the couple", "the two men", "both countries"."""
    counted = any(c.lower_ in ("two", "both") for c in token.children)
    return token.lower_ in GROUP_WORDS and (counted or token.lower_ in ("couple", "pair"))


def group_keys(token: Token, res: Resolver) -> list[str]:
    """The two actors a group noun stands for: the last two people named before it, or the article's top two states."""
    kind = GROUP_WORDS.get(token.lower_)
    if kind == "Person":
        keys = list(
            dict.fromkeys(k for s, k in reversed(res.index.mentions) if s.start < token.i and res.type_of(k) == kind)
        )
        leaders = [k for k in keys if res.leads(k)]
        return (leaders if token.lower_ == "leaders" and len(leaders) >= 2 else keys)[:2]
    counts: dict[str, int] = {}
    for _, key in res.index.mentions:
        if res.type_of(key) == "State":
            counts[key] = counts.get(key, 0) + 1
    return sorted(counts, key=counts.get, reverse=True)[:2]  # type: ignore[arg-type]


def nearest_actor(token: Token, res: Resolver, types: set[str], deps: frozenset[str]) -> list[str]:
    """Keys of the first subject/possessive of a fitting type on the way up from `token`."""
    for node in (token, *token.ancestors):
        for child in node.children:
            if child.dep_ in deps:
                keys = [k for k in res.keys(child) if res.type_of(k) in types]
                if keys:
                    return keys
    return []


def as_states(keys: list[str], res: Resolver) -> list[str]:
    """Keys with cities replaced by their states ("Moscow" as a party means Russia)."""
    out = [res.state_of(k) or k if res.type_of(k) == "City" else k for k in keys]
    return list(dict.fromkeys(out))


def of_type(keys: list[str], res: Resolver, types: set[str]) -> list[str]:
    """The keys whose entity type is in `types`."""
    return [k for k in keys if res.type_of(k) in types]


def subjects_any(verb: Token, res: Resolver) -> list[str]:
    """Keys of a verb's active or passive subject."""
    return [k for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for k in res.keys(c)]
