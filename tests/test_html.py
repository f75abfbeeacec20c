"""Text as it arrives from the web: HTML pages, mojibake and timestamp dates.

The pages are written here, with the boilerplate news sites wrap an article in:
navigation, related headlines, an author bio, readers' comments, scripts and a
footer. Every name and claim in the boilerplate is one the body never uses, so
any of them reaching the graph is boilerplate that leaked.
"""

from __future__ import annotations

from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
import pytest

from kg import vocab
from kg.build import build
from kg.facts import export_facts
from kg.ingest import parse_date, read_paths
from kg.store import OxigraphStore

pytestmark = pytest.mark.slow

BOILERPLATE_NAMES = ("Oscar Pratt", "Helena Vogt", "Jack Rook", "Tom Ellery", "Morning Courier", "Madrid", "Lisbon")

BODY = """
<h1>Ministers meet in Vienna</h1>
<p>Austrian Foreign Minister Karl Brenner met his Danish counterpart Mette Lund in Vienna on Tuesday to discuss
energy supplies for the coming winter, officials from both governments said.</p>
<p>"We agreed that no country should face the winter alone," Brenner told reporters after the meeting, which
lasted more than three hours at the foreign ministry.</p>
<p>Lund said Denmark would send engineers to help repair two pipelines damaged in a storm, and that a joint
plan would be published next week.</p>
"""

BOILERPLATE = {
    "head": """<script>window.dataLayer = [{"author": "Tom Ellery", "headline": "Oscar Pratt said talks failed"}];
</script><style>.menu { color: red }</style>""",
    "nav": """<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>""",
    "related": """<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/a">Oscar Pratt says he is open to talks with Lisbon</a></li>
<li><a href="/b">Helena Vogt warns that the winter will be hard</a></li></ul></aside>""",
    "bio": """<section class="author-bio"><p>Tom Ellery is our Europe correspondent. He previously reported
from Madrid for the Morning Courier.</p></section>""",
    "comments": """<section id="comments"><h3>3 comments</h3>
<div class="comment"><p>Jack Rook said: "Brenner promised nothing new, as usual."</p></div>
<div class="comment"><p>Helena Vogt met Oscar Pratt in Madrid last year and they agreed on everything.</p></div>
</section>""",
    "foot": """<footer><p>Copyright 2024 Morning Courier. All rights reserved.</p></footer>
<script>track("Oscar Pratt", "Jack Rook")</script>""",
}


def page(date_markup: str, last: str) -> str:
    """A news page: the body and its `last` paragraph wrapped in every kind of boilerplate, dated by `date_markup`."""
    b = BOILERPLATE
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Ministers meet in Vienna | Morning Courier</title>
{date_markup}{b["head"]}</head>
<body>{b["nav"]}<main><article>{BODY}<p>{last}</p></article>{b["related"]}{b["bio"]}{b["comments"]}</main>{b["foot"]}</body></html>"""


PAGES = {
    "meta.html": (
        page(
            '<meta property="article:published_time" content="2024-05-14T09:41:00+02:00">',
            "The talks are to resume in Copenhagen.",
        ),
        "2024-05-14",
    ),
    "jsonld.html": (
        page(
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-21T07:15:00Z"}'
            "</script>",
            "Both ministers are to meet again in the spring.",
        ),
        "2024-05-21",
    ),
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    for name, (markup, _) in PAGES.items():
        (folder / name).write_text(markup, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def facts(pages: Path) -> dict:
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    build([pages], store)
    return export_facts(store)


def test_pages_are_read_with_their_publication_date(pages: Path) -> None:
    articles, _ = read_paths([pages])
    assert {a.name: a.date for a in articles} == {name: date for name, (_, date) in PAGES.items()}
    for article in articles:
        assert "Karl Brenner" in article.text and not any(n in article.text for n in BOILERPLATE_NAMES)


def test_no_fact_comes_from_the_boilerplate(facts: dict) -> None:
    names = {e["name"] for e in facts["entities"]}
    assert {"Karl Brenner", "Mette Lund", "Vienna"} <= names
    assert not names & set(BOILERPLATE_NAMES)
    leaked = [
        fact
        for kind in ("statements", "events", "roles")
        for fact in facts[kind]
        if any(n in str(fact) for n in BOILERPLATE_NAMES)
    ]
    assert leaked == []


def test_statements_are_dated_by_the_page(facts: dict) -> None:
    said = {(s["speaker"], s["date"], tuple(sorted(s["articles"]))) for s in facts["statements"]}
    assert ("Karl Brenner", "2024-05-14", ("meta.html",)) in said
    assert ("Karl Brenner", "2024-05-21", ("jsonld.html",)) in said


def test_mojibake_is_repaired(tmp_path: Path) -> None:
    """UTF-8 read as Windows-1252 and saved again ("â€œusefulâ€\x9d"), as scrapers do."""
    text = "Volodymyr Zelenskyy said the talks were “useful” — and that more would follow."
    mangled = text.encode("utf-8").decode("sloppy-windows-1252")
    (tmp_path / "a.txt").write_bytes(mangled.encode("utf-8"))
    [article], [note] = read_paths([tmp_path])
    assert article.text == text
    assert "mojibake" in note.message and not note.skipped


def test_sound_text_is_left_alone(tmp_path: Path) -> None:
    text = "Recep Tayyip Erdoğan met Luiz Inácio Lula da Silva in Brasília; “talks” — and a café — followed."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    [article], problems = read_paths([tmp_path])
    assert article.text == text and problems == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-03-17", "2023-03-17"),
        ("2023-03", "2023-03"),
        ("2023-03-17T09:41:00Z", "2023-03-17"),
        ("2023-03-17T23:41:00+08:00", "2023-03-17"),
        ("2023-03-17 09:41", "2023-03-17"),
        ("Fri, 17 Mar 2023 09:41:00 +0800", "2023-03-17"),
        ("Fri, 17 Mar 2023 09:41:00 GMT", "2023-03-17"),
        ("next Tuesday", None),
        ("2023-02-30", None),
        ("2023-02-30T10:00:00Z", None),
    ],
)
def test_date_metadata(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected
