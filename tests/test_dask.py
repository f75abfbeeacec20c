"""`kg build --dask ADDRESS` extracts on a Dask cluster and builds the same graph as a local build."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLE_ARTICLES, all_quads
from distributed import LocalCluster
from typer.testing import CliRunner

from kg import vocab
from kg.cli import app as cli
from kg.store import Store, open_store

pytestmark = pytest.mark.slow


@pytest.fixture
def scheduler() -> Iterator[str]:
    """Address of a small in-process Dask cluster (one worker thread, no dashboard)."""
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_dask_build_equals_a_local_build(scheduler: str, tmp_path: Path, sample_store: Store) -> None:
    location = str(tmp_path / "store")
    done = CliRunner().invoke(cli, ["build", str(SAMPLE_ARTICLES), "--store", location, "--dask", scheduler])
    assert done.exit_code == 0, done.output
    assert "5 extracted" in done.output
    store = open_store(location, vocab.CANONICAL_GRAPH)
    assert store.count() == sample_store.count()
    assert all_quads(store) == all_quads(sample_store)
