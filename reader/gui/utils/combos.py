"""Small helpers for the filter combo boxes the list and the notebook share."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox

ALL_PUBLICATIONS = "All publications"


def refill_choices(combo: QComboBox, all_label: str, names: Sequence[str]) -> None:
    """Offer ``all_label`` (data "") then ``names``, keeping the current choice if it is still there.

    Signals are blocked while the items change; the caller re-applies its filter afterwards.
    """
    current = combo.currentData() or ""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_label, "")
    for name in names:
        combo.addItem(name, name)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
