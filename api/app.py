"""The web app: `create_app(store, settings)` adds the routers and middleware; `serve` runs it.

The store and settings live on ``app.state`` (routes get them through
`api.deps`), so each app, and each test, has its own. Errors from `kg.errors`
are answered in one handler, with their status and
``{"error": "<type>", "detail": "<message>"}``. With the `watch` setting, a
`kg.watch.Watcher` builds the watched folders while the app runs. SPARQL
queries run in the app's `api.workers.QueryPool`; every response gets the
headers of `api.headers`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from api import pages, routes, sparql
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

ROUTERS: tuple[APIRouter, ...] = (sparql.router, routes.router, views_router, pages.router)
"""Routers every app includes: the SPARQL endpoint, JSON routes, views and pages."""


async def kg_error(request: Request, exc: Exception) -> JSONResponse:
    """Answer an error from `kg.errors` with its status."""
    status = exc.status if isinstance(exc, KGError) else 500
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, ServerBusy) else None
    return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=status, headers=headers)


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
    app = FastAPI(
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
