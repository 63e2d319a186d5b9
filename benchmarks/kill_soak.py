"""Soak test: SIGKILL a writing Back Issue process many times, then check nothing was lost.

Usage: .venv/bin/python -m benchmarks.kill_soak [--trials 500] [--seed 1]
Trials mix plain writing with writing during an index rebuild and a backup restore (see
``tests.kill_driver.mode_for``). Prints the trials run, highlights reported saved, highlights found,
the integrity check and ``Library.check`` (the index against the database, entry by entry).
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from reader.core import Library
from tests.kill_driver import MODES, mode_for, run_and_kill


def main() -> int:
    """Run the soak and print its figures; exit 1 if anything was lost."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    data_dir = Path(tempfile.mkdtemp(prefix="kill-soak-")) / "data"
    saved: set[str] = set()
    modes = dict.fromkeys(MODES, 0)
    for trial in range(args.trials):
        mode = mode_for(trial)
        modes[mode] += 1
        saved |= run_and_kill(data_dir, seed=args.seed * 100_000 + trial, delay=rng.uniform(0.0, 0.6), mode=mode)
    with Library(data_dir) as lib:
        integrity = lib._db.integrity_check()
        lib.catch_up_index()
        problems = lib.check()  # database integrity and the index, entry by entry
        stored = {h.id for h in lib.highlights()}
    lost = saved - stored
    mix = ", ".join(f"{count} {mode}" for mode, count in modes.items())
    print(f"trials: {args.trials} ({mix})  saved: {len(saved)}  found: {len(stored)}  lost: {len(lost)}")
    print(f"integrity: {' '.join(integrity)}  check: {problems or 'ok'}  data dir: {data_dir}")
    return 1 if lost or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
