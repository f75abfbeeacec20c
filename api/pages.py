"""HTML pages for people: home, relationship graphs, actors, events, disputed facts and a SPARQL editor.

Pages: ``/``, ``/graph/{view}``, ``/entity/{id}``, ``/event/{id}``,
``/disputed`` (the page of the JSON ``/disputes``) and ``/query``.
Everything a page needs is served by the app itself: vis-network's files from
the installed pyvis package under ``/assets/vis/``, the pages' own CSS and JS
under ``/static/``. Templates autoescape every value. Errors from `kg.errors`
(unknown ids, bad dates) are answered with an HTML page and their status.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import networkx as nx
from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from api.deps import StoreDep, ViewsDep
from kg import draw, queries, views, vocab
from kg.errors import BadQuery, KGError, TooLarge
from kg.model import ENTITY_TYPES, EVENT_TYPES, STATUSES

HERE = Path(__file__).parent
FAVICON = "/favicon.ico"
"""The pages' icon (a PNG: no SVG is served, it could hold script), also given to the API docs."""
HOME_LIMIT = 200
EVENTS_PER_PAGE = 10
STATUS_ORDER = ("happened", "planned")
"""How sure an event is, most sure first (other statuses follow)."""
MAX_PAGE_NODES = 25_000
MAX_PAGE_EDGES = 200_000
"""Largest view a graph page draws: beyond, metrics take minutes and the browser cannot lay it out."""
EXAMPLE_QUERY = """\
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Actors and the number of events they take part in.
SELECT ?actor ?name (COUNT(?event) AS ?events) WHERE {
  ?actor a kg:Actor ; rdfs:label ?name .
  OPTIONAL { ?event kg:participant ?actor }
}
GROUP BY ?actor ?name
ORDER BY DESC(?events) ?name
LIMIT 20
"""

Text = Annotated[str | None, Query(description="Empty means no filter.")]
NODE_TYPES = ENTITY_TYPES + EVENT_TYPES


def web_url(url: str | None) -> str | None:
    """`url` if it is an http(s) address, else None (so no ``javascript:`` link is ever made)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


TEMPLATES = Jinja2Templates(directory=HERE / "templates")
TEMPLATES.env.filters["web_url"] = web_url


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The template `name` rendered with `context`."""
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)


def validation_message(exc: RequestValidationError) -> str:
    """What is wrong with a request's parameters, one clause per problem: ``query limit: Input should be ...``."""
    return "; ".join(f"{' '.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())


class HtmlErrorRoute(APIRoute):
    """A route answering errors from `kg.errors` and invalid parameters (422) with the error page (and their
    status) instead of JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, wrapped to render `KGError` as HTML."""
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except KGError as exc:
                return page(request, "error.html", exc.status, status=exc.status, message=str(exc))
            except RequestValidationError as exc:
                return page(request, "error.html", 422, status=422, message=validation_message(exc))

        return handle


router = APIRouter(route_class=HtmlErrorRoute, include_in_schema=False)
router.mount("/assets/vis", StaticFiles(directory=draw.VIS_ASSETS), name="vis")
router.mount("/assets/kg", StaticFiles(directory=draw.ASSETS), name="kg-assets")
router.mount("/static", StaticFiles(directory=HERE / "static"), name="static")


@router.get(FAVICON)
def favicon() -> FileResponse:
    """The icon browsers show in the tab."""
    return FileResponse(HERE / "static" / "favicon.png", media_type="image/png")


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    store: StoreDep,
    q: Text = None,
    page_number: Annotated[int, Query(alias="page", ge=1, description="Page of the events.")] = 1,
) -> HTMLResponse:
    """Links to every page: the views, the actors (those whose name contains `q`), disputes, and the events,
    `EVENTS_PER_PAGE` a page, the best-sourced dated ones first."""
    events = best_sourced_first(queries.list_events(store, limit=HOME_LIMIT))
    first = (page_number - 1) * EVENTS_PER_PAGE
    return page(
        request,
        "home.html",
        views=[(name, views.DESCRIPTIONS[name]) for name in views.VIEWS],
        entities=queries.list_entities(store, q=q or None, limit=HOME_LIMIT),
        events=events[first : first + EVENTS_PER_PAGE],
        event_range=(first + 1, min(first + EVENTS_PER_PAGE, len(events)), len(events)),
        pages=range(1, -(-len(events) // EVENTS_PER_PAGE) + 1),
        page_number=page_number,
        q=q or "",
        limit=HOME_LIMIT,
    )


def best_sourced_first(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The home page's order: dated before undated, happened before planned before the rest, more source
    articles first, then the latest first."""

    def rank(event: dict[str, Any]) -> tuple:
        status = STATUS_ORDER.index(event["status"]) if event["status"] in STATUS_ORDER else len(STATUS_ORDER)
        return (event["date"] is None, status, -len(event["articles"]))

    return sorted(sorted(events, key=lambda e: e["date"] or "", reverse=True), key=rank)


@router.get("/graph")
def graph_form(request: Request, view: str = views.VIEWS[0]) -> RedirectResponse:
    """The graph form's target: redirects to ``/graph/{view}`` with the other filters."""
    filters = {k: v for k, v in request.query_params.items() if k != "view" and v}
    query = f"?{urlencode(filters)}" if filters else ""
    return RedirectResponse(f"/graph/{quote(view, safe='')}{query}", status_code=303)


def of_type(g: nx.Graph, node_type: str | None) -> nx.Graph:
    """The nodes of `g` of one type (all of `g` when `node_type` is None) and the edges between them.

    Raises:
        BadQuery: `node_type` is not an actor or event type.
    """
    if node_type is None:
        return g
    if node_type not in NODE_TYPES:
        raise BadQuery(f"unknown type {node_type!r}; use one of {', '.join(NODE_TYPES)}")
    return g.subgraph(n for n, data in g.nodes(data=True) if data.get("type") == node_type)


def check_drawable(view: str, g: nx.Graph) -> None:
    """Refuse a view too large for a page, saying how to narrow it."""
    if g.number_of_nodes() > MAX_PAGE_NODES or g.number_of_edges() > MAX_PAGE_EDGES:
        raise TooLarge(
            f"the {view} view has {g.number_of_nodes():,} nodes and {g.number_of_edges():,} edges, more than a page"
            f" draws ({MAX_PAGE_NODES:,} nodes, {MAX_PAGE_EDGES:,} edges): narrow it with a time window"
            f" (since, until), or read it as JSON or GraphML at /views/{view}"
        )


@router.get("/graph/{view}", response_class=HTMLResponse)
def graph(
    request: Request,
    store: StoreDep,
    cache: ViewsDep,
    view: str,
    since: Text = None,
    until: Text = None,
    type: Text = None,
    status: Text = None,
    edges: Annotated[str, Query(description="strongest (each node's heaviest, when dense) or all.")] = "strongest",
) -> HTMLResponse:
    """A relationship view drawn with its metrics (computed on the whole view, or its events of one `status`),
    optionally one node type only; a dense view is drawn with each node's strongest edges unless `edges` is
    ``all``.

    Raises:
        TooLarge: The view is larger than `MAX_PAGE_NODES` or `MAX_PAGE_EDGES` (a time window narrows it).
        BadQuery: An unknown type or status.
    """
    full = cache.get(store, view, since or None, until or None, status or None, check=lambda g: check_drawable(view, g))
    selected = of_type(full, type or None)
    per_node = draw.STRONGEST_PER_NODE
    dense = draw.needs_thinning(selected, per_node)
    thinned = dense and edges != "all"
    shown = draw.strongest_edges(selected, per_node) if thinned else selected
    return page(
        request,
        "graph.html",
        view=view,
        views=views.VIEWS,
        description=views.DESCRIPTIONS[view],
        filters={"since": since or "", "until": until or "", "type": type or "", "status": status or ""},
        types=[item["type"] for item in draw.legend(full)],
        statuses=STATUSES if view in views.STATUS_VIEWS else (),
        legend=draw.legend(shown),
        line_styles=draw.line_styles(shown),
        data=draw.network_data(shown),
        node_count=shown.number_of_nodes(),
        edge_count=shown.number_of_edges(),
        thinned=thinned,
        dense=dense,
        all_edges=selected.number_of_edges(),
        per_node=per_node,
        toggle_url=edges_url(request, "strongest" if edges == "all" else "all"),
    )


def edges_url(request: Request, edges: str) -> str:
    """This page's URL with ``edges`` set to `edges`."""
    return f"{request.url.path}?{urlencode({**request.query_params, 'edges': edges})}"


@router.get("/entity/{entity_id:path}", response_class=HTMLResponse)
def entity(request: Request, store: StoreDep, entity_id: str) -> HTMLResponse:
    """An actor: its facts, events, statements and roles, each with its evidence sentences."""
    return page(request, "entity.html", entity=queries.get_entity(store, entity_id))


@router.get("/event/{event_id:path}", response_class=HTMLResponse)
def event(request: Request, store: StoreDep, event_id: str) -> HTMLResponse:
    """An event: participants, time and place, sources, disputes and evidence."""
    return page(request, "event.html", event=queries.get_event(store, event_id))


@router.get("/disputed", response_class=HTMLResponse)
def disputed(request: Request, store: StoreDep) -> HTMLResponse:
    """Facts the sources disagree on: each alternative value with the articles that report it."""
    return page(request, "disputed.html", disputes=queries.disputed_facts(store))


@router.get("/query", response_class=HTMLResponse)
def query_editor(request: Request) -> HTMLResponse:
    """A SPARQL editor that runs queries against ``/sparql`` and shows the results as a table."""
    return page(request, "query.html", example=EXAMPLE_QUERY, id_base=vocab.ID)
