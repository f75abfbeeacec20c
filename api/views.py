"""Relationship views as node-link JSON (with metrics), GraphML or GEXF, read with `kg.views`.

Unknown views, entities and missing paths get 404; bad dates and statuses 400.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response

from api.deps import StoreDep, ViewsDep
from api.routes import Since, Until
from kg import views

router = APIRouter()

Json = dict[str, Any]
MEDIA_TYPES = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "A date is not ISO (YYYY, YYYY-MM or YYYY-MM-DD), or an unknown status."},
    404: {"description": "Unknown view or entity, or no path."},
}
ViewName = Annotated[str, Path(description=f"A view: {', '.join(views.VIEWS)}.")]
Status = Annotated[
    str | None, Query(description=f"Only events of this status ({', '.join(views.STATUS_VIEWS)}; others have none).")
]
NodeId = Annotated[str, Query(description="An entity id (or event id in actor-event), as in /entities.")]


@router.get("/views", tags=["views"])
def view_list() -> list[Json]:
    """The relationship views, each with what it links."""
    return [{"name": name, "description": views.DESCRIPTIONS[name]} for name in views.VIEWS]


@router.get(
    "/views/{name}",
    tags=["views"],
    response_model=None,
    responses={200: {"content": {t: {"schema": {"type": "string"}} for t in MEDIA_TYPES.values()}}, **ERRORS},
)
def view_graph(
    store: StoreDep,
    cache: ViewsDep,
    name: ViewName,
    since: Since = None,
    until: Until = None,
    fmt: Annotated[
        Literal["json", "graphml", "gexf"],
        Query(alias="format", description="json (node-link), graphml or gexf (a download)."),
    ] = "json",
    ego: Annotated[str | None, Query(description="Only this node's neighbourhood (an entity id).")] = None,
    radius: Annotated[int, Query(ge=0, le=10, description="Hops around `ego`.")] = 1,
    status: Status = None,
) -> Json | Response:
    """A view with node metrics (degree, betweenness, pagerank, community), optionally one node's ego network.

    Metrics are those of the whole view, also in an ego network.
    """
    graph = cache.get(store, name, since, until, status)
    if ego is not None:
        graph = views.ego(graph, ego, radius)
    if fmt == "json":
        return views.node_link(graph)
    disposition = f'attachment; filename="{name}.{fmt}"'
    return Response(views.export(graph, fmt), media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})


@router.get("/views/{name}/path", tags=["views"], responses=ERRORS)
def view_path(
    store: StoreDep,
    cache: ViewsDep,
    name: ViewName,
    source: NodeId,
    target: NodeId,
    since: Since = None,
    until: Until = None,
) -> Json:
    """A shortest path between two nodes of a view (fewest hops, direction ignored), each node with its attributes."""
    graph = cache.get(store, name, since, until)
    path = views.shortest_path(graph, source, target)
    return {"view": name, "path": [{"id": node, **graph.nodes[node]} for node in path]}
