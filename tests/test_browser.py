"""The pages in Chromium (Playwright): the graph draws, search and details work, SPARQL runs, scripts stay text.

Uses the system's Chromium (never a downloaded one): without it the tests are
skipped, or fail when ``CI=true``. Screenshots go to ``tests/artifacts/``.
Every page must load nothing from another host and fire no dialog.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import networkx as nx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright
from test_pages import PUTIN, XI, XSS_LABEL, XSS_TITLE, ZELENSKYY, hostile_store

from kg import views

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
LARGE = 5000
STABLE_WITHIN_MS = 60_000
LABELS_WITH_SCRIPT = (
    'SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(CONTAINS(?label, "onerror")) }'
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless system Chromium."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@pytest.fixture
def base_url(start_server: Callable[[FastAPI], str], make_app: Callable[..., FastAPI]) -> str:
    """A live server of the app over the hostile fixture store (interactions happened; script in labels)."""
    return start_server(make_app(hostile_store()))


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page of the live app; afterwards, asserts it fired no dialog, threw nothing and fetched only from the app."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    outside: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda error: errors.append(str(error)))

    def only_the_app(route: Route) -> None:
        if urlparse(route.request.url).netloc == urlparse(base_url).netloc:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab.route("**/*", only_the_app)
    yield tab
    context.close()
    assert (dialogs, errors, outside) == ([], [], [])


def screenshot(page: Page, name: str) -> None:
    """Save a screenshot of `page` as ``tests/artifacts/<name>.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def open_graph(page: Page, url: str, timeout: float = 15_000) -> None:
    """Open a graph page and wait until its physics has stabilised and stopped."""
    page.goto(url)
    expect(page.locator('#graph[data-physics="off"]')).to_have_count(1, timeout=timeout)


def painted_pixels(page: Page) -> int:
    """Pixels of the graph's canvas that are not transparent."""
    return page.evaluate("""() => {
        const canvas = document.querySelector("#graph canvas");
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
        return painted;
    }""")


def node_point(page: Page, node_id: str) -> tuple[float, float]:
    """Where the centre of a node of the drawn graph is on the page."""
    point = page.evaluate(
        """(id) => {
            const network = window.kgGraph.network;
            const dom = network.canvasToDOM(network.getPositions([id])[id]);
            const box = document.querySelector("#graph canvas").getBoundingClientRect();
            return { x: box.left + dom.x, y: box.top + dom.y };
        }""",
        node_id,
    )
    return point["x"], point["y"]


def test_graph_page_draws_its_nodes(page: Page) -> None:
    open_graph(page, "/graph/interactions")
    count = int(page.locator("#graph").get_attribute("data-node-count"))
    assert count == page.evaluate("window.kgGraph.nodes.length") == 4
    assert painted_pixels(page) > 1000
    screenshot(page, "graph-interactions")


def test_search_finds_and_selects_putin(page: Page) -> None:
    open_graph(page, "/graph/interactions")
    page.fill("#search-box", "putin")
    page.press("#search-box", "Enter")
    assert page.evaluate("window.kgGraph.network.getSelectedNodes()") == [PUTIN]
    expect(page.locator("#details h2")).to_have_text("Vladimir Putin")
    screenshot(page, "graph-search-putin")


def test_clicking_a_node_shows_its_details_and_links_to_its_page(page: Page) -> None:
    open_graph(page, "/graph/interactions")
    page.mouse.click(*node_point(page, XI))
    expect(page.locator("#details h2")).to_have_text("Xi Jinping")
    expect(page.locator("#details dl")).to_contain_text("Centrality1st of 4 by PageRank")
    expect(page.locator("#details a.wikidata")).to_have_attribute("href", f"https://www.wikidata.org/wiki/{XI}")
    screenshot(page, "graph-click-panel")
    page.click("#details a.page")
    expect(page).to_have_url(re.compile(f"/entity/{XI}$"))
    expect(page.locator("h1")).to_have_text("Xi Jinping")


def test_entity_page_shows_an_evidence_sentence(page: Page) -> None:
    page.goto(f"/entity/{PUTIN}")
    expect(page.locator("ul.evidence q").first).to_have_text(
        "Xi Jinping will visit Russia from March 20 to 22 at the invitation of Vladimir Putin."
    )
    screenshot(page, "entity-putin")


def test_sparql_page_runs_the_example_query(page: Page) -> None:
    page.goto("/query")
    page.click("#run")
    table = page.locator("#results table")
    expect(table).to_have_count(1)
    assert int(table.get_attribute("data-row-count")) > 0
    expect(table.locator("a", has_text=f"/entity/{PUTIN}")).to_have_attribute("href", f"/entity/{PUTIN}")
    expect(page.locator("#query-status")).to_contain_text("rows")
    screenshot(page, "sparql")


def test_sparql_page_shows_the_parser_error(page: Page) -> None:
    page.goto("/query")
    page.fill("#query", "SELECT nonsense")
    page.click("#run")
    expect(page.locator("#query-status")).to_contain_text("Error 400")


def test_scripts_in_labels_and_titles_stay_text(page: Page) -> None:
    page.goto(f"/entity/{ZELENSKYY}")
    expect(page.locator("h1")).to_have_text(XSS_LABEL)
    page.goto("/event/event-visit")
    expect(page.locator("body")).to_contain_text(XSS_TITLE)
    open_graph(page, "/graph/interactions")
    page.mouse.move(*node_point(page, ZELENSKYY), steps=5)
    expect(page.locator(".vis-tooltip")).to_contain_text(XSS_LABEL)
    screenshot(page, "graph-hostile-tooltip")
    page.fill("#search-box", "zelenskyy")
    page.press("#search-box", "Enter")
    expect(page.locator("#details h2")).to_have_text(XSS_LABEL)
    page.goto("/query")
    page.fill("#query", LABELS_WITH_SCRIPT)
    page.click("#run")
    expect(page.locator("#results td")).to_have_text(XSS_LABEL)
    assert page.locator("img").count() == 0


PAGES = ("/", *(f"/graph/{v}" for v in views.VIEWS), f"/entity/{PUTIN}", "/event/event-visit", "/disputed", "/query")
DOCS = ("/docs", "/redoc")


def test_every_page_fetches_only_from_the_app_and_logs_no_404_or_error(browser: Browser, base_url: str) -> None:
    tab = browser.new_page()
    requests: list[str] = []
    problems: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda error: problems.append(f"error: {error}"))
    tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort())
    icons = {}
    for path in (*PAGES, *DOCS):
        tab.goto(base_url + path, wait_until="networkidle")
        icons[path] = tab.eval_on_selector_all('link[rel~="icon"]', "links => links.map((l) => l.href)")
    assert all(icons.values()), f"a page without an icon (the browser asks for /favicon.ico): {icons}"
    assert all(tab.request.get(url).ok for urls in icons.values() for url in urls)
    expect(tab.locator(".redoc-wrap")).to_have_count(1)
    tab.goto(base_url + "/docs", wait_until="networkidle")
    expect(tab.locator(".swagger-ui .opblock").first).to_be_visible()
    screenshot(tab, "docs-offline")
    tab.close()
    outside = [url for url in requests if urlparse(url).hostname != "127.0.0.1" and not url.startswith("data:")]
    assert (outside, problems) == ([], [])


def label_boxes(page: Page) -> list[dict[str, float]]:
    """Screen boxes of the labels drawn (not hidden), as vis-network measured them when drawing."""
    return page.evaluate("""() => {
        const network = window.kgGraph.network;
        return [...window.kgGraph.labelsShown].map((id) => {
            const size = network.body.nodes[id].labelModule.size;
            const a = network.canvasToDOM({ x: size.left, y: size.top });
            const b = network.canvasToDOM({ x: size.left + size.width, y: size.top + size.height });
            return { left: a.x, top: a.y, right: b.x, bottom: b.y };
        });
    }""")


def overlapping(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    """Pairs of boxes that overlap (by more than a pixel)."""
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[:i])
        if min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
    ]


@pytest.fixture
def samples_url(start_server: Callable[[FastAPI], str], make_app: Callable[..., FastAPI], sample_store) -> str:
    """A live server of the app over the sample articles."""
    return start_server(make_app(sample_store))


def test_the_samples_co_mention_view_is_readable(browser: Browser, samples_url: str) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    open_graph(tab, samples_url + "/graph/co-mention")
    tab.wait_for_timeout(300)
    nodes = int(tab.locator("#graph").get_attribute("data-node-count"))
    drawn = tab.evaluate("window.kgGraph.network.body.data.edges.length")
    assert nodes == 64 and drawn <= 3 * nodes, "each node's strongest links, not all 1,316"
    expect(tab.locator("#thinned")).to_contain_text("Draw all 1316 links")
    boxes = label_boxes(tab)
    assert len(boxes) >= 20 and overlapping(boxes) == []
    screenshot(tab, "graph-co-mention-samples")
    box = tab.locator("#graph canvas").bounding_box()
    tab.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(4):
        tab.mouse.wheel(0, -200)
        tab.wait_for_timeout(100)
    tab.wait_for_timeout(500)
    zoomed = label_boxes(tab)
    assert len(zoomed) > len(boxes) and overlapping(zoomed) == [], "zooming in makes room for more labels"
    tab.close()


def test_the_samples_actor_event_view_shows_planned_events_dashed(browser: Browser, samples_url: str) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    open_graph(tab, samples_url + "/graph/actor-event?status=planned")
    dashed = tab.evaluate(
        "window.kgGraph.nodes.get().filter((n) => n.shapeProperties && n.shapeProperties.borderDashes).length"
    )
    assert dashed == tab.evaluate("window.kgGraph.nodes.get().filter((n) => n.shape === 'square').length") > 0
    expect(tab.locator("ul.legend")).to_contain_text("planned, not yet happened")
    screenshot(tab, "graph-actor-event-planned")
    open_graph(tab, samples_url + "/graph/actor-event")
    screenshot(tab, "graph-actor-event-samples")
    open_graph(tab, samples_url + "/graph/interactions?status=planned")
    assert tab.evaluate("window.kgGraph.network.body.data.edges.get().every((e) => e.dashes)")
    screenshot(tab, "graph-interactions-planned-samples")
    tab.close()


def large_view(size: int = LARGE) -> nx.Graph:
    """A scale-free graph of `size` people."""
    g = nx.relabel_nodes(nx.barabasi_albert_graph(size, 2, seed=1), lambda n: f"p{n}")
    nx.set_node_attributes(g, {n: {"label": f"Person {n}", "type": "Person", "kind": "actor"} for n in g})
    return g


def test_a_large_graph_stabilises_and_stops(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "build_view", lambda *args: large_view())
    open_graph(page, "/graph/interactions", timeout=STABLE_WITHIN_MS)
    assert page.locator("#graph").get_attribute("data-node-count") == str(LARGE)
    before = page.evaluate("window.kgGraph.network.getPositions(['p0', 'p4999'])")
    page.wait_for_timeout(500)
    assert page.evaluate("window.kgGraph.network.getPositions(['p0', 'p4999'])") == before
    assert painted_pixels(page) > 1000
    screenshot(page, "graph-5000")
