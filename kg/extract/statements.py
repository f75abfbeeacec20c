"""Statements in one article: who said what, quoted or reported.

A statement hangs on a speech verb from `SPEECH_VERBS` ("said", "told", "warned",
"according to" ...) whose subject is a named person or organisation. Its content is
the verb's clausal complement:

- before the verb ("We are in communication, spokesman Wang said") or after a colon:
  a direct quote, also when the article lost its quotation marks;
- after the verb ("Kirby said the sale was ..."): reported speech;
- inside quotation marks (two words or more; one word is a scare quote): each quoted
  segment is its own direct statement ("…,” the Kremlin added. “…”").

Pronoun speakers ("he said") take the most recent speaker or person subject of the
preceding sentences; "the statement said" takes the most recent speaker; "the Russian
leader" takes the person of that state named before. A sentence that is only a quote
continues the previous sentence's speaker. States and capitals ("Beijing denies") and
unnamed sources ("officials say") are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from kg.extract.entities import entry_id
from kg.extract.timex import find_time
from kg.model import Evidence, Statement, TimeExpr

if TYPE_CHECKING:
    from kg.extract.context import Context
    from kg.extract.entities import EntityIndex

SPEECH_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "state",
        "announce",
        "warn",
        "stress",
        "note",
        "accuse",
        "ask",
        "urge",
        "suggest",
        "tweet",
        "write",
        "post",
        "publish",
        "inform",
        "pledge",
        "describe",
        "call",
        "confirm",
        "insist",
        "claim",
        "argue",
        "explain",
        "emphasise",
        "emphasize",
        "reiterate",
        "declare",
        "vow",
        "promise",
        "predict",
        "acknowledge",
        "admit",
        "reply",
        "comment",
        "assert",
        "underline",
    }
)
"""Lemmas of verbs that introduce speech; "according to" is handled on its own."""
OBJECT_VERBS = frozenset({"accuse", "describe", "urge", "ask", "call"})
"""Verbs whose object and prepositional phrase carry the content ("accused X of Y", "called on X to")."""
CONTENT_PREPS = frozenset({"of", "as", "on", "for"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp"})
PRONOUNS = frozenset({"he", "she"})
RELATIVES = frozenset({"who", "which", "that"})
STATEMENT_NOUNS = frozenset({"statement", "declaration", "communique", "readout", "release"})
"""Subjects that stand for the last speaker ("the statement said")."""
QUOTE_MARKS = '“”"«»„'
MIN_QUOTE_WORDS = 2
"""Quoted segments shorter than this are scare quotes, not quotes."""
LOOKBACK = 3
"""How many sentences back a pronoun speaker is looked for."""
_STRIP = " \t\n,;:.-–—" + QUOTE_MARKS
_LEADING = re.compile(r"^(?:that|on|to|:)\s+", re.IGNORECASE)


@dataclass
class Said:
    """One attribution in a sentence: speaker key, content tokens, and whether it is a quote."""

    verb: Token
    speaker: str
    content: list[Token]
    direct: bool


@dataclass
class Reader:
    """Walks one article's sentences, remembering speakers and subjects for pronouns."""

    ctx: Context
    index: EntityIndex
    quotes: list[tuple[int, int]]
    sents: list[Span]
    recent: list[tuple[int, str, bool]] = field(default_factory=list)
    """(sentence number, key, is a speaker) in text order: speakers and person subjects."""
    used: set[tuple[int, int]] = field(default_factory=set)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks, paired per paragraph.

    A mark that opens must follow a space or start the paragraph; a stray closing
    mark is dropped, an unclosed quote ends with its paragraph.
    """
    spans = []
    for para in re.finditer(r"[^\n]+", text):
        start = None
        for m in re.finditer(f"[{QUOTE_MARKS}]", para.group()):
            i = para.start() + m.start()
            if start is not None:
                spans.append((start, i))
                start = None
            elif i == para.start() or text[i - 1].isspace() or text[i - 1] in "([":
                start = i + 1
        if start is not None:
            spans.append((start, para.end()))
    return spans


def units(doc: Doc) -> list[Span]:
    """The doc's sentences, further split where a paragraph ends inside one."""
    out = []
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            if token.is_space and "\n" in token.text and token.i + 1 < sent.end:
                out.append(doc[start : token.i + 1])
                start = token.i + 1
        out.append(doc[start : sent.end])
    return out


def is_negated(verb: Token) -> bool:
    """True for "has not confirmed"."""
    return any(c.dep_ == "neg" for c in verb.children)


def subject_of(verb: Token) -> Token | None:
    """The verb's nominal subject; for a relative clause ("Xi, who accused") its antecedent."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is not None and subj.lower_ in RELATIVES and verb.dep_ == "relcl":
        return verb.head
    return subj


def head_subject(verb: Token) -> Token | None:
    """Subject of the clause a subjectless participle hangs on ("X confirmed it, saying ...").

    Infinitives of purpose ("met Y to call for talks") do not inherit it.
    """
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj") and verb.head is not verb:
        return subject_of(verb.head)
    return None


class Speakers:
    """Resolves a subject token to a speaker key (None for states, capitals and unnamed sources)."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.index = reader.index

    def key(self, subj: Token, sent_no: int) -> str | None:
        """Speaker key for a subject: pronoun, "the statement", a name, or "the Russian leader"."""
        if any(c.dep_ == "conj" for c in subj.children):
            return None
        if subj.lower_ in PRONOUNS:
            key = self.antecedent(sent_no, persons=True)
        elif subj.lemma_.lower() in STATEMENT_NOUNS:
            key = self.antecedent(sent_no, persons=False)
        else:
            key = self.named(subj) or self.nominal(subj)
        return key if key is not None and self.actor(key) else None

    def actor(self, key: str) -> bool:
        """True for a person or organisation (not a state, city or capital standing for a state)."""
        entity = self.index.by_key.get(key)
        return entity is not None and entity.type in ("Person", "Organization") and not entity.stands_for

    def named(self, subj: Token) -> str | None:
        """Key of the mention at the subject's head, or of a name in apposition to it."""
        key = self.index.key_for_token(subj)
        if key is None:
            key = next(
                (
                    self.index.key_for_token(c)
                    for c in subj.children
                    if c.dep_ == "appos" and self.index.key_for_token(c)
                ),
                None,
            )
        return key

    def nominal(self, subj: Token) -> str | None:
        """Person meant by "the Russian leader": the latest person of that state named before."""
        gazetteer = self.reader.ctx.gazetteer
        title = gazetteer.title(subj.lemma_)
        if title is None or title.type_vote != "Person":
            return None
        states = [
            gazetteer.demonym(c.text) or gazetteer.lookup(c.text)
            for c in subj.children
            if c.dep_ in ("amod", "poss", "compound")
        ]
        state = next((s for s in states if s is not None and s.type == "State"), None)
        if state is None:
            return None
        for span, key in reversed(self.index.mentions):
            if span.start < subj.i and self.belongs_to(span, key, state.name, entry_id(state)):
                return key
        return None

    def belongs_to(self, span: Span, key: str, state: str, state_key: str) -> bool:
        """True when `key` is a person of `state` (gazetteer country, or "Russian President X")."""
        entity = self.index.by_key.get(key)
        if entity is None or entity.type != "Person":
            return False
        entry = self.reader.ctx.gazetteer.lookup(entity.name)
        if entry is not None and entry.country == state:
            return True
        before = span.doc[max(0, span.start - 4) : span.start]
        return any(self.index.key_for_token(t) == state_key for t in before)

    def antecedent(self, sent_no: int, persons: bool) -> str | None:
        """The latest speaker (or, for pronouns, person subject) of the last few sentences."""
        for no, key, speaker in reversed(self.reader.recent):
            if no < sent_no - LOOKBACK:
                return None
            if speaker or persons:
                return key
        return None


def verb_speaker(verb: Token, found: list[Said], speakers: Speakers, sent_no: int) -> str | None:
    """Speaker of a speech verb: its subject, else (participles) the sentence's previous speaker."""
    subj = subject_of(verb)
    if subj is None and verb.tag_ == "VBG" and found:
        return found[-1].speaker
    subj = subj or head_subject(verb)
    return speakers.key(subj, sent_no) if subj is not None else None


def content_heads(verb: Token, sent: Span) -> list[Token]:
    """The children of a speech verb (within its sentence) that carry what was said."""
    heads = [c for c in verb.children if c.dep_ in CLAUSE_DEPS and sent.start <= c.i < sent.end]
    if verb.lemma_ in OBJECT_VERBS:
        heads += [c for c in verb.children if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in CONTENT_PREPS)]
    if verb.lemma_ == "call" and not any(c.dep_ == "prep" for c in heads):
        return []
    right = [c for c in heads if c.i > verb.i and c.dep_ in CLAUSE_DEPS]
    if right and any(c.i < verb.i for c in heads):
        heads = right
    if any(c.dep_ == "ccomp" for c in heads):
        heads += [c for c in verb.children if c.dep_ in ("conj", "cc") and c.i > verb.i]
    return heads


def fronted_content(verb: Token, sent: Span) -> list[Token]:
    """Words before a trailing attribution ("…, said X" parsed without a clause link)."""
    subj = subject_of(verb)
    end = min(verb.i, subj.left_edge.i if subj is not None else verb.i) - 1
    while end > sent.start and sent.doc[end].text in QUOTE_MARKS:
        end -= 1
    if end <= sent.start or sent.doc[end].text != ",":
        return []
    return list(sent.doc[sent.start : end])


def content_of(verb: Token, sent: Span) -> tuple[list[Token], bool]:
    """Content tokens of a speech verb and whether they are a direct quote."""
    if verb.dep_ == "parataxis":
        inner = {t.i for t in verb.subtree}
        return [t for t in verb.head.subtree if t.i not in inner and sent.start <= t.i < sent.end], True
    heads = content_heads(verb, sent)
    tokens = sorted({t for h in heads for t in h.subtree if sent.start <= t.i < sent.end}, key=lambda t: t.i)
    if not tokens:
        return fronted_content(verb, sent), True
    colon = any(t.text == ":" for t in sent.doc[verb.i : tokens[0].i])
    return tokens, tokens[-1].i < verb.i or colon


def according_to(sent: Span, speakers: Speakers) -> Said | None:
    """The rest of the sentence said by a person it is "according to"."""
    for token in sent:
        if token.lower_ != "according" or token.i + 1 >= sent.end or sent.doc[token.i + 1].lower_ != "to":
            continue
        obj = next((c for c in sent.doc[token.i + 1].children if c.dep_ == "pobj"), None)
        key = speakers.named(obj) if obj is not None else None
        entity = speakers.index.by_key.get(key) if key else None
        if entity is not None and entity.type == "Person":
            inner = {t.i for t in token.subtree}
            return Said(token, key, [t for t in sent if t.i not in inner], True)
    return None


def in_spans(char: int, spans: list[tuple[int, int]]) -> bool:
    """True when a character offset lies inside one of `spans`."""
    return any(s <= char < e for s, e in spans)


def attributions(reader: Reader, sent: Span, sent_no: int) -> list[Said]:
    """Every speech verb of a sentence with a named speaker and content, nested ones dropped."""
    speakers = Speakers(reader)
    found: list[Said] = []
    for verb in sent:
        if verb.lemma_.lower() not in SPEECH_VERBS or verb.pos_ not in ("VERB", "AUX") or is_negated(verb):
            continue
        if in_spans(verb.idx, reader.quotes):
            continue
        speaker = verb_speaker(verb, found, speakers, sent_no)
        content, direct = content_of(verb, sent) if speaker else ([], False)
        if speaker and any(t.is_alpha for t in content):
            found.append(Said(verb, speaker, content, direct))
    inner = {t.i for s in found for t in s.content}
    found = [s for s in found if s.verb.i not in inner]
    if not found and (said := according_to(sent, speakers)) is not None:
        found.append(said)
    return found


def text_of(tokens: list[Token]) -> str:
    """Clean quote text from (possibly non-contiguous) tokens: runs joined, marks stripped."""
    runs: list[list[Token]] = []
    for t in tokens:
        if runs and t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    doc = tokens[0].doc
    parts = [doc[r[0].i : r[-1].i + 1].text.strip(_STRIP) for r in runs]
    return clean(" ".join(p for p in parts if p))


def clean(text: str) -> str:
    """Without leading "that"/"to", quotation marks at the ends and trailing punctuation."""
    text = text.strip(_STRIP)
    while (stripped := _LEADING.sub("", text)) != text:
        text = stripped
    return " ".join(text.replace("“", "").replace("”", "").replace('"', "").split()).strip(_STRIP)


def segments_in(reader: Reader, tokens: list[Token]) -> list[tuple[int, int]]:
    """Quoted segments of two words or more that overlap the content, not yet used."""
    if not tokens:
        return []
    lo, hi = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    text = reader.ctx.text
    return [
        (s, e)
        for s, e in reader.quotes
        if s < hi and e > lo and len(text[s:e].split()) >= MIN_QUOTE_WORDS and (s, e) not in reader.used
    ]


def about(reader: Reader, start: int, end: int, speaker: str) -> list[str]:
    """Keys of the actors mentioned between two character offsets, the speaker left out."""
    keys = [k for s, k in reader.index.mentions if start <= s.start_char and s.end_char <= end and k != speaker]
    return list(dict.fromkeys(keys))


def statement_time(reader: Reader, sent: Span, content: list[Token]) -> TimeExpr | None:
    """The time said outside the content ("said on Friday"), else the article date."""
    doc, date = reader.ctx.doc, reader.ctx.article.date
    inside = {t.i for t in content}
    outside = [doc[t.i : t.i + 1] for t in sent if t.i not in inside and t.ent_type_ == "DATE"]
    if outside:
        ent = next((e for e in sent.ents if e.start <= outside[0].start < e.end), None)
        found = find_time(ent if ent is not None else outside[0], date)
        if found is not None and found.start:
            return found
    return TimeExpr("article date", date) if date else None


def evidence_for(reader: Reader, first: Span, last: Span) -> Evidence:
    """Evidence covering sentences `first` to `last`."""
    a, b = reader.ctx.evidence(first), reader.ctx.evidence(last)
    if a.start == b.start:
        return a
    return Evidence(a.article, reader.ctx.article.text[a.start : b.end], a.start, b.end)


def paragraph_start(text: str, char: int) -> int:
    """Offset where the paragraph holding `char` begins."""
    return text.rfind("\n", 0, char) + 1


def extend_back(reader: Reader, sent_no: int, said: Said, taken: set[int]) -> int:
    """First sentence of an unmarked quote that runs back to its paragraph start ("A. B, he said.")."""
    sent = reader.sents[sent_no]
    if not said.direct or said.content[0].i > sent.start + 1 or said.content[-1].i > said.verb.i:
        return sent_no
    para = paragraph_start(reader.ctx.text, sent.start_char + len(sent.text) - len(sent.text.lstrip()))
    first = sent_no
    while first > 0 and reader.sents[first - 1].start_char >= para - 1:
        prev = reader.sents[first - 1]
        if first - 1 in taken or any(in_spans(t.idx, reader.quotes) for t in prev) or not prev.text.strip():
            return sent_no
        if narrates(reader, prev, said.speaker):
            return first
        first -= 1
    return first


def narrates(reader: Reader, sent: Span, speaker: str) -> bool:
    """Whether a sentence reads as the reporter's: it names the speaker or reports speech itself."""
    named = any(k == speaker for s, k in reader.index.mentions if sent.start_char <= s.start_char < sent.end_char)
    reports = any(t.lemma_ in SPEECH_VERBS and t.pos_ == "VERB" for t in sent)
    return named or reports or "according to" in sent.text.lower()


def direct_segments(reader: Reader, sent: Span, said: Said) -> list[Statement]:
    """One direct statement per quoted segment in the content."""
    text = reader.ctx.text
    out = []
    for s, e in segments_in(reader, said.content):
        reader.used.add((s, e))
        quote = clean(text[s:e])
        if quote:
            out.append(
                Statement(
                    said.speaker,
                    quote,
                    reader.ctx.evidence(sent),
                    True,
                    statement_time(reader, sent, said.content),
                    about(reader, s, e, said.speaker),
                )
            )
    return out


def plain_statement(reader: Reader, sent_no: int, saids: list[Said], taken: set[int]) -> Statement | None:
    """One statement for the unquoted contents of one speaker in a sentence."""
    sent = reader.sents[sent_no]
    first = extend_back(reader, sent_no, saids[0], taken)
    tokens = [t for s in saids for t in s.content]
    if first < sent_no:
        tokens = [t for t in reader.ctx.doc[reader.sents[first].start : sent.start] if not t.is_space] + tokens
    quote = text_of(tokens)
    if not quote:
        return None
    lo, hi = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    speaker = saids[0].speaker
    return Statement(
        speaker,
        quote,
        evidence_for(reader, reader.sents[first], sent),
        saids[0].direct,
        statement_time(reader, sent, tokens),
        about(reader, lo, hi, speaker),
    )


def continued_quote(reader: Reader, sent_no: int, last: Statement | None) -> Statement | None:
    """A sentence that is only a new quotation continues the previous sentence's direct speaker."""
    sent = reader.sents[sent_no]
    if last is None or not last.direct:
        return None
    words = [t for t in sent if t.is_alpha]
    segs = [(s, e) for s, e in segments_in(reader, words) if s >= sent.start_char]
    if not segs or sum(in_spans(t.idx, segs) for t in words) < 0.8 * len(words):
        return None
    said = Said(sent[0], last.speaker, list(sent), True)
    return next(iter(direct_segments(reader, sent, said)), None)


def sentence_statements(reader: Reader, sent_no: int, taken: set[int], last: Statement | None) -> list[Statement]:
    """Statements of one sentence: quoted segments, then one per speaker for unquoted content."""
    sent = reader.sents[sent_no]
    saids = attributions(reader, sent, sent_no)
    if not saids:
        cont = continued_quote(reader, sent_no, last)
        return [cont] if cont is not None else []
    out: list[Statement] = []
    plain: dict[str, list[Said]] = {}
    for said in saids:
        quoted = direct_segments(reader, sent, said)
        out.extend(quoted)
        if not quoted:
            plain.setdefault(said.speaker, []).append(said)
    for group in plain.values():
        statement = plain_statement(reader, sent_no, group, taken)
        if statement is not None:
            out.append(statement)
    return out


def remember(reader: Reader, sent_no: int, statements: list[Statement]) -> None:
    """Record the sentence's person subjects and then its speakers for later pronouns."""
    sent = reader.sents[sent_no]
    subj = subject_of(sent.root)
    key = reader.index.key_for_token(subj) if subj is not None else None
    entity = reader.index.by_key.get(key) if key else None
    if entity is not None and entity.type == "Person":
        reader.recent.append((sent_no, entity.key, False))
    reader.recent.extend((sent_no, s.speaker, True) for s in statements)


def find_statements(ctx: Context, index: EntityIndex) -> list[Statement]:
    """Direct quotes and reported speech with a named speaker, as entity keys."""
    reader = Reader(ctx, index, quote_spans(ctx.text), units(ctx.doc))
    out: list[Statement] = []
    taken: set[int] = set()
    last: Statement | None = None
    for sent_no in range(len(reader.sents)):
        found = sentence_statements(reader, sent_no, taken, last)
        remember(reader, sent_no, found)
        if found:
            taken.add(sent_no)
        last = found[-1] if found else None
        out.extend(found)
    return out
