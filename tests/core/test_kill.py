"""Kill a writer with SIGKILL at random moments; the library and every saved highlight survive."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core import Library

TRIALS = 50
ROOT = Path(__file__).resolve().parents[2]


def _run_and_kill(data_dir: Path, seed: int, delay: float) -> set[str]:
    """Start the driver, kill it ``delay`` seconds after it is ready; return the ids it reported saved."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.kill_driver", str(data_dir), str(seed)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return {line.split()[1] for line in out.splitlines() if line.startswith("saved ")}


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(20261124)
    data_dir = tmp_path / "data"
    saved: set[str] = set()
    for trial in range(TRIALS):
        saved |= _run_and_kill(data_dir, seed=trial, delay=rng.uniform(0.0, 0.6))
    with Library(data_dir) as lib:
        assert lib.check() == []
        assert lib._db.integrity_check() == ["ok"]
        stored = {h.id for h in lib.highlights()}
        assert saved <= stored, f"lost {len(saved - stored)} of {len(saved)} saved highlights"
        lib.catch_up_index()
        assert lib.stats()["indexed"] == 13
        assert len(lib.search("has:highlights", limit=50)) == len({h.issue_id for h in lib.highlights()})
    assert len(saved) > TRIALS  # the trials did write
