"""The SPARQL 1.1 Protocol endpoint, served by uvicorn and spoken to by a real client (SPARQLWrapper)."""

from __future__ import annotations

import csv
import io
import time
import urllib.error
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg import vocab
from kg.store import OxigraphStore

pytestmark = pytest.mark.slow

PEOPLE = vocab.SPARQL_PREFIXES + "SELECT ?name WHERE { ?s a kg:Person ; rdfs:label ?name } ORDER BY ?name"
NAMES = ["Vladimir Putin", "Volodymyr Zelenskyy", "Wang Wenbin", "Xi Jinping"]
ALL_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . VALUES ?x { 1 2 3 } }"
NEW = '<http://example.org/new> <http://example.org/p> "added"'
INSERT = f"INSERT DATA {{ GRAPH <{vocab.CANONICAL_GRAPH}> {{ {NEW} }} }}"
ASK_INSERTED = 'ASK { ?s ?p "added" }'

Start = Callable[..., str]


@pytest.fixture
def serve(start_server: Callable[[FastAPI], str], make_app: Callable[..., FastAPI]) -> Start:
    """``serve(**settings)``: the base URL of a live server of the corpus app with these settings."""
    return lambda **settings: start_server(make_app(**settings))


def client(base: str, query: str, fmt: str = JSON, token: str | None = None) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(base + "/sparql", returnFormat=fmt)
    wrapper.setQuery(query)
    if token:
        wrapper.addCustomHttpHeader("Authorization", f"Bearer {token}")
    return wrapper


def names_in(converted: object, fmt: str) -> list[str]:
    """The ?name values of a SPARQLWrapper result converted from `fmt`."""
    if fmt == JSON:
        return [b["name"]["value"] for b in converted["results"]["bindings"]]
    if fmt == XML:
        return [node.firstChild.data for node in converted.getElementsByTagName("literal")]
    rows = list(csv.reader(io.StringIO(converted.decode()), delimiter="\t" if fmt == TSV else ","))
    assert rows[0] == ["?name" if fmt == TSV else "name"]
    return [row[0].strip('"') for row in rows[1:]]


def get(base: str, **kwargs: object) -> httpx.Response:
    """A GET of the endpoint at `base` (its first query may wait for the query workers to start)."""
    return httpx.get(base + "/sparql", timeout=60, **kwargs)


def triples_in(data: bytes, rdf_format: ox.RdfFormat) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(data, format=rdf_format)}


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_in_each_results_format(live_server: str, fmt: str) -> None:
    assert names_in(client(live_server, PEOPLE, fmt).queryAndConvert(), fmt) == NAMES


def test_post_form_and_post_direct_give_the_same_results(live_server: str) -> None:
    for request_method in ("urlencoded", POSTDIRECTLY):
        wrapper = client(live_server, PEOPLE)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(request_method)
        assert names_in(wrapper.queryAndConvert(), JSON) == NAMES


def test_ask(live_server: str) -> None:
    assert client(live_server, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True
    assert client(live_server, 'ASK { ?s ?p "nowhere" }').queryAndConvert()["boolean"] is False


def test_construct_as_turtle(live_server: str, corpus_store: OxigraphStore) -> None:
    turtle = client(live_server, ALL_TRIPLES, TURTLE).queryAndConvert()
    assert triples_in(turtle, ox.RdfFormat.TURTLE) == set(corpus_store.query(ALL_TRIPLES))


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.9, text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/*;q=0.8, application/sparql-results+json;q=0.1", "text/csv; charset=utf-8"),
        ("image/png", "application/sparql-results+json"),
    ],
)
def test_results_format_follows_accept_q_values(live_server: str, accept: str, media_type: str) -> None:
    response = get(live_server, params={"query": PEOPLE}, headers={"Accept": accept})
    assert response.headers["content-type"] == media_type


def test_format_parameter_overrides_accept(live_server: str) -> None:
    response = get(
        live_server,
        params={"query": PEOPLE, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.text.splitlines() == ["name", *NAMES]


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_formats(
    live_server: str, corpus_store: OxigraphStore, accept: str, rdf_format: ox.RdfFormat
) -> None:
    response = get(live_server, params={"query": ALL_TRIPLES}, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(rdf_format.media_type)
    assert triples_in(response.content, rdf_format) == set(corpus_store.query(ALL_TRIPLES))


def test_malformed_query_is_400_with_the_parser_message(live_server: str) -> None:
    with pytest.raises(QueryBadFormed, match="error at 1:"):
        client(live_server, "SELECT ?x WHERE { ?x ").query()
    response = get(live_server, params={"query": "SELEC *"})
    assert response.status_code == 400
    assert response.json()["error"] == "BadQuery"


def test_update_is_refused_without_the_token(serve: Start) -> None:
    for base, token in ((serve(), None), (serve(update_token="s3cret"), "wrong")):
        wrapper = client(base, INSERT, token=token)
        wrapper.setMethod(POST)
        with pytest.raises(urllib.error.HTTPError) as refused:
            wrapper.query()
        assert refused.value.code == 403
        assert client(base, ASK_INSERTED).queryAndConvert()["boolean"] is False


def test_update_runs_with_the_token(serve: Start) -> None:
    base = serve(update_token="s3cret")
    wrapper = client(base, INSERT, token="s3cret")
    wrapper.setMethod(POST)
    wrapper.query()
    assert client(base, ASK_INSERTED).queryAndConvert()["boolean"] is True
    headers = {"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"}
    direct = httpx.post(base + "/sparql", content=f"DELETE DATA {{ {NEW} }}", headers=headers)
    assert direct.status_code == 204


def test_default_and_named_graph_parameters(live_server: str, corpus_store: OxigraphStore) -> None:
    article = vocab.article_graph("aaa111")
    wrapper = client(live_server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    wrapper.addDefaultGraph(article)
    [row] = wrapper.queryAndConvert()["results"]["bindings"]
    assert int(row["n"]["value"]) == len(list(corpus_store.graph_quads(article)))
    wrapper = client(live_server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    wrapper.addNamedGraph(article)
    assert [b["g"]["value"] for b in wrapper.queryAndConvert()["results"]["bindings"]] == [article]


def test_oversized_query_is_413(serve: Start) -> None:
    base = serve(max_query_bytes=200)
    padded = PEOPLE + "\n#" + "x" * 200
    with pytest.raises(urllib.error.HTTPError) as refused:
        client(base, padded).query()
    assert refused.value.code == 413
    direct = httpx.post(base + "/sparql", content=padded, headers={"Content-Type": "application/sparql-query"})
    assert direct.status_code == 413
    assert "max_query_bytes" in direct.json()["detail"]


def test_slow_query_gets_503_in_time_and_the_server_stays_up(serve: Start) -> None:
    base = serve(query_timeout=0.2)
    start = time.monotonic()
    response = get(base, params={"query": EXPENSIVE})
    assert response.status_code == 503
    assert response.json()["error"] == "QueryTimeout"
    assert time.monotonic() - start < 1.5
    assert httpx.get(base + "/health").status_code == 200
    assert get(base, params={"query": "ASK {}"}).json()["boolean"] is True


def test_results_beyond_the_cap_are_cut_and_flagged(serve: Start) -> None:
    base = serve(result_cap=5)
    rows = get(base, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    triples = get(base, params={"query": ALL_TRIPLES}, headers={"Accept": "application/n-triples"})
    small = get(base, params={"query": PEOPLE})
    assert rows.headers["x-result-truncated"] == "true"
    assert len(rows.json()["results"]["bindings"]) == 5
    assert triples.headers["x-result-truncated"] == "true"
    assert len(triples.text.splitlines()) == 5
    assert "x-result-truncated" not in small.headers
    assert [b["name"]["value"] for b in small.json()["results"]["bindings"]] == NAMES


def leaks(graph: str) -> list[str]:
    """Queries naming an internal graph: by IRI, as a prefixed name, and relative with an escaped letter."""
    name = graph.removeprefix(vocab.GRAPH)
    escaped = name[0] + f"\\u{ord(name[1]):04X}" + name[2:]
    return [
        f"SELECT ?o FROM <{graph}> WHERE {{ ?s ?p ?o }}",
        f"SELECT ?o FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"PREFIX g: <{vocab.GRAPH}> SELECT ?o FROM g:{name} WHERE {{ ?s ?p ?o }}",
        f"BASE <{vocab.GRAPH}x/> SELECT ?o FROM <../{escaped}> WHERE {{ ?s ?p ?o }}",
    ]


@pytest.mark.parametrize("graph", vocab.INTERNAL_GRAPHS)
def test_the_internal_graphs_are_never_served(serve: Start, corpus_store: OxigraphStore, graph: str) -> None:
    corpus_store.update(f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:record> <urn:text> "secret" }} }}')
    base = serve()
    graphs = get(base, params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    listed = {b["g"]["value"] for b in graphs.json()["results"]["bindings"]}
    assert graph not in listed and vocab.article_graph("aaa111") in listed
    direct = f'ASK {{ GRAPH <{graph}> {{ ?s ?p "secret" }} }}'
    assert get(base, params={"query": direct}).json()["boolean"] is False
    for query in leaks(graph):
        response = get(base, params={"query": query})
        assert response.status_code == 403 and "secret" not in response.text, query
    for parameter in ("default-graph-uri", "named-graph-uri"):
        response = httpx.get(base + "/sparql", params={"query": "SELECT * { ?s ?p ?o }", parameter: graph})
        assert response.status_code == 403


def test_an_update_without_graph_writes_where_queries_read(serve: Start) -> None:
    base = serve(update_token="s3cret")
    headers = {"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"}
    ask = {"query": "ASK { <urn:a> <urn:b> <urn:c> }"}
    assert httpx.post(base + "/sparql", content="INSERT DATA { <urn:a> <urn:b> <urn:c> }", headers=headers).is_success
    assert get(base, params=ask).json()["boolean"] is True
    delete = "DELETE { ?s <urn:b> ?o } WHERE { ?s <urn:b> ?o }"
    assert httpx.post(base + "/sparql", content=delete, headers=headers).is_success
    assert get(base, params=ask).json()["boolean"] is False
    assert client(base, PEOPLE).queryAndConvert()["results"]["bindings"], "the rest of the graph is untouched"


def test_relative_iris_resolve_against_the_endpoint(live_server: str) -> None:
    response = get(
        live_server,
        params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.text.startswith(f"<{live_server}/s> <{live_server}/p> ")


def test_an_unknown_format_is_400(live_server: str) -> None:
    response = get(live_server, params={"query": PEOPLE, "format": "bogus"})
    assert response.status_code == 400 and "bogus" in response.json()["detail"]


CONTROL = '"a\\u0000b\\u0001c\\u000Bd\\uFFFEe"'


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (f"SELECT ?x WHERE {{ BIND({CONTROL} AS ?x) }}", "application/sparql-results+xml"),
        (f"CONSTRUCT {{ <urn:s> <urn:p> {CONTROL} }} WHERE {{}}", "application/rdf+xml"),
    ],
)
def test_control_characters_leave_xml_well_formed(live_server: str, query: str, accept: str) -> None:
    response = get(live_server, params={"query": query}, headers={"Accept": accept})
    document = ElementTree.fromstring(response.content)
    text = "".join(document.itertext())
    assert "a\ufffdb\ufffdc\ufffdd\ufffde" in text


def test_csv_cells_are_never_formulas(live_server: str) -> None:
    cells = ['=HYPERLINK(\\"http://evil.example\\")', "+1+cmd", "-2+3", "@SUM(A1)", "-5", "+1.5e3", "plain"]
    values = " ".join(f'("{c}")' for c in cells)
    query = f"SELECT ?x WHERE {{ VALUES (?x) {{ {values} }} }}"
    rows = list(csv.reader(io.StringIO(get(live_server, params={"query": query, "format": "csv"}).text)))
    assert [row[0] for row in rows[1:]] == [
        "'=HYPERLINK(\"http://evil.example\")", "'+1+cmd", "'-2+3", "'@SUM(A1)", "-5", "+1.5e3", "plain"
    ]  # fmt: skip


@pytest.mark.parametrize("path", ["/", "/sparql?query=ASK{}", "/health", "/nowhere", "/static/pages.css", "/docs"])
def test_every_response_has_the_security_headers(make_client: Callable, path: str) -> None:
    response = make_client().get(path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_redirects_never_name_the_host_of_the_request(live_server: str) -> None:
    response = httpx.get(
        live_server + "/sparql/", params={"query": "ASK {}"}, headers={"Host": "evil.example"}, follow_redirects=False
    )
    assert response.is_redirect
    assert response.headers["location"] == "/sparql?query=ASK+%7B%7D"


def test_writes_to_a_store_on_disk_are_seen_by_the_next_query(serve: Start, tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store", vocab.CANONICAL_GRAPH)
    base = serve(store=store, update_token="s3cret")
    assert client(base, ASK_INSERTED).queryAndConvert()["boolean"] is False
    store.update(INSERT)
    assert client(base, ASK_INSERTED).queryAndConvert()["boolean"] is True
    headers = {"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"}
    assert httpx.post(base + "/sparql", content="CLEAR DEFAULT", headers=headers).is_success
    assert client(base, ASK_INSERTED).queryAndConvert()["boolean"] is False
