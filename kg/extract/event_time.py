"""Which time expression of a sentence belongs to which event mention.

A DATE entity goes to the mention whose trigger or support verb governs it; else to the
mention nearest below the word it hangs on (not across a verb of saying: that dates the
report); a mention without one takes the time of the mention governing it ("will fly to
Moscow on Monday to meet Putin"). A reference point ("since the start of the war in
February") dates nothing.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.arguments import EventMention
from kg.extract.lexicon import lexicon
from kg.extract.timex import expression, resolve
from kg.model import TimeExpr

SAY_VERBS = lexicon().cue("say")
"""A date on a verb of saying dates the report, not the event."""
REFERENCE_PREPS = frozenset(["since", "before", "after", "until"])
"""A date after these ("since the start of the war in February") is a reference point, not the event's time."""


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
    for i, parent in enumerate(parents(mentions)):
        if found[i] is None and parent is not None and mentions[i].roles and not ongoing(mentions[i]):
            found[i] = found[parent]
    return found


def parents(mentions: list[EventMention]) -> list[int | None]:
    """For each mention, the mention governing it ("arrived ... to hold meetings": the arrival), else None."""
    owners: dict[int, int] = {}
    for i, m in enumerate(mentions):
        if m.roles:
            owners.setdefault(m.anchor.i, i)
            owners[m.trigger.i] = i
    found = [governing(m.anchor, owners) for m in mentions]
    return [p if p != i else None for i, p in enumerate(found)]


def governing(token: Token, owners: dict[int, int]) -> int | None:
    """The mention above `token`, not across a coordinated or reported clause nor a reference point."""
    for _ in range(6):
        if token.head.i == token.i or token.dep_ in ("conj", "ccomp", "parataxis"):
            return None
        if token.dep_ == "prep" and token.lower_ in REFERENCE_PREPS:
            return None
        token = token.head
        if token.i in owners:
            return owners[token.i]
    return None


def nearest_below(head: Token, mentions: list[EventMention], with_roles: bool = True) -> int | None:
    """Index of the mention nearest to `head` in its subtree. Below a verb of saying only an event it was
    said in ("said in a call last night"); never a summit the verb is done for ("left on Monday for the
    summit": the date is the departure's; a summit keeps its own schedule)."""
    for node in (head, head.head) if head.pos_ == "ADP" else (head,):
        said = node.lemma_ in SAY_VERBS
        below = [
            i
            for i, m in enumerate(mentions)
            if (m.roles or not with_roles)
            and (node in m.anchor.ancestors or node == m.anchor)
            and not (m.type == "Summit" and purpose(m.anchor))
            and not (ongoing(m) and node.pos_ in ("VERB", "AUX"))
            and not reference_point(m.anchor, node)
            and (not said or adjunct_of(m.anchor, node))
        ]
        if below:
            return min(below, key=lambda i: abs(mentions[i].anchor.i - node.i))
    return None


def reference_point(anchor: Token, head: Token) -> bool:
    """True when a mention is a reference point of the clause (after "before"/"since"/"until"...)."""
    for node in (anchor, *anchor.ancestors):
        if node.i == head.i:
            return False
        if node.dep_ == "prep" and node.lower_ in REFERENCE_PREPS:
            return True
    return False


def ongoing(m: EventMention) -> bool:
    """True for a conflict named by a noun ("Russia's war in Ukraine"): it goes on for long, so only a
    date of its own noun phrase dates it ("the start of the war in February"), not the clause's nor the
    article's."""
    return m.kind == "conflict" and m.trigger.pos_ != "VERB" and m.anchor is m.trigger


def purpose(noun: Token) -> bool:
    """True for a noun trigger that is what a verb is done for ("left for the summit")."""
    return noun.pos_ != "VERB" and noun.dep_ == "pobj" and noun.head.lower_ == "for"


def adjunct_of(noun: Token, verb: Token) -> bool:
    """True when a noun is a circumstance of `verb` ("said ... in a call"): it hangs on it through
    prepositions (and an object of the verb), within its clause; what is said or announced
    ("announced Xi's visit on Friday") is no circumstance of saying it."""
    node, through_prep = noun, False
    while node.i != verb.i:
        if node.dep_ not in ("pobj", "prep", "dobj") or node.head.i == node.i:
            return False
        through_prep |= node.dep_ == "prep"
        node = node.head
    return through_prep and noun.pos_ != "VERB"


def clause_verb(anchor: Token) -> Token | None:
    """The verb whose tense a mention takes: its own (or its support verb's), else the nearest verb above."""
    return next((t for t in (anchor, *anchor.ancestors) if t.pos_ in ("VERB", "AUX")), None)


def reported_today(verb: Token) -> bool:
    """True when a verb reports what is done or going on as the article is written: present perfect
    ("has arrived"), present progressive ("are visiting") or present simple ("hands over")."""
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if verb.tag_ == "VBN" and aux & {"has", "have"}:
        return True
    if verb.tag_ == "VBG" and aux & {"is", "are", "am"}:
        return True
    return verb.tag_ in ("VBZ", "VBP") and not aux


def bounded_time(anchor: Token, status: str, article_date: str | None) -> TimeExpr | None:
    """The time of a mention whose text gives none, bounded by the article's date: that day for what a
    verb of the mention's own reports as done or going on today, else the article's month. The empty
    `text` marks it as inferred."""
    if not article_date or status not in ("happened", "planned"):
        return None
    verb = clause_verb(anchor)
    today = status == "happened" and verb is anchor and reported_today(anchor)
    return TimeExpr("", article_date[:10] if today else article_date[:7])
