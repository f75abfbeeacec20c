"""Relationship views: networkx graphs of actors (and events) made by SPARQL over the canonical graph.

Node keys are the ids that ``/entities/{id}`` and ``/events/{id}`` use (the
last IRI segment). Every node has ``label``, ``type`` (Person, State... or an
event type), ``kind`` (``actor`` or ``event``) and ``wikidata`` when known;
actors also have ``articles`` (how many mention them) and ``roles`` (titles,
"foreign minister of China").

Views (`VIEWS`):

- ``interactions``: actors linked when they take part in the same Visit,
  Meeting, PhoneCall, VideoCall or Summit that *happened* or is *planned*
  (speculative and negated events are not interactions; the place of an
  event is not a participant). Edges: ``weight`` (events), ``events``,
  ``dates``, ``types`` and ``statuses`` (which of happened and planned its
  events are).
- ``co-mention``: actors mentioned in the same article. Edges: ``weight``
  (articles), ``articles`` (file names), ``dates``.
- ``statements`` (directed): speaker -> each actor a statement is about.
  Edges: ``weight`` (statements), ``statements``, ``dates``. Every speaker is a node.
- ``actor-event`` (bipartite): actors and the events of any type and status
  they take part in or that take place there. Event nodes have ``kind="event"``,
  ``status`` and ``date``; edges have ``roles`` (participant, visitor, host..., place).

`status` keeps the events of one status in the views that have them
(`STATUS_VIEWS`). `since`/`until` keep what is dated within the window, each date compared at
its own precision (`kg.queries.date_filter`): events by start/end, statements
by date, articles by publication date (or the date or interval inferred for
undated ones; edge ``dates`` give an interval's start). Undated items are left
out when a window is given.
"""

from __future__ import annotations

import io
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable
from itertools import combinations
from string import Template
from typing import Any

import networkx as nx

from kg import vocab
from kg.errors import BadQuery, NotFound
from kg.model import STATUSES
from kg.queries import SEP, date_filter, literal, rows
from kg.store import Store

VIEWS: tuple[str, ...] = ("interactions", "co-mention", "statements", "actor-event")
DESCRIPTIONS: dict[str, str] = {
    "interactions": "Actors linked by the visits, meetings, calls and summits that happened or are planned.",
    "co-mention": "Actors linked by the articles that mention both.",
    "statements": "Who speaks about whom: speaker -> each actor a statement is about (directed).",
    "actor-event": "Actors and the events they take part in or that take place there (bipartite).",
}
INTERACTION_TYPES = ("Visit", "Meeting", "PhoneCall", "VideoCall", "Summit")
INTERACTION_STATUSES = ("happened", "planned")
STATUS_VIEWS = ("interactions", "actor-event")
"""Views whose events have a status, and so can be restricted to one."""
EXPORT_FORMATS = ("json", "graphml", "gexf")
BETWEENNESS_BUDGET = 1_000_000
"""Betweenness costs about (sources) x (nodes + edges); above this budget it is estimated from sampled sources."""
MIN_BETWEENNESS_SAMPLES = 8
SEED = 0
ACTORS = """
SELECT ?s ?name ?type ?wikidata (COUNT(DISTINCT ?article) AS ?articles)
       (GROUP_CONCAT(DISTINCT ?role; separator="\\u001f") AS ?roles) WHERE {
  ?s a kg:Actor, ?type ; rdfs:label ?name .
  FILTER(?type != kg:Actor)
  OPTIONAL { ?s owl:sameAs ?wd . FILTER(STRSTARTS(STR(?wd), STR(wd:))) BIND(STRAFTER(STR(?wd), STR(wd:)) AS ?wikidata) }
  OPTIONAL { ?s kg:mentionedIn ?article }
  OPTIONAL {
    ?r a kg:Role ; kg:person ?s ; kg:title ?title .
    OPTIONAL { ?r kg:of/rdfs:label ?of }
    BIND(IF(BOUND(?of), CONCAT(?title, " of ", ?of), ?title) AS ?role)
  }
} GROUP BY ?s ?name ?type ?wikidata"""

EVENT_LINKS = Template("""
SELECT ?e ?type ?status ?date ?end ?p (GROUP_CONCAT(DISTINCT ?roleName; separator=" ") AS ?roles) WHERE {
  ?e a kg:Event, ?type ; kg:status ?status ; $links ?p .
  FILTER(?type != kg:Event)
  $restrict
  OPTIONAL { ?e kg:startDate ?date }
  OPTIONAL { ?e kg:endDate ?end }
  OPTIONAL {
    VALUES ?role { kg:participant kg:visitor kg:host kg:inviter kg:broker kg:issuer kg:subject kg:place }
    ?e ?role ?p . BIND(STRAFTER(STR(?role), "#") AS ?roleName)
  }
  $filter
} GROUP BY ?e ?type ?status ?date ?end ?p""")

MENTIONS = Template("""
SELECT ?a ?article ?file ?date WHERE {
  ?a a kg:Actor ; kg:mentionedIn ?article .
  ?article kg:fileName ?file .
  OPTIONAL { ?article schema:datePublished ?published }
  OPTIONAL { ?article kg:inferredDate ?inferred }
  BIND(COALESCE(STR(?published), ?inferred) AS ?when)
  BIND(IF(CONTAINS(?when, "/"), STRBEFORE(?when, "/"), ?when) AS ?date)
  BIND(IF(CONTAINS(?when, "/"), STRAFTER(?when, "/"), ?when) AS ?end)
  $filter
}""")

STATEMENTS = Template("""
SELECT ?s ?speaker ?about ?date WHERE {
  ?s a kg:Statement ; kg:speaker ?speaker .
  OPTIONAL { ?s kg:about ?about }
  OPTIONAL { ?s kg:date ?date }
  $filter
}""")


def build_view(
    store: Store, name: str, since: str | None = None, until: str | None = None, status: str | None = None
) -> nx.Graph:
    """The view `name` of the store's canonical graph, restricted to the window [since, until].

    Args:
        store: The graph's store.
        name: One of `VIEWS`.
        since: Earliest ISO date (day, month or year precision), or None.
        until: Latest ISO date, or None.
        status: Only events of this status (views of `STATUS_VIEWS`; the others have no status), or None.

    Returns:
        A `nx.Graph` (a `nx.DiGraph` for ``statements``) whose ``graph`` attributes name the view and filters.

    Raises:
        NotFound: `name` is not a view.
        BadQuery: A date is not ISO, or `status` is not a status.
    """
    if name not in BUILDERS:
        raise NotFound(f"no view {name!r}; use one of {', '.join(VIEWS)}")
    if status is not None and status not in STATUSES:
        raise BadQuery(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    status = status if name in STATUS_VIEWS else None
    graph = BUILDERS[name](store, since, until, **({"status": status} if status else {}))
    filters = {"view": name, "since": since, "until": until, "status": status}
    graph.graph.update({k: v for k, v in filters.items() if v is not None})
    return graph


def _actors(store: Store) -> dict[str, dict[str, Any]]:
    """Node attributes of every actor, by id."""
    actors = {}
    for r in rows(store, ACTORS):
        attrs = {"label": r["name"], "type": vocab.local_name(r["type"]), "kind": "actor"}
        attrs |= {"wikidata": r["wikidata"]} if "wikidata" in r else {}
        attrs |= {"articles": int(r["articles"]), "roles": sorted(filter(None, r.get("roles", "").split(SEP)))}
        actors[vocab.id_of(r["s"])] = attrs
    return actors


def _add_actors(graph: nx.Graph, store: Store, ids: Iterable[str]) -> None:
    """Add the actors `ids` as nodes, with their attributes."""
    actors = _actors(store)
    graph.add_nodes_from((i, actors.get(i, {"label": i, "kind": "actor"})) for i in sorted(set(ids)))


def _link(
    edges: dict[tuple[str, str], dict[str, Any]],
    pair: tuple[str, str],
    item: str,
    date: str | None,
    kind: str = "",
    status: str = "",
) -> None:
    """Count one more item (event, article or statement id) on the edge `pair`, with its date, event type and
    status."""
    edge = edges.setdefault(pair, {"weight": 0, "items": [], "dates": set(), "types": set(), "statuses": set()})
    edge["weight"] += 1
    edge["items"].append(item)
    edge["dates"].update([date] if date else [])
    edge["types"].update([kind] if kind else [])
    edge["statuses"].update([status] if status else [])


def _add_edges(graph: nx.Graph, edges: dict[tuple[str, str], dict[str, Any]], items: str) -> nx.Graph:
    """Add `edges` to `graph` with sorted lists, naming the item list `items`; returns `graph`."""
    for (a, b), edge in sorted(edges.items()):
        attrs = {"weight": edge["weight"], items: sorted(edge["items"]), "dates": sorted(edge["dates"])}
        attrs |= {k: sorted(edge[k]) for k in ("types", "statuses") if edge[k]}
        graph.add_edge(a, b, **attrs)
    return graph


def _event_rows(store: Store, links: str, restrict: str, since: str | None, until: str | None) -> list[dict]:
    """(event, actor) rows: the event's type, status, dates and the actor's roles in it."""
    where = date_filter(since, until, end="COALESCE(?end, ?date)")
    return rows(store, EVENT_LINKS.substitute(links=links, restrict=restrict, filter=where))


def _statuses(statuses: Iterable[str]) -> str:
    """A VALUES block restricting ``?status``."""
    return f"VALUES ?status {{ {' '.join(literal(s) for s in statuses)} }}"


def interactions(
    store: Store, since: str | None = None, until: str | None = None, status: str | None = None
) -> nx.Graph:
    """Actors linked by the interaction events that happened, or are planned, between them (or of `status`
    only: none for speculative or negated, which are not interactions)."""
    wanted = [s for s in INTERACTION_STATUSES if status in (None, s)]
    restrict = f"VALUES ?type {{ {' '.join(f'kg:{t}' for t in INTERACTION_TYPES)} }} " + (
        _statuses(wanted) if wanted else "FILTER(false)"
    )
    by_event: dict[str, list[dict]] = {}
    for r in _event_rows(store, "kg:participant", restrict, since, until):
        by_event.setdefault(r["e"], []).append(r)
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for iri, found in by_event.items():
        for a, b in combinations(sorted({vocab.id_of(r["p"]) for r in found}), 2):
            first = found[0]
            _link(edges, (a, b), vocab.id_of(iri), first.get("date"), vocab.local_name(first["type"]), first["status"])
    graph = nx.Graph()
    _add_actors(graph, store, (vocab.id_of(r["p"]) for found in by_event.values() for r in found))
    return _add_edges(graph, edges, "events")


def co_mention(store: Store, since: str | None = None, until: str | None = None) -> nx.Graph:
    """Actors linked by the articles that mention both."""
    found = rows(store, MENTIONS.substitute(filter=date_filter(since, until, end="?end")))
    articles = {r["article"]: (r["file"], r.get("date")) for r in found}
    mentioned: dict[str, set[str]] = {}
    for r in found:
        mentioned.setdefault(r["article"], set()).add(vocab.id_of(r["a"]))
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for article, actors in mentioned.items():
        for pair in combinations(sorted(actors), 2):
            _link(edges, pair, *articles[article])
    graph = nx.Graph()
    _add_actors(graph, store, (vocab.id_of(r["a"]) for r in found))
    return _add_edges(graph, edges, "articles")


def statements(store: Store, since: str | None = None, until: str | None = None) -> nx.DiGraph:
    """Directed: each speaker -> the actors its statements are about."""
    found = rows(store, STATEMENTS.substitute(filter=date_filter(since, until)))
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for r in found:
        speaker, about = vocab.id_of(r["speaker"]), vocab.id_of(r.get("about", r["speaker"]))
        if about != speaker:  # no statement about its own speaker, nor one about no actor
            _link(edges, (speaker, about), vocab.id_of(r["s"]), r.get("date"))
    graph = nx.DiGraph()
    _add_actors(graph, store, [vocab.id_of(r["speaker"]) for r in found] + [b for _, b in edges])
    return _add_edges(graph, edges, "statements")


def _event_node(row: dict[str, str]) -> dict[str, Any]:
    """Attributes of an event node."""
    kind = vocab.local_name(row["type"])
    date = {"date": row["date"]} if "date" in row else {}
    label = f"{kind} {row['date']}" if date else kind
    return {"label": label, "type": kind, "kind": "event", "status": row["status"], **date}


def actor_event(
    store: Store, since: str | None = None, until: str | None = None, status: str | None = None
) -> nx.Graph:
    """Bipartite: actors and the events (any type; any status, or `status`) they take part in or that take
    place there."""
    found = _event_rows(store, "kg:participant|kg:place", _statuses([status]) if status else "", since, until)
    graph = nx.Graph()
    _add_actors(graph, store, (vocab.id_of(r["p"]) for r in found))
    graph.add_nodes_from((vocab.id_of(r["e"]), _event_node(r)) for r in found)
    graph.add_edges_from(
        (vocab.id_of(r["p"]), vocab.id_of(r["e"]), {"roles": sorted(r.get("roles", "").split())}) for r in found
    )
    return graph


BUILDERS: dict[str, Callable[..., nx.Graph]] = {
    "interactions": interactions,
    "co-mention": co_mention,
    "statements": statements,
    "actor-event": actor_event,
}


def with_metrics(g: nx.Graph) -> nx.Graph:
    """Add node attributes ``degree``, ``betweenness``, ``pagerank`` and ``community`` to `g` (in place).

    Betweenness counts hops (weights ignored) and is exact while
    nodes x (nodes + edges) is within `BETWEENNESS_BUDGET`; larger graphs get
    an estimate from ``BETWEENNESS_BUDGET / (nodes + edges)`` seeded sample
    sources (at least `MIN_BETWEENNESS_SAMPLES`): 22 sources for 13,500
    nodes and 31,000 edges, where all metrics take about 3 s. PageRank uses
    edge weights. Communities are Louvain's (weighted, seeded), numbered from 0
    by decreasing size.

    Returns:
        `g` itself.
    """
    metrics = {
        "degree": dict(g.degree()),
        "betweenness": nx.betweenness_centrality(g, k=_samples(g), seed=SEED),
        "pagerank": nx.pagerank(g, weight="weight") if len(g) else {},
        "community": _communities(g),
    }
    for name, values in metrics.items():
        nx.set_node_attributes(g, values, name)
    return g


def _samples(g: nx.Graph) -> int | None:
    """Sources to sample for betweenness: None (all, exact) when the budget allows."""
    samples = max(MIN_BETWEENNESS_SAMPLES, BETWEENNESS_BUDGET // (len(g) + g.number_of_edges() or 1))
    return samples if samples < len(g) else None


def _communities(g: nx.Graph) -> dict[str, int]:
    """Louvain community number of each node, 0 for the largest."""
    found = nx.community.louvain_communities(g, weight="weight", seed=SEED)
    ordered = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    return {node: number for number, members in enumerate(ordered) for node in members}


class ViewCache:
    """Views with their metrics, kept while the store is unchanged (`Store.version`); the most recent `size`.

    Graphs handed out are shared: callers take subgraphs or copies, never change them. A store whose version
    is None (a remote store, which others may change) gets every view built afresh.
    """

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._views: OrderedDict[tuple, nx.Graph] = OrderedDict()

    def get(
        self,
        store: Store,
        name: str,
        since: str | None = None,
        until: str | None = None,
        status: str | None = None,
        check: Callable[[nx.Graph], None] = lambda g: None,
    ) -> nx.Graph:
        """``with_metrics(build_view(store, name, since, until, status))``, from the cache when the store has not
        changed.

        `check` sees the view before its metrics are computed (they cost most), and may raise to refuse it.
        """
        version = store.version  # read first: a write while the view is built leaves an entry never used again
        key = (store, version, name, since, until, status)
        if version is not None and key in self._views:
            self._views.move_to_end(key)
            check(self._views[key])
            return self._views[key]
        graph = build_view(store, name, since, until, status)
        check(graph)
        with_metrics(graph)
        if version is not None:
            self._views[key] = graph
            if len(self._views) > self.size:
                self._views.popitem(last=False)
        return graph


def ego(g: nx.Graph, node_id: str, radius: int = 1) -> nx.Graph:
    """The nodes within `radius` hops of `node_id` (either direction) and the edges between them.

    Raises:
        NotFound: `node_id` is not in the view.
    """
    _check_node(g, node_id)
    return nx.ego_graph(g, node_id, radius=radius, undirected=True)


def shortest_path(g: nx.Graph, source: str, target: str) -> list[str]:
    """Node ids on a shortest path (fewest hops, edge direction ignored) from `source` to `target`.

    Raises:
        NotFound: An end is not in the view, or no path joins them.
    """
    _check_node(g, source)
    _check_node(g, target)
    try:
        return nx.shortest_path(g.to_undirected(as_view=True), source, target)
    except nx.NetworkXNoPath:
        raise NotFound(f"no path from {source!r} to {target!r}") from None


def _check_node(g: nx.Graph, node_id: str) -> None:
    if node_id not in g:
        raise NotFound(f"no node {node_id!r} in view {g.graph.get('view', '')!r}")


def node_link(g: nx.Graph) -> dict[str, Any]:
    """`g` as node-link JSON data: ``directed``, ``multigraph``, ``graph``, ``nodes`` (with ``id``) and ``edges``."""
    return nx.node_link_data(g, edges="edges")


def _flat(values: dict[str, Any]) -> dict[str, Any]:
    """Attributes GraphML and GEXF can hold: lists as JSON text, None dropped."""
    return {k: json.dumps(v) if isinstance(v, list) else v for k, v in values.items() if v is not None}


def flat_copy(g: nx.Graph) -> nx.Graph:
    """A copy of `g` whose attributes are all strings or numbers (lists as JSON text)."""
    h = g.__class__()
    h.graph.update(_flat(g.graph))
    h.add_nodes_from((n, _flat(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((a, b, _flat(d)) for a, b, d in g.edges(data=True))
    return h


def export(g: nx.Graph, fmt: str) -> bytes:
    """`g` serialised as ``json`` (node-link), ``graphml`` or ``gexf`` (list attributes as JSON text).

    Raises:
        BadQuery: Unknown format.
    """
    if fmt == "json":
        return json.dumps(node_link(g), ensure_ascii=False).encode()
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(flat_copy(g))).encode()
    if fmt == "gexf":
        out = io.BytesIO()
        nx.write_gexf(flat_copy(g), out)
        return out.getvalue()
    raise BadQuery(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
