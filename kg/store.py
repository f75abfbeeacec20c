"""Where the graph lives: an embedded Oxigraph store on disk (or in memory).

Every write is atomic: a build computes the quads its graphs should hold and
applies only the difference in one transaction, so a killed build leaves the
last complete graph, and rebuilding the same articles writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg.errors import BadQuery, StoreUnavailable

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Store(Protocol):
    """What the build, the exports and the app need of a store."""

    def query(
        self, sparql: str, *, default_graph: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> QueryResult:
        """Run a SPARQL query; without `default_graph` the default graph is the canonical graph."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL update atomically."""
        ...

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        """All quads of one named graph."""
        ...

    def apply(self, remove: Iterable[ox.Quad], add: Iterable[ox.Quad]) -> None:
        """Remove then add quads, in one transaction."""
        ...

    def graphs(self) -> list[str]:
        """IRIs of the named graphs."""
        ...

    def count(self) -> int:
        """Number of quads in all graphs."""
        ...

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """The whole dataset (or default graph, for triple formats) serialised."""
        ...


def _nodes(iris: list[str] | None) -> list[ox.NamedNode] | None:
    return [ox.NamedNode(i) for i in iris] if iris is not None else None


def _data_block(quads: Iterable[ox.Quad]) -> str:
    return " ".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)


class OxigraphStore:
    """The embedded store: `path` is a directory on disk, or None for memory."""

    def __init__(self, path: Path | None, default_graph: str) -> None:
        self.path = path
        self.default_graph = default_graph
        try:
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:
            raise StoreUnavailable(f"cannot open store at {path}: {exc}") from exc

    def query(
        self, sparql: str, *, default_graph: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> QueryResult:
        """Run a SPARQL query (see `Store.query`)."""
        try:
            return self._store.query(
                sparql,
                default_graph=_nodes(default_graph or [self.default_graph]),
                named_graphs=_nodes(named_graphs),
            )
        except SyntaxError as exc:
            raise BadQuery(str(exc)) from exc

    def update(self, sparql: str) -> None:
        """Run a SPARQL update atomically."""
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise BadQuery(str(exc)) from exc

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        """All quads of one named graph."""
        return self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def apply(self, remove: Iterable[ox.Quad], add: Iterable[ox.Quad]) -> None:
        """Remove then add quads in one transaction (a plain atomic insert when nothing is removed)."""
        remove, add = list(remove), list(add)
        if not remove:
            self._store.extend(add)
            return
        self._store.update(f"DELETE DATA {{ {_data_block(remove)} }} ; INSERT DATA {{ {_data_block(add)} }}")

    def graphs(self) -> list[str]:
        """IRIs of the named graphs."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self) -> int:
        """Number of quads in all graphs."""
        return len(self._store)

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """The dataset serialised (triple formats get the canonical graph)."""
        if fmt.supports_datasets:
            return self._store.dump(format=fmt)
        return self._store.dump(format=fmt, from_graph=ox.NamedNode(self.default_graph))

    def flush(self) -> None:
        """Make sure everything written is on disk."""
        self._store.flush()


def open_store(location: str, default_graph: str) -> Store:
    """The store at `location`: a directory path (created if missing) for the embedded store."""
    path = Path(location)
    path.mkdir(parents=True, exist_ok=True)
    return OxigraphStore(path, default_graph)
