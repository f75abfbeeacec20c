"""Reference data on well-known actors and title words (``data/gazetteer.csv``, ``data/titles.csv``).

Names are matched on a normalised key: case, accents, dots ("U.S."), hyphens,
a leading "the" and a trailing possessive ("Russia's") do not matter. Short
all-capital aliases ("US", "WHO", "AP") match only text written in capitals,
so the words "us" and "who" never match. A key that two entries share is
ambiguous and matches nothing; the CSV marks such aliases with a leading "~".
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from kg.model import EntityType

DATA_DIR = Path(__file__).parents[1] / "data"
AMBIGUOUS_MARK = "~"
_ACRONYM_MAX = 3
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_POSSESSIVE = re.compile(r"(?:'s|')$")
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-‐‑–—,]+")
VARIANT_SCORE = 90
"""Least rapidfuzz ratio (0-100) at which a name is a spelling variant of another ("Vladmir Putin")."""
VARIANT_MIN_LENGTH = 10
"""Shorter names are never matched as variants: "Li Qiang" and "Li Keqiang" are two people."""


@dataclass(frozen=True)
class GazEntry:
    """A known actor.

    Attributes:
        id: Stable slug of the canonical name.
        name: Canonical English name.
        type: Person, State, City or Organization.
        aliases: Other names it goes by (without the "~" mark).
        wikidata: Wikidata QID, only where checked.
        capital_of: For a capital city, the canonical name of its state.
        demonyms: For a state, its adjectives ("Chinese").
        country: Canonical name of the state or organisation the entry belongs to.
        title: For a person, the best-known title ("President").
    """

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    capital_of: str | None = None
    demonyms: tuple[str, ...] = ()
    country: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Title:
    """A title word or phrase: its normal form and the entity type it suggests.

    Attributes:
        phrase: The words as news writes them ("spokeswoman").
        title: Normal form ("spokesperson").
        type_vote: The type of whoever holds it (Person, or Organization for "ministry").
        kind: Rough class: head_of_state, minister, spokesperson, diplomat, adviser, body...
    """

    phrase: str
    title: str
    type_vote: EntityType
    kind: str


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _surface(text: str) -> str:
    """Accents, curly quotes, a leading "the", possessive and dots removed; hyphens and commas made spaces."""
    text = _ARTICLE.sub("", _POSSESSIVE.sub("", _strip_accents(text).translate(_APOSTROPHES).strip()))
    return _SEPARATORS.sub(" ", text.replace(".", "")).strip()


def _is_acronym(surface: str) -> bool:
    compact = surface.replace(" ", "")
    return len(compact) <= _ACRONYM_MAX and compact.isupper()


def name_key(text: str) -> str:
    """The key a name is matched on: ``"the U.S.'s"`` -> ``"US"``, ``"Russia’s"`` -> ``"russia"``.

    Short all-capital forms keep their case (see the module docstring); others are case-folded.
    """
    surface = _surface(text)
    return surface.replace(" ", "") if _is_acronym(surface) else surface.casefold()


class _Index:
    """Keys to entries, with keys that several entries share set aside as ambiguous."""

    def __init__(self) -> None:
        self._owners: dict[str, set[str]] = defaultdict(set)

    def add(self, names: Iterable[str], entry_id: str) -> None:
        for name in names:
            self._owners[name_key(name)].add(entry_id)

    def unique(self) -> dict[str, str]:
        """Key -> entry id, for keys only one entry has."""
        return {k: next(iter(ids)) for k, ids in self._owners.items() if len(ids) == 1}

    def ambiguous(self) -> dict[str, set[str]]:
        """Key -> entry ids, for keys several entries share."""
        return {k: ids for k, ids in self._owners.items() if len(ids) > 1}


class Gazetteer:
    """Looks actors up by any of their names, and states by their demonyms."""

    def __init__(
        self, entries: list[GazEntry], titles: Iterable[Title] = (), declared_ambiguous: Iterable[str] = ()
    ) -> None:
        """Index `entries`; `declared_ambiguous` are names the data marks as shared on purpose."""
        self.entries = entries
        self.titles: dict[str, Title] = {t.phrase.casefold(): t for t in titles}
        self.declared_ambiguous = {name_key(n) for n in declared_ambiguous}
        self._by_id = {e.id: e for e in entries}
        self.names, self.demonyms = _Index(), _Index()
        for e in entries:
            self.names.add((e.name, *e.aliases), e.id)
            self.demonyms.add(e.demonyms, e.id)
        self._name_ids = self.names.unique()
        self._variant_names: dict[str, dict[str, str]] = defaultdict(dict)
        for key, entry_id in self._name_ids.items():
            if len(key) >= VARIANT_MIN_LENGTH:
                self._variant_names[self._by_id[entry_id].type][key] = entry_id
        self._demonym_ids = self.demonyms.unique()

    def lookup(self, surface: str) -> GazEntry | None:
        """The entry one of whose names is `surface` (normalised as `name_key`), else None.

        A person is also found behind leading title words, optionally after whose they are
        ("Russian President Vladimir Putin", "China's top diplomat Wang Yi"). Ambiguous
        names (shared by two entries) give None.
        """
        return self._get(self._name_ids, surface) or self._behind_title(surface)

    def variant(self, surface: str, type_: EntityType) -> GazEntry | None:
        """The entry of type `type_` that `surface` misspells ("Volodymr Zelensky"), else None.

        Only names of two words or more and `VARIANT_MIN_LENGTH` characters are compared; two
        entries scoring alike give None.
        """
        key = name_key(surface)
        if len(key) < VARIANT_MIN_LENGTH or len(key.split()) < 2:
            return None
        names = self._variant_names.get(type_, {})
        found = process.extract(key, list(names), scorer=fuzz.ratio, score_cutoff=VARIANT_SCORE, limit=None)
        ids = {names[name] for name, score, _ in found if score == found[0][1]} if found else set()
        return self._by_id[ids.pop()] if len(ids) == 1 else None

    def demonym(self, word: str) -> GazEntry | None:
        """The state a demonym names ("Chinese" -> China, "Americans" -> United States), else None."""
        return self._get(self._demonym_ids, word) or self._get(self._demonym_ids, word.removesuffix("s"))

    def by_id(self, entry_id: str) -> GazEntry | None:
        """The entry with this id, else None."""
        return self._by_id.get(entry_id)

    def title(self, phrase: str) -> Title | None:
        """The title for a phrase ("Spokeswoman" -> spokesperson), case-insensitive, else None."""
        return self.titles.get(" ".join(phrase.split()).casefold())

    def undeclared_ambiguities(self) -> dict[str, set[str]]:
        """Names or demonyms that several entries share without the data marking them "~" (data errors)."""
        shared = self.names.ambiguous() | self.demonyms.ambiguous()
        return {k: ids for k, ids in shared.items() if k not in self.declared_ambiguous}

    def _behind_title(self, surface: str) -> GazEntry | None:
        """The person named after a title prefix of `surface`, else None."""
        words = surface.split()
        for cut in range(len(words) - 1, 0, -1):
            entry = self._get(self._name_ids, " ".join(words[cut:]))
            if entry and entry.type == "Person" and self._is_title_phrase(words[:cut]):
                return entry
        return None

    def _is_title_phrase(self, words: list[str]) -> bool:
        """Whether `words` are a person's title, maybe after a demonym or known name ("Chinese leader")."""
        for start in range(len(words)):
            found = self.title(" ".join(words[start:]))
            if found and found.type_vote == "Person":
                owner = " ".join(words[:start])
                return not owner or bool(self.demonym(owner) or self._get(self._name_ids, owner))
        return False

    def _get(self, index: dict[str, str], text: str) -> GazEntry | None:
        entry_id = index.get(name_key(text))
        return self._by_id[entry_id] if entry_id else None

    @classmethod
    def load(cls, path: Path | str | None = None) -> Gazetteer:
        """Load ``gazetteer.csv`` and ``titles.csv`` from folder `path` (default: the bundled data, cached)."""
        return _default() if path is None else _read(Path(path))


def _split(cell: str) -> tuple[str, ...]:
    """``"~Congo|DRC"`` -> ``("Congo", "DRC")``."""
    return tuple(p.strip().removeprefix(AMBIGUOUS_MARK) for p in cell.split("|") if p.strip())


def _marked(row: dict[str, str]) -> list[str]:
    """The aliases and demonyms of a row that carry the "~" (ambiguous) mark."""
    cells = f"{row['aliases']}|{row['demonyms']}".split("|")
    return [c.strip()[1:] for c in cells if c.strip().startswith(AMBIGUOUS_MARK)]


def _entry(row: dict[str, str]) -> GazEntry:
    return GazEntry(
        id=row["id"],
        name=row["name"],
        type=row["type"],  # type: ignore[arg-type]
        aliases=_split(row["aliases"]),
        wikidata=row["wikidata"] or None,
        capital_of=row["capital_of"] or None,
        demonyms=_split(row["demonyms"]),
        country=row["country"] or None,
        title=row["title"] or None,
    )


def _title(row: dict[str, str]) -> Title:
    return Title(row["phrase"], row["title"], row["type_vote"], row["kind"])  # type: ignore[arg-type]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _read(folder: Path) -> Gazetteer:
    rows = _rows(folder / "gazetteer.csv")
    titles_csv = folder / "titles.csv"
    titles = [_title(r) for r in _rows(titles_csv)] if titles_csv.exists() else []
    return Gazetteer([_entry(r) for r in rows], titles, [n for r in rows for n in _marked(r)])


@cache
def _default() -> Gazetteer:
    return _read(DATA_DIR)
