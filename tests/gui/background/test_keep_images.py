"""File ▸ Import Files… with "Keep images": the issues' images fetched once, kept offline, the choice remembered."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QLineEdit

from reader.gui.background.imports import ImportFileDialog
from reader.gui.utils.settings import KEEP_IMAGES, open_settings
from tests.image_server import ImageServer

if TYPE_CHECKING:
    from conftest import Driver

WAIT_MS = 60000


def _letter(folder: Path, images: ImageServer, name: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(
        f"---\ntitle: Orchard Notes {name}\npublication: Orchard Notes\ndate: 2024-03-01\n---\n\n"
        f"Intro.\n\n![Red apple]({images.base}/red.png)\n\nPruning season starts in March.\n"
    )
    return path


def _import_with_dialog(qtbot, driver: Driver, path: Path, tick: bool | None) -> list[bool]:
    """File ▸ Import Files…: choose ``path``; click "Keep images" when its state is not ``tick``
    (None: leave it). Returns [the box's state as the dialog opened]."""
    seen: list[bool] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportFileDialog)
        box = dialog.findChild(QCheckBox, "keepImages")
        seen.append(box.isChecked())
        if tick is not None and box.isChecked() != tick:
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
        dialog.setDirectory(str(path.parent))
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # typed, as a person does
        name.clear()
        qtbot.keyClicks(name, path.name)
        assert dialog.selectedFiles() == [str(path)]
        dialog.done(QDialog.DialogCode.Accepted)

    answered = driver.answer_next_dialog(fill)
    driver.window.action("ImportFiles").trigger()
    assert answered
    qtbot.waitUntil(lambda: not driver.importer.running and not driver.jobs._children, timeout=WAIT_MS)
    driver.settle()
    return seen


def _issue_id(driver: Driver, title: str) -> str:
    [issue_id] = [s.id for s in driver.window.library.list_issues() if s.title == title]
    return issue_id


def test_keep_images_fetches_them_at_import_and_is_remembered(
    qtbot, driver: Driver, images: ImageServer, tmp_path: Path
) -> None:
    window = driver.window
    seen = _import_with_dialog(qtbot, driver, _letter(tmp_path, images, "1"), tick=None)
    assert seen == [False]  # off until ticked
    assert images.requests == []  # an import without Keep images never goes online

    seen = _import_with_dialog(qtbot, driver, _letter(tmp_path, images, "2"), tick=True)
    assert images.requests == ["/red.png"]
    assert "1 image kept offline" in window.statusBar().currentMessage()
    issue_id = _issue_id(driver, "Orchard Notes 2")
    assert "data:image/png" in window.library.render_html(issue_id)
    assert "[Image: Red apple]" in window.library.render_html(_issue_id(driver, "Orchard Notes 1"))
    assert window.library.stored_images().count == 1
    assert open_settings(window.library.data_dir).value(KEEP_IMAGES) == "true"

    seen = _import_with_dialog(qtbot, driver, _letter(tmp_path, images, "3"), tick=None)
    assert seen == [True]  # the dialog opens as it was left
    assert "data:image/png" in window.library.render_html(_issue_id(driver, "Orchard Notes 3"))
    assert images.requests == ["/red.png"]  # the same address is stored once, for both issues
