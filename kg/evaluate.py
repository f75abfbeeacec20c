"""False facts: what a build says about an article that its gold facts do not.

The shared scorer (``score.py``) prints precision, recall and the gold facts a build
missed. `false_facts` adds the other side: each exported fact of an article that
matches no gold fact of that article, judged by the scorer's own matching rules (one
fact scored at a time), so the two never disagree on what counts.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

KINDS = ("entities", "events", "statements", "roles")


def load_scorer(path: Path) -> ModuleType:
    """Import ``score.py`` from `path` as a module."""
    spec = importlib.util.spec_from_file_location("kg_scorer", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import the scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_golds(gold_dir: Path) -> list[dict[str, Any]]:
    """The gold files of a folder, in name order."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]


def false_facts(
    facts: dict[str, list[dict]], golds: list[dict], scorer: ModuleType
) -> dict[str, list[tuple[str, dict]]]:
    """Per gold article, the (kind, fact) pairs exported for it that match none of its gold facts."""
    out: dict[str, list[tuple[str, dict]]] = {}
    for gold in golds:
        article = gold["article"]
        for kind in KINDS:
            for fact in scorer.for_article(facts.get(kind, []), article):
                alone = {"entities": facts.get("entities", []), kind: [fact]}
                if kind == "entities":
                    alone = {"entities": [fact]}
                if scorer.score_article(gold, alone, False)[kind][2] == 0:
                    out.setdefault(article, []).append((kind, fact))
    return out


def describe(kind: str, fact: dict) -> str:
    """One line for a fact, in the words the scorer's misses use."""
    if kind == "entities":
        return f"entity {fact.get('name')} ({fact.get('type')})"
    if kind == "events":
        return f"event {fact.get('type')} {fact.get('participants')} {fact.get('date')}"
    if kind == "statements":
        return f"statement by {fact.get('speaker')}: {(fact.get('quote') or '')[:60]!r}"
    return f"role {fact.get('person')} = {fact.get('role')} of {fact.get('of')}"


def report_false(facts: dict[str, list[dict]], gold_dir: Path, scorer_path: Path) -> list[str]:
    """Lines ``article: false <fact>`` for every false fact of every gold article."""
    found = false_facts(facts, read_golds(gold_dir), load_scorer(scorer_path))
    return [f"  {article}: false {describe(kind, fact)}" for article, pairs in found.items() for kind, fact in pairs]
