"""The HTML pages through FastAPI's TestClient: content, filters, errors, offline assets and escaping."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable

import corpus_fixture
import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api import pages
from api.app import create_app
from kg import draw, views, vocab
from kg.config import Settings
from kg.model import ENTITY_TYPES, EVENT_TYPES
from kg.rdf import corpus_quads
from kg.store import OxigraphStore

XI, PUTIN, ZELENSKYY = "Q15031", "Q7747", "Q3874799"
XSS_LABEL = '<img src=x onerror="alert(1)">Zelenskyy<script>alert(2)</script>'
XSS_TITLE = "<script>alert(3)</script>Xi to visit"
XSS_URL = "javascript:alert(4)"
OUTSIDE = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", re.I)


def hostile_store() -> OxigraphStore:
    """The fixture corpus where the visit and video call happened, with script in a label and an article's metadata."""
    corpus = corpus_fixture.corpus()
    for fact in corpus.events[:2]:
        fact.record.status = "happened"
    next(e for e in corpus.entities if e.id == ZELENSKYY).name = XSS_LABEL
    corpus.articles[0] = dataclasses.replace(corpus.articles[0], title=XSS_TITLE, url=XSS_URL)
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    store.apply([], corpus_quads(corpus))
    return store


@pytest.fixture
def hostile(make_client: Callable[..., TestClient]) -> TestClient:
    """A client of the app over `hostile_store`."""
    return make_client(hostile_store())


def graph_data(html: str) -> dict:
    """The view data a graph page embeds for its script."""
    return json.loads(re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S)[1])


def node_count(html: str) -> int:
    """The node count a graph page reports in its DOM."""
    return int(re.search(r'data-node-count="(\d+)"', html)[1])


def test_home_links_every_page(client: TestClient) -> None:
    html = client.get("/").text
    for link in ("/graph/interactions", "/graph/co-mention", "/disputed", "/query", f"/entity/{PUTIN}"):
        assert f'href="{link}"' in html
    assert 'href="/event/event-visit"' in html
    assert "Vladimir Putin" in html


def test_home_pages_its_events_best_sourced_dated_first(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "EVENTS_PER_PAGE", 2)
    first, last = client.get("/").text, client.get("/", params={"page": 2}).text
    events = re.compile(r'href="/event/([^"]+)"')
    assert events.findall(first) == ["event-visit", "event-talks"], "3 sources before 1, dated before undated"
    assert events.findall(last) == ["event-call"] and "3–3 of 3" in last
    assert 'href="?page=2&amp;q=#events"' in first


def test_a_bad_page_number_gets_the_error_page() -> None:
    response = TestClient(create_app(corpus_fixture.store(), Settings())).get("/", params={"page": 0})
    assert response.status_code == 422 and "text/html" in response.headers["content-type"]
    assert "page: Input should be greater than or equal to 1" in response.text


def test_evidence_is_shown_repaired_with_the_original_a_click_away(monkeypatch: pytest.MonkeyPatch) -> None:
    glued = "“” The foreign ministerSergei Lavrovwill travel toIndianext week."
    corpus = corpus_fixture.corpus()
    visit = corpus.events[0]
    visit.sources = [dataclasses.replace(visit.sources[0], sentence=glued)]
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    store.apply([], corpus_quads(corpus))
    html = TestClient(create_app(store, Settings())).get("/event/event-visit").text
    shown = re.search(r"<li><q>(.*?)</q>.*?<details><summary>[^<]*</summary>(.*?)</details>", html, re.S)
    assert shown and shown.groups() == ("The foreign minister Sergei Lavrov will travel to India next week.", glued)


def test_home_finds_actors_by_name(client: TestClient) -> None:
    actors = client.get("/", params={"q": "putin"}).text.split('id="actors"')[1].split("<h2")[0]
    assert f"/entity/{PUTIN}" in actors and f"/entity/{XI}" not in actors


def test_graph_page_embeds_the_view_with_metrics(client: TestClient) -> None:
    html = client.get("/graph/co-mention").text
    data = graph_data(html)
    assert node_count(html) == len(data["nodes"]) == len(views.build_view(corpus_fixture.store(), "co-mention"))
    putin = next(n for n in data["nodes"] if n["id"] == PUTIN)
    assert putin["label"] == "Vladimir Putin" and putin["href"] == f"/entity/{PUTIN}"
    assert putin["color"] == draw.TYPE_COLORS["Person"] and putin["shape"] == "dot"
    assert draw.MIN_SIZE <= putin["size"] <= draw.MAX_SIZE
    assert 'class="swatch dot"' in html and ">Person</li>" in html


def test_the_click_panel_speaks_in_words_and_links_wikidata(client: TestClient) -> None:
    data = graph_data(client.get("/graph/co-mention").text)
    xi = {term: (text, url) for term, text, url in next(n for n in data["nodes"] if n["id"] == XI)["details"]}
    assert xi["Type"] == ("Person", None)
    assert xi["Articles"] == ("mentioned in 2 articles", None)
    assert xi["Dates"] == ("2023-03-17 to 2023-03-18", None)
    assert re.fullmatch(r"\d+(st|nd|rd|th) of 7 by PageRank", xi["Centrality"][0])
    assert xi["Wikidata"] == ("Q15031", "https://www.wikidata.org/wiki/Q15031")
    assert not {"degree", "betweenness", "pagerank", "community"} & set(xi), "no raw metric"


def test_the_legend_draws_each_type_as_the_canvas_does_in_its_own_colour() -> None:
    assert len(set(draw.TYPE_COLORS.values())) == len(draw.TYPE_COLORS), "two types share a colour"
    assert set(draw.TYPE_COLORS) == set(ENTITY_TYPES + EVENT_TYPES)
    g = nx.Graph()
    g.add_node("e", type="PhoneCall", kind="event", status="happened")
    g.add_node("v", type="VideoCall", kind="event", status="planned")
    g.add_node("p", type="Person", kind="actor")
    data = {n["id"]: n for n in draw.network_data(g)["nodes"]}
    assert [(i["type"], i["shape"]) for i in draw.legend(g)] == [
        (t, data[n]["shape"]) for t, n in (("Person", "p"), ("PhoneCall", "e"), ("VideoCall", "v"))
    ]
    assert data["v"]["shapeProperties"] == {"borderDashes": draw.BORDER_DASHES["planned"]}
    assert "shapeProperties" not in data["e"]
    assert draw.line_styles(g) == [{"style": "dashed", "meaning": "planned, not yet happened"}]


def test_planned_events_are_drawn_dashed_and_filterable(client: TestClient) -> None:
    data = graph_data(client.get("/graph/interactions").text)
    dashed = {frozenset((e["from"], e["to"])): e["title"] for e in data["edges"] if e.get("dashes")}
    assert dashed[frozenset((PUTIN, XI))].startswith("1 event: Visit")
    assert node_count(client.get("/graph/interactions", params={"status": "happened"}).text) == 0
    assert node_count(client.get("/graph/interactions", params={"status": "planned"}).text) == 3
    planned = graph_data(client.get("/graph/actor-event", params={"status": "planned"}).text)["nodes"]
    assert {n["id"] for n in planned if n["shape"] == "square"} == {"event-visit", "event-talks"}


def test_unknown_types_and_statuses_are_refused_on_every_graph_page(client: TestClient) -> None:
    for params in ({"type": "Bogus"}, {"status": "rumoured"}):
        response = client.get("/graph/interactions", params=params)
        assert response.status_code == 400 and "use one of" in response.text
    assert client.get("/entities", params={"type": "Bogus"}).status_code == 400


def test_a_dense_view_is_drawn_with_each_nodes_strongest_edges() -> None:
    g = views.with_metrics(nx.complete_graph([f"n{i}" for i in range(20)]))
    g.edges["n0", "n1"]["weight"] = 5
    thin = draw.strongest_edges(g, per_node=2)
    assert draw.needs_thinning(g, per_node=2) and thin.number_of_edges() <= 2 * 20
    assert thin.has_edge("n0", "n1") and set(thin) == set(g)


def test_thinning_keeps_each_nodes_own_circle_rather_than_a_hub() -> None:
    g = nx.Graph()
    for circle in ("a", "b"):
        members = [f"{circle}{i}" for i in range(5)]
        g.add_edges_from(((m, n) for i, m in enumerate(members) for n in members[i + 1 :]), weight=1)
        g.add_edges_from((("hub", m) for m in members), weight=1)
    thin = draw.strongest_edges(views.with_metrics(g), per_node=3)
    assert thin.degree("hub") == 3, "only the hub's own choices"
    assert all(thin.degree(n) >= 3 for n in thin if n != "hub")


def test_the_graph_page_says_it_thinned_and_links_to_all_edges(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(draw, "STRONGEST_PER_NODE", 1)
    html = client.get("/graph/co-mention").text
    assert "strongest links" in html and "edges=all" in html
    assert node_count(client.get("/graph/co-mention", params={"edges": "all"}).text) == 7
    everything = graph_data(client.get("/graph/co-mention", params={"edges": "all"}).text)
    assert len(everything["edges"]) == 17 > len(graph_data(html)["edges"])


def test_a_view_too_large_to_draw_gets_a_page_saying_how_to_narrow_it(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "MAX_PAGE_EDGES", 1)
    response = client.get("/graph/co-mention")
    assert response.status_code == 413 and "narrow it with a time window" in response.text
    assert client.get("/views/co-mention").status_code == 200, "the JSON view is still served"


def test_graph_type_and_window_filters(client: TestClient) -> None:
    people = graph_data(client.get("/graph/co-mention", params={"type": "Person"}).text)["nodes"]
    assert people and {n["details"][0][1] for n in people} == {"Person"}
    assert node_count(client.get("/graph/co-mention", params={"since": "2023-03-18"}).text) == len(
        views.build_view(corpus_fixture.store(), "co-mention", since="2023-03-18")
    )
    assert node_count(client.get("/graph/co-mention", params={"until": "2020"}).text) == 0


def test_graph_form_redirects_to_the_view_without_empty_filters(client: TestClient) -> None:
    response = client.get(
        "/graph", params={"view": "statements", "since": "", "type": "Person"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/graph/statements?type=Person"


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/graph/nope", 404, "no view"),
        ("/graph/co-mention?since=March", 400, "not an ISO date"),
        ("/entity/nobody", 404, "no entity"),
        ("/event/nothing", 404, "no event"),
    ],
)
def test_errors_are_html_pages(client: TestClient, url: str, status: int, message: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert message in response.text and 'href="/"' in response.text


def test_entity_page_shows_facts_with_evidence_and_sources(client: TestClient) -> None:
    html = client.get("/entity/wang-wenbin").text
    assert "<q>We are in communication with all parties</q>" in html
    assert "spokesperson" in html and 'href="/entity/chinese-foreign-ministry"' in html
    assert f"<q>{corpus_fixture.SENTENCES['a'][1]}</q> <cite>000_a.txt</cite>" in html


def test_entity_page_lists_events_with_their_evidence(client: TestClient) -> None:
    html = client.get(f"/entity/{PUTIN}").text
    assert 'href="/event/event-visit"' in html
    assert f"<q>{corpus_fixture.SENTENCES['a'][0]}</q>" in html


def test_event_page_shows_sources_and_disputes(client: TestClient) -> None:
    html = client.get("/event/event-visit").text
    assert "Xi to visit Russia" in html and 'href="https://example.org/a"' in html
    assert "<b>2023-03-20</b> reported by 000_a.txt" in html
    assert "<b>2023-03-21</b> reported by 001_b.txt, 002_c.txt" in html


def test_disputed_page_lists_each_alternative_with_its_sources(client: TestClient) -> None:
    html = client.get("/disputed").text
    assert '<a href="/event/event-visit">Visit 2023-03-20: Russia, Vladimir Putin, Xi Jinping</a>' in html
    assert "<b>2023-03-20</b> reported by 000_a.txt" in html and "<b>2023-03-21</b> reported by 001_b.txt" in html


def test_query_page_prefills_a_query_that_runs(client: TestClient) -> None:
    html = client.get("/query").text
    assert "SELECT ?actor ?name" in html and 'src="/static/query.js"' in html
    response = client.post(
        "/sparql", data={"query": pages.EXAMPLE_QUERY}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.json()["results"]["bindings"]


@pytest.mark.parametrize(
    "url", ["/", "/graph/co-mention", f"/entity/{PUTIN}", "/event/event-visit", "/disputed", "/query"]
)
def test_pages_load_nothing_from_other_hosts(client: TestClient, url: str) -> None:
    html = client.get(url).text
    assert not OUTSIDE.search(html)
    for asset in re.findall(r'(?:src|href)="(/(?:assets|static)/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset


def test_vis_network_is_served_from_the_installed_pyvis(client: TestClient) -> None:
    script = client.get("/assets/vis/vis-network.min.js")
    assert script.status_code == 200
    assert script.content == (draw.VIS_ASSETS / "vis-network.min.js").read_bytes()
    assert client.get("/assets/vis/../../network.py").status_code == 404


def test_the_drawing_script_is_served_and_nothing_else_of_the_library(client: TestClient) -> None:
    script = client.get("/assets/kg/draw.js")
    assert script.status_code == 200 and script.content == (draw.ASSETS / "draw.js").read_bytes()
    assert client.get("/assets/kg/../draw.py").status_code == 404
    assert client.get("/assets/kg/%2e%2e/draw.py").status_code == 404


def test_labels_and_article_metadata_are_escaped(hostile: TestClient) -> None:
    for url in (f"/entity/{ZELENSKYY}", "/event/event-call", "/event/event-visit", "/graph/interactions", "/"):
        html = hostile.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Zelenskyy" in hostile.get(f"/entity/{ZELENSKYY}").text
    event = hostile.get("/event/event-visit").text
    assert "&lt;script&gt;alert(3)&lt;/script&gt;Xi to visit" in event
    assert "javascript:" not in event


def test_graph_data_keeps_labels_as_text(hostile: TestClient) -> None:
    data = graph_data(hostile.get("/graph/interactions").text)
    assert next(n for n in data["nodes"] if n["id"] == ZELENSKYY)["label"] == XSS_LABEL


def test_large_graphs_get_fewer_physics_steps_and_no_initial_layout() -> None:
    small, large = nx.path_graph(["a", "b"]), nx.path_graph([str(i) for i in range(5000)])
    small_options, large_options = draw.options(small), draw.options(large)
    assert small_options["physics"]["stabilization"]["iterations"] == draw.STABILIZATION_ITERATIONS
    assert large_options["physics"]["stabilization"]["iterations"] == 50
    assert small_options["layout"]["improvedLayout"] is True and large_options["layout"]["improvedLayout"] is False


def test_network_data_links_events_to_their_pages_and_colours_unknown_types_grey() -> None:
    g = nx.Graph()
    g.add_node("e/1", label="Visit", type="Visit", kind="event")
    g.add_node("x", label="X", type="Planet", kind="actor")
    g.add_edge("e/1", "x", roles=["host"])
    data = draw.network_data(g)
    event, actor = data["nodes"]
    assert (event["href"], event["shape"]) == ("/event/e%2F1", "square")
    assert actor["color"] == draw.OTHER_COLOR
    assert data["edges"] == [{"from": "e/1", "to": "x", "value": 1, "title": "host"}]


def test_pages_and_json_share_views_until_the_store_changes(
    make_client: Callable[..., TestClient], corpus_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    build_view = views.build_view

    def counted(store: OxigraphStore, name: str, *window: str | None) -> nx.Graph:
        built.append(name)
        return build_view(store, name, *window)

    monkeypatch.setattr(views, "build_view", counted)
    client = make_client(corpus_store)
    for url in ("/graph/interactions", "/graph/interactions?type=Person", "/views/interactions"):
        assert client.get(url).status_code == 200
    assert built == ["interactions"]
    corpus_store.update("INSERT DATA { <urn:x> <urn:p> <urn:o> }")
    assert client.get("/graph/interactions").status_code == 200
    assert built == ["interactions", "interactions"]
