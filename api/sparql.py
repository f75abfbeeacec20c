"""The SPARQL 1.1 Protocol endpoint at ``/sparql``: queries for anyone, updates for holders of the token.

Queries come as GET ``?query=``, POST form-encoded ``query=`` or POST
``application/sparql-query``, with repeatable ``default-graph-uri`` and
``named-graph-uri`` parameters; without ``default-graph-uri`` the default
graph is the canonical graph and every named graph is reachable with GRAPH.
Updates come as POST form-encoded ``update=`` or ``application/sparql-update``
(never GET), with repeatable ``using-graph-uri`` and ``using-named-graph-uri``;
their default graph is the canonical graph too (`api.updates`). Relative IRIs
resolve against the endpoint's URL. Queries with ``SERVICE`` get 403: the
server never calls other endpoints on a client's behalf. The records graph
(the build's cache of extractions) and the index graph (what an incremental
build looks up) are internal: they are in no query's dataset, and asking for
one by name gets 403.

Checks are made on the request's tokens (`kg.sparql_lexer`), before the
engine sees it. Limits (see `kg.config.SETTINGS_HELP`): a request larger than
``max_query_bytes`` gets 413, brackets nested deeper than ``max_query_depth``
400; queries run in worker processes (`api.workers`), which stop a query at
``query_timeout`` or beyond ``query_memory`` with 503; a result of more
than ``result_cap`` rows or triples is cut to the cap and answered with the
header ``X-Result-Truncated: true``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import get_pool, get_settings, get_store  # called directly: as sync dependencies each costs a thread hop
from api.formats import GRAPH_TYPES, RESULT_TYPES, choose
from api.updates import prepare_update
from api.workers import HIDDEN_GRAPHS, Job, QueryPool
from kg import vocab
from kg.config import Settings
from kg.errors import BadQuery, Forbidden, TooLarge
from kg.sparql_lexer import Token, dataset_clauses, keywords, nesting_depth, tokens
from kg.store import Store

TRUNCATED = "X-Result-Truncated"
FORM = "application/x-www-form-urlencoded"
DIRECT = {"application/sparql-query": "query", "application/sparql-update": "update"}
FORM_OVERHEAD = 4096
"""Bytes a form may hold beyond three times `max_query_bytes` (percent-encoding triples a query's size)."""

router = APIRouter(tags=["SPARQL"])


@dataclass(frozen=True)
class Operation:
    """A SPARQL request, read from the URL and the body."""

    query: str | None
    update: str | None
    default_graphs: list[str]
    named_graphs: list[str]
    using_graphs: list[str]
    using_named_graphs: list[str]
    formats: list[str]

    @property
    def text(self) -> str:
        """The query or update."""
        return self.query if self.query is not None else self.update or ""


def _many(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string"}},
    }


GRAPH_PARAMETERS = [
    _many("default-graph-uri", "Graph(s) forming the default graph (default: the canonical graph)."),
    _many("named-graph-uri", "Graphs reachable with GRAPH (default: all)."),
    _many("format", "Result format overriding Accept: json, xml, csv, tsv; turtle, nt, jsonld, rdf+xml, n3."),
]
QUERY_PARAMETER = {
    "name": "query",
    "in": "query",
    "required": True,
    "schema": {"type": "string"},
    "description": "A SPARQL 1.1 query.",
    "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
}
FORM_SCHEMA = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "update": {"type": "string"},
        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
        "using-graph-uri": {"type": "array", "items": {"type": "string"}},
        "using-named-graph-uri": {"type": "array", "items": {"type": "string"}},
    },
}
RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "Results (SELECT, ASK) or a graph (CONSTRUCT, DESCRIBE), in the format asked for.",
        "content": {media: {} for media in {**RESULT_TYPES, **GRAPH_TYPES}},
    },
    204: {"description": "The update was applied."},
    400: {"description": "The query does not parse (the parser's message in `detail`) or nests too deep."},
    403: {"description": "No update token, or the query uses SERVICE or names an internal graph."},
    413: {"description": "The request is larger than `max_query_bytes`."},
    503: {
        "description": "The query ran longer than `query_timeout` or needed more than `query_memory`, "
        "every query worker is busy (with Retry-After), or the store is unavailable."
    },
}


@router.get(
    "/sparql",
    response_class=Response,
    responses=RESPONSES,
    openapi_extra={"parameters": [QUERY_PARAMETER, *GRAPH_PARAMETERS]},
)
async def sparql_get(request: Request) -> Response:
    """Run a SPARQL query given in the URL."""
    return await answer(request, get_store(request), get_settings(request))


@router.post(
    "/sparql",
    response_class=Response,
    responses=RESPONSES,
    openapi_extra={
        "parameters": GRAPH_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {
                FORM: {"schema": FORM_SCHEMA},
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/sparql-update": {"schema": {"type": "string"}},
            },
        },
    },
)
async def sparql_post(request: Request) -> Response:
    """Run a SPARQL query or update given in the body (updates need ``Authorization: Bearer TOKEN``)."""
    return await answer(request, get_store(request), get_settings(request))


async def answer(request: Request, store: Store, settings: Settings) -> Response:
    """Answer a SPARQL Protocol request."""
    operation = await read_operation(request, settings)
    found = tokens(operation.text)
    if (depth := nesting_depth(found)) > settings.max_query_depth:
        raise BadQuery(f"brackets nest {depth} deep, beyond the limit of {settings.max_query_depth} (max_query_depth)")
    base = base_iri(request)
    canonical = getattr(store, "default_graph", vocab.CANONICAL_GRAPH)
    if operation.update is not None:
        if request.method != "POST":
            raise BadQuery("SPARQL Update must be sent with POST (the SPARQL 1.1 Protocol), not GET")
        text = prepare_update(operation.update, canonical, operation.using_graphs, operation.using_named_graphs)
        await run_in_threadpool(store.update, text, base)
        return Response(status_code=204)
    if operation.using_graphs or operation.using_named_graphs:
        raise BadQuery("using-graph-uri and using-named-graph-uri belong to updates; queries take default-graph-uri")
    if any(t.is_keyword("SERVICE") for t in found):
        raise Forbidden("federated queries (SERVICE) are disabled: this server does not call other endpoints")
    default, named = dataset(operation, found, base, canonical)
    formats = choose(request.headers.get("accept"), operation.formats)
    types = (formats.results.media_type, formats.graph.media_type)
    job = Job(operation.query or "", default, named, base, *types, settings.result_cap, settings.query_timeout)
    return await run_query(get_pool(request), job)


async def run_query(pool: QueryPool, job: Job) -> Response:
    """Run `job` in a query worker and answer its result, flagged if it was cut to the result cap."""
    result = await run_in_threadpool(pool.run, job)
    headers = {"Vary": "Accept", **({TRUNCATED: "true"} if result.truncated else {})}
    return Response(result.body, media_type=result.media_type, headers=headers)


def base_iri(request: Request) -> str | None:
    """The endpoint's URL, the base of relative IRIs (None if the Host header makes it no IRI)."""
    url = f"{request.url.scheme}://{request.url.netloc}{request.url.path}"
    try:
        return ox.NamedNode(url).value
    except ValueError:
        return None


def dataset(
    operation: Operation, found: list[Token], base: str | None, canonical: str
) -> tuple[list[str], list[str] | None]:
    """The default graphs and named graphs a query may read (named None: every graph but the hidden ones).

    The request's ``default-graph-uri``/``named-graph-uri`` if it has any, else the query's ``FROM``/``FROM
    NAMED`` (resolved here and handed to the engine, so it reads what was checked), else the canonical graph
    and every named graph. A query without ``GRAPH`` reads no named graph.

    Raises:
        Forbidden: The dataset names a hidden graph.
        BadQuery: A FROM clause names a graph with an undeclared prefix.
    """
    try:
        clauses = dataset_clauses(found, base)
    except KeyError as exc:
        raise BadQuery(f"undeclared prefix {exc} in a FROM clause") from None
    if operation.default_graphs or operation.named_graphs:
        default, named = operation.default_graphs or [canonical], operation.named_graphs or None
    elif clauses is not None:
        default, named = clauses
    else:
        default, named = [canonical], None
    if hidden := HIDDEN_GRAPHS & {*default, *(named or [])}:
        raise Forbidden(f"the graph {', '.join(sorted(hidden))} is internal to this server and not served")
    return default, named if "GRAPH" in keywords(found) else []


async def read_operation(request: Request, settings: Settings) -> Operation:
    """The query or update a request carries, with its dataset and format parameters.

    Raises:
        Forbidden: The request asks for an update without the update token (checked first).
        BadQuery: Neither or both of query and update, or an unsupported body.
        TooLarge: The request or its query is larger than `max_query_bytes`.
    """
    max_bytes = settings.max_query_bytes
    if "update" in request.query_params or _content_type(request) == "application/sparql-update":
        authorize(settings.update_token, request.headers.get("authorization"))  # before reading the body
    fields = list(request.query_params.multi_items())
    if request.method == "POST":
        fields += await _body_fields(request, max_bytes)
    values = {name: [v for k, v in fields if k == name] for name in {k for k, _ in fields}}
    if "update" in values:
        authorize(settings.update_token, request.headers.get("authorization"))
    texts = values.get("query", []) + values.get("update", [])
    if len(texts) != 1:
        raise BadQuery("a SPARQL request needs exactly one 'query' or 'update' parameter")
    _check_size(len(texts[0].encode()), max_bytes, "query")
    return Operation(
        query=next(iter(values.get("query", [])), None),
        update=next(iter(values.get("update", [])), None),
        default_graphs=values.get("default-graph-uri", []),
        named_graphs=values.get("named-graph-uri", []),
        using_graphs=values.get("using-graph-uri", []),
        using_named_graphs=values.get("using-named-graph-uri", []),
        formats=values.get("format", []),
    )


async def _body_fields(request: Request, max_bytes: int) -> list[tuple[str, str]]:
    content_type = _content_type(request)
    if content_type in DIRECT:
        return [(DIRECT[content_type], await _body_text(request, max_bytes, "request"))]
    if content_type == FORM:
        return parse_qsl(await _body_text(request, 3 * max_bytes + FORM_OVERHEAD, "form"), keep_blank_values=True)
    raise BadQuery(f"unsupported content type {content_type!r}: use {FORM}, {' or '.join(DIRECT)}")


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


async def _body_text(request: Request, limit: int, what: str) -> str:
    """The body as UTF-8 text, refused as soon as it is larger than `limit` bytes (whatever Content-Length says)."""
    length = request.headers.get("content-length", "")
    _check_size(int(length) if length.isdecimal() else 0, limit, what)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        _check_size(len(body), limit, what)
    try:
        return body.decode()
    except UnicodeDecodeError as exc:
        raise BadQuery(f"the request body is not UTF-8: {exc}") from exc


def _check_size(size: int, limit: int, what: str) -> None:
    if size > limit:
        raise TooLarge(f"the {what} is {size} bytes, more than the limit of {limit} bytes (max_query_bytes)")


def authorize(token: str, authorization: str | None) -> None:
    """Allow an update only with ``Authorization: Bearer TOKEN`` and a configured token.

    Raises:
        Forbidden: No token is configured, or the request does not carry it.
    """
    if not token:
        raise Forbidden("SPARQL Update is disabled on this server (no update token is configured)")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), token.encode()):
        raise Forbidden("SPARQL Update needs the header 'Authorization: Bearer <update token>'")
