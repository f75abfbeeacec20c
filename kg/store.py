"""Where the graph lives: an embedded Oxigraph store on disk (or in memory).

Every write is atomic: each increment of a build (`kg.increment`) computes the
quads of the nodes it touches and applies only the difference in one
transaction, so a killed build leaves the graph of its last finished
increment, and rebuilding the same articles writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar, Protocol

import httpx
import pyoxigraph as ox

from kg.errors import BadQuery, NotFound, StoreUnavailable
from kg.sparql_lexer import has_keyword

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Store(Protocol):
    """What the build, the exports and the app need of a store."""

    @property
    def version(self) -> int | None:
        """Counts this process's writes, so results computed from the store can be kept until it changes;
        None when other processes may write too (a remote store), so nothing may be kept."""
        ...

    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; without `default_graph` the default graph is the canonical graph.

        `base_iri` resolves the query's relative IRIs (without it they are an error).
        """
        ...

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL update atomically (`base_iri` as for `query`)."""
        ...

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        """All quads of one named graph."""
        ...

    def quads_about(self, subjects: Iterable[str], graph: str | None = None) -> Iterator[ox.Quad]:
        """The quads whose subject is one of `subjects` (IRIs), in `graph` or in any named graph."""
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


def default_graph_of(sparql: str, default_graph: list[str] | None, canonical: str) -> list[str] | None:
    """The default graph to ask for: the request's, else none when the query has FROM, else the canonical graph."""
    if default_graph is None and has_keyword(sparql, "FROM"):
        return None
    return default_graph if default_graph is not None else [canonical]


def _node(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise BadQuery(f"graph {iri!r} is not an absolute IRI: {exc}") from exc


def _nodes(iris: list[str] | None) -> list[ox.NamedNode] | None:
    return [_node(i) for i in iris] if iris is not None else None


IN_USE = (
    "another process, such as `kg serve`, has it open: an embedded store has one user at a time;"
    " to build while serving, keep the graph in a SPARQL store (README: Remote stores)"
)
"""Why an embedded store that is locked cannot be opened, and what to do instead."""


def _data_block(quads: Iterable[ox.Quad]) -> str:
    return " ".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)


class OxigraphStore:
    """The embedded store: `path` is a directory on disk, or None for memory.

    `read_only` opens a snapshot of the store on disk without its lock, as it is at opening, so a process that
    only reads works while another (such as `kg serve`) holds the store; writes to it raise `BadQuery`.
    """

    def __init__(self, path: Path | None, default_graph: str, read_only: bool = False) -> None:
        self.path = path
        self.default_graph = default_graph
        self._writes = 0
        if read_only and not (path is not None and (path / "CURRENT").is_file()):
            raise NotFound(f"no store at {path}: build one with `kg build ARTICLES --store {path}`")
        try:
            self._store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path) if path else None)
        except OSError as exc:
            hint = f" ({IN_USE})" if "lock" in str(exc).lower() else ""
            raise StoreUnavailable(f"cannot open store at {path}: {exc}{hint}") from exc

    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query (see `Store.query`)."""
        try:
            return self._store.query(
                sparql,
                default_graph=_nodes(default_graph_of(sparql, default_graph, self.default_graph)),
                named_graphs=_nodes(named_graphs),
                base_iri=base_iri,
            )
        except SyntaxError as exc:
            raise BadQuery(str(exc)) from exc

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL update atomically (see `Store.update`)."""
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise BadQuery(str(exc)) from exc
        except RuntimeError as exc:  # e.g. CREATE GRAPH of a graph that exists
            raise BadQuery(f"the update cannot be applied: {exc}") from exc
        except OSError as exc:  # e.g. LOAD of an unreachable document
            raise StoreUnavailable(f"the update could not be applied: {exc}") from exc
        finally:
            self._writes += 1

    @property
    def version(self) -> int:
        """Writes so far (see `Store.version`): the store's lock keeps other processes out, so all are counted."""
        return self._writes

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        """All quads of one named graph."""
        return self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def quads_about(self, subjects: Iterable[str], graph: str | None = None) -> Iterator[ox.Quad]:
        """The quads whose subject is one of `subjects`, in `graph` or in any named graph."""
        name = ox.NamedNode(graph) if graph is not None else None
        for subject in subjects:
            for quad in self._store.quads_for_pattern(ox.NamedNode(subject), None, None, name):
                if isinstance(quad.graph_name, ox.NamedNode):
                    yield quad

    def apply(self, remove: Iterable[ox.Quad], add: Iterable[ox.Quad]) -> None:
        """Remove then add quads in one transaction (a plain atomic insert when nothing is removed)."""
        remove, add = list(remove), list(add)
        try:
            if not remove:
                self._store.extend(add)
            else:
                self._store.update(f"DELETE DATA {{ {_data_block(remove)} }} ; INSERT DATA {{ {_data_block(add)} }}")
        finally:
            self._writes += 1

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

    def snapshot(self, target: Path) -> None:
        """Write the store as it is now to the new directory `target` (hard links where it can), for read-only opens.

        Raises:
            StoreUnavailable: The store is in memory, or the snapshot cannot be written.
        """
        try:
            self._store.backup(str(target))
        except (OSError, ValueError) as exc:
            raise StoreUnavailable(f"cannot snapshot the store at {self.path}: {exc}") from exc


SUBJECTS_PER_QUERY = 200
"""Subjects a remote store is asked about in one query (keeps requests well under servers' size limits)."""


class RemoteStore:
    """Any SPARQL 1.1 store over HTTP: SPARQL Query and Update, and the Graph Store Protocol.

    `endpoints` maps ``query``, ``update`` and ``gsp`` to URLs; `from_url`
    derives them from a ``sparql+http://`` location. Writes go as one SPARQL
    Update request (atomic in Oxigraph, Fuseki, GraphDB and Virtuoso).
    """

    DEFAULT_PATHS: ClassVar[dict[str, str]] = {"query": "query", "update": "update", "gsp": "store"}

    def __init__(self, endpoints: dict[str, str], default_graph: str, timeout: float = 60.0) -> None:
        self.endpoints = endpoints
        self.default_graph = default_graph
        self._http = httpx.Client(timeout=timeout)

    @property
    def version(self) -> None:
        """None (see `Store.version`): other clients of the server may write at any time."""
        return None

    @classmethod
    def from_url(cls, location: str, default_graph: str) -> RemoteStore:
        """Endpoints from ``sparql+http://HOST:PORT/BASE?query=PATH&update=PATH&gsp=PATH``.

        Paths default to Oxigraph's (``query``, ``update``, ``store``) and are
        relative to BASE; see the README for Fuseki, GraphDB and Virtuoso.
        """
        url = httpx.URL(location.removeprefix("sparql+"))
        base = str(url.copy_with(query=None)).rstrip("/") + "/"
        params = dict(url.params)
        paths = {k: params.get(k, v).strip("/") for k, v in cls.DEFAULT_PATHS.items()}
        return cls({k: (base + path).rstrip("/") for k, path in paths.items()}, default_graph)

    def _post(self, endpoint: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.post(self.endpoints[endpoint], **kwargs)
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"{self.endpoints[endpoint]}: {exc}") from exc
        if response.status_code == 400:
            raise BadQuery(response.text)
        if response.is_error:
            raise StoreUnavailable(f"{self.endpoints[endpoint]} answered {response.status_code}: {response.text}")
        return response

    def query(
        self,
        sparql: str,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query remotely; results come back as pyoxigraph objects.

        As with the embedded store, the default graph is the canonical graph and
        every named graph stays reachable with ``GRAPH`` (listed for the server
        only when the query uses ``GRAPH``, to keep requests small).
        """
        data: dict[str, Any] = {"query": _with_base(sparql, base_iri)}
        if (graphs := default_graph_of(sparql, default_graph, self.default_graph)) is not None:
            data["default-graph-uri"] = graphs or [NO_GRAPH]
            if named_graphs is None and "graph" in sparql.casefold():
                named_graphs = self.graphs()
        if named_graphs is not None:
            data["named-graph-uri"] = named_graphs or [NO_GRAPH]
        return self._query(data)

    def _query(self, data: dict[str, Any]) -> QueryResult:
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        response = self._post("query", data=data, headers={"Accept": accept})
        if response.headers.get("content-type", "").startswith("application/n-triples"):
            return _as_query_triples(response.content)
        return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL update remotely."""
        self._post(
            "update",
            content=_with_base(sparql, base_iri).encode(),
            headers={"Content-Type": "application/sparql-update"},
        )

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        """A named graph's quads, read with the Graph Store Protocol."""
        try:
            response = self._http.get(
                self.endpoints["gsp"], params={"graph": graph}, headers={"Accept": "application/n-triples"}
            )
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"{self.endpoints['gsp']}: {exc}") from exc
        if response.status_code == 404:
            return iter(())
        response.raise_for_status()
        name = ox.NamedNode(graph)
        return (
            ox.Quad(t.subject, t.predicate, t.object, name)
            for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)
        )

    def quads_about(self, subjects: Iterable[str], graph: str | None = None) -> Iterator[ox.Quad]:
        """The quads whose subject is one of `subjects`, asked for `SUBJECTS_PER_QUERY` subjects at a time."""
        subjects = list(subjects)
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }} BIND(<{graph}> AS ?g)" if graph else "GRAPH ?g { ?s ?p ?o }"
        for start in range(0, len(subjects), SUBJECTS_PER_QUERY):
            values = " ".join(str(ox.NamedNode(s)) for s in subjects[start : start + SUBJECTS_PER_QUERY])
            rows = self._query({"query": f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} {where} }}"})
            yield from (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)

    def apply(self, remove: Iterable[ox.Quad], add: Iterable[ox.Quad]) -> None:
        """Remove then add quads in one SPARQL Update request (an empty part left out: Virtuoso refuses it)."""
        remove, add = list(remove), list(add)
        parts = [f"DELETE DATA {{ {_data_block(remove)} }}"] if remove else []
        parts += [f"INSERT DATA {{ {_data_block(add)} }}"] if add else []
        if parts:
            self.update(" ; ".join(parts))

    def graphs(self) -> list[str]:
        """IRIs of the named graphs."""
        result = self._query({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
        return sorted(row["g"].value for row in result)

    def count(self) -> int:
        """Number of quads in all named graphs."""
        result = self._query({"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
        return int(next(iter(result))["n"].value)

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """The dataset serialised (triple formats get the canonical graph)."""
        if not fmt.supports_datasets:
            return ox.serialize((q.triple for q in self.graph_quads(self.default_graph)), format=fmt)
        return ox.serialize((q for g in self.graphs() for q in self.graph_quads(g)), format=fmt)


NO_GRAPH = "urn:x-kg:no-graph"
"""A graph no store holds, sent for an empty list of graphs (a protocol request cannot send an empty list)."""


def _with_base(sparql: str, base_iri: str | None) -> str:
    return f"BASE <{base_iri}> {sparql}" if base_iri else sparql


def _as_query_triples(ntriples: bytes) -> ox.QueryTriples:
    """CONSTRUCT/DESCRIBE results from N-Triples, as the same type the embedded store returns."""
    scratch = ox.Store()
    scratch.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")


def open_store(location: str, default_graph: str, read_only: bool = False) -> Store:
    """The store at `location`: ``sparql+http(s)://…`` for a remote store, else a directory (created if missing).

    Raises:
        NotFound: `read_only` and no embedded store is at `location`.
    """
    if location.startswith(("sparql+http://", "sparql+https://")):
        return RemoteStore.from_url(location, default_graph)
    path = Path(location)
    if read_only:
        return OxigraphStore(path, default_graph, read_only=True)
    path.mkdir(parents=True, exist_ok=True)
    return OxigraphStore(path, default_graph)
