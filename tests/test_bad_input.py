"""Bad input through `kg build`: each is named in a message, the rest is built, nothing stored before is lost."""

from __future__ import annotations

import json
import re
import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import vocab
from kg.cli import EXIT_SKIPPED, app
from kg.ingest import MAX_ARTICLE_BYTES, article_id, read_paths

pytestmark = pytest.mark.slow

EARLIER = "President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Tuesday to discuss energy security."
NEW = "Foreign Minister Sergey Lavrov met Secretary of State Antony Blinken in Geneva on Friday."
OTHER = "Prime Minister Narendra Modi visited Tokyo on Monday, where he met Fumio Kishida."
FIFTY_MB = 50_000_000

Writer = Callable[[Path], None]


def write(name: str, data: str | bytes) -> Writer:
    """A writer of one file `name` holding `data`."""
    return lambda folder: (folder / name).write_bytes(data.encode() if isinstance(data, str) else data)


def write_huge(folder: Path) -> None:
    """A 50 MB text file, written in 1 MB pieces."""
    with (folder / "huge.txt").open("wb") as fh:
        for _ in range(FIFTY_MB // 1_000_000):
            fh.write(b"word " * 200_000)


def write_huge_line(folder: Path) -> None:
    """A feed whose first line is one article larger than the limit, and whose second line is fine."""
    big = json.dumps({"text": "word " * (MAX_ARTICLE_BYTES // 5 + 10)})
    (folder / "feed.jsonl").write_text(big + "\n" + json.dumps({"text": OTHER}) + "\n")


def write_duplicate(folder: Path) -> None:
    (folder / "a.txt").write_text(OTHER)
    (folder / "b.txt").write_text(OTHER)


FEED = "\n".join([json.dumps({"id": "ok", "text": OTHER}), "{not json", json.dumps({"title": "no text"})])

CASES: dict[str, tuple[Writer, list[str], int]] = {
    "empty": (write("empty.txt", b""), [r"skipped: {d}/empty\.txt: empty file"], EXIT_SKIPPED),
    "binary": (
        write("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        [r"skipped: {d}/image\.txt: binary file \(contains NUL bytes\), not an article"],
        EXIT_SKIPPED,
    ),
    "50 MB article": (
        write_huge,
        [r"skipped: {d}/huge\.txt: 50,000,000 bytes is larger than the 400,000-byte limit"],
        EXIT_SKIPPED,
    ),
    "50 MB feed line": (write_huge_line, [r"skipped: {d}/feed\.jsonl:1: [\d,]+ bytes is larger than"], EXIT_SKIPPED),
    "malformed JSONL": (
        write("feed.jsonl", FEED),
        [
            r"skipped: {d}/feed\.jsonl:2: malformed JSONL line: Expecting",
            r"skipped: {d}/feed\.jsonl:3: malformed JSONL",
        ],
        EXIT_SKIPPED,
    ),
    "duplicate": (write_duplicate, [r"skipped: {d}/b\.txt: duplicate of {d}/a\.txt"], EXIT_SKIPPED),
    "malformed sidecar": (
        write("articles.json", '[{"name": "new.txt"'),
        [r"skipped: {d}/articles\.json: sidecar metadata not read: JSONDecodeError: Expecting"],
        EXIT_SKIPPED,
    ),
    "not UTF-8": (
        write("latin.txt", f"Caf\xe9 talks. {OTHER}".encode("cp1252")),
        [r"note: {d}/latin\.txt: not UTF-8 \(invalid continuation byte at byte 3\); read as Windows-1252"],
        0,
    ),
    "HTML": (
        write("page.txt", f"<html><body><p>{OTHER}</p><script>alert('owned')</script></body></html>"),
        [r"note: {d}/page\.txt: HTML markup removed"],
        0,
    ),
    "no actors": (
        write("weather.txt", "It rained all afternoon and the streets were quiet. Nobody said anything."),
        [r"note: {d}/weather\.txt: no actors found in the text \(the article is kept\)"],
        0,
    ),
    "unparseable date": (
        write("dated.txt", f"date: next Tuesday\n{OTHER}"),
        [r"note: {d}/dated\.txt: unparseable date 'next Tuesday' ignored"],
        0,
    ),
}


def kg_build(store: Path, *paths: Path) -> tuple[int, str]:
    """Run `kg build` in this process; its exit code and output (stdout and stderr)."""
    result = CliRunner().invoke(app, ["build", *map(str, paths), "--store", str(store)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def stored(store: Path) -> set[ox.Quad]:
    """Every quad in the store at `store` (opened read-only) but the build's index (which a build updates)."""
    return {q for q in ox.Store.read_only(str(store)) if q.graph_name.value != vocab.INDEX_GRAPH}


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the build of one article, to be copied by each test."""
    folder = tmp_path_factory.mktemp("earlier")
    (folder / "earlier.txt").write_text(EARLIER)
    code, output = kg_build(folder / "store", folder / "earlier.txt")
    assert code == 0, output
    return folder / "store"


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_named_and_the_rest_is_built(case: str, earlier_build: Path, tmp_path: Path) -> None:
    writer, patterns, exit_code = CASES[case]
    store, inputs = tmp_path / "store", tmp_path / "inputs"
    shutil.copytree(earlier_build, store)
    inputs.mkdir()
    writer(inputs)
    (inputs / "new.txt").write_text(NEW)
    before = stored(store)
    code, output = kg_build(store, inputs)
    for pattern in patterns:
        assert re.search(pattern.format(d=re.escape(str(inputs))), output), output
    assert code == exit_code
    assert ("input(s) skipped" in output) == (exit_code == EXIT_SKIPPED)
    after = stored(store)
    graphs = {q.graph_name.value for q in after}
    assert vocab.article_graph(article_id(NEW)) in graphs, "the good article next to the bad one was built"
    assert vocab.article_graph(article_id(EARLIER)) in graphs
    lost = before - after
    assert not lost, f"earlier quads lost: {sorted(map(str, lost))[:3]}"


def test_a_missing_path_is_named_and_the_rest_is_built(earlier_build: Path, tmp_path: Path) -> None:
    shutil.copytree(earlier_build, tmp_path / "store")
    (tmp_path / "new.txt").write_text(NEW)
    code, output = kg_build(tmp_path / "store", tmp_path / "missing.txt", tmp_path / "new.txt")
    assert f"skipped: {tmp_path}/missing.txt: no such file" in output
    assert code == EXIT_SKIPPED
    assert vocab.article_graph(article_id(NEW)) in {q.graph_name.value for q in stored(tmp_path / "store")}


def test_an_unreadable_file_is_named_and_the_rest_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    (tmp_path / "locked.txt").write_text(EARLIER)
    (tmp_path / "new.txt").write_text(NEW)
    articles, problems = read_paths([tmp_path])
    assert [a.text for a in articles] == [NEW]
    assert [(p.source, p.message) for p in problems] == [
        (str(tmp_path / "locked.txt"), "cannot be read: Permission denied")
    ]


def test_the_good_line_of_a_bad_feed_is_built(earlier_build: Path, tmp_path: Path) -> None:
    shutil.copytree(earlier_build, tmp_path / "store")
    write("feed.jsonl", FEED)(tmp_path)
    code, _ = kg_build(tmp_path / "store", tmp_path / "feed.jsonl")
    assert code == EXIT_SKIPPED
    graphs = {q.graph_name.value for q in stored(tmp_path / "store")}
    assert vocab.article_graph(article_id(OTHER)) in graphs


def test_html_script_text_does_not_reach_the_graph(earlier_build: Path, tmp_path: Path) -> None:
    shutil.copytree(earlier_build, tmp_path / "store")
    CASES["HTML"][0](tmp_path)
    kg_build(tmp_path / "store", tmp_path / "page.txt")
    assert not [q for q in stored(tmp_path / "store") if "owned" in q.object.value]


def test_a_50_mb_file_is_refused_without_being_read(tmp_path: Path) -> None:
    write_huge(tmp_path)
    write_huge_line(tmp_path)
    tracemalloc.start()
    try:
        articles, problems = read_paths([tmp_path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [a.text for a in articles] == [OTHER]
    assert {Path(p.source).name for p in problems} == {"huge.txt", "feed.jsonl:1"}
    assert peak < 3 * MAX_ARTICLE_BYTES, f"peak {peak:,} bytes: the file was read whole"


def test_the_largest_article_accepted_fits_the_parser() -> None:
    from kg.nlp import load_model

    assert load_model().max_length >= 2 * MAX_ARTICLE_BYTES, "repair may add spaces; spaCy refuses longer texts"
