"""A small program that writes to a library until it is killed (used by the kill-at-any-moment tests).

Usage: python -m tests.kill_driver DATA_DIR SEED
It prints ``saved <highlight id>`` (flushed) after each highlight the Library has returned, i.e. committed.
"""

from __future__ import annotations

import random
import sys
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
            hl = lib.add_highlight(issue.id, start, start + rng.randint(5, 60), note=f"note {rng.random()}")
            print(f"saved {hl.id}", flush=True)
            if rng.random() < 0.2:
                lib.set_issue_note(issue.id, f"issue note {rng.random()}")
            if rng.random() < 0.1:
                lib.set_read(issue.id, rng.random() < 0.5)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
