"""Roles in one article: titles people hold, and of which state, organisation or person.

Four patterns, all resting on the title words of the gazetteer (`titles.csv`):

- premodifier: "Chinese Foreign Minister Qin Gang", "Putin's foreign policy adviser Yuri Ushakov";
- apposition: "Ian Bremmer, chairman of Eurasia Group", "China's top diplomat, Wang Yi";
- copula or relative clause: "Paul Haenle, who was an adviser to President George W. Bush";
- "as" + bare title: "Xi's first trip since securing a third term as president" (the last person named).

The owner (`Role.of`) is an entity named before the title ("Kremlin spokesman"), a demonym
("Chinese leader" -> China) or the object of "of/at/to" after it. "Counterpart" and
"equivalent" take the title of the other role holder in the sentence. A title with no
owner in the text takes the person's country from the gazetteer when the gazetteer
gives that person the same title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from kg.extract.entities import RELATIONAL, entry_id
from kg.extract.spans import HONORIFICS, entity_words
from kg.model import Role

if TYPE_CHECKING:
    from kg.extract.context import Context
    from kg.extract.entities import EntityIndex

EXPERTS = frozenset({"specialist", "expert", "analyst", "scholar", "fellow", "professor", "researcher"})
"""Title words for outside experts, which `titles.csv` does not hold."""
SKIP_WORDS = frozenset({"new", "current", "then"})
OWNER_PREPS = frozenset({"of", "at", "to", "with"})
TITLE_PREPS = frozenset({"for", "on", "in"})
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "case", "npadvmod"})
OWNER_RANK = {"Person": 0, "Organization": 1, "State": 2, "City": 3}
MAX_TITLE_WORDS = 8
TENURE_REACH = 6
"""How many words before a title a tenure word ("former") may stand."""
BECOME = frozenset({"become", "remain"})


def is_title_head(token: Token, ctx: Context) -> bool:
    """True for a noun that names a person's position ("minister", "spokesman", "counterpart")."""
    title = ctx.gazetteer.title(token.lemma_) or ctx.gazetteer.title(token.text)
    return (title is not None and title.type_vote == "Person") or token.lemma_.lower() in RELATIONAL | EXPERTS


def is_person(key: str, index: EntityIndex) -> bool:
    """True when the entity `key` is (so far, for this article) a person."""
    entity = index.by_key.get(key)
    return entity is not None and entity.type == "Person"


def owner_at(token: Token, index: EntityIndex, ctx: Context) -> tuple[str | None, int]:
    """Owner key named at `token` (a mention or a demonym) and the index just after it."""
    mention = index.mention_at(token)
    if mention is not None:
        end = mention.end
        if end < len(token.doc) and token.doc[end].norm_ == "'s":
            end += 1
        return index.key_for_token(token), end
    state = ctx.gazetteer.demonym(token.text)
    return (entry_id(state), token.i + 1) if state and entry_id(state) in index.by_key else (None, token.i)


def last_owner(words: Span, index: EntityIndex, ctx: Context) -> tuple[str | None, int]:
    """The last owner named in the words before a name ("HONG KONG Chinese President" -> China) and where
    the title after it starts."""
    owner, title_start, i = None, words.start, words.start
    while i < words.end:
        key, after = owner_at(words.doc[i], index, ctx)
        if key is not None:
            owner, title_start = key, after
        i = max(after, i + 1)
    return owner, title_start


def title_text(tokens: list[Token], head: Token) -> str:
    """The article's title words, the head word singular ("presidents" -> "president")."""
    words = [head.lemma_ if t.i == head.i and t.tag_ in ("NNS", "NNPS") else t.text_with_ws for t in tokens]
    return "".join(w for w, t in zip(words, tokens, strict=True) if t.lower_ not in SKIP_WORDS).strip()


def premodifier_role(span: Span, index: EntityIndex, ctx: Context) -> tuple[str, str | None] | None:
    """(title, owner) from the words right before a name: "Kremlin spokesman Dmitry Peskov"."""
    doc = span.doc
    start = span.start
    while start > max(span.sent.start, span.start - MAX_TITLE_WORDS):
        prev = doc[start - 1]
        if not (prev.pos_ in ("PROPN", "NOUN", "ADJ") or prev.norm_ == "'s" or prev.lower_ == "of"):
            break
        start -= 1
    while start < span.start and doc[start].lower_ == "of":
        start += 1
    owner, title_start = last_owner(doc[start : span.start], index, ctx)
    end = span.start
    while end > title_start and doc[end - 1].lower_ in HONORIFICS:
        end -= 1
    title = doc[title_start:end]
    if len(title) == 0 or not (is_title_head(title[-1], ctx) or ctx.gazetteer.title(title.text)):
        return None
    return tenure(doc[max(span.sent.start, start - TENURE_REACH) : title_start]) + title_text(
        list(title), title[-1]
    ), owner


def tenure(words: Span) -> str:
    """ "former " when a tenure word stands in `words` (before a title or its owner), else ""."""
    found = next((t for t in reversed(words) if t.lower_ in entity_words("tenure")), None)
    return f"{found.text} " if found is not None else ""


def prep_owner(prep: Token, index: EntityIndex) -> str | None:
    """The entity a preposition names ("of Eurasia Group", "to US presidents George W. Bush"), people first."""
    keys = [k for t in prep.subtree if (k := index.key_for_token(t))]
    people = [k for k in keys if index.by_key[k].type == "Person"]
    return (people or keys or [None])[0]


def describe(head: Token, index: EntityIndex, ctx: Context) -> tuple[str, str | None]:
    """(title, owner) of a title noun and its dependents: "Russia's commissioner for children's rights".

    A diplomat's "to X" is part of the title ("Russia's ambassador to the US"), and so is an of-phrase
    that `titles.csv` lists with the noun ("Minister of External Affairs")."""
    before: str | None = None
    after: str | None = None
    title_tokens: list[Token] = []
    for child in head.lefts:
        key, _ = owner_at(child, index, ctx) if child.dep_ in MODIFIER_DEPS else (None, 0)
        if key is not None and before is None and not ctx.gazetteer.demonym(child.text):
            before = key
        elif child.dep_ in MODIFIER_DEPS and child.norm_ != "'s":
            title_tokens.extend(child.subtree)
            before = before or key
    title_tokens.append(head)
    title = ctx.gazetteer.title(head.lemma_)
    posted = title is not None and title.kind == "diplomat"
    for child in (c for c in head.rights if c.dep_ == "prep"):
        if (posted and child.lower_ == "to") or of_title(head, child, ctx):
            title_tokens.extend(child.subtree)
        elif child.lower_ in OWNER_PREPS or body_named(child, index):
            after = after or prep_owner(child, index)
        elif child.lower_ in TITLE_PREPS:
            words, owner = title_phrase(child, index)
            title_tokens.extend(words)
            after = after or owner
    return title_text(sorted(set(title_tokens), key=lambda t: t.i), head), after or before


def body_named(prep: Token, index: EntityIndex) -> bool:
    """True for "for" + an organisation ("spokesman for the Foreign Ministry"): its owner, not its title."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    key = index.key_for_token(obj) if obj is not None and prep.lower_ == "for" else None
    entity = index.by_key.get(key) if key else None
    return entity is not None and entity.type == "Organization"


def of_title(head: Token, prep: Token, ctx: Context) -> bool:
    """True for an of-phrase that is part of the title ("Minister of External Affairs", "Secretary of State")."""
    words = [t for t in prep.subtree if t.dep_ != "det"]
    return prep.lower_ == "of" and ctx.gazetteer.title(" ".join([head.lemma_, *(t.text for t in words)])) is not None


def title_phrase(prep: Token, index: EntityIndex) -> tuple[list[Token], str | None]:
    """Words of a prepositional phrase that belong to a title ("on Russia-China relations"), and the
    owner named by a phrase nested in it ("at the Carnegie Endowment")."""
    cut = [c for t in prep.subtree for c in t.children if c.dep_ == "prep" and c.lower_ in OWNER_PREPS]
    excluded = {t.i for c in cut for t in c.subtree}
    owner = next((k for c in cut if (k := prep_owner(c, index))), None)
    return [t for t in prep.subtree if t.i not in excluded], owner


def apposition_head(span: Span, ctx: Context) -> Token | None:
    """The title noun in apposition to a name ("X, chairman of Y" or "China's top diplomat, X")."""
    root = span.root
    for child in root.rights:
        if child.dep_ == "appos" and is_title_head(child, ctx):
            return child
    if root.dep_ == "appos" and is_title_head(root.head, ctx) and root.head.i < span.start:
        return root.head
    doc = span.doc
    if span.start > 1 and doc[span.start - 1].text == "," and is_title_head(doc[span.start - 2], ctx):
        return doc[span.start - 2]
    return None


def copula_head(span: Span, ctx: Context) -> Token | None:
    """The title noun of "X is/was the Y" or "X, who was a Y"."""
    root = span.root
    verbs = [c for c in root.children if c.dep_ == "relcl"]
    if root.dep_ in ("nsubj", "nsubjpass"):
        verbs.append(root.head)
    for verb in verbs:
        if verb.lemma_ == "be":
            attr = next(
                (c for c in verb.children if c.dep_ == "attr" and is_title_head(c, ctx) and not ranked(c)), None
            )
            if attr is not None:
                return attr
    return None


def ranked(head: Token) -> bool:
    """True for a title ranked among others ("the first European leader to visit"): no post."""
    return any(c.tag_ == "JJS" or c.lower_ in ("first", "last", "only") for c in head.children)


def clause_role(span: Span, index: EntityIndex, ctx: Context) -> tuple[str, str | None] | None:
    """(title, owner) from an apposition or copula around a name."""
    head = apposition_head(span, ctx) or copula_head(span, ctx)
    return describe(head, index, ctx) if head is not None else None


def gazetteer_owner(person: str, title: str, index: EntityIndex, ctx: Context) -> str | None:
    """The person's country from the gazetteer, when it gives them this title and the article names it."""
    entry = ctx.gazetteer.by_id(person) or ctx.gazetteer.lookup(index.by_key[person].name)
    if entry is None or not entry.title or not entry.country:
        return None
    known = ctx.gazetteer.title(entry.title)
    said = ctx.gazetteer.title(title) or ctx.gazetteer.title(title.split()[-1])
    country = ctx.gazetteer.lookup(entry.country)
    if known is None or said is None or said.title.split()[-1] not in known.title.split() or country is None:
        return None
    return entry_id(country) if entry_id(country) in index.by_key else None


def as_roles(sent: Span, index: EntityIndex, ctx: Context) -> list[tuple[str, tuple[str, str | None]]]:
    """A bare title after "as" ("a third term as president") belongs to the last person named before it."""
    found = []
    for token in sent:
        head = next((c for c in token.children if c.dep_ == "pobj"), None) if token.lower_ == "as" else None
        if head is None or not is_title_head(head, ctx) or any(c.dep_ in ("det", "poss") for c in head.children):
            continue
        people = [k for s, k in index.mentions_in(sent) if s.end <= token.i and is_person(k, index)]
        if people:
            found.append((people[-1], describe(head, index, ctx)))
    return found + become_roles(sent, index, ctx)


def become_roles(sent: Span, index: EntityIndex, ctx: Context) -> list[tuple[str, tuple[str, str | None]]]:
    """A bare title that someone becomes ("since becoming Prime Minister"): the verb's subject, or for a
    participle the subject of the clause it hangs on."""
    found = []
    for verb in (t for t in sent if t.lemma_ in BECOME):
        head = next((c for c in verb.children if c.dep_ in ("attr", "oprd") and is_title_head(c, ctx)), None)
        if head is None or any(c.dep_ in ("det", "poss") for c in head.children):
            continue
        clause = verb
        while clause.dep_ in ("pcomp", "advcl", "xcomp", "conj") and not any(
            c.dep_ == "nsubj" for c in clause.children
        ):
            clause = clause.head.head if clause.head.dep_ == "prep" else clause.head
        subj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        key = index.key_for_token(subj) if subj is not None else None
        if key is not None and is_person(key, index):
            found.append((key, describe(head, index, ctx)))
    return found


def stated_roles(sent: Span, index: EntityIndex, ctx: Context) -> list[tuple[str, tuple[str, str | None]]]:
    """(person key, (title, owner)) for every role stated around a name in `sent`."""
    found = []
    for span, key in index.mentions_in(sent):
        if is_person(key, index):
            role = premodifier_role(span, index, ctx) or clause_role(span, index, ctx)
            found.extend([(key, role)] if role is not None else [])
    return found + as_roles(sent, index, ctx)


def sentence_roles(sent: Span, index: EntityIndex, ctx: Context) -> list[Role]:
    """Roles stated in one sentence, counterparts resolved against the sentence's other roles."""
    found = [
        (key, title, owner or gazetteer_owner(key, title, index, ctx))
        for key, (title, owner) in stated_roles(sent, index, ctx)
        if title
    ]
    evidence = ctx.evidence(sent)
    roles = []
    for person, title, owner in found:
        if title.split()[-1].lower() in RELATIONAL:
            others = [
                (i, t) for i, (p, t, _) in enumerate(found) if p != person and t.split()[-1].lower() not in RELATIONAL
            ]
            here = next(i for i, (p, t, _) in enumerate(found) if p == person and t == title)
            before = [t for i, t in others if i < here]
            other = before[-1] if before else next((t for _, t in others), None)
            if other is None:
                continue
            title = other
        roles.append(Role(person, title, evidence, owner))
    return roles


def rank(role: Role, index: EntityIndex) -> tuple[int, int]:
    """Preference among roles of one person with one head word: a more specific owner, then a longer title."""
    owner = index.by_key.get(role.of) if role.of else None
    return OWNER_RANK.get(owner.type or "", 3) if owner else 4, -len(role.title)


def dedupe(roles: list[Role], index: EntityIndex, ctx: Context) -> list[Role]:
    """One role per person and title head word ("PM" and "Prime Minister" share "minister"), keeping the
    best-described one, in first-seen order."""
    best: dict[tuple[str, str], Role] = {}
    for role in roles:
        known = ctx.gazetteer.title(role.title.removeprefix("former "))
        key = (role.person, (known.title if known else role.title).split()[-1].casefold())
        if key not in best or rank(role, index) < rank(best[key], index):
            best[key] = role
    return sorted(best.values(), key=lambda r: r.evidence.start)


def find_roles(ctx: Context, index: EntityIndex) -> list[Role]:
    """Titles people hold, with person and organisation as entity keys."""
    roles = [r for sent in ctx.doc.sents for r in sentence_roles(sent, index, ctx)]
    return dedupe(roles, index, ctx)
