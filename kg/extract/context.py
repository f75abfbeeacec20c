"""What every extractor sees of one article: its parse, its repaired text and how to cite a sentence."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.gazetteer import Gazetteer
from kg.model import Article, Evidence
from kg.repair import Repaired


@dataclass(frozen=True)
class Context:
    """What every extractor sees of one article: its parse and how to cite it."""

    article: Article
    doc: Doc
    repaired: Repaired
    gazetteer: Gazetteer

    @property
    def text(self) -> str:
        """The repaired text `doc` was parsed from (`doc.text` rebuilds it from every token on each call)."""
        return self.repaired.text

    def evidence(self, sent: Span) -> Evidence:
        """Evidence for a sentence of `doc`, with offsets into the original text."""
        start = self.repaired.to_original(sent.start_char)
        end = self.repaired.to_original(sent.end_char)
        while end > start and self.article.text[end - 1].isspace():
            end -= 1
        return Evidence(self.article.id, self.article.text[start:end], start, end)

    def original_span(self, start_char: int, end_char: int) -> tuple[int, int]:
        """Offsets into the original text of a character span of `doc`."""
        return self.repaired.to_original(start_char), self.repaired.to_original(end_char)
