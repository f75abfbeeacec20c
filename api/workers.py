"""SPARQL queries run in worker processes, so that each can be stopped and none can take the server down.

A `QueryPool` keeps up to `query_workers` long-lived processes, forked from
a fork server that has imported this module (a new worker starts in
milliseconds). Each answers one query at a time: it opens the store's
current `api.snapshots.Snapshot`, parses, evaluates and serialises the query
(`api.results.serialize`) and sends back the bytes. A worker whose query
runs past the deadline is killed (SIGKILL: the engine has no cancellation
pyoxigraph exposes, and a sort or a cross join feeding an aggregate yields
nothing until it is done), and one whose query needs more than
`query_memory` megabytes (``resource.setrlimit(RLIMIT_AS)`` in the worker)
or crashes the engine dies; the client gets 503 and the next query gets a
new worker. At most `query_queue` queries wait for a free worker, further
ones get 503 with ``Retry-After``.

Like every program using `multiprocessing`, a script serving the app must
guard its entry point with ``if __name__ == "__main__":`` (workers import
the main module; ``kg serve`` and ``python -m api`` are guarded).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import threading
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from api.formats import Formats
from api.results import serialize
from api.snapshots import Snapshot, Snapshots, open_snapshot
from kg import errors, vocab
from kg.config import Settings
from kg.errors import KGError, QueryAborted, QueryTimeout, ServerBusy, StoreUnavailable
from kg.store import Store

CONTEXT = multiprocessing.get_context("forkserver")
CONTEXT.set_forkserver_preload([__name__])
GRACE = 0.2
"""Seconds a worker gets past the deadline to answer (it stops by itself while serialising) before it is killed."""
HIDDEN_GRAPHS = frozenset(vocab.INTERNAL_GRAPHS)
"""Named graphs of the store that are internal: never part of a query's dataset."""
DEATHS = {
    signal.SIGABRT: "it needed more memory than the query_memory setting allows",
    signal.SIGSEGV: "it crashed the query engine (too deeply nested or too long)",
    signal.SIGKILL: "its worker was killed (out of memory?)",
}


@dataclass(frozen=True)
class Job:
    """A query for a worker, with its dataset (`named_graphs` None: every named graph but the hidden ones)."""

    query: str
    default_graphs: list[str]
    named_graphs: list[str] | None
    base_iri: str | None
    results_type: str
    graph_type: str
    cap: int
    timeout: float
    snapshot: Snapshot | None = None


@dataclass(frozen=True)
class Answer:
    """A serialised result."""

    body: bytes
    media_type: str
    truncated: bool


class _Opened:
    """The store a worker has open, with its visible named graphs (listed once per snapshot, when needed)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.store: Store = open_snapshot(snapshot)
        self._visible: list[str] | None = None

    def visible_graphs(self) -> list[str]:
        """The named graphs a query may read (a remote store's are listed again each time: others write it)."""
        if self._visible is None or self.snapshot.kind == "remote":
            self._visible = [g for g in self.store.graphs() if g not in HIDDEN_GRAPHS]
        return self._visible


def answer(job: Job, opened: _Opened) -> Answer:
    """Run `job` on the store `opened` and serialise its result."""
    deadline = time.monotonic() + job.timeout
    named = job.named_graphs if job.named_graphs is not None else opened.visible_graphs()
    result = opened.store.query(job.query, default_graph=job.default_graphs, named_graphs=named, base_iri=job.base_iri)
    formats = Formats(
        ox.QueryResultsFormat.from_media_type(job.results_type), ox.RdfFormat.from_media_type(job.graph_type)
    )
    body, fmt, truncated = serialize(result, formats, job.cap, deadline)
    return Answer(body, fmt.media_type, truncated)


def limit_memory(megabytes: int) -> None:
    """Let this process grow by at most `megabytes` of address space beyond what it holds now."""
    size = os.sysconf("SC_PAGE_SIZE") * int(Path("/proc/self/statm").read_text().split()[0])
    limit = size + megabytes * 2**20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:  # a process may lower its limits, never raise them
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def work(conn: Connection, megabytes: int) -> None:
    """A worker's life: answer jobs from `conn` until the server goes away or memory runs out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on `kg serve` stops the server, which stops us
    limit_memory(megabytes)
    opened: _Opened | None = None
    while True:
        try:
            job: Job = conn.recv()
        except EOFError:
            return
        try:
            if opened is None or opened.snapshot != job.snapshot:
                opened = None
                opened = _Opened(job.snapshot)
            reply: Answer | tuple[str, str] = answer(job, opened)
        except MemoryError:
            conn.send(("QueryAborted", f"the query was stopped: {DEATHS[signal.SIGABRT]}"))
            return
        except KGError as exc:
            reply = (type(exc).__name__, str(exc))
        except OSError as exc:
            reply = ("StoreUnavailable", f"the store could not be read: {exc}")
        conn.send(reply)


class Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, megabytes: int) -> None:
        self.conn, child = CONTEXT.Pipe()
        self.process = CONTEXT.Process(target=work, args=(child, megabytes), name="kg-query-worker", daemon=True)
        self.process.start()
        child.close()

    def ask(self, job: Job) -> Answer:
        """The answer to `job`; the worker is killed if it has not answered within the job's timeout.

        Raises:
            QueryTimeout: The deadline passed.
            QueryAborted: The worker died (memory, engine crash).
        """
        try:
            self.conn.send(job)
            ready = self.conn.poll(job.timeout + GRACE)
            if not ready:
                self.kill()
                raise QueryTimeout("the query ran longer than the time limit (query_timeout) and was stopped")
            reply = self.conn.recv()
        except (EOFError, OSError):
            raise QueryAborted(f"the query was stopped: {self._death()}") from None
        if isinstance(reply, Answer):
            return reply
        name, detail = reply
        error = getattr(errors, name, KGError)
        raise error(detail)

    def alive(self) -> bool:
        """Whether the worker can take a job."""
        return not self.conn.closed and self.process.exitcode is None

    def kill(self) -> None:
        """Stop the worker now, whatever it is doing."""
        self.process.kill()
        self.process.join(5)
        self.conn.close()
        self.process.close()

    def _death(self) -> str:
        self.process.join(5)
        self.conn.close()
        code = self.process.exitcode
        self.process.close()
        return DEATHS.get(-code if code else 0, f"its worker ended with code {code}")


class QueryPool:
    """Up to `settings.query_workers` workers for the queries on `store`, started when needed."""

    def __init__(self, store: Store, settings: Settings) -> None:
        multiprocessing.forkserver.ensure_running()  # the fork server imports this module meanwhile
        self.snapshots = Snapshots(store)
        self.size = max(1, settings.query_workers)
        self.queue = max(0, settings.query_queue)
        self.megabytes = settings.query_memory
        self._idle: list[Worker] = []
        self._count = 0
        self._waiting = 0
        self._starting = 0
        self._changed = threading.Condition()

    def run(self, job: Job) -> Answer:
        """The answer to `job` from a free worker (blocks; call it from a thread).

        A query waits at most its timeout for a free worker, then runs at most its timeout.

        Raises:
            ServerBusy: No worker became free in time, or too many queries wait already.
            QueryTimeout: The query ran past its deadline (its worker is killed).
            QueryAborted: The query's worker died.
        """
        worker = self._acquire(time.monotonic() + job.timeout)
        snapshot = None
        try:
            snapshot = self.snapshots.acquire()
            return worker.ask(replace(job, snapshot=snapshot))
        finally:
            if snapshot is not None:
                self.snapshots.release(snapshot)
            self._release(worker)

    def start(self) -> None:
        """Start every worker now, in the background (otherwise each starts with the first query needing it)."""

        def spawn() -> None:
            with self._changed:
                missing = self.size - self._count
                self._count += missing
                self._starting += missing
            for _ in range(missing):
                try:
                    worker = self._spawn()
                finally:
                    with self._changed:
                        self._starting -= 1
                self._release(worker)

        threading.Thread(target=spawn, name="kg-query-workers", daemon=True).start()

    def close(self) -> None:
        """Stop the idle workers and remove the snapshots (busy workers end with their server); the pool can be used
        again, with new workers."""
        with self._changed:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            worker.kill()
        self.snapshots.close()

    def _acquire(self, deadline: float) -> Worker:
        with self._changed:
            if not self._idle and self._count >= self.size and self._waiting >= self.queue:
                raise ServerBusy(f"all {self.size} query workers are busy and {self._waiting} queries wait already")
            self._waiting += 1
            try:
                while not self._idle and self._count >= self.size:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 and not self._starting:  # workers that are starting are waited for
                        raise ServerBusy("no query worker became free within the time limit (query_timeout)")
                    self._changed.wait(max(remaining, 0.05))
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        return worker
                    worker.kill()
                    self._count -= 1
                self._count += 1
            finally:
                self._waiting -= 1
        return self._spawn()

    def _spawn(self) -> Worker:
        """A new worker, in a place already counted (given back if it cannot start)."""
        try:
            return Worker(self.megabytes)
        except OSError as exc:
            self._release(None)
            raise StoreUnavailable(f"no query worker could be started: {exc}") from exc

    def _release(self, worker: Worker | None) -> None:
        """Give `worker` back, or its place if it is gone (None, killed or dead)."""
        with self._changed:
            if worker is None or worker.conn.closed:
                self._count -= 1
            else:
                self._idle.append(worker)
            self._changed.notify()
