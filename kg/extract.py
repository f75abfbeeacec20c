"""Text to `ArticleFacts`: one spaCy parse per article, shared by every extractor."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.entities import EntityIndex, find_entities
from kg.events import find_events
from kg.gazetteer import Gazetteer
from kg.model import Article, ArticleFacts, Evidence
from kg.repair import Repaired, repair
from kg.roles import find_roles
from kg.statements import find_statements


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


def extract_doc(article: Article, doc: Doc, repaired: Repaired, gazetteer: Gazetteer) -> ArticleFacts:
    """Extract all facts of one parsed article."""
    ctx = Context(article, doc, repaired, gazetteer)
    index: EntityIndex = find_entities(ctx)
    return ArticleFacts(
        article=article,
        entities=index.entities,
        events=find_events(ctx, index),
        statements=find_statements(ctx, index),
        roles=find_roles(ctx, index),
    )


def extract_articles(
    articles: Iterable[Article], nlp: Language, gazetteer: Gazetteer, batch_size: int = 16
) -> Iterator[ArticleFacts]:
    """Parse articles in batches with `nlp.pipe` and extract each one."""
    pairs = ((repair(a.text), a) for a in articles)
    for doc, (repaired, article) in nlp.pipe(
        ((r.text, (r, a)) for r, a in pairs), as_tuples=True, batch_size=batch_size
    ):
        yield extract_doc(article, doc, repaired, gazetteer)
