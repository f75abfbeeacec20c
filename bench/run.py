"""Run every benchmark, one process each, printing their tables and saving them under ``bench/out``.

    python -m bench [--quick]

`--quick` uses small sizes (minutes instead of most of an hour); the full run
uses the sizes of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
OUT = Path(__file__).parent / "out"
FULL: dict[str, list[str]] = {
    "extract": ["400"],
    "load": ["100000", "1000000", "5000000"],
    "sparql": ["--quads", "100000", "1000000", "--rounds", "10"],
    "memory": ["100000", "1000000", "5000000"],
    "views": ["500", "2439", "12195"],
    "increment": ["--add", "20", "1000", "3000", "10000"],
}
QUICK: dict[str, list[str]] = {
    "extract": ["60"],
    "load": ["100000"],
    "sparql": ["--quads", "100000", "--rounds", "3"],
    "memory": ["100000"],
    "views": ["500"],
    "increment": ["--add", "10", "100", "300"],
}


def run(name: str, args: list[str]) -> str:
    """Output of ``python -m bench.bench_NAME ARGS``; exits with the benchmark's errors if it fails."""
    command = [sys.executable, "-m", f"bench.bench_{name}", *args]
    done = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return f"## {name}\n\n`{' '.join(['python', '-m', f'bench.bench_{name}', *args])}`\n\n{done.stdout}"


def main() -> None:
    """Command line: run the benchmarks in order and save each one's Markdown output."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("only", nargs="*", help="benchmarks to run (default: all)")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    OUT.mkdir(exist_ok=True)
    for name in args.only or plan:
        text = run(name, plan[name])
        (OUT / f"{name}{'-quick' if args.quick else ''}.md").write_text(text)
        print(text, flush=True)


if __name__ == "__main__":
    main()
