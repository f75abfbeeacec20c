"""Queries that would take the server down: each is stopped, and the server keeps answering promptly.

The server runs in a child process under a memory cap (``resource.setrlimit``
before it starts), so a regression fails these tests instead of the machine.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from conftest import free_port

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent
CAP = 3 * 2**30
"""Address space the server may use (its workers too, each within it)."""
SERVER = """
import json, sys
sys.path.insert(0, sys.argv[1])
import corpus_fixture, uvicorn
from api.app import create_app
from kg.config import Settings
app = create_app(corpus_fixture.store(), Settings(**json.loads(sys.argv[2])))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""
CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NESTED = {
    "parentheses": "SELECT * WHERE { FILTER(" + "(" * 4650 + "1" + ")" * 4650 + ") }",
    "braces": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "subqueries": "SELECT * WHERE {" + "SELECT * WHERE {" * 5000 + "}" * 5000 + "}",
}


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


Serve = Callable[..., tuple[str, subprocess.Popen]]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """``serve(**settings)``: base URL and process of a server of the corpus store in a memory-capped child."""
    running: list[subprocess.Popen] = []

    def start(**settings: object) -> tuple[str, subprocess.Popen]:
        port = free_port()
        command = [sys.executable, "-c", SERVER, str(TESTS), json.dumps(settings), str(port)]
        proc = subprocess.Popen(command, preexec_fn=_cap, start_new_session=True)
        running.append(proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200:
                    return base, proc
            except httpx.HTTPError:
                time.sleep(0.2)
        pytest.fail("the server did not start")

    yield start
    for proc in running:
        proc.terminate()  # a clean stop removes the server's snapshots
        try:
            proc.wait(10)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)  # what is left of the server's session: its query workers


def memory_mb(proc: subprocess.Popen) -> float:
    """Resident memory of the server and its children (workers), in MB."""
    server = psutil.Process(proc.pid)
    return sum(p.memory_info().rss for p in [server, *server.children(recursive=True)]) / 2**20


def cpu_seconds(proc: subprocess.Popen) -> float:
    """CPU time the server and its children have used so far."""
    server = psutil.Process(proc.pid)
    total = 0.0
    for p in [server, *server.children(recursive=True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def healthy_in(base: str) -> float:
    """Seconds ``/health`` takes to answer 200."""
    start = time.monotonic()
    assert httpx.get(base + "/health", timeout=10).status_code == 200
    return time.monotonic() - start


def post(base: str, query: str, timeout: float = 60) -> httpx.Response:
    return httpx.post(
        base + "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}, timeout=timeout
    )


def test_deeply_nested_queries_get_400_and_the_server_lives(serve: Serve) -> None:
    base, proc = serve()
    for name, query in NESTED.items():
        response = post(base, query)
        assert response.status_code == 400, name
        assert "max_query_depth" in response.json()["detail"]
    binds = "ASK { " + " ".join(f"BIND({i} AS ?x{i})" for i in range(4000)) + " }"  # deep, without brackets
    assert post(base, binds).status_code in (400, 503)
    assert proc.poll() is None
    assert healthy_in(base) < 1
    assert post(base, "ASK { FILTER(((1))) }").json()["boolean"] is True


def test_a_sort_over_a_cross_join_is_stopped_at_its_memory_limit(serve: Serve) -> None:
    base, proc = serve(query_timeout=60, query_memory=256)
    start = time.monotonic()
    response = post(base, CROSS + " ORDER BY ?c")
    assert response.status_code == 503
    assert response.json()["error"] == "QueryAborted" and "query_memory" in response.json()["detail"]
    assert time.monotonic() - start < 30
    time.sleep(1)
    assert memory_mb(proc) < 1500
    assert healthy_in(base) < 1
    assert post(base, "ASK {}").json()["boolean"] is True


def test_timed_out_queries_stop(serve: Serve) -> None:
    base, proc = serve(query_timeout=1, query_workers=2, query_queue=8)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 260^4 rows
    answers: list[httpx.Response] = []
    askers = [threading.Thread(target=lambda: answers.append(post(base, count))) for _ in range(4)]
    for thread in askers:
        thread.start()
    for thread in askers:
        thread.join(30)
    assert [a.status_code for a in answers] == [503] * 4
    time.sleep(0.5)
    before = cpu_seconds(proc)
    time.sleep(2)
    assert cpu_seconds(proc) - before < 0.5, "a query goes on after its 503"
    assert healthy_in(base) < 1


def test_queries_beyond_the_queue_get_503_with_retry_after(serve: Serve) -> None:
    base, _ = serve(query_timeout=3, query_workers=1, query_queue=1)
    answers: list[httpx.Response] = []
    askers = [threading.Thread(target=lambda: answers.append(post(base, CROSS + " ORDER BY ?c"))) for _ in range(4)]
    for thread in askers:
        thread.start()
    time.sleep(0.5)
    assert healthy_in(base) < 1, "/health waits for the query workers"
    for thread in askers:
        thread.join(30)
    busy = [a for a in answers if a.json().get("error") == "ServerBusy"]
    assert busy and all(a.status_code == 503 and a.headers["retry-after"] == "1" for a in busy)
    assert post(base, "ASK {}").json()["boolean"] is True
