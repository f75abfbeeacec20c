"""A bounded load test on loopback: 8 concurrent clients over the sample graph, no errors, a bounded p99."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI

from kg import vocab
from kg.store import Store

pytestmark = pytest.mark.slow

CLIENTS = 8
REQUESTS_PER_CLIENT = 100
TIME_LIMIT = 60.0
P99_LIMIT = 2.0
"""Seconds; generous, as the test machine may be busy."""
REQUESTS: list[tuple[str, dict]] = [
    ("/health", {}),
    ("/entities", {"limit": 20}),
    ("/events", {"limit": 20}),
    ("/statements", {"limit": 20}),
    ("/disputes", {}),
    ("/sparql", {"query": vocab.SPARQL_PREFIXES + "SELECT ?s ?name WHERE { ?s a kg:Actor ; rdfs:label ?name }"}),
    ("/sparql", {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 50"}),
    ("/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}),
]


def client_run(base: str, offset: int, deadline: float) -> tuple[list[float], list[str]]:
    """One client's requests in turn: the latency of each and the errors."""
    latencies: list[float] = []
    errors: list[str] = []
    with httpx.Client(base_url=base, timeout=30) as http:
        for i in range(REQUESTS_PER_CLIENT):
            if time.monotonic() > deadline:
                errors.append("time limit reached")
                break
            path, params = REQUESTS[(offset + i) % len(REQUESTS)]
            start = time.perf_counter()
            try:
                response = http.get(path, params=params)
                if response.status_code != 200:
                    errors.append(f"{path}: {response.status_code}")
            except httpx.HTTPError as exc:
                errors.append(f"{path}: {exc!r}")
            latencies.append(time.perf_counter() - start)
    return latencies, errors


def test_concurrent_clients_get_answers_without_errors(
    start_server: Callable[[FastAPI], str], make_app: Callable[..., FastAPI], sample_store: Store
) -> None:
    base = start_server(make_app(sample_store))
    start = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        runs = list(pool.map(lambda n: client_run(base, n, start + TIME_LIMIT), range(CLIENTS)))
    elapsed = time.monotonic() - start
    latencies = sorted(t for times, _ in runs for t in times)
    errors = [e for _, errs in runs for e in errs]
    p50, p99 = statistics.quantiles(latencies, n=100)[49], statistics.quantiles(latencies, n=100)[98]
    print(
        f"\nload: N={CLIENTS} clients, {len(latencies)} requests in {elapsed:.1f} s "
        f"({len(latencies) / elapsed:.0f}/s), errors={len(errors)}, p50={p50 * 1000:.0f} ms, p99={p99 * 1000:.0f} ms"
    )
    assert errors == []
    assert len(latencies) == CLIENTS * REQUESTS_PER_CLIENT
    assert p99 < P99_LIMIT
