"""What routes need from the app they belong to: store, settings, view cache, query workers (set by `create_app`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.workers import QueryPool
from kg.config import Settings
from kg.store import Store
from kg.views import ViewCache


def get_store(request: Request) -> Store:
    """The store of the app serving `request`."""
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    """The settings of the app serving `request`."""
    return request.app.state.settings


def get_views(request: Request) -> ViewCache:
    """The cache of relationship views of the app serving `request`."""
    return request.app.state.views


StoreDep = Annotated[Store, Depends(get_store)]
ViewsDep = Annotated[ViewCache, Depends(get_views)]


def get_pool(request: Request) -> QueryPool:
    """The query workers of the app serving `request`."""
    return request.app.state.pool
