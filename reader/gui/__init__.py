"""The PySide6 face of Back Issue: models, views and actions over the core's Library."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.gui.mainwindow.window import MainWindow
    from reader.gui.misc.startup import ChooseForDamaged


def build_window(
    data_dir: Path | str, *, synchronous: bool = False, choose_for_damaged: ChooseForDamaged | None = None
) -> MainWindow:
    """Build the real main window for ``data_dir`` without entering the event loop (see app.build_window)."""
    from reader.gui.app import build_window as _build

    return _build(data_dir, synchronous=synchronous, choose_for_damaged=choose_for_damaged)


__all__ = ["build_window"]
