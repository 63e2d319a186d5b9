"""Kill a writer with SIGKILL at random moments, also mid-reindex and mid-restore; nothing saved is lost."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.core import Library
from tests.kill_driver import mode_for, run_and_kill

TRIALS = 50
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(20261124)
    data_dir = tmp_path / "data"
    saved: set[str] = set()
    for trial in range(TRIALS):
        saved |= run_and_kill(data_dir, seed=trial, delay=rng.uniform(0.0, 0.6), mode=mode_for(trial))
    with Library(data_dir) as lib:
        lib.catch_up_index()
        assert lib.check() == []  # the index matches the database highlight by highlight
        assert lib._db.integrity_check() == ["ok"]
        stored = {h.id for h in lib.highlights()}
        assert saved <= stored, f"lost {len(saved - stored)} of {len(saved)} saved highlights"
        lib.catch_up_index()
        assert lib.stats()["indexed"] == 13
        assert len(lib.search("has:highlights", limit=50)) == len({h.issue_id for h in lib.highlights()})
    assert len(saved) > TRIALS  # the trials did write
