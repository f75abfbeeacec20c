"""SPARQL updates as the endpoint runs them: the canonical graph is their default graph, as it is for queries.

The store keeps the graph in a named graph, the canonical graph, which
queries see as their default graph. So that an update without ``GRAPH``
writes where queries read, each operation is rewritten before the engine
runs it: ``INSERT DATA`` and ``DELETE DATA`` get their triples outside
``GRAPH`` put in the canonical graph; ``DELETE``/``INSERT`` ... ``WHERE``
gets ``WITH <canonical>`` unless it has a ``WITH`` (``DELETE WHERE`` becomes
the same operation written out); ``LOAD`` without ``INTO`` loads into the
canonical graph; ``DEFAULT`` in ``CLEAR``, ``DROP``, ``ADD``, ``MOVE`` and
``COPY`` means the canonical graph (``NAMED`` and ``ALL`` keep their meaning
for the whole store, the canonical graph included). The protocol's
``using-graph-uri`` and ``using-named-graph-uri`` become ``USING`` and
``USING NAMED`` clauses of every operation with a ``WHERE``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import BadQuery
from kg.sparql_lexer import Prologue, Token, closing, tokens

GRAPH_OPERATIONS = ("CLEAR", "DROP", "ADD", "MOVE", "COPY")


@dataclass
class _Rewrite:
    """Edits to an update's text: (start, end, replacement), applied from the end."""

    text: str
    edits: list[tuple[int, int, str]] = field(default_factory=list)

    def insert(self, at: int, words: str) -> None:
        self.edits.append((at, at, f" {words} "))

    def replace(self, token: Token, words: str) -> None:
        self.edits.append((token.start, token.end, f" {words} "))

    def result(self) -> str:
        text = self.text
        for start, end, words in sorted(self.edits, reverse=True):
            text = text[:start] + words + text[end:]
        return text


def prepare_update(sparql: str, canonical: str, using: list[str], using_named: list[str]) -> str:
    """`sparql` rewritten so that its default graph is `canonical` and its ``WHERE`` reads the protocol's graphs.

    Args:
        sparql: A SPARQL 1.1 update (one or more operations).
        canonical: IRI of the graph queries see as their default graph.
        using: The request's ``using-graph-uri`` values.
        using_named: The request's ``using-named-graph-uri`` values.

    Raises:
        BadQuery: The request gives ``using-graph-uri``/``using-named-graph-uri`` and the update ``USING``/``WITH``.
    """
    found = tokens(sparql)
    if (using or using_named) and any(t.is_keyword("USING", "WITH") for t in found):
        raise BadQuery("using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH in the update")
    clauses = " ".join([*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)])
    rewrite = _Rewrite(sparql)
    prologue = Prologue(None, {})
    i = 0
    while i < len(found):
        if (after := prologue.declare(found, i)) != i:
            i = after
            continue
        i = _operation(found, i, rewrite, f"<{canonical}>", clauses) + 1
    return rewrite.result()


def _operation(found: list[Token], i: int, rewrite: _Rewrite, canonical: str, clauses: str) -> int:
    """Rewrite the operation starting at `found[i]`; the index of its last token."""
    first = found[i]
    end = _end_of_operation(found, i)
    following = found[i + 1] if i + 1 < len(found) else None
    if first.is_keyword(*GRAPH_OPERATIONS):
        for token in found[i:end]:
            if token.is_keyword("DEFAULT"):
                rewrite.replace(token, f"GRAPH {canonical}")
    elif first.is_keyword("LOAD") and not any(t.is_keyword("INTO") for t in found[i:end]):
        rewrite.insert(found[end - 1].end, f"INTO GRAPH {canonical}")
    elif first.is_keyword("INSERT", "DELETE") and following is not None and following.is_keyword("DATA"):
        _wrap_triples(found, i + 2, rewrite, canonical)
    elif first.is_keyword("DELETE") and following is not None and following.is_keyword("WHERE"):
        pattern_end = closing(found, i + 2)
        pattern = rewrite.text[found[i + 2].start : found[pattern_end].end]
        rewrite.insert(first.start, f"WITH {canonical}")
        rewrite.replace(following, "")
        rewrite.insert(found[pattern_end].end, f"{clauses} WHERE {pattern}")
    elif first.is_keyword("WITH", "INSERT", "DELETE"):
        _modify(found, i, end, rewrite, canonical, clauses)
    return end


def _end_of_operation(found: list[Token], i: int) -> int:
    """The index of the ``;`` ending the operation at `found[i]`, or the end of the update."""
    j = i
    while j < len(found) and not (found[j].kind == "punct" and found[j].text == ";"):
        j = closing(found, j) + 1 if found[j].kind == "punct" and found[j].text in "{([" else j + 1
    return min(j, len(found))


def _modify(found: list[Token], i: int, end: int, rewrite: _Rewrite, canonical: str, clauses: str) -> None:
    """``WITH``/``DELETE``/``INSERT`` ... ``WHERE``: WITH the canonical graph unless given, USING the protocol's."""
    if not found[i].is_keyword("WITH"):
        rewrite.insert(found[i].start, f"WITH {canonical}")
    j = i
    while j < end and not found[j].is_keyword("WHERE"):
        j = closing(found, j) + 1 if found[j].kind == "punct" and found[j].text == "{" else j + 1
    if clauses and j < end:
        rewrite.insert(found[j].start, clauses)


def _wrap_triples(found: list[Token], opening: int, rewrite: _Rewrite, canonical: str) -> None:
    """Put the triples of the quad block opening at `found[opening]` that are outside ``GRAPH`` in `canonical`."""
    if opening >= len(found) or found[opening].text != "{":
        return
    end = closing(found, opening)
    runs: list[list[str]] = [[]]
    graphs: list[str] = []
    j = opening + 1
    while j < end:
        if found[j].is_keyword("GRAPH") and j + 2 < end and found[j + 2].text == "{":
            last = closing(found, j + 2)
            graphs.append(rewrite.text[found[j].start : found[last].end])
            runs.append([])
        else:
            last = closing(found, j) if found[j].kind == "punct" and found[j].text in "([" else j
            runs[-1].append(rewrite.text[found[j].start : found[last].end])
        j = last + 1
    triples = " . ".join(" ".join(_without_dots(run)) for run in runs if _without_dots(run))
    block = f"{{ GRAPH {canonical} {{ {triples} }} {' '.join(graphs)} }}"
    rewrite.edits.append((found[opening].start, found[end].end, block))


def _without_dots(run: list[str]) -> list[str]:
    """A run of triples without the dots that may lead or end it."""
    start, end = 0, len(run)
    while start < end and run[start] == ".":
        start += 1
    while end > start and run[end - 1] == ".":
        end -= 1
    return run[start:end]
