"""Statements in one article (placeholder)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.model import Statement

if TYPE_CHECKING:
    from kg.entities import EntityIndex
    from kg.extract import Context


def find_statements(ctx: Context, index: EntityIndex) -> list[Statement]:
    """Events the article reports, with participants as entity keys."""
    return []
