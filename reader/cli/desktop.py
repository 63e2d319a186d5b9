"""``backissue install-desktop``: put the launcher entry, icon and metainfo where desktops look (XDG)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from reader.core import DESKTOP_FILES, desktop_resource

ICON, ENTRY, METAINFO = DESKTOP_FILES


def xdg_data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` as the XDG Base Directory spec says."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def targets(data_home: Path) -> dict[str, Path]:
    """Where each desktop file goes under ``data_home``."""
    return {
        ENTRY: data_home / "applications" / "backissue.desktop",
        ICON: data_home / "icons" / "hicolor" / "scalable" / "apps" / "backissue.svg",
        METAINFO: data_home / "metainfo" / METAINFO,
    }


def launcher_command() -> str:
    """The command the launcher runs: this installation's ``backissue``, by absolute path when known."""
    found = shutil.which("backissue")
    if found:
        return found
    return f"{sys.executable} -m reader.cli"


def install(data_home: Path | None = None) -> list[Path]:
    """Write the launcher entry (pointing at this installation), icon and metainfo; returns the files written."""
    written = []
    for name, target in targets(data_home or xdg_data_home()).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        text = desktop_resource(name).read_text(encoding="utf-8")
        if name == ENTRY:
            text = text.replace("Exec=backissue ", f"Exec={_desktop_quote(launcher_command())} ")
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def uninstall(data_home: Path | None = None) -> list[Path]:
    """Remove what ``install`` wrote; returns the files removed."""
    removed = []
    for target in targets(data_home or xdg_data_home()).values():
        if target.is_file():
            target.unlink()
            removed.append(target)
    return removed


def _desktop_quote(command: str) -> str:
    """Quote an Exec program path as the Desktop Entry spec asks (only when it has reserved characters)."""
    if all(ch.isalnum() or ch in "/._-+" for ch in command.split(" ")[0]) and " " not in command.split(" -m ")[0]:
        return command
    escaped = command.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'
