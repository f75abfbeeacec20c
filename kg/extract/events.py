"""Events in one article: trigger words, their arguments from the parse, status, time and place.

A trigger is a verb ("visit", "met", "spoke", "brokered") or a noun ("trip", "talks",
"video conference", "deal", "arrest warrant", "invasion") from the lexicon
(`kg.extract.lexicon`, ``data/lexicons/``). Arguments come from the dependency parse
around the trigger (`kg.extract.arguments`) and become roles by event class
(`kg.extract.event_roles`); status comes from the clause (`kg.extract.status`), time from
the sentence's time expressions (`kg.extract.event_time`). Each mention gives one `Event`;
mentions of one event in the same article are then merged (same type, shared
participants, compatible times), keeping the first evidence.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from kg.extract.arguments import Args, EventMention, base_args
from kg.extract.event_roles import ROLE_BUILDERS, participants
from kg.extract.event_time import bounded_time, ongoing, parents, times
from kg.extract.lexicon import lexicon
from kg.extract.resolver import Resolver, of_type, subjects_any
from kg.extract.status import status_of
from kg.extract.timex import is_date, resolve
from kg.extract.triggers import Kind, anchor_of, trigger_of
from kg.model import Event, TimeExpr

if TYPE_CHECKING:
    from kg.extract.context import Context
    from kg.extract.entities import EntityIndex

MEALS = lexicon().cue("meal")
MIN_PARTIES = {"Meeting": 2, "PhoneCall": 2, "VideoCall": 2, "Agreement": 2}
"""Fewest participants an event of a type needs to be reported (others need one)."""
PHONE_FORMS = lexicon().cue("phone_form")
"""Word forms that say a contact was by telephone ("called", "phone call")."""
SUMMIT_SIZE = 4
"""Heads of state or government meeting from which a meeting is a summit (three may be a trilateral meeting)."""
REAL = frozenset({"happened", "planned"})
SAMPLE_DATES = tuple(f"2001-{month:02d}-15" for month in range(1, 13))
"""Hypothetical article dates for comparing two relative times of an undated article."""


def meals(trigger: Token, anchor: Token) -> dict[str, str]:
    """{"meal": word} when a meal word is attached to the event ("meeting over an informal dinner")."""
    words = [t.lower_ for t in (*trigger.subtree, *anchor.subtree) if t.lower_ in MEALS]
    return {"meal": words[0]} if words else {}


def stay(token: Token, res: Resolver) -> Kind | None:
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
    return Kind("Visit", "visit") if people and of_type(places, res, {"City", "State"}) else None


def mentions_in(sent: Span, res: Resolver) -> list[EventMention]:
    """Event mentions of one sentence with their roles."""
    out = []
    for token in sent:
        found = trigger_of(token) or stay(token, res)
        if found is None:
            continue
        anchor = anchor_of(token, found.kind)
        if found.kind == "election":
            args = Args(agents=subjects_any(token, res))
        else:
            args = base_args(token, anchor, found.type, res)
        m = EventMention(token, found.type, found.kind, anchor, args, {})
        roles = ROLE_BUILDERS[found.type](m, res)
        if roles is not None:
            m.roles = {r: keys for r, keys in roles.items() if keys}
            out.append(m)
    return out


def to_events(sent: Span, dates: list[Span], mentions: list[EventMention], ctx: Context) -> list[Event]:
    """Events of a sentence's mentions (plus the meeting a host implies), with status, time and place."""
    statuses = [status_of(m.trigger, m.anchor) for m in mentions]
    found = times(dates, mentions, statuses, ctx.article.date)
    evidence = ctx.evidence(sent)
    events = []
    found = [
        bounded_time(m.anchor, status, ctx.article.date) or time
        if (time is None or not time.start) and not ongoing(m)
        else time
        for m, status, time in zip(mentions, statuses, found, strict=True)
    ]
    for i, parent in enumerate(parents(mentions)):
        if parent is not None and found[parent] and found[i] and not found[i].text and mentions[i].roles:
            found[i] = found[parent]  # "has arrived to hold meetings": the meetings are bounded as the arrival is
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
        events += each_visitor(event)
        if m.type == "Visit" and m.kind == "host" and m.roles.get("visitor"):
            people = [k for k in m.args.agents if k in event.participants] + m.roles["visitor"]
            events.append(replace(event, type="Meeting", participants=people, roles={}, details=dict(event.details)))
    return events


def each_visitor(event: Event) -> list[Event]:
    """A visit of several people ("the two presidents are visiting Lisbon") as one visit each: each
    is a guest of the host; what they do together is another event (a meeting, a summit)."""
    visitors = event.roles.get("visitor", [])
    if event.type != "Visit" or len(visitors) < 2:
        return [event]
    hosts = [k for k in event.participants if k not in visitors]
    return [
        replace(event, participants=[v, *hosts], roles={**event.roles, "visitor": [v]}, details=dict(event.details))
        for v in visitors
    ]


def told(time: TimeExpr | None) -> bool:
    """True for a time the text gives (resolved or not), False for none or one inferred from the article's date."""
    return bool(time and time.text)


def span_of(time: TimeExpr | None) -> tuple[str, str] | None:
    """(start, end) of a time the text gives, else None (a time inferred from the article's date only
    bounds a mention; it does not keep it apart from another mention of the same event)."""
    return (time.start, time.end or time.start) if time and time.start and time.text else None


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
    if told(a.time) and told(b.time) and a.status != b.status:
        return False
    if not b.participants or not a.participants:
        return True
    for role in ("visitor", "issuer"):
        if a.roles.get(role) and b.roles.get(role) and not set(a.roles[role]) & set(b.roles[role]):
            return False
    if a.type == "Summit" and set(a.roles.get("host", ())) & set(b.roles.get("host", ())):
        return True  # a summit is its organisation's, at its time
    shared = len(set(a.participants) & set(b.participants))
    return shared >= min(2, len(a.participants), len(b.participants))


def precision(time: TimeExpr | None) -> tuple[int, bool]:
    """How precise a time is: number of ISO parts, and whether it is a range; a time inferred from the
    article's date (no text) ranks below any the text gives."""
    if not (time and time.start):
        return (0, False)
    return (len(time.start.split("-")) if time.text else 0, bool(time.end))


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
    return [e for e in kept if reportable(e)]


def reportable(event: Event) -> bool:
    """Whether an event has the actors its type needs: a visit its visitor and host or place, a meeting two parties."""
    if event.type == "Visit" and not (event.roles.get("visitor") and (event.roles.get("host") or event.location)):
        return False
    if event.type == "Meeting" and event.roles.get("host"):
        return True  # an organisation's own meeting
    return len(event.participants) >= MIN_PARTIES.get(event.type, 1)


def find_events(ctx: Context, index: EntityIndex) -> list[Event]:
    """Events the article reports, with participants as entity keys, once each."""
    res = Resolver(ctx, index)
    dates = [e for e in ctx.doc.ents if is_date(e)]
    events = []
    for sent in ctx.doc.sents:
        mentions = mentions_in(sent, res)
        if mentions:
            inside = [e for e in dates if sent.start <= e.start < sent.end]
            events += to_events(sent, inside, mentions, ctx)
    kept = deduplicate(events)
    guests = {
        (v, h) for e in kept if e.type == "Visit" for v in e.roles.get("visitor", []) for h in e.roles.get("host", [])
    }
    return [as_summit(in_person(e, guests, res), res) for e in kept]


def in_person(event: Event, guests: set[tuple[str, str]], res: Resolver) -> Event:
    """Talk with no word of a phone between a visitor and a person of the state visited is a meeting
    ("is expected to speak with the premier later on Friday, before leaving China")."""
    if event.type != "PhoneCall" or event.trigger.casefold() in PHONE_FORMS:
        return event
    people = set(event.participants)
    met = any(v in people and any(res.nationality.get(k) == h for k in people - {v}) for v, h in guests)
    return replace(event, type="Meeting") if met else event


def as_summit(event: Event, res: Resolver) -> Event:
    """A meeting of `SUMMIT_SIZE` or more heads of state or government is a summit ("Modi, Biden, Kishida
    and Albanese met in Tokyo")."""
    people = [k for k in event.participants if res.type_of(k) == "Person"]
    if event.type != "Meeting" or len(people) < SUMMIT_SIZE or not all(res.leads(k) for k in people):
        return event
    return replace(event, type="Summit")
