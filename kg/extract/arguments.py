"""An event trigger's arguments from the dependency parse: subjects, objects, prepositional phrases.

`base_args` collects the agents (subjects of the trigger or its support verb, possessives
of a noun) and the other parties (objects, "with"/"between"/"to" phrases, modifiers such
as "Sino-Russian") of a trigger, and its place ("in Moscow"); the role rules of each event
class (`kg.extract.event_roles`) pick from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.extract.resolver import Resolver, group_keys, is_group

PARTY_PREPS = frozenset(["with", "between", "to", "for", "against", "of", "by"])
PLACE_PREPS = frozenset(["to", "in", "at", "into"])
TOPIC_PREPS = frozenset(["without", "on", "over", "about"])
"""Prepositions of a phrase describing the event itself, under which its parties may hang ("talks on trade with")."""
TARGET_PREPS = frozenset(["from", "on", "against"])
"""Prepositions of the other side of an `Other` event ("recalled envoys from", "an attack on")."""
CONTACT_TYPES = frozenset({"Meeting", "PhoneCall", "VideoCall", "Summit"})


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


@dataclass
class EventMention:
    """One trigger with what the parse says about it."""

    trigger: Token
    type: str
    kind: str
    anchor: Token
    args: Args
    roles: dict[str, list[str]]


def subjects(verb: Token, res: Resolver) -> list[str]:
    """Keys of a verb's subjects, or of the clause it depends on ("fly to Moscow to meet Putin", "is due
    to meet", "after arriving in Bali"), or of the noun a relative clause describes ("the first leader to
    visit China" -> the subject of "is")."""
    start = verb
    for _ in range(5):
        subj = [
            c for c in verb.children if c.dep_ in ("nsubj", "agent") or (c.dep_ == "nsubjpass" and verb is not start)
        ]
        if verb.dep_ in ("relcl", "acl") and not subj and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return described(verb.head, res)
        controller = [c for c in verb.head.children if c.dep_ == "dobj"] if verb.dep_ == "xcomp" else []
        if not subj and controller and res.keys(controller[0]):
            return res.keys(controller[0])
        if subj:
            agent = subj[0] if subj[0].dep_ != "agent" else next(iter(subj[0].children), subj[0])
            return res.keys(agent)
        if verb.dep_ == "pcomp" and verb.head.head.i != verb.head.i:
            verb = verb.head.head
            continue
        if verb.dep_ not in ("xcomp", "advcl", "conj", "relcl", "acl", "acomp") or verb.head.i == verb.i:
            return []
        verb = verb.head
    return []


def described(noun: Token, res: Resolver) -> list[str]:
    """The actor a noun with a relative clause stands for: itself, or the subject it is predicated of."""
    keys = res.keys(noun)
    if keys or noun.dep_ != "attr":
        return keys
    return [k for c in noun.head.children if c.dep_ == "nsubj" for k in res.keys(c)]


def phrase_args(head: Token, res: Resolver, args: Args, places: bool = True) -> None:
    """Parties and place from a head's objects, prepositional phrases, possessives and modifiers."""
    for child in head.children:
        if child.dep_ in ("dobj", "dative") and child.pos_ != "ADP":
            args.add(res.keys(child))
        elif child.dep_ in ("prep", "dative") and child.lower_ in PARTY_PREPS | PLACE_PREPS | (
            set() if places else TARGET_PREPS
        ):
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
    """A pobj is the event's place (a City, or a State after "to"/"in") or one of its parties; a pobj that
    names no actor stands for its possessor ("the green light to Finland's accession")."""
    keys = res.keys(obj) or [k for c in obj.children if c.dep_ == "poss" for k in res.keys(c)]
    kinds = [res.type_of(k) for k in keys]
    if keys and prep in PLACE_PREPS and kinds[0] == "City":
        args.location = args.location or keys[0]
        return
    if keys and prep in ("in", "at", "into") and kinds[0] == "State":
        args.location = args.location or keys[0]
        return
    if prep in PARTY_PREPS or prep == "to":
        args.add(keys)


def base_args(trigger: Token, anchor: Token, kind: str, res: Resolver) -> Args:
    """Subjects (agents), objects and place of a trigger of event type `kind` and its support verb."""
    args = Args()
    if trigger.pos_ in ("VERB", "AUX") or anchor is not trigger:
        args.add(subjects(anchor, res), agent=True)
    places = kind != "Other"
    phrase_args(trigger, res, args, places)
    if anchor is not trigger:
        phrase_args(anchor, res, args, places)
    for t in trigger.subtree if trigger.pos_ != "VERB" else trigger.children:
        if is_group(t) and t.i != trigger.i:
            args.add(group_keys(t, res), agent=trigger.pos_ != "VERB")
    if not args.agents and not args.others and trigger.pos_ != "VERB" and trigger.head.pos_ == "ADP":
        verb = next((a for a in trigger.ancestors if a.pos_ == "VERB"), None)
        if verb is not None and kind in CONTACT_TYPES:
            args.add(subjects(verb, res), agent=True)
            args.add([k for c in verb.children if c.dep_ == "dobj" for k in res.keys(c)])
            args.add([k for p in addressees(verb) for k in res.keys(p)])
            args.add([k for o in places_of(verb) for c in o.children if c.dep_ == "poss" for k in res.keys(c)])
    return args


def places_of(verb: Token) -> list[Token]:
    """Where a verb goes or is ("arrived at Sunak's office for talks"): the hosts are their possessors."""
    return [o for p in verb.children if p.lower_ in ("at", "to") for o in p.children if o.dep_ == "pobj"]


def addressees(verb: Token) -> list[Token]:
    """Who a verb's object is addressed to ("said congratulations to Starmer in a call"), within its clause."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return [
        o for c in objects for p in c.children if p.lower_ in ("to", "with") for o in p.children if o.dep_ == "pobj"
    ]
