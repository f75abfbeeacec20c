"""Shared fixtures: apps over a fresh in-memory store of the fixture corpus, as test clients or live servers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import corpus_fixture
import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from api.app import create_app
from kg import vocab
from kg.build import build
from kg.config import Settings
from kg.store import OxigraphStore, Store, open_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_ARTICLES = ROOT / "data" / "articles"

with warnings.catch_warnings():  # Starlette prefers httpx2 for its test client; httpx is what is installed
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


@pytest.fixture
def corpus_store() -> OxigraphStore:
    """A fresh in-memory store holding the fixture corpus of `corpus_fixture`."""
    return corpus_fixture.store()


@pytest.fixture
def make_app(corpus_store: OxigraphStore) -> Callable[..., FastAPI]:
    """``make_app(store=None, **settings)``: an app over `store` (default: `corpus_store`) with these settings."""

    def make(store: Store | None = None, **overrides: Any) -> FastAPI:
        return create_app(store or corpus_store, Settings(**overrides))

    return make


@pytest.fixture
def make_client(make_app: Callable[..., FastAPI]) -> Iterator[Callable[..., TestClient]]:
    """``make_client(store=None, **settings)``: a TestClient of ``make_app(store, **settings)``."""
    clients: list[TestClient] = []

    def make(store: Store | None = None, **overrides: Any) -> TestClient:
        clients.append(TestClient(make_app(store, **overrides)))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A TestClient of the app over the corpus store, with default settings."""
    return make_client()


@pytest.fixture
def start_server() -> Iterator[Callable[[FastAPI], str]]:
    """``start_server(app)``: serve `app` with uvicorn on a free loopback port in a thread; returns its base URL."""
    running: list[tuple[uvicorn.Server, threading.Thread, socket.socket]] = []

    def start(app: FastAPI) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # so asyncio sets TCP_NODELAY
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        running.append((server, thread, sock))
        deadline = time.monotonic() + 10
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.started, "uvicorn did not start"
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    yield start
    for server, thread, sock in running:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture
def live_server(start_server: Callable[[FastAPI], str], make_app: Callable[..., FastAPI]) -> str:
    """Base URL of a live server of the app over the corpus store, with default settings."""
    return start_server(make_app())


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """An on-disk store built once from the sample articles in ``data/articles`` (read it, do not write)."""
    store = open_store(str(tmp_path_factory.mktemp("sample") / "store"), vocab.CANONICAL_GRAPH)
    build([SAMPLE_ARTICLES], store)
    return store


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    url: str, proc: subprocess.Popen, what: str, seconds: float = 30, params: dict[str, str] | None = None
) -> None:
    """Wait until `url` answers (with `params`: answers them 200); kill `proc` and fail the test if it
    does not within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            answer = httpx.get(url, params=params, timeout=2)
            if params is None or answer.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"{what} did not start")


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """A real Oxigraph server (the `oxigraph` PyPI package) on a loopback port; yields its base URL."""
    port = free_port()
    command = [shutil.which("oxigraph") or "oxigraph", "serve", "--location", str(tmp_path / "remote")]
    proc = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/query?query=ASK%20%7B%7D", proc, "oxigraph server")
    yield url
    proc.terminate()
    proc.wait(10)


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 1000000
"""
VIRTUOSO_GRANTS = "; ".join(
    [
        'GRANT SPARQL_UPDATE TO "SPARQL"',
        *(
            f'GRANT EXECUTE ON DB.DBA.{proc} TO "SPARQL"'
            for proc in ("SPARUL_RUN", "SPARQL_INSERT_DICT_CONTENT", "SPARQL_DELETE_DICT_CONTENT", "L_O_LOOK")
        ),
    ]
)
"""What lets the anonymous SPARQL endpoint update (the test server listens on loopback only)."""


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Virtuoso 7 (Debian's `virtuoso-opensource`) on loopback ports with its own database in a
    temporary folder, its SPARQL endpoint allowed to update; yields the ``sparql+http://`` location.

    Skipped where Virtuoso is not installed, failed under ``CI=true`` (`.ci/run` installs it)."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not (binary and isql):
        if os.environ.get("CI") == "true":
            pytest.fail("virtuoso-t / isql-vt not installed (apt-get install virtuoso-opensource)")
        pytest.skip("Virtuoso is not installed")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql=sql, http=http))
    proc = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{http}/sparql", proc, "virtuoso", 120, {"query": "ASK {}"})
        subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", f"exec={VIRTUOSO_GRANTS};"], check=True, timeout=60)
        yield f"sparql+http://127.0.0.1:{http}/?query=sparql&update=sparql&gsp=sparql-graph-crud"
    finally:
        proc.terminate()
        proc.wait(60)


def all_quads(store: Store) -> set:
    """Every quad of every named graph."""
    return {q for g in store.graphs() for q in store.graph_quads(g)}
