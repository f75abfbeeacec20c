"""Roles in one article (placeholder)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.model import Role

if TYPE_CHECKING:
    from kg.entities import EntityIndex
    from kg.extract import Context


def find_roles(ctx: Context, index: EntityIndex) -> list[Role]:
    """Titles people hold, with person and organisation as entity keys."""
    return []
