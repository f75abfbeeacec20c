"""Reading articles from `.txt` files, `.jsonl` feeds and sidecar metadata.

Bad input never stops a build: every file or line that cannot be used becomes
a `Problem` naming it, and reading goes on.
"""

from __future__ import annotations

import csv
import email.utils
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path

import ftfy
import trafilatura

from kg.model import Article

MAX_ARTICLE_BYTES = 400_000
"""Largest article read: spaCy parses at most 1,000,000 characters, and repair may add spaces."""
SIDECARS = ("articles.csv", "articles.json")
ARTICLE_SUFFIXES = (".txt", ".jsonl", ".html", ".htm")
"""Files a folder's articles are read from."""
HEADER = re.compile(r"(?i)^\s*(url|date|title)\s*:\s*(.*?)\s*$")
DATE_PREFIX = re.compile(r"^\s*date\s+(\S+)[ \t]*")
HTML_HINT = re.compile(r"(?is)^\s*(<!doctype html|<html|<head|<body|<p>|<div|<article)")


@dataclass(frozen=True)
class Problem:
    """An input that was skipped (or read with a caveat), and why."""

    source: str
    message: str
    skipped: bool = True


def article_id(text: str) -> str:
    """Stable id from content: the same text always gets the same id."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def parse_date(value: str) -> str | None:
    """The ISO date (YYYY-MM-DD, YYYY-MM or YYYY) of `value`, else None.

    Also read: ISO timestamps with a time and zone (``2023-03-17T09:41:00Z``, ``+08:00``)
    and RFC 2822 dates (``Fri, 17 Mar 2023 09:41:00 +0800``); the date is the one written,
    in the zone of the timestamp.
    """
    value = value.strip()
    for pattern, n in ((r"\d{4}-\d{2}-\d{2}", 10), (r"\d{4}-\d{2}", 7), (r"\d{4}", 4)):
        if re.fullmatch(pattern, value):
            try:
                date.fromisoformat((value + "-01-01")[:10])
            except ValueError:
                return None
            return value[:n]
    return timestamp_date(value)


def timestamp_date(value: str) -> str | None:
    """The date of an ISO 8601 timestamp or an RFC 2822 date, else None."""
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


@dataclass(frozen=True)
class Page:
    """What an HTML page holds for us: the article's text and its publication date (ISO), if found."""

    text: str
    date: str | None


def html_to_text(markup: str) -> Page:
    """The article of an HTML page, its paragraphs kept apart, and the page's publication date.

    trafilatura keeps the body and drops navigation, related headlines, comments, author
    bios and scripts; the date comes from the page's metadata (``article:published_time``,
    JSON-LD, ``<time>``...).
    """
    found = trafilatura.bare_extraction(markup, include_comments=False, with_metadata=True)
    if found is None or not found.text:
        return Page("", None)
    paragraphs = [line.strip() for line in found.text.split("\n") if line.strip()]
    return Page("\n\n".join(paragraphs), parse_date(found.date or "") if found.date else None)


def too_large(source: str, size: int) -> Problem:
    """Why an article of `size` bytes (more than `MAX_ARTICLE_BYTES`) is refused."""
    return Problem(source, f"{size:,} bytes is larger than the {MAX_ARTICLE_BYTES:,}-byte limit")


def decode(data: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """Text of a file's bytes, or None with the reason it is not text."""
    if not data.strip():
        return None, [Problem(source, "empty file")]
    if b"\x00" in data[:8192]:
        return None, [Problem(source, "binary file (contains NUL bytes), not an article")]
    try:
        text, problems = data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        note = Problem(source, f"not UTF-8 ({exc.reason} at byte {exc.start}); read as Windows-1252", False)
        text, problems = data.decode("cp1252", errors="replace"), [note]
    return unmangled(text, source, problems)


def unmangled(text: str, source: str, problems: list[Problem]) -> tuple[str, list[Problem]]:
    """Text with mojibake repaired ("Zelenskyyâ€" -> "Zelenskyy”") by ftfy, which leaves sound text alone."""
    fixed = ftfy.fix_encoding(text)
    if fixed != text:
        problems = [*problems, Problem(source, "mojibake repaired (text decoded with the wrong encoding)", False)]
    return fixed, problems


def split_headers(text: str) -> tuple[str, dict[str, str]]:
    """Remove leading `key: value` header lines (or a ` date YYYY-MM-DD` prefix) from a .txt article."""
    meta: dict[str, str] = {}
    lines = text.split("\n")
    while lines and (m := HEADER.match(lines[0])):
        meta[m.group(1).lower()] = m.group(2)
        lines.pop(0)
    body = "\n".join(lines)
    if "date" not in meta and (m := DATE_PREFIX.match(body)) and re.match(r"\d{4}-\d", m.group(1)):
        meta["date"] = m.group(1)
        body = body[m.end() :]
    return body.strip("\n"), meta


def make_article(text: str, name: str, source: str, meta: dict[str, str]) -> tuple[Article | None, list[Problem]]:
    """An Article from body text and metadata, or the reason there is none."""
    problems: list[Problem] = []
    if HTML_HINT.match(text):
        page = html_to_text(text)
        text = page.text
        meta = {"date": page.date, **meta} if page.date else meta
        problems.append(Problem(source, "HTML markup removed", False))
    if not text.strip():
        return None, [*problems, Problem(source, "no text")]
    date_value = parse_date(meta.get("date") or "") if meta.get("date") else None
    if meta.get("date") and date_value is None:
        problems.append(Problem(source, f"unparseable date {meta['date']!r} ignored", False))
    article = Article(
        id=article_id(text),
        name=name,
        text=text,
        date=date_value,
        url=meta.get("url") or None,
        title=meta.get("title") or None,
        source=source,
    )
    return article, problems


def read_txt(path: Path) -> tuple[list[Article], list[Problem]]:
    """One article from a `.txt` file (its size checked before it is read)."""
    if (size := path.stat().st_size) > MAX_ARTICLE_BYTES:
        return [], [too_large(str(path), size)]
    text, problems = decode(path.read_bytes(), str(path))
    if text is None:
        return [], problems
    body, meta = split_headers(text)
    article, more = make_article(body, path.name, str(path), meta)
    return ([article] if article else []), problems + more


def numbered_lines(path: Path, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """The lines of a file numbered from 1; a line longer than `limit` bytes is read in pieces and given as its size."""
    with path.open("rb") as fh:
        for n, line in enumerate(iter(partial(fh.readline, limit + 1), b""), start=1):
            size = len(line)
            while size > limit and not line.endswith(b"\n") and (line := fh.readline(limit + 1)):
                size += len(line)
            yield n, (line if size <= limit else size)


def read_jsonl(path: Path) -> tuple[list[Article], list[Problem]]:
    """Articles from a `.jsonl` file: one JSON object per line with `text` and optional metadata."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for n, line in numbered_lines(path, MAX_ARTICLE_BYTES):
        source = f"{path}:{n}"
        if isinstance(line, int):
            problems.append(too_large(source, line))
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError("'text' is not a string")
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(Problem(source, f"malformed JSONL line: {exc}"))
            continue
        meta = {k: str(item[k]) for k in ("date", "url", "title") if item.get(k)}
        article, more = make_article(text, str(item.get("id") or f"{path.stem}-{n}"), source, meta)
        articles += [article] if article else []
        problems += more
    return articles, problems


def sidecar_rows(path: Path) -> dict[str, dict[str, str]]:
    """Metadata by file name from a sidecar: a CSV with a header, or a JSON list of objects, each with `file`."""
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    else:
        rows = json.loads(path.read_text(encoding="utf-8"))
    return {row["file"]: {k: str(v) for k, v in row.items() if k != "file" and v} for row in rows}


def read_sidecar(folder: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Per-file metadata from `articles.csv` (columns file, date, url, title) or `articles.json`.

    A sidecar that cannot be read is left out, with a Problem naming it.
    """
    for path in (folder / name for name in SIDECARS):
        if not path.is_file():
            continue
        try:
            return sidecar_rows(path), []
        except (ValueError, KeyError, TypeError, AttributeError, csv.Error) as exc:
            return {}, [Problem(str(path), f"sidecar metadata not read: {type(exc).__name__}: {exc}")]
    return {}, []


def _files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in ARTICLE_SUFFIXES and p.is_file())
        else:
            yield path


def read_paths(paths: list[Path]) -> tuple[list[Article], list[Problem]]:
    """All articles under `paths` (files or folders), duplicates removed, with every problem found."""
    articles: dict[str, Article] = {}
    problems: list[Problem] = []
    sidecars: dict[Path, dict[str, dict[str, str]]] = {}
    for path in _files(paths):
        if not path.exists():
            problems.append(Problem(str(path), "no such file"))
            continue
        reader = read_jsonl if path.suffix == ".jsonl" else read_txt
        try:
            found, more = reader(path)
        except OSError as exc:  # unreadable: permissions, a device, a file removed meanwhile
            problems.append(Problem(str(path), f"cannot be read: {exc.strerror or exc}"))
            continue
        problems += more
        if path.parent not in sidecars:
            sidecars[path.parent], more = read_sidecar(path.parent)
            problems += more
        meta = sidecars[path.parent].get(path.name, {})
        for article in found:
            article = _with_sidecar(article, meta)
            if article.id in articles:
                problems.append(Problem(article.source, f"duplicate of {articles[article.id].source}"))
                continue
            articles[article.id] = article
    return list(articles.values()), problems


def _with_sidecar(article: Article, meta: dict[str, str]) -> Article:
    return replace(
        article,
        date=article.date or parse_date(meta.get("date", "")),
        url=article.url or meta.get("url"),
        title=article.title or meta.get("title"),
    )
