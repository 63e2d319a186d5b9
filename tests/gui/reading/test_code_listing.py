"""A code listing in the pane reads as one block of code, not as stripes with gaps between its lines."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextBlockFormat

from reader.gui.reading.pane import LINE_HEIGHT_PERCENT

if TYPE_CHECKING:
    from conftest import Driver


def test_a_code_listing_keeps_its_lines_together_and_prose_stays_open(driver: Driver, tmp_path: Path) -> None:
    # Under Xvfb a Rust sample from a Jekyll feed showed each line as its own band with a gap under
    # it: every block, code lines included (each <pre> line is a block), was set to 150%.
    path = tmp_path / "code.md"
    path.write_text("# Code notes\n\nSome prose before.\n\n```\nfn main() {\n    run();\n}\n```\n\nAfter.\n", "utf-8")
    window = driver.window
    [result] = [r for r in window.library.import_paths([path]).files if r.issue_ids]
    assert window.open_issue(result.issue_ids[0])
    heights: dict[str, float] = {}
    block = driver.pane.document().begin()
    while block.isValid():
        heights[block.text()] = block.blockFormat().lineHeight()
        proportional = QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        assert block.blockFormat().lineHeightType() == proportional
        block = block.next()
    assert heights["fn main() {"] == heights["    run();"] == heights["}"] == 100
    assert heights["Some prose before."] == heights["After."] == LINE_HEIGHT_PERCENT
