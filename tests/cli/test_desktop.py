"""``backissue install-desktop``: the XDG launcher entry, icon and AppStream metainfo, and --uninstall."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share"), "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "reader.cli", "--data-dir", str(tmp_path / "lib"), "install-desktop", *args],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_install_writes_entry_icon_and_metainfo_then_uninstall_removes_them(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert result.returncode == 0, result.stderr
    share = tmp_path / "share"
    entry = share / "applications" / "backissue.desktop"
    icon = share / "icons" / "hicolor" / "scalable" / "apps" / "backissue.svg"
    meta = share / "metainfo" / "io.github.backissue.BackIssue.metainfo.xml"
    assert entry.is_file() and icon.is_file() and meta.is_file()
    # Desktop Entry spec: a [Desktop Entry] group with Type, Name, Exec and Icon.
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(entry)
    group = parser["Desktop Entry"]
    assert group["Type"] == "Application" and group["Icon"] == "backissue"
    program = group["Exec"].split(" ")[0].strip('"')
    assert Path(program).is_file(), group["Exec"]  # this installation's command, by absolute path
    assert ET.parse(icon).getroot().tag.endswith("svg")
    assert ET.parse(meta).getroot().find("id").text == "io.github.backissue.BackIssue"  # type: ignore[union-attr]
    assert not (tmp_path / "lib").exists()  # installing desktop files opens no library

    removed = _run(tmp_path, "--uninstall")
    assert removed.returncode == 0 and not entry.exists() and not icon.exists() and not meta.exists()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_the_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    _run(tmp_path)
    entry = tmp_path / "share" / "applications" / "backissue.desktop"
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
