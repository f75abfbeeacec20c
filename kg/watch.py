"""Keep a served graph current: build folders of articles when the server starts, and again when they change.

An embedded store has one user at a time, so `kg build` cannot write to the
store that `kg serve` has open; ``kg serve --watch FOLDER`` builds in the
server's own process instead, while queries go on being answered (each sees
the graph before or after a build). Changes are noticed with watchfiles
(inotify; set ``WATCHFILES_FORCE_POLLING=1`` where the file system sends no
notifications, as network mounts may not).

A changed file is read once it has stopped growing; one still growing after
`SETTLE_LIMIT` is left out of that build (the others are built) and read by
the build after its next change. A file's later version replaces its earlier
one in the graph (`kg.build.superseded`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from watchfiles import Change, watch

from kg.build import BuildReport, build
from kg.ingest import ARTICLE_SUFFIXES, SIDECARS
from kg.store import Store

log = logging.getLogger(__name__)

DEBOUNCE_MS = 1000
"""Changes closer together than this are built once (a copy of many files is one build)."""
SETTLE_SECONDS = 1.0
"""A changed file is read once its size has stayed the same this long (a download is not read half-way)."""
KEPT_REPORTS = 100
"""Build reports a long-running server keeps."""
SETTLE_LIMIT = 60.0
"""Longest wait for changed files to settle; those still growing then are left for a later build."""


def sizes(paths: Iterable[str]) -> dict[str, int]:
    """Each file's size (-1 once it is gone)."""
    return {p: os.stat(p).st_size if os.path.exists(p) else -1 for p in paths}


def settle(
    paths: Iterable[str], stop: threading.Event, quiet: float = SETTLE_SECONDS, limit: float = SETTLE_LIMIT
) -> set[str]:
    """Wait until no file of `paths` has changed size for `quiet` seconds, for `limit` seconds at most.

    Returns:
        The files still changing when the wait ended: empty once all settled.
    """
    files = list(paths)
    before, deadline = sizes(files), time.monotonic() + limit
    changing = set(files)
    while time.monotonic() < deadline and not stop.wait(quiet):
        after = sizes(files)
        changing = {p for p in files if after[p] != before[p]}
        if not changing:
            break
        before = after
    return changing


def is_input(change: Change, path: str) -> bool:
    """Whether a changed file is an article or a sidecar of article metadata."""
    return path.endswith(ARTICLE_SUFFIXES) or Path(path).name in SIDECARS


@dataclass
class Watcher:
    """Builds `paths` into `store` in a background thread, once at start and after each change."""

    paths: list[Path]
    store: Store
    reports: deque[BuildReport] = field(default_factory=lambda: deque(maxlen=KEPT_REPORTS))
    """The reports of the latest builds, oldest first."""
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        """Build now, then watch, in a daemon thread."""
        self._thread = threading.Thread(target=self._run, name="kg-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (a build under way finishes first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        self.build_once()
        for changes in watch(*self.paths, watch_filter=is_input, debounce=DEBOUNCE_MS, stop_event=self._stop):
            log.info("%d article file(s) changed", len(changes))
            growing = settle((path for _, path in changes), self._stop)
            self.build_once({Path(p) for p in growing})

    def build_once(self, growing: Collection[Path] = ()) -> None:
        """Build the watched paths but the files still `growing`, logging the outcome; a failed build is logged
        and the watch goes on."""
        try:
            report = build(self.paths, self.store, later=growing)
        except Exception:  # the server keeps serving the last graph; the next change tries again
            log.exception("build of %s failed", ", ".join(map(str, self.paths)))
            return
        for problem in report.problems:
            log.warning("%s: %s: %s", "skipped" if problem.skipped else "note", problem.source, problem.message)
        log.info("built %s: %s", ", ".join(map(str, self.paths)), report.summary())
        self.reports.append(report)
