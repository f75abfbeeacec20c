"""Bad input through `kg build`: each is named in a message, the rest is built, nothing stored before is lost."""

from __future__ import annotations

import json
import os
import re
import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import pytest
from capped import kg_capped
from typer.testing import CliRunner

from kg import ingest, vocab
from kg.cli import EXIT_SKIPPED, app
from kg.ingest import CONTROL, MAX_ARTICLE_BYTES, SURROGATE, article_id, read_paths

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


def write_link(name: str, target: str) -> Writer:
    """A writer of a symbolic link `name` to `target`."""
    return lambda folder: (folder / name).symlink_to(target)


def write_loop(folder: Path) -> None:
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")


DEEP = '{"text": "Deep.", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
CONTROLS = json.dumps({"text": f"{OTHER}\u0000 The talks\u001b[2J went on\u0085.", "title": "Ring\u0007"})
NOT_UTF8_NAME = os.fsdecode(b"caf\xe9.txt")
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
    "nesting 100,000 deep": (
        write("feed.jsonl", DEEP),
        [r"skipped: {d}/feed\.jsonl:1: malformed JSONL line: nested too deeply"],
        EXIT_SKIPPED,
    ),
    "lone surrogate in text": (
        write("feed.jsonl", r'{"text": "Talks \ud800 began."}'),
        [r"skipped: {d}/feed\.jsonl:1: malformed JSONL line: 'text' is not valid Unicode \(lone surrogate U\+D800"],
        EXIT_SKIPPED,
    ),
    "lone surrogate in id": (
        write("feed.jsonl", r'{"id": "a\udc00", "text": "Talks began in Rome."}'),
        [r"skipped: {d}/feed\.jsonl:1: malformed JSONL line: 'id' is not valid Unicode"],
        EXIT_SKIPPED,
    ),
    "metadata not a string": (
        write("feed.jsonl", json.dumps({"text": OTHER, "title": {"a": 1}})),
        [r"skipped: {d}/feed\.jsonl:1: malformed JSONL line: 'title' is not a string"],
        EXIT_SKIPPED,
    ),
    "control characters in a feed": (
        write("feed.jsonl", CONTROLS),
        [r"note: {d}/feed\.jsonl:1: 4 control character\(s\) replaced by spaces"],
        0,
    ),
    "control characters in a file": (
        write("ctrl.txt", f"{OTHER}\x1b[31m Red\x0c."),
        [r"note: {d}/ctrl\.txt: 2 control character\(s\) replaced by spaces"],
        0,
    ),
    "a file name that is not UTF-8": (
        write(os.fsdecode(b"\xff.txt"), b""),
        [r"skipped: {d}/\\xff\.txt: empty file"],
        EXIT_SKIPPED,
    ),
    "a link out of the folder": (
        write_link("x.txt", "/etc/passwd"),
        [r"skipped: {d}/x\.txt: a link out of the folder, not followed"],
        EXIT_SKIPPED,
    ),
    "a link to a folder outside": (
        write_link("etc", "/etc"),
        [r"skipped: {d}/etc: a link out of the folder, not followed"],
        EXIT_SKIPPED,
    ),
    "a sidecar nested 100,000 deep": (
        write("articles.json", "[" * 100_000 + "]" * 100_000),
        [r"skipped: {d}/articles\.json: sidecar metadata not read: RecursionError"],
        EXIT_SKIPPED,
    ),
    "a sidecar of the wrong shape": (
        write("articles.json", '[["new.txt"]]'),
        [r"skipped: {d}/articles\.json: sidecar metadata not read: TypeError"],
        EXIT_SKIPPED,
    ),
    "a sidecar with a lone surrogate": (
        write("articles.json", r'[{"file": "new.txt", "title": "\udc00"}]'),
        [r"skipped: {d}/articles\.json: sidecar metadata not read: ValueError: 'title' is not valid Unicode"],
        EXIT_SKIPPED,
    ),
    "a sidecar linking out": (
        write_link("articles.csv", "/etc/passwd"),
        [r"skipped: {d}/articles\.csv: a link out of the folder, not followed"],
        EXIT_SKIPPED,
    ),
    "links in a loop": (
        write_loop,
        [rf"skipped: {{d}}/{name}\.txt: a link that loops or leads nowhere, not followed" for name in "ab"],
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
    values = [q.object.value for q in after - before]
    assert not [v for v in values if CONTROL.search(v) or SURROGATE.search(v)], "no control character is stored"
    assert not [v for v in values if "root:" in v], "no file outside the folder is read"


def test_links_inside_the_folder_are_followed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.md").write_text(NEW)
    (tmp_path / "notes.txt").symlink_to("sub/notes.md")
    (tmp_path / "again").symlink_to("sub", target_is_directory=True)
    articles, problems = read_paths([tmp_path])
    assert [(a.text, a.source) for a in articles] == [(NEW, str(tmp_path / "notes.txt"))]
    assert problems == []


def test_a_link_swapped_in_after_the_walk_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    walk = ingest.walk

    def walk_then_swap(folder: Path) -> tuple[list[Path], list[ingest.Problem]]:
        found = walk(folder)
        (folder / "a.txt").unlink()
        (folder / "a.txt").symlink_to("/etc/passwd")
        return found

    (tmp_path / "a.txt").write_text(NEW)
    monkeypatch.setattr(ingest, "walk", walk_then_swap)
    articles, problems = read_paths([tmp_path])
    assert articles == []
    assert [(p.source, p.message) for p in problems] == [
        (str(tmp_path / "a.txt"), "cannot be read: a link out of the folder, not followed")
    ]


def test_a_file_name_that_is_not_utf8_is_shown_escaped(earlier_build: Path, tmp_path: Path) -> None:
    shutil.copytree(earlier_build, tmp_path / "store")
    (tmp_path / NOT_UTF8_NAME).write_text(NEW)
    code, output = kg_build(tmp_path / "store", tmp_path)
    assert code == 0, output
    names = {q.object.value for q in stored(tmp_path / "store") if q.predicate.value.endswith("fileName")}
    assert "caf\\xe9.txt" in names


def test_special_files_are_refused_without_blocking(earlier_build: Path, tmp_path: Path) -> None:
    shutil.copytree(earlier_build, tmp_path / "store")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    os.mkfifo(inputs / "pipe.txt")
    os.mkfifo(tmp_path / "named.jsonl")
    (inputs / "new.txt").write_text(NEW)
    done = kg_capped("build", inputs, tmp_path / "named.jsonl", "/dev/zero", "--store", tmp_path / "store", timeout=90)
    for path, kind in (
        (inputs / "pipe.txt", "a FIFO"),
        (tmp_path / "named.jsonl", "a FIFO"),
        ("/dev/zero", "a character device"),
    ):
        assert f"skipped: {path}: cannot be read: {kind}, not a regular file: refused" in done.stderr
    assert done.returncode == EXIT_SKIPPED, done.stderr[-2000:]
    assert vocab.article_graph(article_id(NEW)) in {q.graph_name.value for q in stored(tmp_path / "store")}


def test_a_long_glued_run_is_built_in_bounded_memory(tmp_path: Path) -> None:
    glued = ("thewarinukrainehasenteredasecondyear" * 11_100)[:399_000]
    lines = [json.dumps({"id": "glued", "text": f"Talks began. {glued} ended."}), json.dumps({"text": OTHER})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines))
    done = kg_capped("build", tmp_path / "feed.jsonl", "--store", tmp_path / "store", timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "read 2 articles" in done.stdout


def test_a_missing_path_is_named_and_the_rest_is_built(earlier_build: Path, tmp_path: Path) -> None:
    shutil.copytree(earlier_build, tmp_path / "store")
    (tmp_path / "new.txt").write_text(NEW)
    code, output = kg_build(tmp_path / "store", tmp_path / "missing.txt", tmp_path / "new.txt")
    assert f"skipped: {tmp_path}/missing.txt: no such file" in output
    assert code == EXIT_SKIPPED
    assert vocab.article_graph(article_id(NEW)) in {q.graph_name.value for q in stored(tmp_path / "store")}


def test_an_unreadable_file_is_named_and_the_rest_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_regular = ingest.open_regular

    def refuse(path: Path, within: Path | None = None) -> BinaryIO:
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return open_regular(path, within)

    monkeypatch.setattr(ingest, "open_regular", refuse)
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
