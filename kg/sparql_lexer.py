"""SPARQL text cut into the terminals of the SPARQL 1.1 grammar, so checks decide on a query's structure.

Strings, IRIs and comments are tokens of their own, as the grammar has them
(a comment runs to the next carriage return or line feed), so a keyword
inside one of them is never taken for a keyword, and a keyword outside them
is never missed. Whitespace and comments are dropped; a character no
terminal starts with becomes a token of its own, for the engine to refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS = _BASE + r"_\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_BASE}_:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

TERMINALS = [
    ("ws", r"[ \t\r\n]+"),
    ("comment", r"#[^\r\n]*"),
    ("string", r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*+'''|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\.))*+\"\"\""),
    ("string", r"'(?:[^'\\\n\r]|\\.)*+'|\"(?:[^\"\\\n\r]|\\.)*+\""),
    ("iri", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*+>"),
    ("var", rf"[?$][{_BASE}_0-9][{_CHARS}]*"),
    ("pname", rf"(?:{_PREFIX})?:(?:{_LOCAL})?"),
    ("bnode", rf"_:[{_BASE}_0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?"),
    ("name", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("punct", r"\^\^|<=|>=|!=|&&|\|\||[{}()\[\].,;*+\-/!^|=<>?]"),
    ("other", r"(?s:.)"),
]
"""Terminals in the order they are tried: the first that matches at a position is the token there."""

_SCANNER = re.compile("|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(TERMINALS)))
OPENING = {"{": "}", "(": ")", "[": "]"}


@dataclass(frozen=True)
class Token:
    """One terminal: its kind (a name of `TERMINALS`), its text and where it starts and ends in the query."""

    kind: str
    text: str
    start: int
    end: int

    def is_keyword(self, *words: str) -> bool:
        """Whether this is one of `words`, as a keyword (keywords are case-insensitive)."""
        return self.kind == "name" and self.text.upper() in words


def tokens(sparql: str) -> list[Token]:
    """The tokens of `sparql`, without whitespace and comments."""
    found = []
    for match in _SCANNER.finditer(sparql):
        kind = (match.lastgroup or "other").rstrip("0123456789")
        if kind not in ("ws", "comment"):
            found.append(Token(kind, match.group(), match.start(), match.end()))
    return found


def has_keyword(sparql: str, keyword: str) -> bool:
    """Whether `keyword` occurs in `sparql` as a keyword, not in an IRI, string, comment, variable or name."""
    return any(t.is_keyword(keyword.upper()) for t in tokens(sparql))


def keywords(found: Iterable[Token]) -> set[str]:
    """The keywords among `found`, upper-cased."""
    return {t.text.upper() for t in found if t.kind == "name"}


def nesting_depth(found: Iterable[Token]) -> int:
    """How deep brackets ``{ ( [`` nest among `found` (unbalanced closing ones are ignored)."""
    depth = deepest = 0
    for token in found:
        if token.kind == "punct" and token.text in OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif token.kind == "punct" and token.text in OPENING.values():
            depth = max(0, depth - 1)
    return deepest


def closing(found: list[Token], i: int) -> int:
    """The index of the bracket closing the one at `found[i]` (the last index if it is never closed)."""
    depth = 0
    for j in range(i, len(found)):
        if found[j].kind == "punct" and found[j].text in OPENING:
            depth += 1
        elif found[j].kind == "punct" and found[j].text in OPENING.values():
            depth -= 1
            if depth == 0:
                return j
    return len(found) - 1


def unescape_iri(token: Token) -> str:
    """The IRI an IRIREF token writes, its ``\\u`` escapes decoded."""
    return re.sub(_UCHAR, lambda m: chr(int(m.group()[2:], 16)), token.text[1:-1])


@dataclass
class Prologue:
    """The base IRI and prefixes declared so far, for resolving IRIs as the engine does."""

    base: str | None
    prefixes: dict[str, str]

    def declare(self, found: list[Token], i: int) -> int:
        """Read a BASE or PREFIX declaration at `found[i]`, if there is one; the index after it."""
        if found[i].is_keyword("BASE") and i + 1 < len(found) and found[i + 1].kind == "iri":
            self.base = self.resolve(found[i + 1])
            return i + 2
        if found[i].is_keyword("PREFIX") and i + 2 < len(found) and found[i + 2].kind == "iri":
            self.prefixes[found[i + 1].text[:-1]] = self.resolve(found[i + 2])
            return i + 3
        return i

    def resolve(self, token: Token) -> str:
        """The absolute IRI an IRIREF or prefixed name stands for (relative IRIs against the base).

        Raises:
            KeyError: The prefix of a prefixed name is not declared.
        """
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        iri = unescape_iri(token)
        return urljoin(self.base, iri) if self.base and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri) else iri


def dataset_clauses(found: list[Token], base: str | None) -> tuple[list[str], list[str]] | None:
    """The graphs a query's ``FROM`` and ``FROM NAMED`` clauses name, or None when it has neither.

    Raises:
        KeyError: A clause names a graph with an undeclared prefix.
    """
    prologue = Prologue(base, {})
    default: list[str] = []
    named: list[str] = []
    i, depth, seen = 0, 0, False
    while i < len(found):
        token = found[i]
        if depth == 0 and (after := prologue.declare(found, i)) != i:
            i = after
            continue
        depth += token.text in OPENING and token.kind == "punct"
        depth -= token.text in OPENING.values() and token.kind == "punct" and depth > 0
        if depth == 0 and token.is_keyword("FROM"):
            is_named = i + 1 < len(found) and found[i + 1].is_keyword("NAMED")
            target = i + 1 + is_named
            if target < len(found) and found[target].kind in ("iri", "pname"):
                (named if is_named else default).append(prologue.resolve(found[target]))
                seen = True
        i += 1
    return (default, named) if seen else None
