"""Soak test: SIGKILL a writing Back Issue process many times, then check nothing was lost.

Usage: .venv/bin/python -m benchmarks.kill_soak [--trials 500] [--seed 1]
Prints the trials run, highlights reported saved, highlights found, and the integrity check.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from reader.core import Library
from tests.kill_driver import run_and_kill


def main() -> int:
    """Run the soak and print its figures; exit 1 if anything was lost."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    data_dir = Path(tempfile.mkdtemp(prefix="kill-soak-")) / "data"
    saved: set[str] = set()
    for trial in range(args.trials):
        saved |= run_and_kill(data_dir, seed=args.seed * 100_000 + trial, delay=rng.uniform(0.0, 0.6))
    with Library(data_dir) as lib:
        problems = lib.check()
        stored = {h.id for h in lib.highlights()}
    lost = saved - stored
    print(f"trials: {args.trials}  saved: {len(saved)}  found: {len(stored)}  lost: {len(lost)}")
    print(f"check: {problems or 'ok'}  data dir: {data_dir}")
    return 1 if lost or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
