"""PySide6 6.12.0 leaks references to None (and aborts in none_dealloc); pyproject excludes it.

This fails on a PySide6 with that bug, so an upgrade that brings it back is caught here.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel

ROUNDS = 5000


def test_none_refcount_does_not_fall_across_settext_and_process_events(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    app = QApplication.instance()
    for i in range(50):  # warm up caches so only a steady leak shows
        label.setText(str(i))
        app.processEvents()
    before = sys.getrefcount(None)

    for i in range(ROUNDS):
        label.setText(f"text {i}")
        app.processEvents()

    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references in {ROUNDS} rounds"
