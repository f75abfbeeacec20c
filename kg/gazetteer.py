"""Reference data on well-known actors (placeholder until data/gazetteer.csv lands)."""

from __future__ import annotations

from dataclasses import dataclass

from kg.model import EntityType


@dataclass(frozen=True)
class GazEntry:
    """A known actor: canonical name, type, aliases and Wikidata QID."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    capital_of: str | None = None


class Gazetteer:
    """Looks actors up by any of their names, demonyms included."""

    def __init__(self, entries: list[GazEntry]) -> None:
        self.entries = entries
        self._by_name = {n.casefold(): e for e in entries for n in (e.name, *e.aliases)}

    def lookup(self, surface: str) -> GazEntry | None:
        """The entry whose name or alias is `surface` (case-insensitive), else None."""
        return self._by_name.get(surface.strip().casefold())

    @classmethod
    def load(cls) -> Gazetteer:
        """Load the bundled reference data."""
        return cls([])
