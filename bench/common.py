"""Helpers shared by the benchmarks: timing, machine description, result tables."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import psutil


def machine() -> str:
    """One line naming the machine the figures were measured on."""
    mem = psutil.virtual_memory().total / 2**30
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


@contextmanager
def timer() -> Any:
    """`with timer() as t: ...; t()` gives the elapsed seconds."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Fastest of `repeat` runs of `fn`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def percentile(values: list[float], p: float) -> float:
    """The `p`-th percentile (0-100) of `values`."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def table(rows: list[list[Any]], header: list[str]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ([table_rows(rows)] if rows else []))


def table_rows(rows: list[list[Any]]) -> str:
    """Rows of a Markdown table (to print a table's rows as they are measured)."""
    return "\n".join("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
