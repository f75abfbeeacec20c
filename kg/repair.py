"""Text repair before parsing (placeholder: identity until glued-word splitting lands)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Repaired:
    """Repaired text with a map back to the original.

    `origin[i]` is the offset in the original text of repaired character `i`;
    `origin[len(text)]` is the original length, so spans map with
    `to_original(start)`, `to_original(end)`.
    """

    text: str
    origin: tuple[int, ...]

    def to_original(self, i: int) -> int:
        """Offset in the original text of repaired offset `i`."""
        return self.origin[i]


def repair(text: str) -> Repaired:
    """Return `text` repaired for parsing, with offsets back to `text`."""
    return Repaired(text, tuple(range(len(text) + 1)))
