"""Argument roles of each event class, from the arguments the parse gives (`kg.extract.arguments`).

Visits: visitor, host state and person, inviter. Contact events (meetings, calls): the
parties. Agreements: the parties and the broker. Summits: the organisation and the
attendees. Arrest warrants: the issuer and the subjects. Other events: the actors
involved, by class (conflicts, incidents, transfers, proposals, elections). A rule
returns None when the mention is no event of its class ("go" without a destination).
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from kg.extract.arguments import EventMention, subjects
from kg.extract.lexicon import lexicon
from kg.extract.resolver import ACTORS, Resolver, as_states, nearest_actor, of_type, subjects_any
from kg.extract.triggers import BROKER_WORDS, CALL_VERBS

DECLARE_VERBS = lexicon().cue("declare")
"""Verbs that make a tie ("partnership") an agreement: declared, signed, formed."""
PROPOSAL_MARKS = lexicon().cue("proposal_mark")
"""A proposal noun is an event with one of these ("peace plan", "launched a proposition")."""
ORDINALS = lexicon().cue("ordinal")
WIN_VERBS = lexicon().cue("win")
"""A person "securing a third term" is an Other event (an election) of that person."""
CURRENCIES = lexicon().cue("currency")
PAIRED = frozenset({"conflict", "recall", "dismissal", "appointment", "handover"})
"""Classes of Other events that need two actors (an attacker and the attacked, who sacks whom); a mention
with none ("the war") may still give its time to a fuller mention of the same event."""


def visit_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """Visitor, host (state and person) and inviter of a Visit; None for a trip without a destination."""
    t, a = m.trigger, m.args
    if m.kind == "host":
        visitor, hosts = of_type(a.others, res, {"Person"}), of_type(a.agents, res, {"Person"})
    else:
        visitor = of_type(a.agents, res, ACTORS)
        hosts = of_type(a.others, res, {"Person"}) + purpose_hosts(t, m.anchor, res)
    place = a.location or next(iter(of_type(a.others, res, {"State", "City"})), None) or nested_place(t, res)
    if m.kind == "travel" and place is None:
        return None
    state = res.state_of(place) if place and res.type_of(place) == "City" else place
    state = state or next((res.nationality[k] for k in hosts if k in res.nationality), None)
    inviter = inviters(t, m.anchor, res)
    invite = t.head if t.head.lemma_ == "invite" else t.head.head
    if not visitor and invite.lemma_ == "invite":
        visitor = [k for c in invite.children if c.dep_ == "dobj" for k in res.keys(c)]
    m.args.location = a.location or place
    visitor = [k for k in visitor if not state or res.nationality.get(k) != state]  # nobody visits their own state
    return {"visitor": visitor, "host": [k for k in [state, *hosts] if k], "inviter": inviter}


def nested_place(verb: Token, res: Resolver) -> str | None:
    """A destination the parser hung on a modifier of the verb ("swept unannounced into Ukraine")."""
    for mod in (c for c in verb.children if c.dep_ in ("advmod", "acomp", "npadvmod")):
        for prep in (p for p in mod.children if p.dep_ == "prep" and p.lower_ in ("to", "into", "in")):
            keys = [k for o in prep.children if o.dep_ == "pobj" for k in res.keys(o)]
            places = of_type(keys, res, {"State", "City"})
            if places:
                return places[0]
    return None


def purpose_hosts(trigger: Token, anchor: Token, res: Resolver) -> list[str]:
    """The person a visit is made to meet ("fly to Moscow to meet Putin", "for talks with Putin")."""
    out = []
    for node in {trigger, anchor}:
        for c in node.children:
            if c.dep_ in ("xcomp", "advcl") and c.lemma_ == "meet":
                out += [k for d in c.children if d.dep_ == "dobj" for k in res.keys(d)]
                out += [k for p in c.children if p.lower_ == "with" for d in p.children for k in res.keys(d)]
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
    if m.kind == "tie":
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
    """The organisation holding a summit (its host) and the named attendees."""
    orgs = of_type(m.args.agents + m.args.others, res, {"Organization"})
    if not orgs:
        return None
    return {"host": orgs, "party": nearest_actor(m.trigger, res, {"Person"}, frozenset({"nsubj"}))}


def other_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """Wars, incidents, proposals and re-elections: the actors involved."""
    t = m.trigger
    if m.kind == "proposal":
        marks = {c.lemma_.lower() for c in t.subtree} | {t.head.lemma_.lower(), m.anchor.lemma_.lower()}
        if not marks & PROPOSAL_MARKS:
            return None
        deps = frozenset({"poss", "nsubj"})
        return {"party": of_type(as_states(nearest_actor(t, res, {"State", "City"}, deps), res), res, {"State"})}
    if m.kind == "election":
        return {"party": of_type(subjects_any(t, res), res, {"Person"})}
    if m.kind == "term":
        won = {c.lower_ for c in t.children} & ORDINALS and t.head.lemma_ in WIN_VERBS
        return {"party": res.previous_person(t)} if won else None
    if m.kind == "transfer":
        return transfer_roles(m, res)
    if m.kind == "incident":
        words = t.head.subtree if t.dep_ == "conj" else t.subtree
        return {"party": of_type(as_states([k for x in words if (k := res.key(x))], res), res, {"State"})}
    if m.kind == "pledge" and not any(is_money(w) for c in t.children for w in c.subtree):
        return None
    if m.kind == "address":
        return address_roles(m, res)
    if m.kind == "cancellation" and any(
        lexicon().trigger(o) for c in t.children if c.dep_ == "dobj" for o in (c, *c.conjuncts)
    ):
        return None  # "postponed his trip": the trip is reported as called off, not as another event
    patients = [k for c in t.children if c.dep_ == "nsubjpass" for k in res.keys(c)]
    if m.kind == "pledge":
        patients += gapped_givers(t, res)
    parties = of_type(as_states(m.args.agents + m.args.others + patients, res), res, ACTORS)
    if m.kind in PAIRED and len(parties) == 1:
        return None
    return {"party": parties + [res.nationality[k] for k in parties if k in res.nationality]}


def gapped_givers(verb: Token, res: Resolver) -> list[str]:
    """Givers of the further sums of a gapped pledge ("the US committed $17m and Japan $10m")."""
    sums = [cj for c in verb.children if c.dep_ == "dobj" for cj in c.conjuncts]
    return [k for x in sums for c in x.children if c.dep_ in ("nmod", "compound", "poss", "nsubj") for k in res.keys(c)]


def is_money(token: Token) -> bool:
    """True for a word of a sum of money: a MONEY entity, or a currency counted ("50 million euros")."""
    counted = any(c.like_num for c in token.children)
    return token.ent_type_ == "MONEY" or (counted and token.lemma_.lower() in CURRENCIES)


def address_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """Who addresses which body ("will address a joint meeting of Congress", "the summit by video link")."""
    bodies = [k for c in m.trigger.children if c.dep_ == "dobj" for t in c.subtree if (k := res.index.key_for_token(t))]
    bodies = of_type(bodies, res, {"Organization", "State"})
    speakers = of_type(m.args.agents, res, ACTORS)
    return {"party": speakers + bodies} if speakers and bodies else None


def transfer_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """A delivery between actors ("X sent shotguns to Y"): the sender and the receiver after "to"."""
    to = [p for p in m.trigger.children if p.dep_ == "dative" or (p.dep_ == "prep" and p.lower_ == "to")]
    receivers = [k for p in to for o in (p.children if p.pos_ == "ADP" else [p]) for k in res.keys(o)]
    senders = of_type(m.args.agents, res, ACTORS)
    receivers = of_type(receivers, res, ACTORS)
    return {"party": senders + receivers} if senders and receivers else None


def contact_roles(m: EventMention, res: Resolver) -> dict[str, list[str]] | None:
    """The people (or states) who meet or talk; a verb "call" needs an object, "receive" a person received."""
    if m.trigger.pos_ == "VERB" and m.trigger.lemma_ == "call" and (not m.args.others or naming(m.trigger)):
        return None
    if m.kind == "reception" and not of_type(m.args.others, res, {"Person"}):
        return None
    if any(a.lemma_ in CALL_VERBS for a in list(m.trigger.ancestors)[:5]):
        return None
    parties = of_type(as_states(m.args.agents + m.args.others, res), res, ACTORS)
    if own_meeting(m, parties, res):
        return {"host": parties, "party": parties}
    return {"party": parties}


def own_meeting(m: EventMention, parties: list[str], res: Resolver) -> bool:
    """True for an organisation holding its own meeting ("the group held their weekly meeting")."""
    owned = any(c.dep_ == "poss" and c.lower_ in ("their", "its") for c in m.trigger.children)
    held = m.anchor.i != m.trigger.i and subjects(m.anchor, res) == parties  # the subject holds it
    return owned and held and len(parties) == 1 and res.type_of(parties[0]) == "Organization"


def naming(verb: Token) -> bool:
    """True for "call" as naming: "called Taiwan the first red line" (an object and its predicate)."""
    return (
        any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in verb.children)
        or sum(c.dep_ in ("dobj", "attr") for c in verb.children) > 1
    )


ROLE_BUILDERS: dict[str, Callable[[EventMention, Resolver], dict[str, list[str]] | None]] = {
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
