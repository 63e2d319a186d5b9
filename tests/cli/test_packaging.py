"""The built wheel carries the bundled samples and the console script (a non-editable install works)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_ships_the_seeds_and_the_command(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    [wheel] = tmp_path.glob("backissue-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    seeds = sorted(n for n in names if n.startswith("reader/seeds/"))
    assert [Path(n).name for n in seeds] == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert "reader/core/library.py" in names and "reader/gui/__init__.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "backissue = reader.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
