"""The built wheel carries the bundled samples, the desktop files and the console script (a non-editable
install works)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_ships_the_seeds_and_the_command(tmp_path: Path) -> None:
    # Built from a copy without build/ and .venv/: setuptools never empties a stale build/lib, so a
    # wheel built in the checkout can carry modules that no longer exist (it hid a rename once).
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", "build", ".git", "*.egg-info", "__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    [wheel] = tmp_path.glob("backissue-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    seeds = sorted(n for n in names if n.startswith("reader/seeds/"))
    assert [Path(n).name for n in seeds] == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert "reader/core/_library.py" in names and "reader/gui/mainwindow/window.py" in names
    assert not [n for n in names if n.startswith("reader/core/library")], "a stale module in the wheel"
    desktop = {Path(n).name for n in names if n.startswith("reader/resources/")}
    assert desktop == {"backissue.svg", "backissue.desktop", "io.github.backissue.BackIssue.metainfo.xml"}
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "backissue = reader.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
