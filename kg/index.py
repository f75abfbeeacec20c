"""The build's index: what an incremental merge reads to find what new articles touch, kept in the store.

Entries are JSON values under string keys (``grp/KEY``, ``blk/KEY``, ...; `kg.increment` says what
each holds), one quad each in the graph `vocab.INDEX_GRAPH`, so they change in the same transaction
as the graph they describe. Entries are read on first use and kept until the increment is written;
`changes` gives the quads that turn the stored entries into the current ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kg import vocab
from kg.store import Store

PREFIX = "urn:newskg:index:"
ENTRY = ox.NamedNode(vocab.KG + "indexEntry")
GRAPH = ox.NamedNode(vocab.INDEX_GRAPH)


_SAFE = re.compile(r"[\w:./-]*", re.ASCII)


def _iri(key: str) -> str:
    return PREFIX + (key if _SAFE.fullmatch(key) else quote(key, safe=""))


class Index:
    """A key-value view of the store's index graph for one increment."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._stored: dict[str, str | None] = {}
        self._current: dict[str, Any] = {}
        self._old: dict[str, Any] = {}

    def load(self, keys: Iterable[str]) -> None:
        """Read the entries of `keys` not read yet (one request for all)."""
        missing = [k for k in dict.fromkeys(keys) if k not in self._stored]
        if not missing:
            return
        for key in missing:
            self._stored[key] = None
        for quad in self._store.quads_about(map(_iri, missing), vocab.INDEX_GRAPH):
            key = unquote(quad.subject.value.removeprefix(PREFIX))  # a safe key is its own unquoted form
            self._stored[key] = quad.object.value
        for key in missing:
            text = self._stored[key]
            self._current[key] = json.loads(text) if text is not None else None

    def get(self, key: str, default: Any = None) -> Any:
        """The entry's current value (`default` when there is none)."""
        self.load([key])
        value = self._current[key]
        return default if value is None else value

    def old(self, key: str, default: Any = None) -> Any:
        """The entry's value as stored before this increment."""
        if key not in self._old:
            self.load([key])
            text = self._stored[key]
            self._old[key] = json.loads(text) if text is not None else None
        value = self._old[key]
        return default if value is None else value

    def put(self, key: str, value: Any) -> None:
        """Set the entry (None or an empty value removes it); later changes to `value` are kept too."""
        self.load([key])
        self._current[key] = value

    def changes(self) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """The quads to remove and to add to store the current entries."""
        remove, add = [], []
        for key, text in self._stored.items():
            value = self._current[key]
            new = json.dumps(value, separators=(",", ":"), sort_keys=True) if value else None
            if new == text:
                continue
            subject = ox.NamedNode(_iri(key))
            if text is not None:
                remove.append(ox.Quad(subject, ENTRY, ox.Literal(text), GRAPH))
            if new is not None:
                add.append(ox.Quad(subject, ENTRY, ox.Literal(new), GRAPH))
        return remove, add
