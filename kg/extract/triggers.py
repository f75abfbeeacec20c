"""Trigger words: which tokens report an event, of what type and class, and their support verb.

A token is a trigger when the lexicon (`kg.extract.lexicon`) lists its lemma and part of
speech, with the other words of a multi-word expression hanging on it ("arrest warrant",
"video conference"). Modifiers refine the type: "virtual meeting" is a video call,
"spoke in person" a meeting, "brokered talks" an agreement. A noun trigger's support verb
("pay a visit", "held talks") carries its subject, tense and date.
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Token

from kg.extract.lexicon import lexicon

VIDEO_WORDS = lexicon().cue("video")
"""Modifiers that make a meeting or call a video call."""
IN_PERSON = lexicon().cue("in_person")
"""Words that make "spoke" a meeting ("spoke in person")."""
BROKER_WORDS = lexicon().cue("broker")
SUPPORT_VERBS = lexicon().cue("support")
"""Verbs whose object or subject noun is the event itself ("pay a visit", "talks will take place")."""
GRANT_VERBS = lexicon().cue("grant")
SUPPORT_DEPS = frozenset(["dobj", "nsubj", "nsubjpass", "attr", "oprd"])
CALL_VERBS = lexicon().cue("demand")
"""Verbs of demanding: "called for a ceasefire" is a proposal, "called for talks" no meeting."""


class Kind(NamedTuple):
    """What a trigger reports: the event type and the class of argument rules."""

    type: str
    kind: str


def trigger_of(token: Token) -> Kind | None:
    """The event type and class a token triggers, refined by its modifiers, else None."""
    entry = lexicon().trigger(token)
    if entry is None:
        return None
    words = {c.lower_ for c in token.children} | {c.lemma_.lower() for c in token.children}
    kind = entry.type
    if token.pos_ == "VERB":
        if kind == "PhoneCall" and words & IN_PERSON | {t.lower_ for t in token.subtree} & IN_PERSON:
            kind = "Meeting"
    elif kind in ("Meeting", "PhoneCall") and words & VIDEO_WORDS:
        kind = "VideoCall"
    elif kind == "Meeting" and words & BROKER_WORDS:
        return Kind("Agreement", "agreement")
    if entry.kind == "address" and {t.lower_ for t in token.subtree} & VIDEO_WORDS:
        return Kind("VideoCall", "address")
    return Kind(kind, entry.kind)


def anchor_of(token: Token, kind: str = "") -> Token:
    """The support verb of a noun trigger ("pay" of "pay a visit", "gave" of an approval's "gave the
    green light"), else the trigger itself."""
    head = token.head
    verbs = SUPPORT_VERBS | GRANT_VERBS if kind == "approval" else SUPPORT_VERBS
    if token.pos_ != "VERB" and token.dep_ in SUPPORT_DEPS and head.lemma_ in verbs:
        return head
    if token.dep_ == "pobj" and head.head.lemma_ in CALL_VERBS and head.head.pos_ == "VERB":
        return head.head
    return token
