"""The exploration notebook runs top to bottom on the sample articles and shows tables and an offline graph."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


def tagged(nb: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    """The one cell carrying `tag`."""
    (cell,) = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    return cell


def html_of(cell: nbformat.NotebookNode) -> str:
    """The HTML a code cell displayed."""
    return "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    """The notebook after running every cell in a fresh python3 kernel (building a scratch store)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("KG_STORE", raising=False)
        nb = nbformat.read(NOTEBOOK, as_version=4)
        NotebookClient(
            nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": NOTEBOOK.parent}}
        ).execute()
    return nb


def test_committed_notebook_has_no_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.slow
def test_notebook_runs_without_errors(executed: nbformat.NotebookNode) -> None:
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]


@pytest.mark.slow
def test_notebook_tables_have_rows(executed: nbformat.NotebookNode) -> None:
    for tag in ("sparql", "top-actors", "ego", "timeline"):
        table = html_of(tagged(executed, tag))
        assert "<table" in table and table.count("<tr>") >= 3, tag  # header and at least two rows


@pytest.mark.slow
def test_notebook_draws_an_offline_interactive_graph(executed: nbformat.NotebookNode) -> None:
    page = html_of(tagged(executed, "interactive"))
    assert "<iframe srcdoc=" in page and "new vis.Network" in page
    assert "https://cdn" not in page


@pytest.mark.slow
def test_notebook_timeline_reads_as_words_not_ids(executed: nbformat.NotebookNode) -> None:
    table = html_of(tagged(executed, "timeline"))
    for column in ("date", "event", "status", "participants", "place", "sources", "evidence"):
        assert f">{column}</th>" in table, column
    assert "NaN" not in table and "event-" not in table and "None" not in table
    assert "Xi Jinping" in table
