"""A small program that writes to a library until it is killed (used by the kill-at-any-moment tests).

Usage: python -m tests.kill_driver DATA_DIR SEED
It prints ``saved <highlight id>`` (flushed) after each highlight the Library has returned, i.e. committed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from reader.core import Library


def main(data_dir: str, seed: int) -> None:
    """Import the samples (if needed), then keep highlighting, noting and re-importing."""
    rng = random.Random(seed)
    with Library(Path(data_dir)) as lib:
        if lib.is_empty():
            lib.import_samples()
        print("ready", flush=True)
        issues = lib.list_issues()
        while True:
            issue = rng.choice(issues)
            text = lib.plain_text(issue.id)
            start = rng.randrange(0, max(1, len(text) - 80))
            hl = lib.add_highlight(issue.id, start, start + rng.randint(5, 60), note=f"note {rng.random()}").highlight
            print(f"saved {hl.id}", flush=True)
            if rng.random() < 0.2:
                lib.set_issue_note(issue.id, f"issue note {rng.random()}")
            if rng.random() < 0.1:
                lib.set_read(issue.id, rng.random() < 0.5)


ROOT = Path(__file__).resolve().parents[1]


def run_and_kill(data_dir: Path, seed: int, delay: float) -> set[str]:
    """Start the driver, SIGKILL it ``delay`` seconds after it is ready; the ids it reported saved."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.kill_driver", str(data_dir), str(seed)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        proc.kill()
        raise RuntimeError(f"the kill driver did not start: {proc.communicate(timeout=30)}")
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return {line.split()[1] for line in out.splitlines() if line.startswith("saved ")}


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
