"""`kg serve --watch FOLDER`: the server builds its folder at start and when articles arrive, answering meanwhile."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from conftest import SAMPLE_ARTICLES
from fastapi import FastAPI

from api.app import create_app
from kg import vocab
from kg.config import Settings
from kg.errors import NotFound
from kg.store import OxigraphStore
from kg.watch import settle

pytestmark = pytest.mark.slow

ARTICLES = vocab.SPARQL_PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"
TIMEOUT = 90.0
"""Seconds a build may take to show (the first one loads the spaCy model)."""


def wait_for_articles(http: httpx.Client, wanted: int) -> list[int]:
    """Poll the article count until it is `wanted`; the status of every answer meanwhile."""
    statuses = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        response = http.get("/sparql", params={"query": ARTICLES})
        statuses.append(response.status_code)
        if int(response.json()["results"]["bindings"][0]["n"]["value"]) == wanted:
            return statuses
        time.sleep(0.2)
    pytest.fail(f"the graph did not reach {wanted} articles in {TIMEOUT} s")


def move_in(article: Path, folder: Path) -> None:
    """Put an article into `folder` whole: written beside it, then renamed in (as a feed should)."""
    part = folder.parent / f"{article.name}.part"
    shutil.copy(article, part)
    part.rename(folder / article.name)


def test_the_server_builds_its_folder_and_then_each_new_article(
    tmp_path: Path, start_server: Callable[[FastAPI], str], make_app: Callable[..., FastAPI]
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    first, second = sorted(SAMPLE_ARTICLES.glob("*.txt"))[:2]
    shutil.copy(first, folder)
    app = make_app(OxigraphStore(tmp_path / "store", vocab.CANONICAL_GRAPH), watch=str(folder))
    base = start_server(app)
    with httpx.Client(base_url=base, timeout=30, headers={"Accept": "application/sparql-results+json"}) as http:
        assert set(wait_for_articles(http, 1)) == {200}
        move_in(second, folder)
        assert set(wait_for_articles(http, 2)) == {200}
        assert http.get("/entities", params={"q": "Putin"}).json()[0]["name"] == "Vladimir Putin"
    assert [r.extracted for r in app.state.watcher.reports][:2] == [1, 1], "the known article is not parsed again"


def test_a_folder_to_watch_must_exist(tmp_path: Path) -> None:
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    with pytest.raises(NotFound, match="no folder to watch"):
        create_app(store, Settings(watch=str(tmp_path / "nowhere")))


def test_a_file_still_being_written_is_waited_for(tmp_path: Path) -> None:
    growing = tmp_path / "download.txt"
    growing.write_text("Xi Jinping")

    def write_slowly() -> None:
        for _ in range(6):
            time.sleep(0.2)
            with growing.open("a") as fh:
                fh.write(" met Vladimir Putin.")

    writer = threading.Thread(target=write_slowly)
    start = time.monotonic()
    writer.start()
    settle([str(growing)], threading.Event(), quiet=0.5, limit=30)
    waited, seen = time.monotonic() - start, growing.read_text()
    writer.join()
    assert waited >= 1.2 and seen == growing.read_text(), "it returned only once the writing had stopped"
    assert seen.count("met Vladimir Putin") == 6


def test_waiting_for_files_ends_when_the_server_stops(tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    start = time.monotonic()
    settle([str(tmp_path / "gone.txt")], stop, quiet=5, limit=30)
    assert time.monotonic() - start < 1
