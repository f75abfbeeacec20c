"""Benchmark 1, extraction: `kg build` against bare spaCy on the same texts, and 2 processes against 1.

    python bench/bench_extract.py [N]

Prints articles per second for bare `nlp.pipe` and for `kg build` (fresh
store each run, so every article is extracted, resolved, merged and
stored), and the ratios the targets are about.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bench.common import machine, table, timer
from bench.synth import articles
from kg import vocab
from kg.build import build
from kg.nlp import load_model
from kg.repair import repair
from kg.store import open_store


def bare_spacy(texts: list[str], n_process: int) -> float:
    """Seconds for bare spaCy to parse `texts` with the same model."""
    nlp = load_model()
    with timer() as t:
        for _ in nlp.pipe(texts, batch_size=32, n_process=n_process):
            pass
    return t()


def kg_build(corpus: Path, workers: int) -> float:
    """Seconds for a full `kg build` of `corpus` into a fresh store."""
    with tempfile.TemporaryDirectory() as tmp, timer() as t:
        build([corpus], open_store(str(Path(tmp) / "s"), vocab.CANONICAL_GRAPH), workers=workers)
    return t()


def main(n: int = 400) -> None:
    """Run the comparison on `n` synthetic articles and print a Markdown table."""
    items = articles(n, seed=1)
    texts = [a["text"] for a in items]
    load_model()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("\n".join(json.dumps(a) for a in items))
        with timer() as t:
            for text in texts:
                repair(text)
        repair_ms = t() * 1000 / n
        spacy1, spacy2 = bare_spacy(texts, 1), bare_spacy(texts, 2)
        build1, build2 = kg_build(corpus, 1), kg_build(corpus, 2)
    rows = [
        ["bare spaCy nlp.pipe, 1 process", f"{n / spacy1:.1f}", ""],
        ["bare spaCy nlp.pipe, 2 processes", f"{n / spacy2:.1f}", f"{spacy1 / spacy2:.2f}x vs 1"],
        ["kg build, 1 process", f"{n / build1:.1f}", f"{spacy1 / build1:.2f} of bare spaCy (target >= 0.85)"],
        ["kg build, 2 processes", f"{n / build2:.1f}", f"{build1 / build2:.2f}x vs 1 (target >= 1.7)"],
    ]
    print(
        f"machine: {machine()}; {n} synthetic articles, {sum(map(len, texts)) / n:.0f} chars each on average;"
        f" repair alone {repair_ms:.2f} ms/article"
    )
    print(table(rows, ["run", "articles/s", "ratio"]))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
