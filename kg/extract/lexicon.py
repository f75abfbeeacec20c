"""The event lexicons (``data/lexicons/events.csv``, ``data/lexicons/cues.csv``), loaded once.

`events.csv` lists trigger words and multi-word expressions: a lemma (or several, space
separated), its part of speech, the event type it reports and the class of argument rules
it follows. `cues.csv` lists open-class words by the cue they give: support verbs
("hold talks"), hedges ("hope"), verbs of saying, meal words... See ``data/README.md``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Token

LEXICON_DIR = Path(__file__).parents[2] / "data" / "lexicons"


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry.

    Attributes:
        words: Lemmas of the expression as written ("video", "conference").
        pos: ``VERB`` or ``NOUN``: the part of speech of its head word.
        type: The event type it reports.
        kind: The class of argument rules it follows (``contact``, ``travel``, ``pledge``...).
    """

    words: tuple[str, ...]
    pos: str
    type: str
    kind: str

    @property
    def head(self) -> str:
        """The word the parse governs the others by: a verb's first word, a noun's last."""
        return self.words[0] if self.pos == "VERB" else self.words[-1]

    def matches(self, token: Token) -> bool:
        """True when `token` is the head and its other words hang on it ("pull ... out", "arrest warrant")."""
        rest = [w for w in self.words if w != self.head]
        near = {c.lemma_.lower() for c in token.children} | {c.lower_ for c in token.children}
        return all(w in near for w in rest)


@dataclass(frozen=True)
class Lexicon:
    """Triggers by (head lemma, part of speech), longest expression first, and cue words by cue."""

    triggers: dict[tuple[str, str], tuple[Trigger, ...]]
    cues: dict[str, frozenset[str]]

    def trigger(self, token: Token) -> Trigger | None:
        """The entry `token` is the head of, else None."""
        pos = "VERB" if token.pos_ == "VERB" else "NOUN" if token.pos_ in ("NOUN", "PROPN") else None
        if pos is None:
            return None
        candidates = self.triggers.get((token.lemma_.lower(), pos), ())
        return next((t for t in candidates if t.matches(token)), None)

    def cue(self, name: str) -> frozenset[str]:
        """The words that give cue `name` (empty when the data lists none)."""
        return self.cues.get(name, frozenset())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_lexicon(folder: Path) -> Lexicon:
    """Read ``events.csv`` and ``cues.csv`` from `folder`."""
    triggers: dict[tuple[str, str], list[Trigger]] = {}
    for row in _rows(folder / "events.csv"):
        entry = Trigger(tuple(row["lemma"].split()), row["pos"], row["type"], row["class"])
        triggers.setdefault((entry.head, entry.pos), []).append(entry)
    cues: dict[str, set[str]] = {}
    for row in _rows(folder / "cues.csv"):
        cues.setdefault(row["cue"], set()).add(row["word"])
    return Lexicon(
        {key: tuple(sorted(entries, key=lambda t: -len(t.words))) for key, entries in triggers.items()},
        {name: frozenset(words) for name, words in cues.items()},
    )


@cache
def lexicon() -> Lexicon:
    """The bundled lexicon, read once per process."""
    return read_lexicon(LEXICON_DIR)
