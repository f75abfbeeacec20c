"""Reading articles: headers, feeds, sidecars, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import CONTROL, MAX_ARTICLE_BYTES, article_id, parse_date, read_paths

BODY = "Chinese President Xi Jinping met Vladimir Putin in Moscow on Monday."


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_txt_headers_give_metadata_and_are_removed_from_the_text(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", f"url: https://example.org/a\ndate: 2023-03-18\ntitle: Xi meets Putin\n{BODY}\n")
    [article], problems = read_paths([tmp_path])
    assert problems == []
    assert (article.date, article.url, article.title) == ("2023-03-18", "https://example.org/a", "Xi meets Putin")
    assert article.text == BODY
    assert article.name == "a.txt"


def test_date_prefix_line_as_in_wire_copy(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", f" date 2023-03-18 HONG KONG {BODY}")
    [article], _ = read_paths([tmp_path])
    assert article.date == "2023-03-18"
    assert article.text.startswith("HONG KONG Chinese")


def test_same_text_same_id_so_reingesting_changes_nothing(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BODY)
    [first], _ = read_paths([tmp_path])
    [again], _ = read_paths([tmp_path / "a.txt"])
    assert first.id == again.id == article_id(BODY)


def test_jsonl_feed_with_a_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "x1", "text": BODY, "date": "2023-03-18", "url": "https://e.org/1"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": BODY + " Again."}),
    ]
    feed = write(tmp_path, "feed.jsonl", "\n".join(lines))
    articles, problems = read_paths([feed])
    assert [a.name for a in articles] == ["x1", "feed-4"]
    assert articles[0].date == "2023-03-18"
    assert [p.source for p in problems] == [f"{feed}:2", f"{feed}:3"]
    assert all("malformed JSONL" in p.message and p.skipped for p in problems)


def test_sidecar_csv_gives_dates_and_urls(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "articles.csv", "file,date,url\na.txt,2023-03-17,https://example.org/a\n")
    [article], _ = read_paths([tmp_path])
    assert (article.date, article.url) == ("2023-03-17", "https://example.org/a")


def test_bad_inputs_are_reported_by_file_and_the_rest_is_read(tmp_path: Path) -> None:
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path, "huge.txt", "word " * (MAX_ARTICLE_BYTES // 5 + 1))
    write(tmp_path, "good.txt", BODY)
    write(tmp_path, "copy.txt", BODY)
    articles, problems = read_paths([tmp_path])
    assert [a.name for a in articles] == ["copy.txt"]
    by_file = {Path(p.source).name: p.message for p in problems}
    assert by_file["empty.txt"] == "empty file"
    assert "binary" in by_file["binary.txt"]
    assert "larger than" in by_file["huge.txt"]
    assert "duplicate of" in by_file["good.txt"]


def test_non_utf8_and_html_are_read_with_a_note(tmp_path: Path) -> None:
    write(tmp_path, "latin.txt", "Caf\xe9 talks: Xi met Putin.".encode("cp1252"))
    body = "Xi met <b>Putin</b> in Moscow on Monday for talks on trade and energy, the ministry said."
    write(tmp_path, "page.txt", f"<html><body><article><p>{body}</p></article><script>alert(1)</script></body></html>")
    articles, problems = read_paths([tmp_path])
    texts = {a.name: a.text for a in articles}
    assert texts["latin.txt"] == "Café talks: Xi met Putin."
    assert texts["page.txt"] == body.replace("<b>", "").replace("</b>", "")
    assert all(not p.skipped for p in problems) and len(problems) == 2


def test_unparseable_date_header_is_reported_and_dropped(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", f"date: next Tuesday\n{BODY}")
    [article], [problem] = read_paths([tmp_path])
    assert article.date is None
    assert "unparseable date" in problem.message and not problem.skipped


def test_parse_date_keeps_precision_and_rejects_impossible_dates() -> None:
    assert parse_date("2023-03") == "2023-03"
    assert parse_date("2023") == "2023"
    assert parse_date("2023-02-30") is None
    assert parse_date("March 3") is None


FIELD = st.one_of(
    st.text(st.characters(exclude_categories=[])), st.integers(), st.none(), st.lists(st.integers(), max_size=2)
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.dictionaries(st.sampled_from(["text", "id", "date", "url", "title"]), FIELD), max_size=4))
def test_any_feed_line_gives_clean_records_or_a_named_skip(tmp_path: Path, items: list[dict]) -> None:
    lines = [json.dumps(item) for item in items]  # lone surrogates and controls escaped as \udXXX, \u00XX
    feed = write(tmp_path, "feed.jsonl", "\n".join(lines))
    articles, problems = read_paths([feed])
    for article in articles:
        fields = [article.text, article.name, article.source, article.date, article.url, article.title]
        for value in filter(None, fields):
            value.encode("utf-8")
            assert not CONTROL.search(value), value
    assert len(articles) + len({p.source for p in problems if p.skipped}) <= len(lines)
    assert all(p.source.startswith(f"{feed}:") for p in problems)
