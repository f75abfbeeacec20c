"""`kg build` into a real Virtuoso (started on loopback by the `virtuoso_server` fixture) gives the embedded graph."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_ARTICLES
from typer.testing import CliRunner

from kg import vocab
from kg.cli import app as cli
from kg.store import Store, open_store

pytestmark = pytest.mark.slow


def ours(store: Store) -> set:
    """The quads of the project's graphs (Virtuoso keeps system graphs of its own beside them)."""
    return {q for g in store.graphs() if g.startswith(vocab.GRAPH) for q in store.graph_quads(g)}


def test_a_build_into_virtuoso_holds_the_embedded_graph_and_rebuilding_changes_nothing(
    virtuoso_server: str, sample_store: Store
) -> None:
    done = CliRunner().invoke(cli, ["build", str(SAMPLE_ARTICLES), "--store", virtuoso_server])
    assert done.exit_code == 0, done.output
    remote = open_store(virtuoso_server, vocab.CANONICAL_GRAPH)
    assert ours(remote) == ours(sample_store)
    again = CliRunner().invoke(cli, ["build", str(SAMPLE_ARTICLES), "--store", virtuoso_server])
    assert again.exit_code == 0, again.output
    assert "0 extracted, 5 unchanged" in again.output and "(+0 -0)" in again.output
