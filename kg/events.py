"""Events in one article (placeholder)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.model import Event

if TYPE_CHECKING:
    from kg.entities import EntityIndex
    from kg.extract import Context


def find_events(ctx: Context, index: EntityIndex) -> list[Event]:
    """Events the article reports, with participants as entity keys."""
    return []
