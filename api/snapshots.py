"""What a query worker opens to see the store the server holds: a snapshot, renewed after each write.

The server holds an embedded store on disk with its lock, and RocksDB leaves
undefined what a read-only open sees while another process writes. So when a
query comes after a write (a watched build, an update), the server first
writes a snapshot of the store (`OxigraphStore.snapshot`: a RocksDB
checkpoint, hard links to the store's immutable files next to it, taken in
milliseconds), which the workers open read-only; a snapshot is removed once
a newer one exists and no query uses it. An in-memory store (tests) is
dumped as N-Quads, which workers load. A remote store is opened by its
endpoints: it is always current.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.store import OxigraphStore, RemoteStore, Store


@dataclass(frozen=True)
class Snapshot:
    """How a worker opens the store as it was at one version: `kind` is disk, nquads or remote."""

    kind: str
    location: str
    default_graph: str


def open_snapshot(snapshot: Snapshot) -> Store:
    """The store `snapshot` describes, opened for reading."""
    if snapshot.kind == "disk":
        return OxigraphStore(Path(snapshot.location), snapshot.default_graph, read_only=True)
    if snapshot.kind == "nquads":
        store = OxigraphStore(None, snapshot.default_graph)
        store.apply([], ox.parse(path=snapshot.location, format=ox.RdfFormat.N_QUADS))
        return store
    return RemoteStore(json.loads(snapshot.location), snapshot.default_graph)


class Snapshots:
    """Snapshots of `store` for the workers: the latest renewed when the store has changed, older ones removed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._latest: tuple[int | None, Snapshot] | None = None
        self._users: Counter[Snapshot] = Counter()
        self._folder: tempfile.TemporaryDirectory | None = None
        self._made = 0

    def acquire(self) -> Snapshot:
        """The snapshot of the store as it is now, kept until `release`."""
        with self._lock:
            version = self.store.version
            if self._stale(version):
                previous = self._latest
                self._latest = (version, self._make())
                if previous is not None and not self._users[previous[1]]:
                    _remove(previous[1])
            snapshot = self._latest[1]
            self._users[snapshot] += 1
            return snapshot

    def release(self, snapshot: Snapshot) -> None:
        """Done with `snapshot`: removed if it is not the latest and no other query uses it."""
        with self._lock:
            self._users[snapshot] -= 1
            if not self._users[snapshot]:
                del self._users[snapshot]
                if self._latest is None or snapshot != self._latest[1]:
                    _remove(snapshot)

    def close(self) -> None:
        """Remove every snapshot (the next `acquire` starts afresh)."""
        with self._lock:
            if self._folder is not None:
                self._folder.cleanup()
            self._folder = None
            self._latest = None

    def _stale(self, version: int | None) -> bool:
        """Whether the store may have changed since the latest snapshot (a remote store is always current)."""
        if self._latest is None:
            return True
        return version != self._latest[0] or (version is None and not isinstance(self.store, RemoteStore))

    def _make(self) -> Snapshot:
        store, graph = self.store, getattr(self.store, "default_graph", "")
        if isinstance(store, RemoteStore):
            return Snapshot("remote", json.dumps(store.endpoints), graph)
        if not isinstance(store, OxigraphStore):
            raise TypeError(f"no snapshot of a {type(store).__name__} for query workers")
        self._made += 1
        target = self._root(store.path) / f"{self._made}"
        if store.path is None:
            target.write_bytes(store.dump(ox.RdfFormat.N_QUADS))
            return Snapshot("nquads", str(target), graph)
        store.snapshot(target)
        return Snapshot("disk", str(target), graph)

    def _root(self, near: Path | None) -> Path:
        """The folder of snapshots: beside the store on disk (so hard links work), else a temporary folder."""
        if self._folder is None:
            parent = near.resolve().parent if near is not None else None
            self._folder = tempfile.TemporaryDirectory(prefix=".kg-snapshots-", dir=parent)
        return Path(self._folder.name)


def _remove(snapshot: Snapshot) -> None:
    if snapshot.kind == "disk":
        shutil.rmtree(snapshot.location, ignore_errors=True)
    elif snapshot.kind == "nquads":
        Path(snapshot.location).unlink(missing_ok=True)
