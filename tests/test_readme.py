"""The README tells the truth: its example queries return rows, and every setting is documented."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields

import pytest
from conftest import ROOT
from fastapi import FastAPI
from SPARQLWrapper import JSON, SPARQLWrapper
from typer.testing import CliRunner

from api.app import create_app
from kg.cli import app
from kg.config import Settings, env_name
from kg.queries import DISPUTED_QUERY
from kg.store import Store

README = (ROOT / "README.md").read_text()
EXAMPLES = re.findall(r"```sparql\n(.*?)```", README, re.S)


def test_the_readme_has_five_example_queries_including_the_disputes_query() -> None:
    assert len(EXAMPLES) == 5
    assert DISPUTED_QUERY in EXAMPLES


@pytest.mark.slow
@pytest.mark.parametrize("query", EXAMPLES, ids=[f"example{i + 1}" for i in range(len(EXAMPLES))])
def test_example_query_returns_rows_over_http(
    query: str, sample_store: Store, start_server: Callable[[FastAPI], str]
) -> None:
    client = SPARQLWrapper(start_server(create_app(sample_store, Settings())) + "/sparql", returnFormat=JSON)
    client.setQuery(query)
    assert client.queryAndConvert()["results"]["bindings"]


@pytest.mark.parametrize("name", [f.name for f in fields(Settings)])
def test_every_setting_is_in_the_readme_table_and_a_command_option(name: str) -> None:
    option, default = f"--{name.replace('_', '-')}", getattr(Settings, name)
    row = f"| `{name}` | `{option}` | `{env_name(name)}` | `{default if default != '' else '(empty)'}` |"
    assert row in README
    helps = [
        CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output for command in ("build", "serve")
    ]
    assert any(option in text for text in helps)


@pytest.mark.slow
def test_the_readme_names_every_graph_the_store_holds(sample_store: Store) -> None:
    rows = re.findall(r"^\| `(https://w3id\.org/newskg/graph/[^`]*)` \|", README, re.M)
    patterns = [re.compile(re.escape(row).replace("ID", "[0-9a-f]+") + "$") for row in rows]
    graphs = sample_store.graphs()
    assert all(any(p.match(g) for p in patterns) for g in graphs), (rows, graphs)
    assert all(any(p.match(g) for g in graphs) for p in patterns), "a documented graph the store does not have"
