"""All settings in one table: name, default and help feed the CLI, the app and the README.

Each setting can be given on the command line (``--query-timeout``) or in the
environment (``KG_QUERY_TIMEOUT``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    """Runtime settings; see `SETTINGS_HELP` for what each means."""

    store: str = ".kg/store"
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 30.0
    result_cap: int = 10000
    max_query_bytes: int = 100_000
    max_query_depth: int = 100
    query_workers: int = 8
    query_queue: int = 16
    query_memory: int = 1024
    update_token: str = ""
    cors_origins: str = ""
    workers: int = 1
    watch: str = ""


SETTINGS_HELP: dict[str, str] = {
    "store": "Store location: a directory for the embedded Oxigraph store, "
    "or sparql+http://HOST/PATH for a remote SPARQL 1.1 store.",
    "host": "Address the server listens on.",
    "port": "Port the server listens on.",
    "query_timeout": "Seconds a SPARQL query may run before it is stopped with 503.",
    "result_cap": "Most rows (or triples) a query returns; longer results are cut there "
    "and flagged with the header X-Result-Truncated: true.",
    "max_query_bytes": "Largest SPARQL request accepted, in bytes; larger gets 413.",
    "max_query_depth": "Deepest nesting of brackets ({ ( [) in a SPARQL request; deeper gets 400 before the engine "
    "parses it.",
    "query_workers": "Processes running SPARQL queries, one query each at a time; a worker is killed at the time "
    "limit and replaced.",
    "query_queue": "Queries that may wait for a free query worker; further ones get 503 with Retry-After.",
    "query_memory": "Megabytes of memory one SPARQL query may use in its worker; a query needing more is stopped "
    "with 503.",
    "update_token": "When set, SPARQL Update is allowed for requests with 'Authorization: Bearer TOKEN'; "
    "when empty the endpoint is read-only.",
    "cors_origins": "Comma-separated origins allowed by CORS ('*' for any); empty disables CORS.",
    "workers": "Processes used by 'kg build' for extraction.",
    "watch": "Folders of articles (comma-separated) that 'kg serve' builds into its store when it starts "
    "and again whenever their files change; empty: serve the store as it is.",
}


def env_name(name: str) -> str:
    """Environment variable of a setting: ``query_timeout`` -> ``KG_QUERY_TIMEOUT``."""
    return f"KG_{name.upper()}"


def watched_paths(settings: Settings) -> list[Path]:
    """The folders of the `watch` setting."""
    return [Path(p.strip()) for p in settings.watch.split(",") if p.strip()]


def load_settings(**overrides: Any) -> Settings:
    """Settings from defaults, then the environment, then non-None `overrides`."""
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = os.environ.get(env_name(f.name))
        if raw is not None:
            values[f.name] = type(f.default)(raw)
        if overrides.get(f.name) is not None:
            values[f.name] = overrides[f.name]
    return Settings(**values)
