"""Serialising at most `cap` rows (or triples) of a query's result before a deadline, as well-formed documents.

pyoxigraph evaluates lazily while its serialiser pulls solutions. Results are
first written as TSV (solutions) or N-Triples (triples), one line per row,
into a `LineSink` that counts lines and checks the deadline at each chunk
(about 8 KB) it receives; raising from the sink stops serialisation and
evaluation alike. The kept lines are then converted to the format asked for
(TSV and N-Triples are lossless). Work pyoxigraph does before the first row
comes out (sorting, grouping, a cross product feeding an aggregate) cannot be
interrupted this way: `api.workers` kills the worker process running it.

Two formats get their text changed on the way: XML (SPARQL XML results and
RDF/XML) cannot hold the control characters XML 1.0 forbids (NUL and U+0001
to U+001F but tab, line feed and carriage return; U+FFFE, U+FFFF), so they
are replaced by U+FFFD; CSV cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return, and not a
number) get a leading ``'``, as OWASP advises: CSV results are for people
with spreadsheets, the other formats keep every value as it is.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import time

import pyoxigraph as ox

from api.formats import Formats
from kg import vocab
from kg.errors import QueryTimeout
from kg.store import QueryResult

NOT_IN_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
"""UTF-8 of the characters XML 1.0 does not allow (outside the range of surrogates, which UTF-8 never holds)."""
REPLACEMENT = "\ufffd".encode()
FORMULA = re.compile(r"[=+\-@\t\r]")
NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class _Enough(Exception):
    """Raised by `LineSink` to stop a serialiser once the cap is passed."""


class LineSink:
    """A binary file for pyoxigraph's serialisers keeping the first `keep` lines, until `deadline`.

    Args:
        keep: Lines to keep; any byte after them sets `truncated` and stops the writer.
        deadline: `time.monotonic()` value after which writing raises `QueryTimeout`.
    """

    def __init__(self, keep: int, deadline: float) -> None:
        self.keep = keep
        self.deadline = deadline
        self.lines = 0
        self.truncated = False
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        """Keep `data` (up to the line limit); raise when past the deadline or the limit.

        Once stopped, writes keep raising: pyoxigraph's buffer retries the failed write when dropped.
        """
        if self.truncated:
            raise _Enough
        if time.monotonic() > self.deadline:
            raise QueryTimeout("the query ran longer than the time limit")
        room = self.keep - self.lines
        newlines = data.count(b"\n")
        if newlines < room or (newlines == room and data.endswith(b"\n")):
            self.chunks.append(data)
            self.lines += newlines
            return len(data)
        self.chunks.append(data[: _after_newlines(data, room)])
        self.truncated = True
        raise _Enough

    def flush(self) -> None:
        """Nothing to do: chunks are kept in memory."""

    def getvalue(self) -> bytes:
        """Everything kept."""
        return b"".join(self.chunks)


def _after_newlines(data: bytes, count: int) -> int:
    position = 0
    for _ in range(count):
        position = data.index(b"\n", position) + 1
    return position


def serialize(
    result: QueryResult, formats: Formats, cap: int, deadline: float
) -> tuple[bytes, ox.QueryResultsFormat | ox.RdfFormat, bool]:
    """`result` serialised with at most `cap` rows or triples.

    Args:
        result: What `Store.query` returned.
        formats: Format for solutions and booleans, and format for triples.
        cap: Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) kept.
        deadline: `time.monotonic()` value after which serialising raises `QueryTimeout`.

    Returns:
        The bytes, their format, and whether rows were left out.
    """
    results_format, graph_format = formats.results, formats.graph
    if isinstance(result, ox.QueryBoolean):
        return result.serialize(format=results_format), results_format, False
    solutions = isinstance(result, ox.QuerySolutions)
    wire = ox.QueryResultsFormat.TSV if solutions else ox.RdfFormat.N_TRIPLES
    sink = LineSink(cap + 1 if solutions else cap, deadline)  # TSV has a header line
    with contextlib.suppress(_Enough):
        result.serialize(sink, format=wire)
    data = sink.getvalue()
    if solutions and results_format != wire:
        data = ox.parse_query_results(data, format=wire).serialize(format=results_format)
    elif not solutions and graph_format != wire:
        data = ox.serialize(ox.parse(data, format=wire), format=graph_format, prefixes=vocab.PREFIXES)
    chosen = results_format if solutions else graph_format
    return safe(data, chosen), chosen, sink.truncated


def safe(data: bytes, fmt: ox.QueryResultsFormat | ox.RdfFormat) -> bytes:
    """`data` made safe for readers of `fmt`: well-formed XML, CSV without formulas (see the module docs)."""
    if fmt in (ox.QueryResultsFormat.XML, ox.RdfFormat.RDF_XML):
        return NOT_IN_XML.sub(REPLACEMENT, data)
    if fmt == ox.QueryResultsFormat.CSV:
        return without_formulas(data)
    return data


def without_formulas(data: bytes) -> bytes:
    """CSV `data` with a ``'`` before each cell a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(data.decode(), newline="")):
        writer.writerow([_inert(cell) for cell in row])
    return out.getvalue().encode()


def _inert(cell: str) -> str:
    return "'" + cell if FORMULA.match(cell) and not NUMBER.fullmatch(cell) else cell
