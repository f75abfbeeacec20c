"""Reading articles from `.txt` files, `.jsonl` feeds and sidecar metadata.

Bad input never stops a build: every file or line that cannot be used becomes
a `Problem` naming it, and reading goes on.

What a folder may hold: its article files are read, and only they. Links that
lead out of the folder, or nowhere, are named and not followed; linked folders
are not entered. Anything that is not a regular file (a FIFO, a device, a
socket) is refused before a byte is read, so nothing blocks or reads forever.
Every string of a record is checked as it is read: one that is not valid
Unicode (a lone surrogate from a JSON escape) gets its line skipped; control
characters other than tab and line breaks become spaces, so no later stage
(RDF, XML results) meets them. Names of files that are not UTF-8 are shown
with their bytes escaped.
"""

from __future__ import annotations

import csv
import email.utils
import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO

import ftfy
import trafilatura

from kg.model import Article

MAX_ARTICLE_BYTES = 400_000
"""Largest article read: spaCy parses at most 1,000,000 characters, and repair may add spaces."""
SIDECARS = ("articles.csv", "articles.json")
MAX_SIDECAR_BYTES = 20_000_000
"""Largest sidecar of metadata read (some 100,000 rows)."""
ARTICLE_SUFFIXES = (".txt", ".jsonl", ".html", ".htm")
"""Files a folder's articles are read from."""
HEADER = re.compile(r"(?i)^\s*(url|date|title)\s*:\s*(.*?)\s*$")
DATE_PREFIX = re.compile(r"^\s*date\s+(\S+)[ \t]*")
HTML_HINT = re.compile(r"(?is)^\s*(<!doctype html|<html|<head|<body|<p>|<div|<article)")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Characters no article holds: C0 and C1 controls except tab and line breaks, and the non-characters XML refuses."""
SURROGATE = re.compile(r"[\ud800-\udfff]")
FEED_LINE = re.compile(r"(.*\.jsonl):\d+", re.DOTALL)
FEED_FIELDS = ("id", "date", "url", "title")
"""Metadata a JSONL line may carry beside its `text`."""
SPECIAL_FILES = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


@dataclass(frozen=True)
class Problem:
    """An input that was skipped (or read with a caveat), and why."""

    source: str
    message: str
    skipped: bool = True


def article_id(text: str) -> str:
    """Stable id from content: the same text always gets the same id."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def article_key(article: Article) -> str | None:
    """What an article is across its versions: its file, and for a feed line its `id` (else its line number).

    A later version of the same key replaces the earlier one; an article read from nowhere has no key. The
    file is named by its absolute path, so a file read once by a relative path and once by an absolute one
    (or from another working folder) is one article.
    """
    if m := FEED_LINE.fullmatch(article.source):
        return f"{os.path.abspath(m.group(1))}#{article.name}"
    return os.path.abspath(article.source) if article.source else None


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


def shown(path: Path | str) -> str:
    """A path as messages and records show it: bytes that are not UTF-8 and control characters escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else "\\ufffd", text)


def clean(value: str, field: str) -> tuple[str, int]:
    """`value` with control characters replaced by spaces, and how many were.

    Raises:
        ValueError: `value` holds a lone surrogate, so it is not text that UTF-8 can store.
    """
    if m := SURROGATE.search(value):
        raise ValueError(f"{field!r} is not valid Unicode (lone surrogate U+{ord(m.group()):04X} at {m.start()})")
    return CONTROL.subn(" ", value)


def control_note(source: str, count: int) -> list[Problem]:
    """A note that `count` control characters of an article were replaced (none when there were none)."""
    return [Problem(source, f"{count} control character(s) replaced by spaces", False)] if count else []


def open_regular(path: Path, within: Path | None = None) -> BinaryIO:
    """Open a regular file for reading; anything else is refused without waiting (a FIFO opens at once).

    Args:
        path: The file.
        within: The real folder the opened file must be in: checked on the file opened, so a link swapped in
            after the folder was walked is refused too.

    Raises:
        OSError: The file cannot be opened, is not a regular file, or is not in `within`.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    mode = os.fstat(fd).st_mode
    refusal = None if stat.S_ISREG(mode) else SPECIAL_FILES.get(stat.S_IFMT(mode), "a special file")
    if refusal:
        refusal = f"{refusal}, not a regular file: refused"
    elif within is not None and not opened_path(fd, path).is_relative_to(within):
        refusal = "a link out of the folder, not followed"
    if refusal:
        os.close(fd)
        raise OSError(errno.EINVAL, refusal)
    return os.fdopen(fd, "rb")


def opened_path(fd: int, path: Path) -> Path:
    """The real path of the file open as `fd` (where the system cannot tell, the real path of `path` now)."""
    proc = Path(f"/proc/self/fd/{fd}")
    return Path(os.readlink(proc)) if proc.exists() else Path(os.path.realpath(path))


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


def read_txt(path: Path, within: Path | None = None) -> tuple[list[Article], list[Problem]]:
    """One article from a `.txt` file (its size checked before it is read; in folder `within`, if given)."""
    source = shown(path)
    with open_regular(path, within) as fh:
        if (size := os.fstat(fh.fileno()).st_size) > MAX_ARTICLE_BYTES:
            return [], [too_large(source, size)]
        data = fh.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:  # it grew since
        return [], [too_large(source, len(data))]
    text, problems = decode(data, source)
    if text is None:
        return [], problems
    text, replaced = CONTROL.subn(" ", text)
    body, meta = split_headers(text)
    article, more = make_article(body, shown(path.name), source, meta)
    return ([article] if article else []), problems + control_note(source, replaced) + more


def numbered_lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """The lines of a file numbered from 1; a line longer than `limit` bytes is read in pieces and given as its size."""
    for n, line in enumerate(iter(partial(fh.readline, limit + 1), b""), start=1):
        size = len(line)
        while size > limit and not line.endswith(b"\n") and (line := fh.readline(limit + 1)):
            size += len(line)
        yield n, (line if size <= limit else size)


def feed_fields(line: bytes) -> tuple[dict[str, str], int]:
    """The text and metadata of one JSONL line, every one a clean string, and how many control characters went.

    Raises:
        ValueError: The line is not a JSON object with a string `text`, or a field is not a valid string.
    """
    try:
        item = json.loads(line)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise ValueError("not a JSON object with a string 'text'")
    fields, replaced = {}, 0
    for name in ("text", *FEED_FIELDS):
        value = item.get(name)
        if value in (None, "") and name != "text":
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f"{name!r} is not a string")
        fields[name], count = clean(str(value), name)
        replaced += count
    return fields, replaced


def read_jsonl(path: Path, within: Path | None = None) -> tuple[list[Article], list[Problem]]:
    """Articles from a `.jsonl` file (in folder `within`, if given): one JSON object per line with `text` and
    optional metadata."""
    articles: list[Article] = []
    problems: list[Problem] = []
    with open_regular(path, within) as fh:
        for n, line in numbered_lines(fh, MAX_ARTICLE_BYTES):
            article, more = feed_article(path, n, line)
            articles += [article] if article else []
            problems += more
    return articles, problems


def feed_article(path: Path, n: int, line: bytes | int) -> tuple[Article | None, list[Problem]]:
    """The article of line `n` of a feed (its bytes, or the size of a line too long), or why there is none."""
    source = f"{shown(path)}:{n}"
    if isinstance(line, int):
        return None, [too_large(source, line)]
    if not line.strip():
        return None, []
    try:
        fields, replaced = feed_fields(line)
    except ValueError as exc:
        return None, [Problem(source, f"malformed JSONL line: {exc}")]
    meta = {k: fields[k] for k in ("date", "url", "title") if k in fields}
    article, more = make_article(fields["text"], fields.get("id") or f"{shown(path.stem)}-{n}", source, meta)
    return article, control_note(source, replaced) + more


def sidecar_rows(path: Path) -> dict[str, dict[str, str]]:
    """Metadata by file name from a sidecar: a CSV with a header, or a JSON list of objects, each with `file`."""
    with open_regular(path, path.parent.resolve()) as fh:
        data = fh.read(MAX_SIDECAR_BYTES + 1)
    if len(data) > MAX_SIDECAR_BYTES:
        raise ValueError(f"larger than the {MAX_SIDECAR_BYTES:,}-byte limit")
    text = data.decode("utf-8")
    rows = list(csv.DictReader(text.splitlines())) if path.suffix == ".csv" else json.loads(text)
    return {row["file"]: {k: clean(str(v), k)[0] for k, v in row.items() if k != "file" and v} for row in rows}


def read_sidecar(folder: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Per-file metadata from `articles.csv` (columns file, date, url, title) or `articles.json`.

    A sidecar that cannot be read, or that links out of its folder, is left out, with a Problem naming it.
    """
    for path in (folder / name for name in SIDECARS):
        if not os.path.lexists(path):
            continue
        if problem := link_problem(path, folder.resolve()):
            return {}, [problem]
        try:
            return sidecar_rows(path), []
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError, csv.Error, OSError) as exc:
            return {}, [Problem(shown(path), f"sidecar metadata not read: {type(exc).__name__}: {exc}")]
    return {}, []


def link_problem(path: Path, root: Path) -> Problem | None:
    """Why the link `path` is not followed (it loops, leads nowhere or out of `root`); None when it may be."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        return Problem(shown(path), "a link that loops or leads nowhere, not followed")
    return None if target.is_relative_to(root) else Problem(shown(path), "a link out of the folder, not followed")


def walk(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The article files under `folder`, sorted, and the links not followed (linked folders are never entered)."""
    root = folder.resolve()
    found: list[Path] = []
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        problems.append(Problem(shown(exc.filename), f"cannot be read: {exc.strerror or exc}"))

    for top, dirs, files in os.walk(folder, onerror=unreadable):  # links to folders are listed, not walked
        problems += filter(None, (link_problem(Path(top) / name, root) for name in dirs))
        for path in (Path(top) / name for name in files if name.endswith(ARTICLE_SUFFIXES)):
            if problem := link_problem(path, root):
                problems.append(problem)
            else:
                found.append(path)
    return sorted(found), problems


def _inputs(paths: list[Path]) -> Iterator[tuple[Path, Path | None] | Problem]:
    """The files to read, each with the real folder it must be in: named files as they are (in any folder), the
    article files of named folders, and what was not followed."""
    for path in paths:
        if path.is_dir():
            found, problems = walk(path)
            yield from problems
            yield from ((p, path.resolve()) for p in found)
        else:
            yield path, None


def read_paths(paths: list[Path], later: Collection[Path] = ()) -> tuple[list[Article], list[Problem]]:
    """All articles under `paths` (files or folders), duplicates removed, with every problem found.

    Files in `later` (still being written) are left for a later read.
    """
    articles: dict[str, Article] = {}
    problems: list[Problem] = []
    sidecars: dict[Path, dict[str, dict[str, str]]] = {}
    postponed = {os.path.abspath(p) for p in later}
    for item in _inputs(paths):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        path, within = item
        if os.path.abspath(path) in postponed:
            problems.append(Problem(shown(path), "still being written: left for the next build"))
            continue
        found, more = read_file(path, within)
        problems += more
        if found and path.parent not in sidecars:
            sidecars[path.parent], more = read_sidecar(path.parent)
            problems += more
        meta = sidecars.get(path.parent, {}).get(path.name, {})
        for article in found:
            article = _with_sidecar(article, meta)
            if article.id in articles:
                problems.append(Problem(article.source, f"duplicate of {articles[article.id].source}"))
                continue
            articles[article.id] = article
    return list(articles.values()), problems


def read_file(path: Path, within: Path | None = None) -> tuple[list[Article], list[Problem]]:
    """The articles of one `.txt` or `.jsonl` file (in the real folder `within`, if given), or why it cannot be
    read."""
    if not os.path.lexists(path):
        return [], [Problem(shown(path), "no such file")]
    reader = read_jsonl if path.suffix == ".jsonl" else read_txt
    try:
        return reader(path, within)
    except OSError as exc:  # unreadable: permissions, not a regular file, a file removed meanwhile
        return [], [Problem(shown(path), f"cannot be read: {exc.strerror or exc}")]


def _with_sidecar(article: Article, meta: dict[str, str]) -> Article:
    return replace(
        article,
        date=article.date or parse_date(meta.get("date", "")),
        url=article.url or meta.get("url"),
        title=article.title or meta.get("title"),
    )
