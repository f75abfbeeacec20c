"""Statements in one article: who said what, quoted or reported.

A statement hangs on a speech verb of ``data/speech.csv`` ("said", "told", "warned",
"reported" ...) or on "according to X", with a named person or organisation as speaker
(`speakers` says who a subject is). Its content is the verb's clausal complement:

- before the verb ("We are in communication, spokesman Wang said") or after a colon:
  a direct quote, also when the article lost its quotation marks; an unmarked quote
  reaches back to its paragraph's start over sentences that do not read as narration;
- after the verb ("Kirby said the sale was ..."): reported speech, one statement per
  speaker and sentence ("X told ... that A, said B and reiterated C");
- opening with and mostly inside quotation marks: each quoted segment is a direct
  statement, from its opening mark, also when it opened sentences before the verb.
  Quoted words inside reported speech ('said the DPRK had a “bright future”') stay
  part of the clause.

A sentence that is only a quotation continues the previous sentence's direct quote
in the same paragraph, and is a new statement of that speaker in the next paragraph.
A verb that only might speak ("will call on", "is expected to say") or is negated
says nothing. States and capitals ("Beijing denies") and unnamed sources ("officials
say") are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from kg.extract.quotes import clean, in_spans, paragraph_start, quote_spans, text_of, units
from kg.extract.speakers import Speakers, speech_words, subject_of
from kg.extract.timex import find_time
from kg.model import Evidence, Role, Statement, TimeExpr

if TYPE_CHECKING:
    from kg.extract.context import Context
    from kg.extract.entities import EntityIndex

CONTENT_PREPS = frozenset({"of", "as", "on", "for"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp"})
FIRST_PERSON = frozenset({"i", "we", "you"})
MIN_QUOTE_WORDS = 2
"""Quoted segments shorter than this are scare quotes, not quotes."""
QUOTED_SHARE = 0.5
"""Share of a content's words inside quotation marks from which, if it opens with one, it is a quote."""
MOSTLY_QUOTED = 2 / 3
"""Share above which content is a quote wherever it opens ("The two discussed “the meaning of ...”")."""
CONTINUED_SHARE = 0.8
"""Share of a sentence's words inside quotation marks for it to continue the previous quote."""


@dataclass
class Said:
    """One attribution in a sentence: speaker key, content tokens, and whether it is a quote."""

    verb: Token
    speaker: str
    content: list[Token]
    direct: bool


@dataclass
class Reader:
    """Walks one article's sentences: its quotation marks, sentence units and the quotations already used."""

    ctx: Context
    index: EntityIndex
    speakers: Speakers
    quotes: list[tuple[int, int]]
    sents: list[Span]
    used: set[tuple[int, int]] = field(default_factory=set)


def is_negated(verb: Token) -> bool:
    """True for "has not confirmed"."""
    return any(c.dep_ == "neg" for c in verb.children)


def is_unreal(verb: Token) -> bool:
    """True for speech that has not happened: "will call on", "could say", "is expected to say"."""
    return any(c.dep_ == "aux" and (c.tag_ == "MD" or c.tag_ == "TO") for c in verb.children)


def head_subject(verb: Token) -> Token | None:
    """Subject of the clause a subjectless verb hangs on: "X confirmed it, saying ...", "X told A and said B".

    Infinitives of purpose ("met Y to call for talks") do not inherit it.
    """
    while verb.dep_ == "conj" and verb.head.i != verb.i and subject_of(verb) is None:
        verb = verb.head
        if (subj := subject_of(verb)) is not None:
            return subj
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj") and verb.head.i != verb.i:
        return subject_of(verb.head)
    return None


def speaking_subject(reader: Reader, verb: Token) -> Token | None:
    """The verb's subject; when the parse took a word of the quotation for it ("'Mr Prime Minister, thanks,'
    the premier said"), the apposition outside the quotation."""
    subj = subject_of(verb)
    if subj is None or not in_spans(subj.idx, reader.quotes):
        return subj
    return next((c for c in subj.children if c.dep_ == "appos" and not in_spans(c.idx, reader.quotes)), None)


def verb_speaker(verb: Token, found: list[Said], reader: Reader, sent_no: int) -> str | None:
    """Speaker of a speech verb: its subject, else (participles) the sentence's previous speaker."""
    subj = speaking_subject(reader, verb)
    if subj is None and verb.tag_ == "VBG" and found:
        return found[-1].speaker
    subj = subj or head_subject(verb)
    return reader.speakers.key(subj, sent_no) if subj is not None else None


def content_heads(verb: Token, sent: Span) -> list[Token]:
    """The children of a speech verb (within its sentence) that carry what was said."""
    heads = [c for c in verb.children if c.dep_ in CLAUSE_DEPS and sent.start <= c.i < sent.end]
    if verb.lemma_ in speech_words().object:
        objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
        heads += objects + [c for c in verb.children if c.dep_ == "prep" and c.lower_ in CONTENT_PREPS]
        if verb.lemma_ == "call" and not any(c.dep_ in ("prep", "oprd") for c in heads):
            return []
    right = [c for c in heads if c.i > verb.i and c.dep_ in CLAUSE_DEPS]
    if right and any(c.i < verb.i for c in heads):
        heads = right
    if any(c.dep_ == "ccomp" for c in heads):
        heads += [c for c in verb.children if c.dep_ in ("conj", "cc") and c.i > verb.i]
    return heads


def fronted_content(reader: Reader, verb: Token, sent: Span) -> list[Token]:
    """Words before a trailing attribution ("…, said X" parsed without a clause link), if they hold a verb
    or are a quotation (not "On Thursday, X posted ...")."""
    subj = speaking_subject(reader, verb)
    end = min(verb.i, subj.left_edge.i if subj is not None else verb.i) - 1
    while end > sent.start and sent.doc[end].text in "“”\"’'‘":
        end -= 1
    words = list(sent.doc[sent.start : end])
    if end <= sent.start or sent.doc[end].text != ",":
        return []
    return words if any(t.pos_ in ("VERB", "AUX") for t in words) or is_quotation(reader, words) else []


def that_clause(verb: Token) -> list[Token]:
    """A "that" clause the parse hung deeper under the verb ("told the media after the summit ended that
    ..."), as the content's head."""
    marked = (
        t for t in verb.subtree if t.i > verb.i and any(c.dep_ == "mark" and c.lower_ == "that" for c in t.children)
    )
    return [t] if (t := next(marked, None)) is not None and t.dep_ == "ccomp" else []


def content_of(reader: Reader, verb: Token, sent: Span) -> tuple[list[Token], bool]:
    """Content tokens of a speech verb and whether they are a direct quote."""
    if verb.dep_ == "parataxis":
        inner = {t.i for t in verb.subtree}
        return [t for t in verb.head.subtree if t.i not in inner and sent.start <= t.i < sent.end], True
    heads = content_heads(verb, sent) or that_clause(verb)
    tokens = sorted({t for h in heads for t in h.subtree if sent.start <= t.i < sent.end}, key=lambda t: t.i)
    if not tokens:
        return fronted_content(reader, verb, sent), True
    colon = any(t.text == ":" for t in sent.doc[verb.i : tokens[0].i])
    return tokens, tokens[-1].i < verb.i or colon


def according_to(sent: Span, speakers: Speakers) -> Said | None:
    """The rest of the sentence, said by the person or organisation it is "according to" (a clause the
    parse hung on the name as an apposition included)."""
    for token in sent:
        if token.lower_ != "according" or token.i + 1 >= sent.end or sent.doc[token.i + 1].lower_ != "to":
            continue
        obj = next((c for c in sent.doc[token.i + 1].children if c.dep_ == "pobj"), None)
        key = speakers.named(obj) if obj is not None else None
        if key is not None:
            right = [t.i for c in obj.rights if c.dep_ not in ("appos", "punct") for t in c.subtree]
            end = max([obj.i, *right]) + 1
            end += end < sent.end and sent.doc[end].text == ","
            return Said(token, key, [t for t in sent if not token.i <= t.i < end], True)
    return None


def is_quotation(reader: Reader, tokens: list[Token]) -> bool:
    """Whether content is a quotation: it opens inside quotation marks and they hold half its words, or
    one quotation holds most of them ("The two discussed “the meaning of ...”").

    Quoted words inside a reported clause ('the DPRK had a “bright future”', 'X was “unfair”, but “...”')
    leave it reported.
    """
    words = [t for t in tokens if t.is_alpha]
    inside = [in_spans(t.idx, reader.quotes) for t in words]
    share = sum(inside) / len(words) if words else 0.0
    if words and inside[0]:
        return share >= QUOTED_SHARE
    return share > MOSTLY_QUOTED and len({s for t in words for s in reader.quotes if s[0] <= t.idx < s[1]}) == 1


def attributions(reader: Reader, sent: Span, sent_no: int) -> list[Said]:
    """Every speech verb of a sentence with a named speaker and content, nested ones dropped."""
    words = speech_words()
    found: list[Said] = []
    for verb in sent:
        lemma = verb.lemma_.lower()
        if lemma not in words.verbs or verb.pos_ not in ("VERB", "AUX") or is_negated(verb) or is_unreal(verb):
            continue
        if in_spans(verb.idx, reader.quotes):
            continue
        speaker = verb_speaker(verb, found, reader, sent_no)
        content, direct = content_of(reader, verb, sent) if speaker else ([], False)
        if lemma in words.quote and not is_quotation(reader, content):
            continue
        if speaker and any(t.is_alpha for t in content):
            found.append(Said(verb, speaker, content, direct))
    inner = {t.i for s in found for t in s.content}
    found = [s for s in found if s.verb.i not in inner]
    if not found and (said := according_to(sent, reader.speakers)) is not None:
        found.append(said)
    return found


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


def joined(reader: Reader, first: Evidence, last: Evidence) -> Evidence:
    """Evidence running from `first` to `last`."""
    if first.start == last.start:
        return first
    return Evidence(first.article, reader.ctx.article.text[first.start : last.end], first.start, last.end)


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
    """Whether a sentence reads as the reporter's: it names the speaker, reports speech itself, or tells in
    the past what someone other than "I"/"we" did ("The two ministers spoke for two hours")."""
    named = any(k == speaker for s, k in reader.index.mentions if sent.start_char <= s.start_char < sent.end_char)
    reports = any(t.lemma_ in speech_words().verbs and t.pos_ == "VERB" for t in sent)
    subj = subject_of(sent.root)
    past = sent.root.tag_ == "VBD" and subj is not None and subj.lower_ not in FIRST_PERSON
    return named or reports or past or "according to" in sent.text.lower()


def direct_segments(reader: Reader, sent: Span, said: Said) -> list[Statement]:
    """One direct statement per quoted segment in the content."""
    text = reader.ctx.text
    out = []
    for s, e in segments_in(reader, said.content):
        reader.used.add((s, e))
        quote = clean(text[s:e])
        if quote:
            evidence = joined(reader, reader.ctx.evidence(sentence_at(reader, s, sent)), reader.ctx.evidence(sent))
            time = statement_time(reader, sent, said.content)
            out.append(Statement(said.speaker, quote, evidence, True, time, about(reader, s, e, said.speaker)))
    return out


def sentence_at(reader: Reader, char: int, sent: Span) -> Span:
    """The sentence unit holding a character offset (one in the space before it), at the latest `sent`."""
    before = [s for s in reader.sents if s.start_char <= char and s.start <= sent.start]
    return before[-1] if before else sent


def through_quote(reader: Reader, sent: Span, tokens: list[Token]) -> list[Token]:
    """Content running on to the end of a quotation it opens, where the parse cut it short ('that the parties
    are at “the beginning of a process, our eyes are open, but ...”')."""
    last = tokens[-1]
    ends = [e for s, e in reader.quotes if tokens[0].idx <= s <= last.idx < e]
    if not ends:
        return tokens
    return tokens + [t for t in sent if t.i > last.i and t.idx < ends[0]]


def plain_statement(reader: Reader, sent_no: int, saids: list[Said], taken: set[int]) -> Statement | None:
    """One statement for the unquoted contents of one speaker in a sentence."""
    sent = reader.sents[sent_no]
    first = extend_back(reader, sent_no, saids[0], taken)
    tokens = through_quote(reader, sent, [t for s in saids for t in s.content])
    if first < sent_no:
        tokens = [t for t in reader.ctx.doc[reader.sents[first].start : sent.start] if not t.is_space] + tokens
    quote = text_of(tokens)
    if not quote:
        return None
    lo, hi = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    speaker = saids[0].speaker
    evidence = joined(reader, reader.ctx.evidence(reader.sents[first]), reader.ctx.evidence(sent))
    time = statement_time(reader, sent, tokens)
    return Statement(speaker, quote, evidence, saids[0].direct, time, about(reader, lo, hi, speaker))


def sentence_statements(reader: Reader, sent_no: int, taken: set[int]) -> list[Statement]:
    """Statements of one sentence: quoted segments, then one per speaker for reported content."""
    sent = reader.sents[sent_no]
    out: list[Statement] = []
    plain: dict[str, list[Said]] = {}
    for said in attributions(reader, sent, sent_no):
        quoted = direct_segments(reader, sent, said) if is_quotation(reader, said.content) else []
        out.extend(quoted)
        if not quoted:
            plain.setdefault(said.speaker, []).append(said)
    for group in plain.values():
        statement = plain_statement(reader, sent_no, group, taken)
        if statement is not None:
            out.append(statement)
    return out


def only_quote(reader: Reader, sent: Span) -> list[tuple[int, int]]:
    """The unused quoted segments ending in a sentence that is (nearly) all quotation, else []."""
    words = [t for t in sent if t.is_alpha]
    segs = [(s, e) for s, e in segments_in(reader, words) if e <= sent.end_char]
    if not segs or sum(in_spans(t.idx, segs) for t in words) < CONTINUED_SHARE * len(words):
        return []
    return segs


def continued(reader: Reader, sent_no: int, last: Statement) -> tuple[Statement, bool] | None:
    """A quote-only sentence after a direct quote: that quote's next words in the same paragraph
    (returned with True: it replaces `last`), a new statement of its speaker in the next paragraph."""
    sent = reader.sents[sent_no]
    segs = only_quote(reader, sent)
    if not segs:
        return None
    reader.used.update(segs)
    quote = " ".join(q for s, e in segs if (q := clean(reader.ctx.text[s:e])))
    evidence = reader.ctx.evidence(sent)
    text = reader.ctx.text
    if paragraph_start(text, segs[0][0]) == paragraph_start(text, reader.sents[sent_no - 1].start_char):
        return replace(last, quote=f"{last.quote}. {quote}", evidence=joined(reader, last.evidence, evidence)), True
    spoken = about(reader, segs[0][0], segs[-1][1], last.speaker)
    return Statement(last.speaker, quote, evidence, True, last.time, spoken), False


def clause_subjects(sent: Span) -> list[Token]:
    """Subjects of the sentence's clauses, with the noun of "with X doing Y" (which does Y)."""
    subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass")]
    for prep in (t for t in sent if t.lower_ == "with" and any(c.tag_ == "VBG" for c in t.children)):
        subjects += [c for c in prep.children if c.dep_ == "pobj"]
    return sorted(subjects, key=lambda t: t.i)


def remember(reader: Reader, sent_no: int, statements: list[Statement]) -> None:
    """Record the sentence's speakers for later pronouns; in a sentence that reports no speech, the people
    it makes subjects of any clause ("..., with one MP, Jane Doe, submitting a letter")."""
    recent = reader.speakers.recent
    recent.extend((sent_no, s.speaker, True) for s in statements)
    if statements:
        return
    for subj in clause_subjects(reader.sents[sent_no]):
        named = [t for t in (subj, *subj.children) if t is subj or t.dep_ in ("appos", "conj")]
        key = next((k for t in named if (k := reader.index.key_for_token(t))), None)
        if key is not None and reader.speakers.is_person(key):
            recent.append((sent_no, key, False))


def find_statements(ctx: Context, index: EntityIndex, roles: list[Role] | None = None) -> list[Statement]:
    """Direct quotes and reported speech with a named speaker, as entity keys.

    Args:
        ctx: The article.
        index: Its entities.
        roles: Its roles, which name the speakers called by their title ("the Prime Minister said").
    """
    speakers = Speakers(ctx, index, roles or [])
    reader = Reader(ctx, index, speakers, quote_spans(ctx.text), units(ctx.doc))
    out: list[Statement] = []
    taken: set[int] = set()
    for sent_no in range(len(reader.sents)):
        found = sentence_statements(reader, sent_no, taken)
        follows_quote = out and sent_no - 1 in taken and out[-1].direct
        if not found and follows_quote and (more := continued(reader, sent_no, out[-1])) is not None:
            statement, extends = more
            out[-1:] = [statement] if extends else [out[-1], statement]
            found = [statement]
        else:
            out.extend(found)
        remember(reader, sent_no, found)
        if found:
            taken.add(sent_no)
    return out
