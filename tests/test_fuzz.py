"""Hostile and random requests to a live server: every answer is 2xx or 4xx, promptly, and nothing leaks.

The only 5xx allowed are the documented 503s of a query stopped at its time or memory limit, or refused
while every query worker is busy. Queries run in memory-capped worker processes (`query_memory`), so none
can exhaust the machine.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import quote, quote_from_bytes, urlencode

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import BaseRoute, Mount

from kg import views, vocab
from kg.store import OxigraphStore

pytestmark = pytest.mark.slow

TOKEN = "fuzz-token"
LIMITS = {"query_timeout": 1.0, "result_cap": 100, "max_query_bytes": 2000, "query_memory": 256}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "*", "?s", "?p", "?o", ".", ";", ",",
    "a", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "LIMIT 3", "OFFSET 1", "ORDER BY", "DISTINCT", "COUNT(*)",
    "AS ?n", "GROUP BY ?s", "HAVING", "BIND(1 AS ?x)", "VALUES ?x { 1 2 }", "FROM", "NAMED", "<urn:x>",
    "<http://example.org/a>", "kg:Person", "rdfs:label", '"text"', "'x'@en", '"1"^^xsd:int', "42", "-0.5e3",
    "REGEX(?o, '(a+)+$')", "STR(?o)", "LANG(?o)", "1/0", "<<( ?s ?p ?o )>>", "INSERT DATA", "DELETE WHERE",
    "CLEAR ALL", "LOAD", "SERVICE", "#", "\n", "\x00", "\\u0000", "😀", "PREFIX ex: <http://example.org/>",
]  # fmt: skip
CONTENT_TYPES = [
    "application/sparql-query",
    "application/sparql-update",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json",
    "text/plain; charset=latin-1",
    "",
]
sparqlish = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=30).map(" ".join)
printable = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
header_value = printable.map(str.strip)
EVIL = "<script>alert('evil')</script>"
PASSWD = "root:x:0:0"
REFLECTED = ("q", "view", "entity", "type", "since", "ego", "source", "target")
"""Query parameters a page might echo back."""
TRAVERSALS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/%252e%252e/%252e%252e/etc/passwd",
    "/....//....//....//etc/passwd",
    "/..\\..\\..\\..\\etc\\passwd",
    "/../app.py",
    "/%2e%2e/app.py",
    "/../../pyproject.toml",
]


def acceptable(response: httpx.Response) -> bool:
    """A 2xx or 4xx answer, or the 503 of a query stopped at the time limit."""
    if response.status_code == 503:
        return response.json().get("error") in ("QueryTimeout", "QueryAborted", "ServerBusy")
    return response.status_code < 500


@pytest.fixture
def base(start_server: Callable[[FastAPI], str], make_app: Callable[..., FastAPI]) -> str:
    """A live server with small limits and an update token."""
    return start_server(make_app(update_token=TOKEN, **LIMITS))


@pytest.fixture
def http(base: str) -> Iterator[httpx.Client]:
    """A client of `base` that gives up after 10 s (a hung request fails the test)."""
    with httpx.Client(base_url=base, timeout=10) as client:
        yield client


def check(response: httpx.Response) -> None:
    assert acceptable(response), f"{response.status_code} for {response.request.url}: {response.text[:300]}"


def test_random_sparql_by_get(http: httpx.Client) -> None:
    @FUZZ
    @given(
        query=sparqlish,
        accept=st.one_of(st.none(), header_value),
        fmt=st.lists(printable, max_size=2),
        graphs=st.lists(st.one_of(printable, st.just(vocab.CANONICAL_GRAPH)), max_size=2),
    )
    def run(query: str, accept: str | None, fmt: list[str], graphs: list[str]) -> None:
        headers = {"Accept": accept} if accept is not None else {}
        params = {"query": query, "format": fmt, "default-graph-uri": graphs[:1], "named-graph-uri": graphs[1:]}
        check(http.get("/sparql", params=params, headers=headers))

    run()


def test_random_bodies_by_post(http: httpx.Client) -> None:
    @FUZZ
    @given(
        body=st.one_of(st.binary(max_size=300), sparqlish.map(str.encode)),
        content_type=st.one_of(st.sampled_from(CONTENT_TYPES), header_value),
        token=st.sampled_from([None, TOKEN, "wrong"]),
    )
    def run(body: bytes, content_type: str, token: str | None) -> None:
        headers = {"Content-Type": content_type, **({"Authorization": f"Bearer {token}"} if token else {})}
        check(http.post("/sparql", content=body, headers=headers))

    run()


def test_random_query_strings(http: httpx.Client) -> None:
    @FUZZ
    @given(raw=st.binary(max_size=200))
    def run(raw: bytes) -> None:
        check(http.get("/sparql?" + quote_from_bytes(raw, safe="=&+%")))

    run()


def test_service_is_refused_without_calling_out(http: httpx.Client) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for query in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}", f"ASK {{ service<{target}>{{}} }}"):
            response = http.get("/sparql", params={"query": query})
            assert response.status_code == 403 and "SERVICE" in response.json()["detail"]
        with pytest.raises(TimeoutError):
            listener.accept()
    harmless = 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) } # SERVICE'
    assert http.get("/sparql", params={"query": harmless}).status_code == 200


COMMENT_ENDS = {"\r": True, "\n": True, "\r\n": True, "\x0c": False, "\u2028": False, "\x85": False}
"""Characters after a ``#`` comment, and whether they end it (SPARQL ends comments at CR or LF only)."""


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, str]]:
    """A socket listening on loopback that no query may make the server call, and its URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        sock.settimeout(0.3)
        yield sock, f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"


@pytest.mark.parametrize(("end", "ends"), COMMENT_ENDS.items(), ids=[repr(e) for e in COMMENT_ENDS])
def test_service_after_a_comment_is_refused(http: httpx.Client, listener: tuple, end: str, ends: bool) -> None:
    sock, target = listener
    query = f"SELECT ?x WHERE {{ #{end}SERVICE <{target}> {{ ?x ?y ?z }}\n}}"  # a comment still open ends at \n
    response = http.get("/sparql", params={"query": query})
    assert response.status_code == (403 if ends else 200), response.text
    with pytest.raises(TimeoutError):
        sock.accept()


def test_random_text_around_service_never_calls_out(http: httpx.Client, listener: tuple) -> None:
    sock, target = listener
    pieces = ["#", "\r", "\n", "'", '"', "'''", '"""', "<", ">", "\\", "{", "}", "?", "SERVICE", f"<{target}>", " "]

    @FUZZ
    @given(before=st.lists(st.sampled_from(pieces), max_size=8), after=st.lists(st.sampled_from(pieces), max_size=8))
    def run(before: list[str], after: list[str]) -> None:
        query = f"SELECT * WHERE {{ {''.join(before)} SERVICE <{target}> {{ ?s ?p ?o }} {''.join(after)} }}"
        check(http.get("/sparql", params={"query": query}))

    run()
    with pytest.raises(TimeoutError):
        sock.accept()


def test_nesting_beyond_the_depth_limit_is_400(http: httpx.Client) -> None:
    @FUZZ
    @given(opening=st.lists(st.sampled_from(["{", "(", "[", "{ SELECT * WHERE {", "FILTER("]), max_size=150))
    def run(opening: list[str]) -> None:
        closing = "".join({"{": "}", "(": ")", "[": "]"}[c[-1]] * max(1, c.count("{")) for c in reversed(opening))
        query = f"SELECT * WHERE {{ {' '.join(opening)} {closing} }}"
        response = http.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
        check(response)
        if 1 + sum(piece.count("{") + piece.count("(") + piece.count("[") for piece in opening) > 100:
            assert response.status_code == 400

    run()


def test_surrogates_and_control_characters_in_queries(http: httpx.Client) -> None:
    characters = st.characters(min_codepoint=0, max_codepoint=0xFFFF)  # surrogates included

    @FUZZ
    @given(text=st.text(characters, max_size=20))
    def run(text: str) -> None:
        query = f'SELECT * WHERE {{ BIND("{text}" AS ?x) ?s ?p "{text}" }} # {text}'
        body = query.encode("utf-8", "surrogatepass")
        check(http.post("/sparql", content=body, headers={"Content-Type": "application/sparql-query"}))
        check(http.get("/sparql?query=" + quote_from_bytes(body)))
        check(http.get("/sparql", params={"query": query.encode("utf-8", "replace").decode(), "format": "xml"}))

    run()


def test_a_chunked_body_cannot_pass_the_size_limit(http: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"SELECT * WHERE { ?s ?p ?o } #"
        for _ in range(1000):
            yield b"x" * 1000

    for content_type in ("application/sparql-query", "application/x-www-form-urlencoded"):
        response = http.post("/sparql", content=chunks(), headers={"Content-Type": content_type})
        assert response.status_code == 413, response.text
        assert "max_query_bytes" in response.json()["detail"]


def test_updates_need_post_and_the_token(http: httpx.Client, start_server: Callable, make_app: Callable) -> None:
    insert = f"INSERT DATA {{ GRAPH <{vocab.CANONICAL_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}"
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    by_get = http.get("/sparql", params={"update": insert}, headers=bearer)
    assert by_get.status_code == 400 and "POST" in by_get.json()["detail"]
    read_only = httpx.post(start_server(make_app()) + "/sparql", data={"update": insert}, headers=bearer)
    assert read_only.status_code == 403 and "disabled" in read_only.json()["detail"]
    assert http.get("/sparql", params={"query": "ASK { <urn:a> ?p ?o }"}).json()["boolean"] is False
    assert http.post("/sparql", data={"update": insert}, headers=bearer).status_code == 204
    assert http.get("/sparql", params={"query": "ASK { <urn:a> ?p ?o }"}).json()["boolean"] is True


def test_failed_updates_are_client_errors(http: httpx.Client) -> None:
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    assert http.post("/sparql", content="CREATE GRAPH <urn:g>", headers=headers).status_code == 204
    again = http.post("/sparql", content="CREATE GRAPH <urn:g>", headers=headers)
    assert again.status_code == 400 and "already exists" in again.json()["detail"]


def test_timeouts_do_not_tie_up_the_server(make_app: Callable[..., FastAPI], start_server: Callable) -> None:
    base = start_server(make_app(query_timeout=0.5, result_cap=10**9))
    endless = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    answers: list[httpx.Response] = []
    askers = [
        threading.Thread(target=lambda: answers.append(httpx.get(base + "/sparql", params={"query": endless})))
        for _ in range(6)
    ]
    start = time.monotonic()
    for thread in askers:
        thread.start()
    for thread in askers:
        thread.join(15)
    assert [a.status_code for a in answers] == [503] * 6
    assert time.monotonic() - start < 5
    start = time.monotonic()
    assert httpx.get(base + "/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
    assert time.monotonic() - start < 1


@pytest.mark.parametrize(
    ("origins", "origin", "allowed"),
    [
        ("", "https://a.example", False),
        ("https://a.example", "https://a.example", True),
        ("https://a.example", "https://evil.example", False),
        ("https://a.example, https://b.example", "https://b.example", True),
    ],
)
def test_cors_allows_only_the_configured_origins(
    make_client: Callable, origins: str, origin: str, allowed: bool
) -> None:
    client = make_client(cors_origins=origins)
    simple = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": origin})
    preflight = client.options("/sparql", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert simple.status_code == 200
    assert simple.headers.get("access-control-allow-origin") == (origin if allowed else None)
    assert preflight.headers.get("access-control-allow-origin") == (origin if allowed else None)


def routes(items: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, BaseRoute]]:
    """Every route with its full path, also those of included routers (FastAPI keeps them apart)."""
    for route in items:
        if (included := getattr(route, "original_router", None)) is not None:
            yield from routes(included.routes, prefix + route.include_context.prefix)
        else:
            yield prefix + getattr(route, "path", ""), route


def raw_get(base: str, target: str) -> tuple[int, bytes]:
    """Status and body of a GET of `target` sent byte for byte (no client normalises the dots away)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b"".join(iter(lambda: sock.recv(65536), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_no_file_outside_the_assets_is_served(make_app: Callable[..., FastAPI], start_server: Callable) -> None:
    app = make_app()
    base = start_server(app)
    mounts = [path for path, route in routes(app.routes) if isinstance(route, Mount)]
    for prefix in {"", "/static", "/assets", *mounts}:
        for attack in TRAVERSALS:
            status, body = raw_get(base, prefix + attack)
            assert PASSWD.encode() not in body and b"def create_app" not in body and b"[project]" not in body
            assert status in (400, 404, 405, 422), f"{prefix + attack}: {status}"


@pytest.fixture
def evil_store(corpus_store: OxigraphStore) -> OxigraphStore:
    """The corpus store with script markup in an actor's name and in an alias."""
    person = vocab.SPARQL_PREFIXES + "SELECT ?s WHERE { ?s a kg:Person } LIMIT 1"
    [row] = list(corpus_store.query(person))
    corpus_store.update(
        f"INSERT DATA {{ GRAPH <{vocab.CANONICAL_GRAPH}> {{ {row['s']} "
        f"<http://www.w3.org/2000/01/rdf-schema#label> {_literal(EVIL)} ; "
        f"<http://www.w3.org/2004/02/skos/core#altLabel> {_literal(EVIL)} }} }}"
    )
    return corpus_store


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_article_markup_is_never_served_as_markup(make_client: Callable, evil_store: OxigraphStore) -> None:
    client = make_client(evil_store)
    entities = client.get("/entities", params={"q": "script", "limit": 1000}).json()
    evil_ids = [e["id"] for e in entities if EVIL in str(e)]
    assert evil_ids, "the injected name is found"
    gets = [path for path, route in routes(client.app.routes) if "GET" in getattr(route, "methods", set())]
    paths = [re.sub(r"\{[^}]+\}", evil_ids[0], path) for path in gets] + [f"/timeline?entity={evil_ids[0]}"]
    paths += [
        re.sub(r"\{[^}]+\}", quote(EVIL), path) + "?" + urlencode(dict.fromkeys(REFLECTED, EVIL)) for path in gets
    ]
    paths += [f"/graph/{name}" for name in views.VIEWS] + [f"/views/{name}" for name in views.VIEWS]
    assert f"/entities/{evil_ids[0]}" in paths
    escaped = 0
    for path in paths:
        response = client.get(path)
        media = response.headers.get("content-type", "")
        if "html" in media:
            assert EVIL not in response.text, f"{path} serves the script as markup"
            escaped += "&lt;script&gt;" in response.text
        assert "svg" not in media, path
    assert escaped, "the name is shown, escaped, on some page"
