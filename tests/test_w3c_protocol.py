"""The W3C SPARQL 1.1 Protocol test suite, run from its manifest against a live server.

The manifest and its data are read from ``../shared/w3c/sparql11-protocol/``
(see ``SOURCE`` there): every test's requests are sent in order, with the
test's graphs loaded first into a fresh store, and each answer is checked
against the status, boolean and kind of format the manifest expects. With
an update token every test passes; on a read-only server every update gets
403 and leaves the store as it was, and every query passes as well.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from rdflib import RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from kg import vocab
from kg.store import OxigraphStore

pytestmark = pytest.mark.slow

SUITE = Path(__file__).resolve().parents[2] / "shared" / "w3c" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-token"
FORMATS = {
    "boolean": {"application/sparql-results+xml", "application/sparql-results+json"},
    "tabular": {
        "application/sparql-results+xml",
        "application/sparql-results+json",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "application/xhtml+xml"},
}
"""Media types the manifest's `mf:expectedFormat` values allow."""


@dataclass(frozen=True)
class Request:
    """One HTTP request of a test and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]
    boolean: bool | None
    kind: str | None

    @property
    def is_update(self) -> bool:
        """Whether the request asks for an update (by its media type, form or URL)."""
        form = self.headers.get("content-type") == "application/x-www-form-urlencoded"
        return (
            self.headers.get("content-type", "").startswith("application/sparql-update")
            or "update=" in self.path
            or (form and (self.body or b"").startswith(b"update="))
        )


@dataclass(frozen=True)
class ProtocolTest:
    """A manifest entry: its graphs (IRI -> N-Triples file) and its requests."""

    name: str
    graphs: dict[str, Path] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)


def _request(manifest: Graph, node: URIRef) -> Request:
    headers = {}
    for header in Collection(manifest, manifest.value(node, HT.headers)) if manifest.value(node, HT.headers) else []:
        headers[str(manifest.value(header, HT.fieldName)).lower()] = str(manifest.value(header, HT.fieldValue))
    body_node = manifest.value(node, HT.body)
    body = None
    if body_node is not None:
        encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(manifest.value(body_node, CNT.chars)).encode(encoding)
    response = manifest.value(node, HT.resp)
    statuses = {int(str(s)[-3]) for s in manifest.objects(response, MF.expectedStatus)}
    boolean = manifest.value(response, MF.expectedBoolean)
    kind = manifest.value(response, MF.expectedFormat)
    return Request(
        method=str(manifest.value(node, HT.methodName)),
        path=str(manifest.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        statuses=statuses,
        boolean=boolean.toPython() if boolean is not None else None,
        kind=str(kind) if kind is not None else None,
    )


def protocol_tests() -> list[ProtocolTest]:
    """The manifest's entries, in its order."""
    manifest = Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=(SUITE / "manifest.ttl").as_uri())
    root = next(manifest.subjects(MF.entries, None))
    tests = []
    for entry in Collection(manifest, manifest.value(root, MF.entries)):
        graphs = {
            str(manifest.value(data, RDFS.label)): Path(str(manifest.value(data, UT.graph)).removeprefix("file://"))
            for data in manifest.objects(entry, UT.graphData)
        }
        connection = manifest.value(entry, MF.action)
        requests = [_request(manifest, r) for r in Collection(manifest, manifest.value(connection, HT.requests))]
        tests.append(ProtocolTest(str(entry).rpartition("#")[2], graphs, requests))
    return tests


TESTS = protocol_tests() if SUITE.is_dir() else []


def test_the_suite_is_present_and_complete() -> None:
    if not SUITE.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the W3C protocol suite is missing at {SUITE}")
        pytest.skip(f"the W3C protocol suite is not at {SUITE}")
    assert len(TESTS) == 34


def store_for(test: ProtocolTest) -> OxigraphStore:
    """A fresh store holding the test's graphs."""
    store = OxigraphStore(None, vocab.CANONICAL_GRAPH)
    for name, path in test.graphs.items():
        graph = ox.NamedNode(name)
        triples = ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        store.apply([], (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples))
    return store


def quads(store: OxigraphStore) -> set[ox.Quad]:
    """Every quad of the store, its default graph included."""
    return set(ox.parse(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))


def boolean_of(response: httpx.Response) -> bool:
    """The boolean of an ASK result in SPARQL JSON or XML."""
    if "json" in response.headers["content-type"]:
        return json.loads(response.content)["boolean"]
    element = ElementTree.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None
    return element.text == "true"


def send(http: httpx.Client, request: Request, token: str | None) -> httpx.Response:
    headers = {**request.headers, **({"Authorization": f"Bearer {token}"} if token else {})}
    return http.request(request.method, request.path, content=request.body, headers=headers)


def check(response: httpx.Response, request: Request) -> None:
    """The response is what the manifest expects."""
    assert response.status_code // 100 in request.statuses, f"{response.status_code}: {response.text[:300]}"
    if request.kind is not None:
        assert response.headers["content-type"].partition(";")[0] in FORMATS[request.kind]
    if request.boolean is not None:
        assert boolean_of(response) is request.boolean


Serve = Callable[[OxigraphStore, str], str]


@pytest.fixture
def serve(start_server: Callable[[FastAPI], str], make_app: Callable[..., FastAPI]) -> Serve:
    """``serve(store, token)``: the base URL of a live server of `store`, read-only if `token` is empty."""
    return lambda store, token: start_server(make_app(store, update_token=token))


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_with_an_update_token(test: ProtocolTest, serve: Serve) -> None:
    base = serve(store_for(test), TOKEN)
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as http:
        for request in test.requests:
            check(send(http, request, TOKEN), request)


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_read_only(test: ProtocolTest, serve: Serve) -> None:
    store = store_for(test)
    before = quads(store)
    base = serve(store, "")
    updates = any(r.is_update for r in test.requests)
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as http:
        for request in test.requests:
            response = send(http, request, TOKEN)
            if request.is_update:
                assert response.status_code == 403, response.text
            elif updates:  # what the update would have written is not there: only the status is the manifest's
                assert response.status_code // 100 in request.statuses
            else:
                check(response, request)
    assert quads(store) == before
