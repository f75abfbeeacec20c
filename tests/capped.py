"""Children under a memory cap and a timeout: a regression that would exhaust the machine fails the test instead."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GIB = 1 << 30
BUILD_MEMORY = 3 * GIB // 2
"""Address space a `kg build` child may use: the spaCy model and one article need about 1 GiB."""
KG = "import sys; from kg.cli import main; sys.argv[0] = 'kg'; main()"


def run_capped(args: list[str], memory: int = BUILD_MEMORY, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` in the project root with at most `memory` bytes of address space and `timeout` seconds.

    Raises:
        subprocess.TimeoutExpired: The child ran too long (it is killed).
    """

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, *args], preexec_fn=cap, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env
    )


def kg_capped(*args: str | Path, memory: int = BUILD_MEMORY, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the `kg` command with `args` in a capped child (see `run_capped`)."""
    return run_capped(["-c", KG, *map(str, args)], memory, timeout)
