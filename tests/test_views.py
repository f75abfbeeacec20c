"""Relationship views over the fixture corpus: nodes, edges, windows, metrics, ego networks, paths, exports, API."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable

import corpus_fixture
import networkx as nx
import pytest
from fastapi.testclient import TestClient

from kg import draw, views, vocab
from kg.errors import BadQuery, NotFound
from kg.model import Fact, Statement, TimeExpr
from kg.rdf import corpus_quads
from kg.store import OxigraphStore

XI, PUTIN, RUSSIA, MOSCOW, ZELENSKYY, WANG = "Q15031", "Q7747", "Q159", "Q649", "Q3874799", "wang-wenbin"


@pytest.fixture
def happened_store() -> OxigraphStore:
    """The fixture corpus, but the visit (March 20-22) and video call (April 2) happened; statements name actors."""
    corpus = corpus_fixture.corpus()
    visit, call, _ = (fact.record for fact in corpus.events)
    visit.status = "happened"
    call.status, call.time = "happened", TimeExpr("on April 2", "2023-04-02")
    corpus.statements[0].record.about = [XI, PUTIN, WANG]
    said = Statement(PUTIN, "Xi is a friend", corpus_fixture.ev("a", 0), time=TimeExpr("", "2023-03-18"), about=[XI])
    corpus.statements.append(Fact("statement-putin", said, [said.evidence]))
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    store.apply([], corpus_quads(corpus))
    return store


def edges(g: nx.Graph) -> set[tuple[str, str]]:
    """Edges as pairs, sorted within each pair for undirected graphs."""
    return {(a, b) if g.is_directed() else tuple(sorted((a, b))) for a, b in g.edges}


def pairs(*items: tuple[str, str]) -> set[tuple[str, str]]:
    """Undirected edges as `edges` gives them."""
    return {tuple(sorted(item)) for item in items}


def test_interactions_link_participants_of_events_that_happened(happened_store: OxigraphStore) -> None:
    g = views.build_view(happened_store, "interactions")
    assert edges(g) == pairs((PUTIN, XI), (RUSSIA, XI), (PUTIN, RUSSIA), (XI, ZELENSKYY))
    assert g.edges[XI, PUTIN] == {
        "weight": 1,
        "events": ["event-visit"],
        "dates": ["2023-03-20"],
        "types": ["Visit"],
        "statuses": ["happened"],
    }
    assert g.nodes[XI] == {
        "label": "Xi Jinping",
        "type": "Person",
        "kind": "actor",
        "wikidata": "Q15031",
        "articles": 2,
        "roles": [],
    }
    assert views.build_view(happened_store, "co-mention").nodes[WANG] == {
        "label": "Wang Wenbin",
        "type": "Person",
        "kind": "actor",
        "articles": 1,
        "roles": ["spokesperson of Chinese Foreign Ministry"],
    }
    assert MOSCOW not in g, "the place of an event is not a participant"


def test_interactions_keep_planned_events_marked_and_leave_out_speculative_ones(corpus_store: OxigraphStore) -> None:
    g = views.build_view(corpus_store, "interactions")
    assert edges(g) == pairs((PUTIN, XI), (RUSSIA, XI), (PUTIN, RUSSIA)), "the planned visit, not the possible call"
    assert g.edges[XI, PUTIN]["statuses"] == ["planned"]


def test_a_status_keeps_only_its_events_with_their_own_dates_and_types(corpus_store: OxigraphStore) -> None:
    planned = views.build_view(corpus_store, "interactions", status="planned")
    assert planned.edges[XI, PUTIN] == views.build_view(corpus_store, "interactions").edges[XI, PUTIN]
    assert len(views.build_view(corpus_store, "interactions", status="happened")) == 0
    assert len(views.build_view(corpus_store, "interactions", status="speculative")) == 0, "not an interaction"
    events = views.build_view(corpus_store, "actor-event", status="speculative")
    assert {n for n, d in events.nodes(data=True) if d["kind"] == "event"} == {"event-call"}
    assert views.build_view(corpus_store, "co-mention", status="planned").graph == {"view": "co-mention"}
    with pytest.raises(BadQuery):
        views.build_view(corpus_store, "interactions", status="rumoured")


def test_views_endpoint_filters_by_status(client: TestClient) -> None:
    data = client.get("/views/actor-event", params={"status": "speculative"}).json()
    assert {n["id"] for n in data["nodes"] if n["kind"] == "event"} == {"event-call"}
    assert client.get("/views/actor-event", params={"status": "bogus"}).status_code == 400


def test_interactions_window_keeps_events_overlapping_it(happened_store: OxigraphStore) -> None:
    assert edges(views.build_view(happened_store, "interactions", since="2023-04")) == pairs((XI, ZELENSKYY))
    march = views.build_view(happened_store, "interactions", since="2023-03-22", until="2023-03-31")
    assert edges(march) == pairs((PUTIN, XI), (RUSSIA, XI), (PUTIN, RUSSIA))
    assert views.build_view(happened_store, "interactions", until="2023-03-19").number_of_edges() == 0


def test_co_mention_weights_are_shared_articles(corpus_store: OxigraphStore) -> None:
    g = views.build_view(corpus_store, "co-mention")
    assert g.number_of_nodes() == 7
    assert g.number_of_edges() == 15 + 3 - 1  # six actors in 000_a, three in 001_b, Xi-Russia in both
    assert g.edges[XI, RUSSIA] == {
        "weight": 2,
        "articles": ["000_a.txt", "001_b.txt"],
        "dates": ["2023-03-17", "2023-03-18"],
    }
    assert set(g[MOSCOW]) == {XI, RUSSIA}
    later = views.build_view(corpus_store, "co-mention", since="2023-03-18")
    assert edges(later) == pairs((RUSSIA, XI), (MOSCOW, XI), (MOSCOW, RUSSIA))
    assert later.edges[XI, RUSSIA]["weight"] == 1


def test_co_mention_dates_undated_articles_by_their_inferred_interval() -> None:
    corpus = corpus_fixture.corpus()
    corpus.inferred_dates = {"ccc333": "2023-03-13/2023-03-19"}
    putin = next(e for e in corpus.entities if e.id == PUTIN)
    putin.mentions.append(corpus_fixture.mention("c", 0, "Russia", "GPE"))  # 002_c.txt now names Putin...
    next(e for e in corpus.entities if e.id == ZELENSKYY).mentions.append(putin.mentions[-1])  # ...and Zelenskyy
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    store.apply([], corpus_quads(corpus))
    assert views.build_view(store, "co-mention").edges[PUTIN, ZELENSKYY] == {
        "weight": 2,
        "articles": ["000_a.txt", "002_c.txt"],
        "dates": ["2023-03-13", "2023-03-17"],  # an interval is dated by its start
    }
    assert edges(views.build_view(store, "co-mention", since="2023-03-19")) == pairs((PUTIN, ZELENSKYY))
    assert edges(views.build_view(store, "co-mention", until="2023-03-13")) == pairs((PUTIN, ZELENSKYY))
    assert not edges(views.build_view(store, "co-mention", until="2023-03-12"))


def test_statements_point_from_speaker_to_the_actors_spoken_of(happened_store: OxigraphStore) -> None:
    g = views.build_view(happened_store, "statements")
    assert g.is_directed()
    assert edges(g) == {(WANG, XI), (WANG, PUTIN), (PUTIN, XI)}, "no self-loop for a speaker speaking of itself"
    assert g.edges[PUTIN, XI] == {"weight": 1, "statements": ["statement-putin"], "dates": ["2023-03-18"]}
    assert edges(views.build_view(happened_store, "statements", until="2023-03-17")) == {(WANG, XI), (WANG, PUTIN)}


def test_statements_view_keeps_speakers_without_links(corpus_store: OxigraphStore) -> None:
    g = views.build_view(corpus_store, "statements")
    assert list(g.nodes) == [WANG] and g.number_of_edges() == 0


def test_actor_event_is_bipartite_with_roles(corpus_store: OxigraphStore) -> None:
    g = views.build_view(corpus_store, "actor-event")
    events = {n for n, kind in g.nodes(data="kind") if kind == "event"}
    assert events == {"event-visit", "event-call", "event-talks"}
    assert nx.is_bipartite(g) and all(g.nodes[n]["kind"] == "actor" for n in set(g) - events)
    assert g.nodes["event-visit"] == {
        "label": "Visit 2023-03-20",
        "type": "Visit",
        "kind": "event",
        "status": "planned",
        "date": "2023-03-20",
    }
    assert g.edges[XI, "event-visit"]["roles"] == ["participant", "visitor"]
    assert g.edges[MOSCOW, "event-visit"]["roles"] == ["place"]
    windowed = views.build_view(corpus_store, "actor-event", since="2023-03-21")
    assert {n for n, kind in windowed.nodes(data="kind") if kind == "event"} == {"event-visit", "event-talks"}


def test_unknown_view_and_bad_dates_are_refused(corpus_store: OxigraphStore) -> None:
    with pytest.raises(NotFound):
        views.build_view(corpus_store, "friendships")
    with pytest.raises(BadQuery):
        views.build_view(corpus_store, "co-mention", since="March 2023")


def test_metrics_are_on_every_node_and_deterministic(corpus_store: OxigraphStore) -> None:
    g = views.with_metrics(views.build_view(corpus_store, "co-mention"))
    assert all({"degree", "betweenness", "pagerank", "community"} <= set(d) for _, d in g.nodes(data=True))
    assert g.nodes[XI]["degree"] == 6 and g.nodes[MOSCOW]["degree"] == 2
    assert g.nodes[XI]["betweenness"] > g.nodes[MOSCOW]["betweenness"] == 0
    assert g.nodes[XI]["pagerank"] > g.nodes[MOSCOW]["pagerank"]
    assert sum(p for _, p in g.nodes(data="pagerank")) == pytest.approx(1)
    again = views.with_metrics(views.build_view(corpus_store, "co-mention"))
    assert dict(again.nodes(data=True)) == dict(g.nodes(data=True))


def test_large_graphs_get_sampled_betweenness(monkeypatch: pytest.MonkeyPatch) -> None:
    g = nx.path_graph([str(i) for i in range(50)])
    exact = nx.betweenness_centrality(g)
    monkeypatch.setattr(views, "BETWEENNESS_BUDGET", 100)
    sampled = views.with_metrics(g.copy())
    assert dict(sampled.nodes(data="betweenness")) != exact
    assert dict(sampled.nodes(data="betweenness")) == dict(views.with_metrics(g.copy()).nodes(data="betweenness"))


def test_ego_network_takes_both_directions(happened_store: OxigraphStore) -> None:
    co_mention = views.build_view(happened_store, "co-mention")
    assert set(views.ego(co_mention, MOSCOW)) == {MOSCOW, XI, RUSSIA}
    assert len(views.ego(co_mention, MOSCOW, radius=2)) == len(co_mention)
    statements = views.build_view(happened_store, "statements")
    assert set(views.ego(statements, XI)) == {XI, WANG, PUTIN}
    with pytest.raises(NotFound):
        views.ego(co_mention, "nobody")


def test_shortest_path_goes_through_events(corpus_store: OxigraphStore) -> None:
    g = views.build_view(corpus_store, "actor-event")
    assert views.shortest_path(g, ZELENSKYY, PUTIN) == [ZELENSKYY, "event-call", XI, "event-visit", PUTIN]
    with pytest.raises(NotFound):
        views.shortest_path(g, ZELENSKYY, "nobody")
    with pytest.raises(NotFound):
        views.shortest_path(nx.Graph([("a", "b"), ("c", "d")]), "a", "d")


def test_node_link_is_json_and_round_trips(happened_store: OxigraphStore) -> None:
    g = views.with_metrics(views.build_view(happened_store, "statements"))
    data = json.loads(json.dumps(views.node_link(g)))
    assert data["directed"] is True and data["graph"] == {"view": "statements"}
    back = nx.node_link_graph(data, edges="edges")
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert edges(back) == edges(g)


@pytest.mark.parametrize(("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_exports_parse_back(corpus_store: OxigraphStore, fmt: str, read: Callable[[io.BytesIO], nx.Graph]) -> None:
    g = views.with_metrics(views.build_view(corpus_store, "actor-event", since="2023-03"))
    back = read(io.BytesIO(views.export(g, fmt)))
    assert set(back) == set(g) and edges(back) == edges(g)
    assert back.nodes[XI]["label"] == "Xi Jinping" and back.nodes[XI]["type"] == "Person"
    assert back.nodes[XI]["pagerank"] == pytest.approx(g.nodes[XI]["pagerank"])
    assert json.loads(back.edges[XI, "event-visit"]["roles"]) == ["participant", "visitor"]


def test_json_export_and_unknown_format(corpus_store: OxigraphStore) -> None:
    g = views.build_view(corpus_store, "co-mention")
    assert json.loads(views.export(g, "json")) == views.node_link(g)
    with pytest.raises(BadQuery):
        views.export(g, "dot")


def test_views_endpoint_lists_every_view(client: TestClient) -> None:
    listed = client.get("/views").json()
    assert [v["name"] for v in listed] == list(views.VIEWS) and all(v["description"] for v in listed)


def test_view_endpoint_gives_node_link_with_metrics(client: TestClient) -> None:
    data = client.get("/views/co-mention", params={"since": "2023-03-18"}).json()
    assert {n["id"] for n in data["nodes"]} == {XI, RUSSIA, MOSCOW}
    assert all({"label", "type", "kind", "pagerank", "community"} <= set(n) for n in data["nodes"])
    assert pairs(*((e["source"], e["target"]) for e in data["edges"])) == pairs(
        (XI, RUSSIA), (XI, MOSCOW), (RUSSIA, MOSCOW)
    )


def test_view_endpoint_ego_network(client: TestClient) -> None:
    data = client.get("/views/co-mention", params={"ego": MOSCOW, "radius": 1}).json()
    assert {n["id"] for n in data["nodes"]} == {MOSCOW, XI, RUSSIA}
    assert client.get("/views/co-mention", params={"ego": "nobody"}).status_code == 404
    assert client.get("/views/co-mention", params={"ego": MOSCOW, "radius": 11}).status_code == 422


@pytest.mark.parametrize(
    ("fmt", "media_type", "read"),
    [("graphml", "application/graphml+xml", nx.read_graphml), ("gexf", "application/gexf+xml", nx.read_gexf)],
)
def test_view_endpoint_downloads(client: TestClient, fmt: str, media_type: str, read: Callable) -> None:
    response = client.get("/views/actor-event", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"] == f'attachment; filename="actor-event.{fmt}"'
    assert "event-visit" in read(io.BytesIO(response.content))


def test_path_endpoint(client: TestClient) -> None:
    response = client.get("/views/actor-event/path", params={"source": ZELENSKYY, "target": PUTIN})
    path = response.json()["path"]
    assert [n["id"] for n in path] == [ZELENSKYY, "event-call", XI, "event-visit", PUTIN]
    assert path[0]["label"] == "Volodymyr Zelenskyy"
    assert client.get("/views/statements/path", params={"source": ZELENSKYY, "target": PUTIN}).status_code == 404


def test_view_endpoint_errors(client: TestClient) -> None:
    response = client.get("/views/friendships")
    assert response.status_code == 404 and response.json()["error"] == "NotFound"
    assert client.get("/views/friendships/path", params={"source": XI, "target": PUTIN}).status_code == 404
    assert client.get("/views/co-mention", params={"until": "soon"}).status_code == 400
    assert client.get("/views/co-mention", params={"format": "dot"}).status_code == 422


def test_interactive_html_draws_offline(corpus_store: OxigraphStore) -> None:
    page = draw.interactive_html(views.with_metrics(views.build_view(corpus_store, "actor-event")))
    assert (draw.ASSETS / "draw.js").read_text() in page and '"label": "Xi Jinping"' in page
    assert not re.search(r"(?:src|href)=\"https?://", page), "nothing is fetched from a CDN"


def test_interactive_html_keeps_article_text_out_of_the_script() -> None:
    g = nx.Graph()
    g.add_node("x", label="</script><script>alert(1)</script>", type="Person")
    page = draw.interactive_html(g)
    assert "alert(1)" in page and "<script>alert(1)" not in page
    assert page.count("</script>") == 3, "only the page's own three scripts end"


class Unversioned(OxigraphStore):
    """A store others may write to (as a remote store): its version is unknown."""

    @property
    def version(self) -> None:
        return None


def test_view_cache_keeps_a_view_until_the_store_changes(corpus_store: OxigraphStore) -> None:
    cache = views.ViewCache()
    first = cache.get(corpus_store, "co-mention")
    assert "pagerank" in first.nodes[XI]
    assert cache.get(corpus_store, "co-mention") is first
    assert cache.get(corpus_store, "co-mention", since="2023-03") is not first
    corpus_store.update("INSERT DATA { <urn:x> <urn:p> <urn:o> }")
    again = cache.get(corpus_store, "co-mention")
    assert again is not first and nx.utils.graphs_equal(again, first)


def test_view_cache_builds_afresh_for_a_store_others_write_to() -> None:
    store = Unversioned(None, vocab.CANONICAL_GRAPH)
    store.apply([], corpus_fixture.quads())
    cache = views.ViewCache()
    assert cache.get(store, "co-mention") is not cache.get(store, "co-mention")


def test_view_cache_checks_a_view_before_its_metrics(corpus_store: OxigraphStore) -> None:
    seen: list[bool] = []

    def refuse(g: nx.Graph) -> None:
        seen.append(any("pagerank" in data for _, data in g.nodes(data=True)))
        raise NotFound("too large")

    with pytest.raises(NotFound):
        views.ViewCache().get(corpus_store, "co-mention", check=refuse)
    assert seen == [False]
