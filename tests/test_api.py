"""The JSON API, health check, error mapping, CORS and docs, through FastAPI's TestClient."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from kg.errors import StoreUnavailable
from kg.store import OxigraphStore


def test_health_reports_the_store_size(client: TestClient, corpus_store: OxigraphStore) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "triples": corpus_store.count()}


class DownStore(OxigraphStore):
    """A store that has become unreachable."""

    def count(self) -> int:
        raise StoreUnavailable("store at /nowhere is locked")


def test_store_errors_become_503_with_the_error_body(make_client: Callable[..., TestClient]) -> None:
    response = make_client(DownStore(None, "http://example.org/g")).get("/health")
    assert response.status_code == 503
    assert response.json() == {"error": "StoreUnavailable", "detail": "store at /nowhere is locked"}


def test_entities_filter_by_type_and_name(client: TestClient) -> None:
    people = client.get("/entities", params={"type": "Person"}).json()
    assert {e["name"] for e in people} == {"Xi Jinping", "Vladimir Putin", "Wang Wenbin", "Volodymyr Zelenskyy"}
    assert [e["id"] for e in client.get("/entities", params={"q": "foreign"}).json()] == ["chinese-foreign-ministry"]
    names = [e["name"] for e in client.get("/entities").json()]
    assert names == sorted(names, key=str.lower)
    assert [e["name"] for e in client.get("/entities", params={"limit": 2, "offset": 1}).json()] == names[1:3]


def test_entity_detail_and_unknown_id(client: TestClient) -> None:
    xi = client.get("/entities/Q15031").json()
    assert (xi["name"], xi["aliases"], xi["articles"]) == ("Xi Jinping", ["Xi"], ["000_a.txt", "001_b.txt"])
    assert {e["id"] for e in xi["events"]} == {"event-visit", "event-call"}
    response = client.get("/entities/no-such-actor")
    assert response.status_code == 404
    assert response.json() == {"error": "NotFound", "detail": "no entity 'no-such-actor'"}


def test_events_filter_and_detail(client: TestClient) -> None:
    assert [e["id"] for e in client.get("/events", params={"type": "Visit"}).json()] == ["event-visit"]
    assert {e["id"] for e in client.get("/events", params={"entity": "Q3874799"}).json()} == {"event-call"}
    visit = client.get("/events/event-visit").json()
    assert {p["id"] for p in visit["participants"]} == {"Q15031", "Q159", "Q7747"}
    assert [d["attribute"] for d in visit["disputes"]] == ["date"]
    assert client.get("/events/no-such-event").status_code == 404


def test_statements_disputes_and_timeline(client: TestClient) -> None:
    [statement] = client.get("/statements", params={"speaker": "wang-wenbin"}).json()
    assert statement["quote"] == "We are in communication with all parties"
    assert client.get("/statements", params={"q": "nothing like this"}).json() == []
    [dispute] = client.get("/disputes").json()
    assert (dispute["id"], [v["articles"] for v in dispute["values"]]) == (
        "event-visit",
        [["000_a.txt"], ["001_b.txt", "002_c.txt"]],
    )
    assert [item["id"] for item in client.get("/timeline", params={"entity": "Q15031"}).json()] == ["event-visit"]
    assert client.get("/timeline", params={"entity": "nobody"}).status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/entities", {"type": "Planet"}, 400),
        ("/events", {"since": "last spring"}, 400),
        ("/events", {"limit": -1}, 422),
        ("/timeline", {}, 422),
    ],
)
def test_bad_parameters_are_client_errors(client: TestClient, path: str, params: dict, status: int) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    if status == 400:
        assert response.json()["error"] == "BadQuery"


def test_cors_only_for_configured_origins(make_client: Callable[..., TestClient]) -> None:
    origin = {"Origin": "https://example.org"}
    allowed = make_client(cors_origins="https://example.org, https://other.example").get("/health", headers=origin)
    assert allowed.headers["access-control-allow-origin"] == "https://example.org"
    assert "access-control-allow-origin" not in make_client().get("/health", headers=origin).headers


def test_openapi_docs_list_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/sparql", "/entities", "/entities/{entity_id}", "/events/{event_id}", "/timeline"} <= set(paths)
    assert {"get", "post"} <= set(paths["/sparql"])
    assert client.get("/docs").status_code == 200


def test_api_docs_load_their_scripts_and_icon_from_the_app(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets and all(a.startswith("/") for a in assets), (page, assets)
        assert all(client.get(a).status_code == 200 for a in assets), assets
    assert b"cdn.redoc.ly" not in client.get("/assets/redoc/redoc.standalone.js").content
    assert client.get("/favicon.ico").headers["content-type"] == "image/png"


def test_an_unknown_entity_is_404_everywhere_and_a_gazetteer_id_finds_the_actor(client: TestClient) -> None:
    for path, params in (
        ("/events", {"entity": "nobody"}),
        ("/statements", {"speaker": "nobody"}),
        ("/timeline", {"entity": "nobody"}),
        ("/entities/nobody", {}),
    ):
        response = client.get(path, params=params)
        assert (response.status_code, response.json()["error"]) == (404, "NotFound"), path
    by_slug = client.get("/events", params={"entity": "xi-jinping"}).json()
    assert by_slug and by_slug == client.get("/events", params={"entity": "Q15031"}).json()
    assert client.get("/entities/xi-jinping").json()["id"] == "Q15031"


def test_validation_errors_have_the_shape_of_every_other_error(client: TestClient) -> None:
    response = client.get("/events", params={"limit": 5000})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error", "detail"} and "limit" in body["detail"] and "1000" in body["detail"]
    schema = client.get("/openapi.json").json()["components"]["schemas"]["HTTPValidationError"]
    assert schema["required"] == ["error", "detail"]
