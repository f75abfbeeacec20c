"""Running a query within a deadline and serialising at most `cap` rows (or triples) of its result.

pyoxigraph evaluates lazily while its serialiser pulls solutions, and releases
the GIL meanwhile. Results are first written as TSV (solutions) or N-Triples
(triples), one line per row, into a `LineSink` that counts lines and checks
the deadline at each chunk (about 8 KB) it receives; raising from the sink
stops serialisation and evaluation alike. The kept lines are then converted
to the format asked for (TSV and N-Triples are lossless).

What cannot be interrupted: work pyoxigraph does before the first row comes
out (sorting, grouping, DISTINCT, or a cross product feeding an aggregate)
and SPARQL Updates. For queries the caller gets `QueryTimeout` at the
deadline anyway, while the query's daemon thread runs on until pyoxigraph
yields a row, then stops; it uses a CPU meanwhile but no worker of the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

import pyoxigraph as ox

from api.formats import Formats
from kg import vocab
from kg.errors import QueryTimeout
from kg.store import QueryResult

T = TypeVar("T")


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
    return data, results_format if solutions else graph_format, sink.truncated


def _without_locals(exc: Exception) -> Exception:
    """`exc` with the local variables of its frames dropped, here: pyoxigraph results must die on their thread."""
    link: BaseException | None = exc
    while link is not None:
        traceback.clear_frames(link.__traceback__)
        link = link.__cause__ or link.__context__
    return exc


async def in_thread(work: Callable[[], T], timeout: float) -> T:
    """The value of `work()`, run on a daemon thread and awaited at most `timeout` seconds.

    Raises:
        QueryTimeout: `work` did not finish in time (it goes on in the background; see the module docs).
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(value: T | None, error: Exception | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)  # type: ignore[arg-type]

    def run() -> None:
        try:
            outcome: tuple[T | None, Exception | None] = (work(), None)
        except Exception as exc:  # handed over to the awaiting request, which re-raises it
            outcome = (None, _without_locals(exc))
        with contextlib.suppress(RuntimeError):  # the server stopped meanwhile: nobody waits any more
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=run, name="sparql-query", daemon=True).start()
    try:
        return await asyncio.wait_for(future, timeout)
    except TimeoutError:
        raise QueryTimeout(f"the query ran longer than {timeout:g} s") from None
