"""An event's status from its clause: happened, planned, negated or speculative.

Negation ("has not spoken") negates; modals, conditionals, hedging verbs above the trigger
("hope that Xi will call", "could hold") and speculative modifiers ("a possible call") make
it speculative; the future ("will visit") and verbs of planning ("plans to", "is set to")
make it planned. A noun trigger without a verb of its own happened unless reported as rumour.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.lexicon import lexicon

NEGATIONS = frozenset(["not", "n't", "never", "no"])
SPECULATIVE_MODS = lexicon().cue("speculative_mod")
MODALS = frozenset(["could", "may", "might", "should", "can"])
HEDGE_VERBS = lexicon().cue("hedge")
"""Verbs above an event that make it speculative ("hope that Xi will call", "is expected to have a call")."""
PLAN_VERBS = lexicon().cue("plan")
CANCEL_VERBS = lexicon().cue("cancel")
MEDIA_REPORTS = lexicon().cue("media_report")
MEDIA_HEDGES = lexicon().cue("media_hedge")
"""Verbs of expecting that a media report ("according to") makes speculative rather than planned."""
FUTURE_AUX = frozenset(["will", "shall", "would", "'ll", "wo"])


def clause_chain(verb: Token) -> list[Token]:
    """A verb and the verbs it is the complement of ("plans to visit" -> visit, plans)."""
    chain = [verb]
    while follows_head(chain[-1]) and len(chain) < 4:
        chain.append(chain[-1].head)
    return chain


def follows_head(verb: Token) -> bool:
    """True when a verb shares its head's tense: "plans to visit", "fly ... to meet" (no subject of its own;
    "set up a mechanism and that Blinken would travel" has one)."""
    if verb.head.i == verb.i or verb.dep_ not in ("xcomp", "conj", "advcl"):
        return False
    return verb.dep_ == "xcomp" or not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def status_of(trigger: Token, anchor: Token) -> str:
    """happened, planned ("will visit", "plans to"), negated ("has not spoken") or speculative ("could hold")."""
    if {c.lower_ for c in trigger.children} & SPECULATIVE_MODS:
        return "speculative"
    above = {a.lemma_.lower() for a in anchor.ancestors}
    rumoured = {a.lemma_.lower() for a in anchor.ancestors if a.pos_ == "NOUN"} & MEDIA_REPORTS
    if rumoured:
        return "speculative"
    if called_off(anchor):
        return "negated"
    if anchor.pos_ not in ("VERB", "AUX"):
        verb = governing_verb(anchor)
        return status_of(verb, verb) if verb is not None else "happened"
    chain = clause_chain(anchor)
    words = {c.lower_ for v in chain for c in v.children if c.dep_ in ("aux", "auxpass", "neg", "mark", "advmod")}
    lemmas = {v.lemma_.lower() for v in chain} | {v.lower_ for v in chain}
    if words & NEGATIONS:
        return "negated"
    if words & (MODALS | {"if", "whether"}) or (above | lemmas) & HEDGE_VERBS or media_hedged(anchor, lemmas):
        return "speculative"
    if (lemmas & PLAN_VERBS and past_plan(chain)) or planned_in_the_past(anchor):
        return "speculative"
    if words & FUTURE_AUX or lemmas & PLAN_VERBS:
        return "planned"
    return "happened"


def governing_verb(noun: Token) -> Token | None:
    """The verb a noun trigger is the object or adjunct of ("meet at a summit"), not one it is the
    subject of ("the visit comes as...") nor one further up ("could cite its mediation of a deal")."""
    head = noun.head.head if noun.dep_ == "pobj" else noun.head if noun.dep_ == "dobj" else None
    return head if head is not None and head.pos_ == "VERB" else None


def media_hedged(anchor: Token, lemmas: set[str]) -> bool:
    """True when an expectation comes from a media report ("is anticipated to ..., according to the Journal")."""
    sent = {t.lower_ for t in anchor.sent} | {t.lemma_.lower() for t in anchor.sent}
    return bool(lemmas & MEDIA_HEDGES and sent & MEDIA_REPORTS)


def called_off(anchor: Token) -> bool:
    """True for an event a verb above calls off ("will postpone his travel and the planned meeting",
    "called off the talks"); "call" counts only with "off"."""
    for a in anchor.ancestors:
        if a.pos_ == "VERB" and a.lemma_.lower() in CANCEL_VERBS:
            return a.lemma_.lower() != "call" or any(c.lower_ == "off" for c in a.children)
    return False


def planned_in_the_past(anchor: Token) -> bool:
    """True below a plan told in the past further up its own clause ("was slated to follow his trip with a
    visit to meet"): the plan verb takes a "to" complement; a coordinated or reported clause is another."""
    node = anchor
    while node.head.i != node.i and node.dep_ not in ("conj", "ccomp", "parataxis"):
        node = node.head
        planned = node.lemma_.lower() in PLAN_VERBS or node.lower_ in PLAN_VERBS
        if planned and any(c.dep_ == "xcomp" for c in node.children) and past_plan([node]):
            return True
    return False


def past_plan(chain: list[Token]) -> bool:
    """True for a plan told in the past ("was slated to visit", "had planned to meet"): whether it
    happened the clause does not say (often it was called off)."""
    planner = chain[-1]
    aux = {c.lower_ for c in planner.children if c.dep_ in ("aux", "auxpass")}
    return bool(aux & {"was", "were", "had"}) or (planner.tag_ == "VBD" and planner.lemma_ != "be")
