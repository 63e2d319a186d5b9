"""A small program that writes to a library until it is killed (used by the kill-at-any-moment tests).

Usage: python -m tests.kill_driver DATA_DIR SEED [MODE]
It prints ``saved <highlight id>`` (flushed) after each highlight the Library has returned, i.e. committed.
MODE is ``write`` (highlights, notes, read state), ``reindex`` (the same while another thread rebuilds
the search index over and over) or ``restore`` (back up, restore that backup, then write): the kill
can then land in the middle of a rebuild or a restore.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from reader.core import Library, restore_library

MODES = ("write", "reindex", "restore")


def main(data_dir: str, seed: int, mode: str = "write") -> None:
    """Import the samples (if needed), then keep highlighting, noting and re-importing."""
    rng = random.Random(seed)
    folder = Path(data_dir)
    if mode == "restore":
        with Library(folder) as lib:
            if lib.is_empty():
                lib.import_samples()
            backup = lib.backup()  # holds every highlight saved so far
        print("ready", flush=True)
        assert backup is not None
        restore_library(backup, folder)
    with Library(folder) as lib:
        if lib.is_empty():
            lib.import_samples()
        if mode != "restore":
            print("ready", flush=True)
        if mode == "reindex":
            threading.Thread(target=_reindex_forever, args=(lib,), daemon=True).start()
        _write_forever(lib, rng)


def _reindex_forever(lib: Library) -> None:
    while True:
        lib.reindex()


def _write_forever(lib: Library, rng: random.Random) -> None:
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


def run_and_kill(data_dir: Path, seed: int, delay: float, mode: str = "write") -> set[str]:
    """Start the driver, SIGKILL it ``delay`` seconds after it is ready; the ids it reported saved."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.kill_driver", str(data_dir), str(seed), mode],
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


def mode_for(trial: int) -> str:
    """The mix of the soak: every fifth trial rebuilds the index, every tenth restores a backup."""
    return "restore" if trial % 10 == 7 else "reindex" if trial % 5 == 3 else "write"


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4])
