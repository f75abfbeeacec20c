"""What routes need from the app they belong to: its store and settings (set by `create_app`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kg.config import Settings
from kg.store import Store


def get_store(request: Request) -> Store:
    """The store of the app serving `request`."""
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    """The settings of the app serving `request`."""
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(get_store)]
