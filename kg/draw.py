"""Relationship views drawn with vis-network: the records the app's graph page and the notebook draw.

`network_data` turns a view (a networkx graph, with `kg.views.with_metrics`
run) into pyvis node and edge records: nodes coloured by type and sized by
PageRank, with the details the page's side panel shows. Labels are drawn on
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
METRICS = ("degree", "betweenness", "pagerank", "community")
TYPE_COLORS: dict[str, str] = {
    "Person": "#4e79a7",
    "State": "#e15759",
    "City": "#f28e2b",
    "Organization": "#59a14f",
    "Visit": "#b07aa1",
    "Meeting": "#9c755f",
    "PhoneCall": "#76b7b2",
    "VideoCall": "#76b7b2",
    "Summit": "#edc948",
    "Agreement": "#ff9da7",
    "ArrestWarrant": "#bab0ac",
}
OTHER_COLOR = "#8c8c8c"


def color_of(node_type: str | None) -> str:
    """The colour of nodes of a type (grey for types without one)."""
    return TYPE_COLORS.get(node_type or "", OTHER_COLOR)


def page_url(node_id: str, data: dict[str, Any]) -> str:
    """The URL of the page of a view's node: ``/event/{id}`` for events, else ``/entity/{id}``."""
    kind = "event" if data.get("kind") == "event" else "entity"
    return f"/{kind}/{quote(node_id, safe='')}"


def tooltip(node_id: str, data: dict[str, Any]) -> str:
    """Plain-text hover text of a node: label, type and PageRank."""
    lines = [str(data.get("label", node_id)), str(data.get("type", ""))]
    if "pagerank" in data:
        lines.append(f"PageRank {data['pagerank']:.3g}")
    return "\n".join(filter(None, lines))


def node_record(node_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The pyvis record of one node: look, tooltip and the side panel's details."""
    label = str(data.get("label", node_id))
    shape = "square" if data.get("kind") == "event" else "dot"
    return Node(
        node_id,
        shape,
        label,
        color=color_of(data.get("type")),
        value=data.get("pagerank", 1.0),
        title=tooltip(node_id, data),
        href=page_url(node_id, data),
        details={k: data[k] for k in ("type", "kind", "wikidata", "status", "date", *METRICS) if k in data},
    ).options


def edge_record(a: str, b: str, data: dict[str, Any], directed: bool) -> dict[str, Any]:
    """A pyvis edge between `a` and `b`, as wide as its weight, its dates in the tooltip."""
    weight = data.get("weight", 1)
    title = "\n".join([f"weight {weight}", *data.get("dates", []), *data.get("roles", [])])
    return Edge(a, b, directed, value=weight, title=title).options


def stabilization_iterations(nodes: int) -> int:
    """Physics steps before a graph of `nodes` nodes is shown: at most `STABILIZATION_ITERATIONS`, fewer when large."""
    return max(MIN_STABILIZATION_ITERATIONS, min(STABILIZATION_ITERATIONS, STABILIZATION_WORK // max(nodes, 1)))


def options(g: nx.Graph) -> dict[str, Any]:
    """vis-network options: bounded stabilisation, the initial layout only for small graphs."""
    return {
        "nodes": {"scaling": {"min": 8, "max": 40}, "font": {"size": 14}},
        "edges": {"smooth": False, "color": {"inherit": "from", "opacity": 0.5}, "scaling": {"min": 1, "max": 8}},
        "layout": {"improvedLayout": len(g) <= IMPROVED_LAYOUT_MAX, "randomSeed": 1},
        "physics": {
            "solver": "barnesHut",
            "stabilization": {"enabled": True, "iterations": stabilization_iterations(len(g)), "updateInterval": 25},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": len(g) > IMPROVED_LAYOUT_MAX},
    }


def network_data(g: nx.Graph) -> dict[str, Any]:
    """What a graph page draws: ``nodes``, ``edges`` and ``options``, ready for JSON.

    Records are made with pyvis's `Node` and `Edge`, not `Network.add_node` / `add_edge`,
    which compare each new item with every earlier one (quadratic); networkx's are unique.
    """
    directed = g.is_directed()
    return {
        "nodes": [node_record(str(n), data) for n, data in g.nodes(data=True)],
        "edges": [edge_record(str(a), str(b), data, directed) for a, b, data in g.edges(data=True)],
        "options": options(g),
    }


def legend(g: nx.Graph) -> list[tuple[str, str]]:
    """(type, colour) of each node type in `g`, sorted by type."""
    return [(t, color_of(t)) for t in sorted({str(d.get("type", "")) for _, d in g.nodes(data=True)} - {""})]


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
