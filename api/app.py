"""The web app: `create_app(store, settings)` adds the routers and middleware; `serve` runs it.

The store and settings live on ``app.state`` (routes get them through
`api.deps`), so each app, and each test, has its own. Errors from `kg.errors`
are answered in one handler, with their status and
``{"error": "<type>", "detail": "<message>"}``; so are requests whose
parameters fail validation (422). ``/docs`` and ``/redoc`` load Swagger UI and
ReDoc from the app itself (fastapi-offline's copies, see `api.docs`), never
from a CDN. With the `watch` setting, a
`kg.watch.Watcher` builds the watched folders while the app runs. SPARQL
queries run in the app's `api.workers.QueryPool`; every response gets the
headers of `api.headers`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from api import docs, pages, routes, sparql
from api.headers import SecurityHeaders
from api.sparql import TRUNCATED
from api.views import router as views_router
from api.workers import QueryPool
from kg import vocab
from kg.config import Settings, watched_paths
from kg.errors import KGError, NotFound, ServerBusy
from kg.store import Store, open_store
from kg.views import ViewCache
from kg.watch import Watcher

ROUTERS: tuple[APIRouter, ...] = (sparql.router, routes.router, views_router, pages.router, docs.router)
"""Routers every app includes: the SPARQL endpoint, JSON routes, views, pages and ReDoc."""


async def kg_error(request: Request, exc: Exception) -> JSONResponse:
    """Answer an error from `kg.errors` with its status."""
    status = exc.status if isinstance(exc, KGError) else 500
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, ServerBusy) else None
    return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=status, headers=headers)


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """Answer parameters that fail validation with 422 and the body of every other error."""
    return JSONResponse({"error": "InvalidRequest", "detail": pages.validation_message(exc)}, status_code=422)


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
    "required": ["error", "detail"],
}
"""The body of every error, 422 included (it replaces FastAPI's validation error schema in the OpenAPI docs)."""


def document_errors(app: FastAPI) -> None:
    """Make the OpenAPI schema give 422 answers the body `invalid_request` sends."""
    make_schema = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schemas = make_schema().get("components", {}).get("schemas", {})
            if "HTTPValidationError" in schemas:
                schemas["HTTPValidationError"] = ERROR_SCHEMA
                schemas.pop("ValidationError", None)
        return app.openapi_schema

    app.openapi = openapi


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the query workers and the watcher of the `watch` setting's folders, if any; stop them with the app."""
    app.state.pool.start()
    paths = watched_paths(app.state.settings)
    if paths:
        app.state.watcher = Watcher(paths, app.state.store)
        app.state.watcher.start()
    yield
    if paths:
        app.state.watcher.stop()
    app.state.pool.close()


def create_app(store: Store, settings: Settings) -> FastAPI:
    """The app serving `store`: SPARQL endpoint, JSON API, health check and OpenAPI docs at ``/docs``.

    Args:
        store: The graph's store.
        settings: Limits, update token, CORS origins and folders to watch (see `kg.config.SETTINGS_HELP`).

    Raises:
        NotFound: A folder to watch does not exist.
    """
    missing = [str(p) for p in watched_paths(settings) if not p.is_dir()]
    if missing:
        raise NotFound(f"no folder to watch at {', '.join(missing)}")
    app = FastAPIOffline(
        redoc_url=None,  # api.docs serves it
        favicon_url=pages.FAVICON,
        title="kg",
        summary="A knowledge graph of what the news reports: SPARQL 1.1 and JSON.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.views = ViewCache()
    app.state.pool = QueryPool(store, settings)
    app.add_exception_handler(KGError, kg_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    document_errors(app)
    app.add_middleware(SecurityHeaders)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
            expose_headers=[TRUNCATED],
        )
    for router in ROUTERS:
        app.include_router(router)
    return app


def serve(settings: Settings) -> None:
    """Open the store named in `settings` and serve it at ``settings.host:settings.port`` until stopped."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    app = create_app(open_store(settings.store, vocab.CANONICAL_GRAPH), settings)
    uvicorn.run(app, host=settings.host, port=settings.port)
