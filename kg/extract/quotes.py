"""Quotation marks and the text between them, for `statements`.

Double marks (“ ” " « » „) pair within a paragraph: a mark that opens must follow a
space or start the paragraph, a stray closing mark is dropped and an unclosed quote
ends with its paragraph. Single marks (‘ ’ ') quote too ('Thank you,' he said) when
they pair outside double quotes: one opens after a space and before a word, one closes
after a word and before a space or punctuation, so the apostrophes of "it's" and
"Biden's" never count.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

DOUBLE_MARKS = '“”"«»„'
SINGLE_OPEN = "‘'"
SINGLE_CLOSE = "’'"
QUOTE_MARKS = DOUBLE_MARKS + "‘’"
"""Marks stripped from the ends of a quote (a straight apostrophe stays: it may end "leaders'")."""
OPEN_AFTER = "([—–-" + DOUBLE_MARKS
_STRIP = " \t\n,;:.-–—'" + QUOTE_MARKS
_LEADING = re.compile(r"^(?:that|on|to|:)\s+", re.IGNORECASE)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (double, then single outside them), in text order."""
    spans = []
    for para in re.finditer(r"[^\n]+", text):
        doubles = _double_spans(text, para.start(), para.end())
        spans += doubles + _single_spans(text, para.start(), para.end(), doubles)
    return sorted(spans)


def _double_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, opened = [], None
    for m in re.finditer(f"[{DOUBLE_MARKS}]", text[start:end]):
        i = start + m.start()
        if opened is not None:
            spans.append((opened, i))
            opened = None
        elif i == start or text[i - 1].isspace() or text[i - 1] in OPEN_AFTER:
            opened = i + 1
    if opened is not None:
        spans.append((opened, end))
    return spans


def _single_spans(text: str, start: int, end: int, doubles: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Single-quoted ranges; a plural possessive ("farmers' union") closes only if no later mark does."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    possessive: int | None = None
    for i in range(start, end):
        if in_spans(i, doubles) or text[i] not in SINGLE_OPEN + SINGLE_CLOSE:
            continue
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if opened is not None and text[i] in SINGLE_CLOSE and not before.isspace() and not after.isalnum():
            if before == "s" and text[i + 1 : i + 3].strip()[:1].islower():
                possessive = possessive or i
                continue
            spans.append((opened, i))
            opened = possessive = None
        elif text[i] in SINGLE_OPEN and (before.isspace() or before in OPEN_AFTER) and after.isalnum():
            if opened is not None and possessive is not None:
                spans.append((opened, possessive))
                opened = None
            if opened is None:
                opened, possessive = i + 1, None
    if opened is not None and possessive is not None:
        spans.append((opened, possessive))
    return spans


def in_spans(char: int, spans: list[tuple[int, int]]) -> bool:
    """True when a character offset lies inside one of `spans`."""
    return any(s <= char < e for s, e in spans)


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


def paragraph_start(text: str, char: int) -> int:
    """Offset where the paragraph holding `char` begins."""
    return text.rfind("\n", 0, char) + 1


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
    for mark in DOUBLE_MARKS + "‘":
        text = text.replace(mark, "")
    return " ".join(text.split()).strip(_STRIP)
