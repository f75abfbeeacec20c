"""`kg serve --watch FOLDER`: the server builds its folder at start and when articles arrive, answering meanwhile."""

from __future__ import annotations

import json
import os
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
from kg.build import RECORD, build
from kg.config import Settings
from kg.errors import NotFound
from kg.model import facts_from_json
from kg.store import OxigraphStore
from kg.watch import Watcher, settle

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
    still_growing = settle([str(growing)], threading.Event(), quiet=0.5, limit=30)
    waited, seen = time.monotonic() - start, growing.read_text()
    assert still_growing == set()
    writer.join()
    assert waited >= 1.2 and seen == growing.read_text(), "it returned only once the writing had stopped"
    assert seen.count("met Vladimir Putin") == 6


def test_waiting_for_files_ends_when_the_server_stops(tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    start = time.monotonic()
    settle([str(tmp_path / "gone.txt")], stop, quiet=5, limit=30)
    assert time.monotonic() - start < 1


def test_a_file_still_growing_at_the_limit_is_named(tmp_path: Path) -> None:
    growing, done = tmp_path / "download.txt", threading.Event()

    def write_on() -> None:
        while not done.wait(0.05):
            with growing.open("a") as fh:
                fh.write(" met Vladimir Putin.")

    growing.write_text("Xi Jinping")
    writer = threading.Thread(target=write_on)
    writer.start()
    try:
        assert settle([str(growing), str(tmp_path / "gone.txt")], threading.Event(), quiet=0.2, limit=1) == {
            str(growing)
        }
    finally:
        done.set()
        writer.join()


FIRST = "President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Tuesday."
SECOND = "Prime Minister Narendra Modi visited Tokyo on Monday, where he met Fumio Kishida."
LATER = "President Emmanuel Macron met Prime Minister Giorgia Meloni in Rome on Thursday."


def texts_in(store: OxigraphStore) -> set[str]:
    """The text of every article the store keeps an extraction of."""
    records = store.graph_quads(vocab.RECORDS_GRAPH)
    return {facts_from_json(q.object.value).article.text for q in records if q.predicate == RECORD}


def test_a_growing_file_waits_and_a_later_version_replaces_the_earlier(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FIRST)
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "b", "text": SECOND}) + "\n")
    watcher = Watcher([tmp_path], OxigraphStore(None, vocab.CANONICAL_GRAPH))
    watcher.build_once(growing={tmp_path / "a.txt"})
    assert (str(tmp_path / "a.txt"), "still being written: left for the next build") in {
        (p.source, p.message) for p in watcher.reports[-1].problems
    }
    watcher.build_once()
    assert texts_in(watcher.store) == {FIRST, SECOND}
    (tmp_path / "a.txt").write_text(f"{FIRST} They discussed energy.")
    feed = [json.dumps({"text": "It rained."}), json.dumps({"id": "b", "text": LATER})]  # b moves to line 2
    (tmp_path / "feed.jsonl").write_text("\n".join(feed))
    watcher.build_once()
    assert [r.counts["articles"] for r in watcher.reports] == [1, 2, 3]
    assert texts_in(watcher.store) == {f"{FIRST} They discussed energy.", LATER, "It rained."}
    assert not [q for q in watcher.store.graph_quads(vocab.CANONICAL_GRAPH) if "Kishida" in q.object.value]


def test_a_changed_file_replaces_its_earlier_version(tmp_path: Path) -> None:
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    (tmp_path / "growing.txt").write_text(FIRST)
    build([tmp_path], store)
    (tmp_path / "growing.txt").write_text(f"{FIRST} {LATER}")
    report = build([tmp_path], store)
    assert texts_in(store) == {f"{FIRST} {LATER}"} and report.counts["articles"] == 1


def test_a_file_named_by_a_relative_or_an_absolute_path_is_one_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    (tmp_path / "growing.txt").write_text(FIRST)
    monkeypatch.chdir(tmp_path)
    build([Path("growing.txt")], store)
    (tmp_path / "growing.txt").write_text(f"{FIRST} {LATER}")
    report = build([tmp_path / "growing.txt"], store)
    assert texts_in(store) == {f"{FIRST} {LATER}"} and report.counts["articles"] == 1


def test_one_bad_file_never_blocks_the_others(tmp_path: Path) -> None:
    (tmp_path / "deep.jsonl").write_text('{"text": "x", "y": ' + "[" * 100_000 + "]" * 100_000 + "}")
    (tmp_path / "surrogates.jsonl").write_text('{"id": "\\udc00", "text": "Talks \\ud800."}')
    (tmp_path / "passwd.txt").symlink_to("/etc/passwd")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text(FIRST)
    watcher = Watcher([tmp_path], OxigraphStore(None, vocab.CANONICAL_GRAPH))
    watcher.build_once()
    report = watcher.reports[-1]
    skipped = {Path(p.source.split(":")[0]).name for p in report.skipped}
    assert report.read == 1 and skipped == {"deep.jsonl", "surrogates.jsonl", "passwd.txt", "pipe.txt"}
    assert texts_in(watcher.store) == {FIRST}
