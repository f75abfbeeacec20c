"""Text to `ArticleFacts`: one spaCy parse per article, shared by every extractor.

One module per kind of fact: `entities` (actors and their mentions, from the candidate names of `spans`),
`roles`, `events` (with `timex` for dates) and `statements` (with `quotes` for quotation marks and `speakers`
for who a subject is); `context` holds what they all read of one article. Roles are found before statements,
which read them to name speakers called by their title.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.context import Context
from kg.extract.entities import EntityIndex, find_entities
from kg.extract.events import find_events
from kg.extract.roles import find_roles
from kg.extract.statements import find_statements
from kg.gazetteer import Gazetteer
from kg.model import Article, ArticleFacts
from kg.repair import Repaired, repair

__all__ = ["Context", "extract_articles", "extract_doc"]


def extract_doc(article: Article, doc: Doc, repaired: Repaired, gazetteer: Gazetteer) -> ArticleFacts:
    """Extract all facts of one parsed article."""
    ctx = Context(article, doc, repaired, gazetteer)
    index: EntityIndex = find_entities(ctx)
    roles = find_roles(ctx, index)
    return ArticleFacts(
        article=article,
        entities=index.entities,
        events=find_events(ctx, index),
        statements=find_statements(ctx, index, roles),
        roles=roles,
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
