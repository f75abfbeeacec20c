"""Relationship views drawn with vis-network: the records the app's graph page and the notebook draw.

`network_data` turns a view (a networkx graph, with `kg.views.with_metrics`
run) into pyvis node and edge records: nodes coloured by type (one colour
each), shaped as the legend shows them (dots for actors, squares for
events), sized by PageRank, with the rows the page's side panel shows in
words; events that did not happen are hollow with a dashed outline.
`strongest_edges` thins a dense view to each node's heaviest edges. Labels are drawn on
the canvas and titles are turned into text nodes, so no value is ever read
as HTML. Physics stabilises in a bounded number of steps
(`stabilization_iterations`), then is turned off, so even thousands of nodes
stop moving. `interactive_html` is a self-contained page of the same drawing,
vis-network inline, for Jupyter.
"""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote

import networkx as nx
import pyvis
from jinja2.utils import htmlsafe_json_dumps
from pyvis.edge import Edge
from pyvis.node import Node

ASSETS = Path(__file__).parent / "assets"
"""`draw.js`: the JavaScript that draws `network_data` (served by the app, inlined by `interactive_html`)."""
VIS_ASSETS = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
"""vis-network's JavaScript and CSS as pyvis ships them (served by the app, never fetched from a CDN)."""
STABILIZATION_ITERATIONS = 200
STABILIZATION_WORK = 250_000
"""Node-steps of physics before the graph is shown: larger graphs get fewer steps (50 for 5,000 nodes)."""
MIN_STABILIZATION_ITERATIONS = 30
IMPROVED_LAYOUT_MAX = 100
"""Above this many nodes vis-network's Kamada-Kawai initial layout is too slow, so it is left off."""
TYPE_COLORS: dict[str, str] = {
    "Person": "#4e79a7",
    "State": "#e15759",
    "City": "#f28e2b",
    "Organization": "#59a14f",
    "Visit": "#b07aa1",
    "Meeting": "#9c755f",
    "PhoneCall": "#76b7b2",
    "VideoCall": "#17becf",
    "Summit": "#edc948",
    "Agreement": "#ff9da7",
    "ArrestWarrant": "#bab0ac",
    "Other": "#d4a6c8",
}
"""One colour per node type, no two alike."""
OTHER_COLOR = "#8c8c8c"
BORDER_DASHES: dict[str, list[int]] = {"planned": [6, 4], "speculative": [2, 3], "negated": [2, 3]}
"""Events that have not (or not yet) happened are drawn hollow, their outline dashed; so are edges of planned
events only."""
EDGE_DASHES = [12, 10]
"""Dashes of an edge of planned events only: long enough gaps to show on the widest edge (round line ends)."""
MIN_SIZE, MAX_SIZE = 8, 30
"""Radius of the least and most central (PageRank) nodes."""
STRONGEST_PER_NODE = 3
"""Edges each node keeps when a view is thinned (`strongest_edges`): its heaviest ones."""
ITEM_NOUNS = {"events": "event", "articles": "article", "statements": "statement"}
MOST_LISTED = 5
"""Items (articles, dates) named in a tooltip or panel line; more are counted."""


def color_of(node_type: str | None) -> str:
    """The colour of nodes of a type (grey for types without one)."""
    return TYPE_COLORS.get(node_type or "", OTHER_COLOR)


def shape_of(data: dict[str, Any]) -> str:
    """``square`` for events, ``dot`` for actors (what the canvas and the legend draw)."""
    return "square" if data.get("kind") == "event" else "dot"


def page_url(node_id: str, data: dict[str, Any]) -> str:
    """The URL of the page of a view's node: ``/event/{id}`` for events, else ``/entity/{id}``."""
    kind = "event" if data.get("kind") == "event" else "entity"
    return f"/{kind}/{quote(node_id, safe='')}"


def listed(items: list[str], noun: str = "") -> str:
    """Items as text: all of them when few, else the first `MOST_LISTED` and how many more."""
    shown = ", ".join(items[:MOST_LISTED])
    more = len(items) - MOST_LISTED
    return shown + (f" and {more} more{' ' + noun if noun else ''}" if more > 0 else "")


def counted(n: int, noun: str) -> str:
    """``1 article``, ``3 articles``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def span(dates: list[str]) -> str:
    """Dates as a span: ``2023-03-20`` or ``2022-12 to 2023-03-21``."""
    first, last = min(dates), max(dates)
    return first if first == last else f"{first} to {last}"


def tooltip(node_id: str, data: dict[str, Any]) -> str:
    """Plain-text hover text of a node: label, type (and status) and roles."""
    kind = " ".join(
        filter(None, [str(data.get("type", "")), data.get("status") if data.get("kind") == "event" else ""])
    )
    return "\n".join(filter(None, [str(data.get("label", node_id)), kind, "; ".join(data.get("roles", []))]))


def panel(g: nx.Graph, node_id: str, data: dict[str, Any], rank: int | None) -> list[list[str | None]]:
    """What the side panel says of a node, in words: ``[term, text, link or None]`` rows."""
    linked = [d.get("dates", []) for *_, d in g.edges(node_id, data=True)] if not g.is_directed() else []
    dates = sorted({d for ds in linked for d in ds} | ({data["date"]} if "date" in data else set()))
    rows: list[list[str | None]] = [["Type", str(data.get("type", "unknown")), None]]
    if data.get("status"):
        rows.append(["Status", data["status"], None])
    if data.get("roles"):
        rows.append(["Role", "; ".join(data["roles"]), None])
    if dates:
        rows.append(["Date" if len(dates) == 1 else "Dates", span(dates), None])
    if "articles" in data:
        rows.append(["Articles", f"mentioned in {counted(data['articles'], 'article')}", None])
    neighbours = nx.degree(g.to_undirected(as_view=True), node_id)
    rows.append(["Linked to", counted(neighbours, "node") + " in this view", None])
    if rank is not None:
        rows.append(["Centrality", f"{ordinal(rank)} of {len(g):,} by PageRank", None])
    if data.get("wikidata"):
        qid = str(data["wikidata"])
        rows.append(["Wikidata", qid, f"https://www.wikidata.org/wiki/{quote(qid, safe='')}"])
    return rows


def sizes(g: nx.Graph) -> dict[Any, float]:
    """Radius of each node: `MIN_SIZE` to `MAX_SIZE` by the square root of its PageRank (all `MIN_SIZE` without)."""
    ranks = nx.get_node_attributes(g, "pagerank")
    if not ranks:
        return dict.fromkeys(g, MIN_SIZE)
    low, high = min(ranks.values()), max(ranks.values())
    scale = ((ranks.get(n, low) - low) / (high - low) if high > low else 0.0 for n in g)
    return {n: round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * x**0.5, 2) for n, x in zip(g, scale, strict=True)}


def node_record(g: nx.Graph, node_id: Any, size: float, rank: int | None) -> dict[str, Any]:
    """The pyvis record of one node: look, tooltip and the side panel's rows."""
    data = g.nodes[node_id]
    key, label, color = str(node_id), str(data.get("label", node_id)), color_of(data.get("type"))
    record = Node(
        key,
        shape_of(data),
        label,
        color=color,
        size=size,
        title=tooltip(key, data),
        href=page_url(key, data),
        details=panel(g, node_id, data, rank),
    ).options
    dashes = BORDER_DASHES.get(data.get("status", "")) if data.get("kind") == "event" else None
    if dashes:
        record |= {"color": {"background": "#ffffff", "border": color}, "borderWidth": 2}
        record["shapeProperties"] = {"borderDashes": dashes}
    return record


def edge_title(data: dict[str, Any]) -> str:
    """Plain-text hover text of an edge, in words: what links the two (events and their types, articles...),
    when, and the roles or statuses."""
    lines = []
    for key, noun in ITEM_NOUNS.items():
        if key in data:
            what = f"{counted(len(data[key]), noun)}"
            kinds = data.get("types") or (data[key] if key == "articles" else [])
            lines.append(f"{what}: {listed(kinds)}" if kinds else what)
    if data.get("dates"):
        lines.append(listed(data["dates"], "dates"))
    if data.get("statuses"):
        lines.append(" and ".join(data["statuses"]))
    if data.get("roles"):
        lines.append(", ".join(data["roles"]))
    return "\n".join(lines) or f"weight {data.get('weight', 1)}"


def edge_record(a: str, b: str, data: dict[str, Any], directed: bool) -> dict[str, Any]:
    """A pyvis edge between `a` and `b`, as wide as its weight; dashed when its events are only planned."""
    record = Edge(a, b, directed, value=data.get("weight", 1), title=edge_title(data)).options
    if data.get("statuses") == ["planned"]:
        record["dashes"] = EDGE_DASHES
    return record


def strongest_edges(g: nx.Graph, per_node: int = STRONGEST_PER_NODE) -> nx.Graph:
    """`g` with only the edges among some node's `per_node` strongest.

    An edge's strength is its weight relative to both ends' total weights (``w / sqrt(W_a * W_b)``),
    so a hub does not take every node's strongest links: an actor named once is drawn with those named
    with it, not only with the actors named everywhere. Every node keeps an edge if it had one.
    """
    totals = dict(g.degree(weight="weight"))

    def strength(a: Any, b: Any, data: dict[str, Any]) -> float:
        return data.get("weight", 1) / ((totals[a] * totals[b]) ** 0.5 or 1)

    kept = set()
    for node in g:
        ends = sorted(_incident(g, node), key=lambda e: (-strength(*e), str(e[1])))
        kept.update(_key(g, node, other) for _, other, _ in ends[:per_node])
    return g.edge_subgraph(kept)


def _incident(g: nx.Graph, node: Any) -> list[tuple[Any, Any, dict[str, Any]]]:
    """Edges at `node` in either direction, as (node, other, data)."""
    if not g.is_directed():
        return list(g.edges(node, data=True))
    return [*g.out_edges(node, data=True), *((b, a, d) for a, b, d in g.in_edges(node, data=True))]


def _key(g: nx.Graph, node: Any, other: Any) -> tuple[Any, Any]:
    """The edge between `node` and `other` as `g` stores it."""
    return (node, other) if g.has_edge(node, other) else (other, node)


def needs_thinning(g: nx.Graph, per_node: int = STRONGEST_PER_NODE) -> bool:
    """Whether `g` has more edges than its nodes would keep with `strongest_edges` (a clump to a reader)."""
    return g.number_of_edges() > per_node * len(g)


def stabilization_iterations(nodes: int) -> int:
    """Physics steps before a graph of `nodes` nodes is shown: at most `STABILIZATION_ITERATIONS`, fewer when large."""
    return max(MIN_STABILIZATION_ITERATIONS, min(STABILIZATION_ITERATIONS, STABILIZATION_WORK // max(nodes, 1)))


def options(g: nx.Graph) -> dict[str, Any]:
    """vis-network options: bounded stabilisation, the initial layout only for small graphs, room for labels."""
    return {
        "nodes": {"font": {"size": 14, "face": "arial", "color": "#222222"}},
        "edges": {
            "smooth": False,
            "color": {"color": "#8a96a3", "highlight": "#222222", "hover": "#222222", "opacity": 0.7},
            "scaling": {"min": 1, "max": 6},
        },
        "layout": {"improvedLayout": len(g) <= IMPROVED_LAYOUT_MAX, "randomSeed": 1},
        "physics": {
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 140, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": stabilization_iterations(len(g)), "updateInterval": 25},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": len(g) > IMPROVED_LAYOUT_MAX},
    }


def network_data(g: nx.Graph) -> dict[str, Any]:
    """What a graph page draws: ``nodes``, ``edges`` and ``options``, ready for JSON.

    Records are made with pyvis's `Node` and `Edge`, not `Network.add_node` / `add_edge`,
    which compare each new item with every earlier one (quadratic); networkx's are unique.
    Each node has a ``size`` (by PageRank) and ``details``, the rows of the side panel.
    """
    directed, radius = g.is_directed(), sizes(g)
    ranks = nx.get_node_attributes(g, "pagerank")
    order = {n: i + 1 for i, n in enumerate(sorted(ranks, key=lambda n: (-ranks[n], str(n))))}
    return {
        "nodes": [node_record(g, n, radius[n], order.get(n)) for n in g],
        "edges": [edge_record(str(a), str(b), data, directed) for a, b, data in g.edges(data=True)],
        "options": options(g),
    }


def legend(g: nx.Graph) -> list[dict[str, str]]:
    """``type``, ``color`` and ``shape`` (as drawn: dot or square) of each node type in `g`, sorted by type."""
    shapes = {str(d.get("type", "")): shape_of(d) for _, d in g.nodes(data=True)}
    return [{"type": t, "color": color_of(t), "shape": shapes[t]} for t in sorted(set(shapes) - {""})]


def line_styles(g: nx.Graph) -> list[dict[str, str]]:
    """The outlines and lines of `g` that are not plain, each with what it means (for the legend)."""
    statuses = {d.get("status") for _, d in g.nodes(data=True) if d.get("kind") == "event"}
    planned_edges = any(d.get("statuses") == ["planned"] for *_, d in g.edges(data=True))
    styles = [
        {"style": "dashed", "meaning": "planned, not yet happened"} if "planned" in statuses or planned_edges else None,
        {"style": "dotted", "meaning": "speculative or denied"} if statuses & {"speculative", "negated"} else None,
    ]
    return [s for s in styles if s]


PAGE = Template("""<!doctype html>
<html><head><meta charset="utf-8"><style>$css</style>
<style>body { margin: 0 } #graph { height: $height; border: 1px solid #ddd }</style></head>
<body><div id="graph"></div>
<script>$vis</script>
<script>$draw</script>
<script>draw(document.getElementById("graph"), $data);</script>
</body></html>
""")


def interactive_html(g: nx.Graph, height: str = "600px") -> str:
    """A self-contained HTML page drawing `g` as the graph page does, vis-network inline (nothing fetched).

    The data is embedded as HTML-safe JSON (``<``, ``>``, ``&`` and ``'`` escaped), so no text from an
    article can end the script; `height` is a CSS length such as ``"500px"``.
    """
    return PAGE.substitute(
        css=(VIS_ASSETS / "vis-network.css").read_text(encoding="utf-8"),
        vis=(VIS_ASSETS / "vis-network.min.js").read_text(encoding="utf-8"),
        draw=(ASSETS / "draw.js").read_text(encoding="utf-8"),
        data=htmlsafe_json_dumps(network_data(g)),
        height=height,
    )
