"""The SPARQL servers the benchmarks talk to, each run in its own process on a loopback port.

    python -m bench.servers app STORE_DIR PORT [--loop asyncio|uvloop] [--http h11|httptools]
    python -m bench.servers rdflib GRAPH.nt PORT

`app` is the project's app (`api.app.create_app`) over the on-disk store;
`rdflib` is `rdflib-endpoint` over an rdflib graph parsed from N-Triples.
`start` launches one on a free port and waits until it answers.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import uvicorn

HOST = "127.0.0.1"
PROBES = {"app": "/health", "rdflib": "/?query=ASK%7B%7D"}
"""A request each server answers once it is up."""


def serve_app(store: Path, port: int, loop: str, http: str) -> None:
    """Serve the project's app over the store at `store` (as `kg serve` does, with this loop and HTTP parser)."""
    from api.app import create_app
    from kg import vocab
    from kg.config import Settings
    from kg.store import open_store

    app = create_app(open_store(str(store), vocab.CANONICAL_GRAPH), Settings(store=str(store), query_timeout=300))
    uvicorn.run(app, host=HOST, port=port, loop=loop, http=http, log_level="warning")


def serve_rdflib(graph: Path, port: int) -> None:
    """Serve `rdflib-endpoint` over the triples of `graph` (N-Triples), its SPARQL endpoint at ``/``."""
    from rdflib import Graph
    from rdflib_endpoint import SparqlEndpoint

    data = Graph().parse(str(graph), format="nt")
    uvicorn.run(SparqlEndpoint(graph=data), host=HOST, port=port, log_level="warning")


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start(kind: str, path: Path, *options: str, timeout: float = 600) -> tuple[subprocess.Popen, str]:
    """Run ``python -m bench.servers KIND PATH PORT OPTIONS`` on a free port; returns it and its base URL once up."""
    port = free_port()
    command = [sys.executable, "-m", "bench.servers", kind, str(path), str(port), *options]
    proc = subprocess.Popen(command, cwd=Path(__file__).parents[1])
    url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(url + PROBES[kind], timeout=5).raise_for_status()
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{command} did not start")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started by `start` (killed if a query it is still running holds it up)."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> None:
    """Command line: run one server until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["app", "rdflib"])
    parser.add_argument("path", type=Path)
    parser.add_argument("port", type=int)
    parser.add_argument("--loop", default="asyncio")
    parser.add_argument("--http", default="h11")
    args = parser.parse_args()
    if args.kind == "app":
        serve_app(args.path, args.port, args.loop, args.http)
    else:
        serve_rdflib(args.path, args.port)


if __name__ == "__main__":
    main()
