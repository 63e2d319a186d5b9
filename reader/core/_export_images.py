"""The Markdown export's images: an issue's kept images written beside its note, and linked from it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reader.core import _image_store as image_store
from reader.core._storage import Database
from reader.core.errors import ReaderError

IMAGES_DIR = "images"


def export_images(db: Database, out_dir: Path, written: Sequence[tuple[str, Path]]) -> int:
    """For each exported (issue id, note file) whose issue has kept images: write them to
    ``out_dir/images/`` (named by content, so shared images are written once) and add an
    "Images" section to the note linking them. Returns how many image files were written."""
    count = 0
    for issue_id, note in written:
        files = image_store.stored_files(db, issue_id)
        if not files:
            continue
        folder = out_dir / IMAGES_DIR
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            for _url, name, data in files:
                target = folder / name
                if not target.exists():
                    target.write_bytes(data)
                    count += 1
            links = "\n".join(f"![]({IMAGES_DIR}/{name})" for _url, name, _data in sorted(files))
            with note.open("a", encoding="utf-8") as handle:
                handle.write(f"\n## Images\n\n{links}\n")
        except OSError as exc:
            raise ReaderError(f"Could not write the images of {note.name} ({exc.strerror or exc})") from None
    return count
