"""Events in one article: trigger words, their arguments from the parse, status, time and place.

A trigger is a verb ("visit", "met", "spoke", "brokered") or a noun ("trip", "talks",
"video conference", "deal", "arrest warrant", "invasion") from the lexicons below.
Arguments come from the dependency parse around the trigger (subjects, objects,
"with"/"between"/"to" phrases, possessives, demonyms such as "Sino-Russian") and,
for a noun, from its support verb ("pay a visit", "held a virtual meeting").
Pronouns go to the nearest earlier entity of a fitting type. Each mention gives one
`Event`; mentions of one event in the same article are then merged (same type,
shared participants, compatible times), keeping the first evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from kg.extract.timex import expression, resolve
from kg.model import Event, TimeExpr

if TYPE_CHECKING:
    from kg.extract.context import Context
    from kg.extract.entities import EntityIndex


def _words(text: str) -> frozenset[str]:
    """A word set from a space-separated list (keeps the lexicons below short)."""
    return frozenset(text.split())


def _lexicon(types: dict[str, str]) -> dict[str, str]:
    """Word -> event type from event type -> space-separated trigger words."""
    return {word: kind for kind, words in types.items() for word in words.split()}


VERB_TRIGGERS = _lexicon(
    {
        "Visit": "visit travel fly go host",
        "Meeting": "meet",
        "PhoneCall": "speak phone contact call",
        "Other": "reelect re-elect collide invade send ship deliver sell",
    }
)
"""Verb lemma -> event type. "go"/"fly"/"travel" need a destination; "host" also implies a meeting."""
NOUN_TRIGGERS = _lexicon(
    {
        "Visit": "visit trip journey tour",
        "Meeting": "meeting talk talks interview negotiation",
        "PhoneCall": "call phone",
        "VideoCall": "videoconference",
        "Summit": "summit",
        "Agreement": "deal agreement pact treaty accord partnership friendship collaboration alliance",
        "ArrestWarrant": "warrant",
        "Other": "invasion war downing proposal proposition plan paper ceasefire term",
    }
)
"""Noun lemma -> event type ("conference" counts only as a video conference, "warrant" as an arrest warrant)."""
VIDEO_WORDS = _words("video virtual virtually online videoconference")
"""Modifiers that make a meeting or call a video call."""
IN_PERSON = _words("personally person face")
"""Words that make "spoke" a meeting ("spoke in person")."""
TIE_NOUNS = _words("partnership friendship collaboration alliance")
"""Agreement nouns that need a verb of declaring ("declared a partnership")."""
DECLARE_VERBS = _words("declare sign seal forge form announce conclude reach state agree")
PROPOSAL_NOUNS = _words("proposal proposition plan paper ceasefire")
"""Other events: a state's peace proposal; need a peace/position/point modifier or a launching verb."""
PROPOSAL_MARKS = _words("peace position point launch publish release publication call")
TERM_WORDS = _words("reelect re-elect elect")
ORDINALS = _words("second third fourth fifth sixth new")
WIN_VERBS = _words("secure win begin start gain clinch")
"""A person "securing a third term" is an Other event (an election) of that person."""
TRANSFER_VERBS = _words("send ship deliver sell")
"""Other events: a delivery from one actor to another."""
DESTINATION_VERBS = _words("travel fly go")
SUPPORT_VERBS = _words(
    "have hold pay make take conduct begin start sign seal reach strike broker declare schedule plan set arrange "
    "release issue launch publish attend place"
)
"""Verbs whose object or subject noun is the event itself ("pay a visit", "talks will take place")."""
SUPPORT_DEPS = _words("dobj nsubj nsubjpass attr oprd")
BROKER_WORDS = _words("broker mediate mediation brokerage mediator")
CALL_VERBS = _words("call push urge press")
"""Verbs of demanding: "called for a ceasefire" is a proposal, "called for talks" no meeting."""
SAY_VERBS = _words("say announce confirm state tell report reveal add write tweet")
"""A date on a verb of saying dates the report, not the event."""
MEALS = _words("dinner lunch breakfast banquet supper")
PARTY_PREPS = _words("with between to for against of by")
PLACE_PREPS = _words("to in at")
TOPIC_PREPS = _words("without on over about")
"""Prepositions of a phrase describing the event itself, under which its parties may hang ("talks on trade with")."""
REFERENCE_PREPS = _words("since before after until")
"""A date after these ("since the start of the war in February") is a reference point, not the event's time."""

NEGATIONS = _words("not n't never no")
SPECULATIVE_MODS = _words("possible potential any prospective proposed such")
MODALS = _words("could may might should can")
HEDGE_VERBS = _words("hope expect anticipate consider want report rumor suggest")
"""Verbs above an event that make it speculative ("hope that Xi will call", "is expected to have a call")."""
PLAN_VERBS = _words("plan set schedule due intend prepare")
FUTURE_AUX = _words("will shall would 'll wo")

PERSON_PRONOUNS = _words("he she him her his hers who whom")
THING_PRONOUNS = _words("it its which")
LEADER_NOUNS = _words("leader president minister diplomat premier counterpart equivalent")
"""Titles that, with a demonym, refer back to a person ("the Russian leader", "his Ukrainian counterpart")."""
NAME_POS = _words("PROPN NOUN ADJ DET")
"""Parts of speech of the words a nationality can be read from before a name ("Russian President")."""
GROUP_WORDS = {"couple": "Person", "men": "Person", "leaders": "Person", "pair": "Person"} | dict.fromkeys(
    ("countries", "nations", "sides"), "State"
)
"""Plural nouns that refer back to two actors ("the two men", "both countries")."""
ACTORS = {"Person", "State", "Organization"}

MIN_PARTIES = {"Meeting": 2, "PhoneCall": 2, "VideoCall": 2, "Agreement": 2}
"""Fewest participants an event of a type needs to be reported (others need one)."""
REAL = frozenset({"happened", "planned"})
SAMPLE_DATES = tuple(f"2001-{month:02d}-15" for month in range(1, 13))
"""Hypothetical article dates for comparing two relative times of an undated article."""


@dataclass
class Args:
    """Arguments found for one trigger, as entity keys."""

    agents: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    location: str | None = None

    def add(self, keys: list[str], agent: bool = False) -> None:
        """Add keys to the agents or the other parties, once each."""
        target = self.agents if agent else self.others
        target.extend(k for k in keys if k not in self.agents and k not in self.others)


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
        return out

    def nominal(self, token: Token) -> str | None:
        """The person a title stands for: "the Russian leader" -> the Russian person mentioned nearest."""
        state = next((k for c in token.children if c.dep_ in ("amod", "compound") and (k := self.demonym(c))), None)
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
        if not fits:
            fits = [
                (token.i - i, k)
                for i, k in people
                if token.sent.start <= i < token.i and self.nationality.get(k) in (None, state)
            ]
        return min(fits)[1] if fits else None

    def key(self, token: Token) -> str | None:
        """Entity key of `token`: its mention, a demonym, a title's person or a pronoun's antecedent."""
        key = self.index.key_for_token(token)
        if key is not None:
            return key
        if token.lower_ in PERSON_PRONOUNS | THING_PRONOUNS:
            return self.antecedent(token)
        if token.lemma_.lower() in LEADER_NOUNS:
            return self.nominal(token)
        return self.demonym(token) if token.pos_ in ("ADJ", "PROPN", "NOUN") else None

    def antecedent(self, token: Token) -> str | None:
        """A pronoun's entity: for "who"/"which" the noun it follows; else the subject of a clause above
        it, the nearest earlier fitting entity of the sentence, or the previous sentence's subject."""
        if token.lower_ in ("who", "whom", "which") and token.head.head is not token.head:
            head = token.head.head if token.head.dep_ == "relcl" else None
            return self.index.key_for_token(head) if head is not None else None
        wanted = {"Person"} if token.lower_ in PERSON_PRONOUNS else {"State", "City", "Organization"}
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

    def governing_subject(self, token: Token, wanted: set[str]) -> str | None:
        """The subject of a clause above the pronoun's own, if it is an earlier entity of a wanted type."""
        own = token.head if token.dep_ in ("nsubj", "nsubjpass") else None
        for node in token.ancestors:
            subj = [c for c in node.children if c.dep_ == "nsubj" and c.i < token.i and node is not own]
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
        named_itself = self.index.key_for_token(token) is not None
        appositions = [] if named_itself else [c for c in token.children if c.dep_ == "appos"]
        for t in (token, *token.conjuncts, *appositions, *included):
            named = next((k for c in t.children if c.dep_ == "appos" and (k := self.index.key_for_token(c))), None)
            key = self.index.key_for_token(t) or named or self.key(t)
            if key and key not in out:
                out.append(key)
        return out


def subjects(verb: Token, res: Resolver) -> list[str]:
    """Keys of a verb's subjects, or of the clause it depends on ("fly to Moscow to meet Putin")."""
    start = verb
    for _ in range(4):
        subj = [
            c for c in verb.children if c.dep_ in ("nsubj", "agent") or (c.dep_ == "nsubjpass" and verb is not start)
        ]
        if verb.dep_ == "relcl" and not subj:
            return res.keys(verb.head)
        controller = [c for c in verb.head.children if c.dep_ == "dobj"] if verb.dep_ == "xcomp" else []
        if not subj and controller:
            return res.keys(controller[0])
        if subj:
            agent = subj[0] if subj[0].dep_ != "agent" else next(iter(subj[0].children), subj[0])
            return res.keys(agent)
        if verb.dep_ not in ("xcomp", "advcl", "conj", "relcl", "acl") or verb.head is verb:
            return []
        verb = verb.head
    return []


def phrase_args(head: Token, res: Resolver, args: Args, places: bool = True) -> None:
    """Parties and place from a head's objects, prepositional phrases, possessives and modifiers."""
    for child in head.children:
        if child.dep_ in ("dobj", "dative") and child.pos_ != "ADP":
            args.add(res.keys(child))
        elif child.dep_ in ("prep", "dative") and child.lower_ in PARTY_PREPS | PLACE_PREPS:
            for obj in [c for c in child.children if c.dep_ == "pobj"] or infinitive_subjects(child):
                place_or_party(obj, child.lower_ if places else "with", res, args)
        elif child.dep_ == "prep" and child.lower_ in TOPIC_PREPS:
            args.add(
                [k for obj in child.children if obj.dep_ == "pobj" and not res.keys(obj) for k in parties_of(obj, res)]
            )
        elif child.dep_ == "poss":
            args.add(res.keys(child), agent=True)
        elif child.dep_ in ("advcl", "acl") and any(c.dep_ == "mark" and c.lower_ == "for" for c in child.children):
            args.add([k for c in child.children if c.dep_ == "nsubj" for k in res.keys(c)])  # "for X to do"
        elif child.dep_ in ("compound", "amod", "nmod", "npadvmod"):
            args.add([k for t in child.subtree if (k := res.key(t))])


def parties_of(noun: Token, res: Resolver) -> list[str]:
    """Keys after "with"/"between" under a noun that describes an event ("a partnership without limits with
    Russia", "talks on trade with India"): the parser hangs the party on the nearest noun."""
    preps = (p for p in noun.children if p.dep_ == "prep" and p.lower_ in ("with", "between"))
    return [k for p in preps for obj in p.children if obj.dep_ == "pobj" for k in res.keys(obj)]


def infinitive_subjects(prep: Token) -> list[Token]:
    """The subject of "for X to do" when the parser hung it on the infinitive and left "for" without an object
    ("brokered the deal for Iran and Saudi Arabia to restore ties")."""
    if prep.lower_ != "for" or any(c.dep_ == "pobj" for c in prep.children):
        return []
    for t in prep.doc[prep.i + 1 : prep.sent.end]:
        if t.lower_ == "to" and t.dep_ == "aux":
            return [s for s in t.head.children if s.dep_ == "nsubj" and prep.i < s.i < t.i]
        if t.pos_ in ("VERB", "AUX") or (t.is_punct and t.text != "-"):
            return []
    return []


def place_or_party(obj: Token, prep: str, res: Resolver, args: Args) -> None:
    """A pobj is the event's place (a City, or a State after "to"/"in") or one of its parties."""
    keys = res.keys(obj)
    kinds = [res.type_of(k) for k in keys]
    if keys and prep in PLACE_PREPS and kinds[0] == "City":
        args.location = args.location or keys[0]
        return
    if keys and prep in ("in", "at") and kinds[0] == "State":
        args.location = args.location or keys[0]
        return
    if prep in PARTY_PREPS or prep == "to":
        args.add(keys)


@dataclass
class EventMention:
    """One trigger with what the parse says about it."""

    trigger: Token
    type: str
    anchor: Token
    args: Args
    roles: dict[str, list[str]]


def event_type(token: Token) -> str | None:
    """The event type a token triggers, refined by its modifiers ("video conference", "arrest warrant")."""
    lemma = token.lemma_.lower()
    if lemma not in VERB_TRIGGERS and lemma not in NOUN_TRIGGERS and lemma != "conference":
        return None
    words = {c.lower_ for c in token.children} | {c.lemma_.lower() for c in token.children}
    if token.pos_ == "VERB":
        kind = VERB_TRIGGERS.get(lemma)
        if kind == "PhoneCall" and words & IN_PERSON | {t.lower_ for t in token.subtree} & IN_PERSON:
            return "Meeting"
        return kind
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    if lemma == "conference":
        return "VideoCall" if words & VIDEO_WORDS else None
    kind = NOUN_TRIGGERS.get(lemma)
    if kind == "ArrestWarrant" and "arrest" not in words:
        return None
    if kind in ("Meeting", "PhoneCall") and words & VIDEO_WORDS:
        return "VideoCall"
    if kind == "Meeting" and words & BROKER_WORDS:
        return "Agreement"
    return kind


def anchor_of(token: Token) -> Token:
    """The support verb of a noun trigger ("pay" of "pay a visit"), else the trigger itself."""
    head = token.head
    if token.pos_ != "VERB" and token.dep_ in SUPPORT_DEPS and head.lemma_ in SUPPORT_VERBS:
        return head
    if token.dep_ == "pobj" and head.head.lemma_ in CALL_VERBS and head.head.pos_ == "VERB":
        return head.head
    return token


def nearest_actor(token: Token, res: Resolver, types: set[str], deps: frozenset[str]) -> list[str]:
    """Keys of the first subject/possessive of a fitting type on the way up from `token`."""
    for node in (token, *token.ancestors):
        for child in node.children:
            if child.dep_ in deps:
                keys = [k for k in res.keys(child) if res.type_of(k) in types]
                if keys:
                    return keys
    return []


def is_group(token: Token) -> bool:
    """True for "the couple", "the two men", "both countries"."""
    counted = any(c.lower_ in ("two", "both") for c in token.children)
    return token.lower_ in GROUP_WORDS and (counted or token.lower_ in ("couple", "pair"))


def group_keys(token: Token, res: Resolver) -> list[str]:
    """The two actors a group noun stands for: last two persons of the sentence, or the article's top two states."""
    kind = GROUP_WORDS.get(token.lower_)
    if kind == "Person":
        keys = [k for s, k in res.index.mentions if token.sent.start <= s.start < token.i and res.type_of(k) == kind]
        return list(dict.fromkeys(reversed(keys)))[:2]
    counts: dict[str, int] = {}
    for _, key in res.index.mentions:
        if res.type_of(key) == "State":
            counts[key] = counts.get(key, 0) + 1
    return sorted(counts, key=counts.get, reverse=True)[:2]  # type: ignore[arg-type]


def base_args(trigger: Token, anchor: Token, res: Resolver) -> Args:
    """Subjects (agents), objects and place of a trigger and its support verb."""
    args = Args()
    if trigger.pos_ in ("VERB", "AUX") or anchor is not trigger:
        args.add(subjects(anchor, res), agent=True)
    places = event_type(trigger) != "Other"
    phrase_args(trigger, res, args, places)
    if anchor is not trigger:
        phrase_args(anchor, res, args, places)
    for t in trigger.subtree if trigger.pos_ != "VERB" else trigger.children:
        if is_group(t) and t.i != trigger.i:
            args.add(group_keys(t, res), agent=trigger.pos_ != "VERB")
    if not args.agents and not args.others and trigger.pos_ != "VERB" and trigger.head.pos_ == "ADP":
        verb = next((a for a in trigger.ancestors if a.pos_ == "VERB"), None)
        if verb is not None and event_type(trigger) in ("Meeting", "PhoneCall", "VideoCall", "Summit"):
            args.add(subjects(verb, res), agent=True)
            args.add([k for c in verb.children if c.dep_ == "dobj" for k in res.keys(c)])
    return args


def clause_chain(verb: Token) -> list[Token]:
    """A verb and the verbs it is the complement of ("plans to visit" -> visit, plans)."""
    chain = [verb]
    while follows_head(chain[-1]) and len(chain) < 4:
        chain.append(chain[-1].head)
    return chain


def follows_head(verb: Token) -> bool:
    """True when a verb shares its head's tense: "plans to visit", "fly ... to meet" (no subject of its own)."""
    if verb.head is verb or verb.dep_ not in ("xcomp", "conj", "advcl"):
        return False
    return verb.dep_ != "advcl" or not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def status_of(trigger: Token, anchor: Token) -> str:
    """happened, planned ("will visit", "plans to"), negated ("has not spoken") or speculative ("could hold")."""
    if {c.lower_ for c in trigger.children} & SPECULATIVE_MODS:
        return "speculative"
    above = {a.lemma_.lower() for a in anchor.ancestors}
    if anchor.pos_ not in ("VERB", "AUX"):
        return "speculative" if above & {"report", "rumor"} else "happened"
    chain = clause_chain(anchor)
    words = {c.lower_ for v in chain for c in v.children if c.dep_ in ("aux", "auxpass", "neg", "mark", "advmod")}
    lemmas = {v.lemma_.lower() for v in chain}
    if words & NEGATIONS:
        return "negated"
    if words & (MODALS | {"if", "whether"}) or (above | lemmas) & HEDGE_VERBS:
        return "speculative"
    if words & FUTURE_AUX or lemmas & PLAN_VERBS:
        return "planned"
    return "happened"


def meals(trigger: Token, anchor: Token) -> dict[str, str]:
    """{"meal": word} when a meal word is attached to the event ("meeting over an informal dinner")."""
    words = [t.lower_ for t in (*trigger.subtree, *anchor.subtree) if t.lower_ in MEALS]
    return {"meal": words[0]} if words else {}


def as_states(keys: list[str], res: Resolver) -> list[str]:
    """Keys with cities replaced by their states ("Moscow" as a party means Russia)."""
    out = [res.state_of(k) or k if res.type_of(k) == "City" else k for k in keys]
    return list(dict.fromkeys(out))


def of_type(keys: list[str], res: Resolver, types: set[str]) -> list[str]:
    """The keys whose entity type is in `types`."""
    return [k for k in keys if res.type_of(k) in types]


def visit_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """Visitor, host (state and person) and inviter of a Visit; None for a trip without a destination."""
    t, a = m.trigger, m.args
    if t.lemma_ == "host":
        visitor, hosts = of_type(a.others, res, {"Person"}), of_type(a.agents, res, {"Person"})
    else:
        visitor = of_type(a.agents, res, ACTORS)
        hosts = of_type(a.others, res, {"Person"}) + purpose_hosts(t, m.anchor, res)
    place = a.location or next(iter(of_type(a.others, res, {"State", "City"})), None)
    if t.lemma_ in DESTINATION_VERBS and place is None:
        return None
    state = res.state_of(place) if place and res.type_of(place) == "City" else place
    state = state or next((res.nationality[k] for k in hosts if k in res.nationality), None)
    inviter = inviters(t, m.anchor, res)
    invite = t.head if t.head.lemma_ == "invite" else t.head.head
    if not visitor and invite.lemma_ == "invite":
        visitor = [k for c in invite.children if c.dep_ == "dobj" for k in res.keys(c)]
    m.args.location = a.location or place
    return {"visitor": visitor, "host": [k for k in [state, *hosts] if k], "inviter": inviter}


def purpose_hosts(trigger: Token, anchor: Token, res: Resolver) -> list[str]:
    """The person a visit is made to meet ("fly to Moscow to meet Putin", "for talks with Putin")."""
    out = []
    for node in {trigger, anchor}:
        for c in node.children:
            if c.dep_ in ("xcomp", "advcl") and c.lemma_ == "meet":
                out += [k for d in c.children if d.dep_ == "dobj" for k in res.keys(d)]
            elif c.dep_ == "prep" and c.lower_ == "for":
                for talk in (d for d in c.children if d.lemma_ in ("talk", "talks", "interview", "meeting")):
                    out += [k for p in talk.children if p.lower_ == "with" for d in p.children for k in res.keys(d)]
    return of_type(out, res, {"Person"})


def inviters(trigger: Token, anchor: Token, res: Resolver) -> list[str]:
    """Who invited: "at the invitation of Putin", "at Putin's invitation", "Putin invited Xi to visit"."""
    if trigger.head.lemma_ == "invite" or (trigger.head.dep_ == "prep" and trigger.head.head.lemma_ == "invite"):
        verb = trigger.head if trigger.head.lemma_ == "invite" else trigger.head.head
        return subjects(verb, res)
    for node in {trigger, anchor}:
        for prep in (c for c in node.children if c.dep_ == "prep"):
            for inv in (d for d in prep.children if d.lemma_ == "invitation"):
                return [k for d in inv.subtree if d.dep_ in ("poss", "pobj") for k in [res.key(d)] if k]
    return []


def broker_of(trigger: Token, res: Resolver) -> list[str]:
    """Who brokered an agreement: the subject or possessor of "brokered"/"mediation" above or on the trigger."""
    nodes = [trigger, *list(trigger.ancestors)[:4]]
    if not any(n.lemma_.lower() in BROKER_WORDS for n in nodes) and not any(
        c.lemma_.lower() in BROKER_WORDS for c in trigger.children
    ):
        return []
    return as_states(nearest_actor(trigger, res, ACTORS | {"City"}, frozenset({"nsubj", "poss"})), res)


def agreement_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """Parties and broker; ties ("partnership") count only when declared or signed."""
    t = m.trigger
    if t.lemma_.lower() in TIE_NOUNS:
        near = [t.head, t.head.head, *(c for c in t.children if c.dep_ in ("acl", "relcl"))]
        if not any(n.lemma_.lower() in DECLARE_VERBS for n in near):
            return None
    broker = broker_of(t, res)
    parties = [k for k in as_states(m.args.agents + m.args.others, res) if k not in broker]
    return {"party": parties, "broker": broker}


def warrant_roles(m: EventMention, res: Resolver) -> dict[str, list[str]]:
    """Issuer (the court) and subjects of an arrest warrant."""
    return {"issuer": m.args.agents, "subject": of_type(m.args.others, res, {"Person"})}


def summit_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """The organisation holding a summit and the named attendees."""
    orgs = of_type(m.args.agents + m.args.others, res, {"Organization"})
    if not orgs:
        return None
    return {"party": orgs + nearest_actor(m.trigger, res, {"Person"}, frozenset({"nsubj"}))}


def other_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """Wars, incidents, proposals and re-elections: the actors involved."""
    t = m.trigger
    lemma = t.lemma_.lower()
    if lemma in PROPOSAL_NOUNS:
        marks = {c.lemma_.lower() for c in t.subtree} | {t.head.lemma_.lower(), m.anchor.lemma_.lower()}
        if not marks & PROPOSAL_MARKS:
            return None
        deps = frozenset({"poss", "nsubj"})
        return {"party": of_type(as_states(nearest_actor(t, res, {"State", "City"}, deps), res), res, {"State"})}
    if lemma in TERM_WORDS:
        return {"party": of_type(subjects_any(t, res), res, {"Person"})}
    if lemma == "term":
        won = {c.lower_ for c in t.children} & ORDINALS and t.head.lemma_ in WIN_VERBS
        return {"party": res.previous_person(t)} if won else None
    if lemma in TRANSFER_VERBS:
        return transfer_roles(m, res)
    if lemma in ("downing", "collide"):
        words = t.head.subtree if t.dep_ == "conj" else t.subtree
        return {"party": of_type(as_states([k for x in words if (k := res.key(x))], res), res, {"State"})}
    parties = of_type(as_states(m.args.agents + m.args.others, res), res, {"State", "Person"})
    return {"party": parties + [res.nationality[k] for k in parties if k in res.nationality]}


def transfer_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """A delivery between actors ("X sent shotguns to Y"): the sender and the receiver after "to"."""
    to = [p for p in m.trigger.children if p.dep_ == "dative" or (p.dep_ == "prep" and p.lower_ == "to")]
    receivers = [k for p in to for o in (p.children if p.pos_ == "ADP" else [p]) for k in res.keys(o)]
    senders = of_type(m.args.agents, res, ACTORS)
    receivers = of_type(receivers, res, ACTORS)
    return {"party": senders + receivers} if senders and receivers else None


def subjects_any(verb: Token, res: Resolver) -> list[str]:
    """Keys of a verb's active or passive subject."""
    return [k for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for k in res.keys(c)]


def contact_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """The people (or states) who meet or talk; a verb "call" needs an object."""
    if m.trigger.pos_ == "VERB" and m.trigger.lemma_ == "call" and not m.args.others:
        return None
    if any(a.lemma_ in CALL_VERBS for a in list(m.trigger.ancestors)[:5]):
        return None
    return {"party": of_type(as_states(m.args.agents + m.args.others, res), res, ACTORS)}


ROLE_BUILDERS = {
    "Visit": visit_roles,
    "Agreement": agreement_roles,
    "ArrestWarrant": warrant_roles,
    "Summit": summit_roles,
    "Other": other_roles,
    "Meeting": contact_roles,
    "PhoneCall": contact_roles,
    "VideoCall": contact_roles,
}


def participants(roles: dict[str, list[str]]) -> list[str]:
    """All keys of the roles, once each, in role order."""
    return list(dict.fromkeys(k for keys in roles.values() for k in keys))


def stay(token: Token, res: Resolver) -> str | None:
    """ "Visit" for a person who "was in" a city or state ("when he was in Moscow last month")."""
    if token.lemma_ != "be" or token.tag_ != "VBD" or any(c.dep_ == "neg" for c in token.children):
        return None
    people = of_type(subjects_any(token, res), res, {"Person"})
    places = [
        k
        for p in token.children
        if p.dep_ == "prep" and p.lower_ == "in"
        for o in p.children
        if o.dep_ == "pobj"
        for k in res.keys(o)
    ]
    return "Visit" if people and of_type(places, res, {"City", "State"}) else None


def mentions_in(sent: Span, res: Resolver) -> list[EventMention]:
    """Event mentions of one sentence with their roles."""
    out = []
    for token in sent:
        kind = event_type(token) or stay(token, res)
        if kind is None:
            continue
        anchor = anchor_of(token)
        if kind == "Other" and token.lemma_.lower() in TERM_WORDS:
            args = Args(agents=subjects_any(token, res))
        else:
            args = base_args(token, anchor, res)
        m = EventMention(token, kind, anchor, args, {})
        roles = ROLE_BUILDERS[kind](m, res)
        if roles is not None:
            m.roles = {r: keys for r, keys in roles.items() if keys}
            out.append(m)
    return out


def owner(token: Token, owners: dict[int, int]) -> int | None:
    """Index of the mention whose trigger or support verb is nearest above (or at) `token`; None when
    a reference-point preposition comes first ("since the start of the war in February")."""
    for node in (token, *token.ancestors):
        if node.i in owners:
            return owners[node.i]
        if node.dep_ == "prep" and node.lower_ in REFERENCE_PREPS:
            return None
    return None


def times(
    dates: list[Span], mentions: list[EventMention], statuses: list[str], date: str | None
) -> list[TimeExpr | None]:
    """The time of each mention: a DATE entity it governs, else one on a word above it (not a verb of
    saying), else the time of the mention above it."""
    owners: dict[int, int] = {}
    anyone: dict[int, int] = {}
    for i, m in enumerate(mentions):
        for table in (owners, anyone) if m.roles else (anyone,):
            table.setdefault(m.anchor.i, i)
            table[m.trigger.i] = i
    found: list[TimeExpr | None] = [None] * len(mentions)
    owned = [(owner(e.root, owners), e) for e in dates]
    owned.sort(key=lambda pair: abs(pair[1].root.i - mentions[pair[0]].anchor.i) if pair[0] is not None else 0)
    unowned = [(nearest_below(e.root.head, mentions), e) for i, e in owned if i is None]
    rest = [(owner(e.root, anyone) or nearest_below(e.root.head, mentions, False), e) for i, e in unowned if i is None]
    for i, ent in [*owned, *unowned, *rest]:
        if i is None:
            continue
        time = resolve(expression(ent), date, future=statuses[i] == "planned")
        if found[i] is None or (not found[i].start and time.start):
            found[i] = time
    for i, m in enumerate(mentions):
        parent = governing(m.anchor, owners)
        if found[i] is None and parent is not None and parent != i and m.roles:
            found[i] = found[parent]
    return found


def governing(token: Token, owners: dict[int, int]) -> int | None:
    """The mention above `token`, not across a coordinated or reported clause."""
    for _ in range(6):
        if token.head is token or token.dep_ in ("conj", "ccomp", "parataxis"):
            return None
        token = token.head
        if token.i in owners:
            return owners[token.i]
    return None


def nearest_below(head: Token, mentions: list[EventMention], with_roles: bool = True) -> int | None:
    """Index of the mention nearest to `head` in its subtree, unless `head` is a verb of saying."""
    for node in (head, head.head) if head.pos_ == "ADP" else (head,):
        if node.lemma_ in SAY_VERBS:
            return None
        below = [
            i
            for i, m in enumerate(mentions)
            if (m.roles or not with_roles) and (node in m.anchor.ancestors or node == m.anchor)
        ]
        if below:
            return min(below, key=lambda i: abs(mentions[i].anchor.i - node.i))
    return None


def to_events(sent: Span, dates: list[Span], mentions: list[EventMention], ctx: Context) -> list[Event]:
    """Events of a sentence's mentions (plus the meeting a host implies), with status, time and place."""
    statuses = [status_of(m.trigger, m.anchor) for m in mentions]
    found = times(dates, mentions, statuses, ctx.article.date)
    evidence = ctx.evidence(sent)
    events = []
    for m, status, time in zip(mentions, statuses, found, strict=True):
        roles = {r: keys for r, keys in m.roles.items() if r != "party"}
        event = Event(
            type=m.type,
            participants=participants(m.roles),
            evidence=evidence,
            trigger=m.trigger.text,
            status=status,
            location=m.args.location,
            time=time,
            roles=roles,
            details=meals(m.trigger, m.anchor),
        )  # type: ignore[arg-type]
        events.append(event)
        if m.type == "Visit" and m.trigger.lemma_ == "host" and m.roles.get("visitor"):
            people = [k for k in m.args.agents if k in event.participants] + m.roles["visitor"]
            events.append(replace(event, type="Meeting", participants=people, roles={}, details=dict(event.details)))
    return events


def span_of(time: TimeExpr | None) -> tuple[str, str] | None:
    """(start, end) of a resolved time, else None."""
    return (time.start, time.end or time.start) if time and time.start else None


def overlap(x: tuple[str, str], y: tuple[str, str]) -> bool:
    """True when two ISO spans can overlap at the precision of the coarser one."""
    return x[0][: len(y[0])] <= y[1][: len(x[0])] and y[0][: len(x[0])] <= x[1][: len(y[0])]


def times_fit(a: Event, b: Event) -> bool:
    """True when two mentions' times can be the same: unknown fits all; resolved spans must overlap;
    two unresolved relative times must agree for most possible article dates ("next week" vs "in September")."""
    x, y = span_of(a.time), span_of(b.time)
    if x and y:
        return overlap(x, y)
    if x or y or not (a.time and b.time and a.time.text and b.time.text):
        return True
    agree = 0
    for day in SAMPLE_DATES:
        u = span_of(resolve(a.time.text, day, future=a.status == "planned"))
        v = span_of(resolve(b.time.text, day, future=b.status == "planned"))
        agree += not (u and v) or overlap(u, v)
    return agree * 2 >= len(SAMPLE_DATES)


def same_event(a: Event, b: Event) -> bool:
    """Two mentions of one event: same type and status group, shared participants, fitting times and agents."""
    if a.type != b.type or (a.status in REAL) != (b.status in REAL) or not times_fit(a, b):
        return False
    if a.time and b.time and a.status != b.status:
        return False
    if not b.participants or not a.participants:
        return True
    for role in ("visitor", "issuer"):
        if a.roles.get(role) and b.roles.get(role) and not set(a.roles[role]) & set(b.roles[role]):
            return False
    shared = len(set(a.participants) & set(b.participants))
    return shared >= min(2, len(a.participants), len(b.participants))


def precision(time: TimeExpr | None) -> tuple[int, bool]:
    """How precise a time is: number of ISO parts, and whether it is a range."""
    return (len(time.start.split("-")), bool(time.end)) if time and time.start else (0, False)


def absorb(kept: Event, other: Event) -> None:
    """Fill what `kept` lacks from a later mention of the same event."""
    kept.participants += [k for k in other.participants if k not in kept.participants]
    for role, keys in other.roles.items():
        kept.roles.setdefault(role, [])
        kept.roles[role] += [k for k in keys if k not in kept.roles[role]]
    kept.location = kept.location or other.location
    if precision(other.time) > precision(kept.time):
        kept.time = other.time
    for key, value in other.details.items():
        kept.details.setdefault(key, value)


def deduplicate(events: list[Event]) -> list[Event]:
    """One event per real event: later mentions fill the first; a mention without actors ("the visit")
    joins the last fitting event of its type, or else the next one."""
    kept: list[Event] = []
    orphans: list[Event] = []
    for event in events:
        target = next((k for k in reversed(kept) if same_event(k, event)), None)
        if target is not None:
            absorb(target, event)
        else:
            (kept if event.participants else orphans).append(event)
    for orphan in orphans:
        target = next((k for k in kept if same_event(k, orphan)), None)
        if target is not None:
            absorb(target, orphan)
    return [e for e in kept if len(e.participants) >= MIN_PARTIES.get(e.type, 1)]


def find_events(ctx: Context, index: EntityIndex) -> list[Event]:
    """Events the article reports, with participants as entity keys, once each."""
    res = Resolver(ctx, index)
    dates = [e for e in ctx.doc.ents if e.label_ == "DATE"]
    events = []
    for sent in ctx.doc.sents:
        mentions = mentions_in(sent, res)
        if mentions:
            inside = [e for e in dates if sent.start <= e.start < sent.end]
            events += to_events(sent, inside, mentions, ctx)
    return deduplicate(events)
