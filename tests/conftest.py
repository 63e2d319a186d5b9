"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.feed_server", "tests.imap_server", "tests.image_server"]

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The bundled sample newsletters."""
    return SEEDS


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty data dir (and BACKISSUE_DATA_DIR pointing at it, so nothing touches the real one)."""
    path = tmp_path / "data"
    monkeypatch.setenv("BACKISSUE_DATA_DIR", str(path))
    return path


@pytest.fixture
def library(data_dir: Path) -> Iterator[object]:
    """An empty Library in ``data_dir``."""
    from reader.core import Library

    lib = Library(data_dir)
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the samples imported once per session (copy it with ``seeded_dir``)."""
    from reader.core import Library

    path = tmp_path_factory.mktemp("seeded") / "data"
    with Library(path) as lib:
        lib.import_samples()
    return path


@pytest.fixture
def seeded_dir(seeded_template: Path, tmp_path: Path) -> Path:
    """A private copy of a data dir holding the 13 sample issues."""
    import shutil

    target = tmp_path / "seeded"
    shutil.copytree(seeded_template, target)
    return target
