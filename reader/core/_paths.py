"""Where Back Issue keeps its data: one folder, overridable by ``--data-dir`` or BACKISSUE_DATA_DIR."""

from __future__ import annotations

import contextlib
import os
from importlib import resources
from pathlib import Path

import platformdirs

from reader.core.errors import StorageError

ENV_VAR = "BACKISSUE_DATA_DIR"
APP_NAME = "backissue"


def default_data_dir() -> Path:
    """The data dir: BACKISSUE_DATA_DIR if set, else the platform's user data dir for backissue."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None) -> Path:
    """The data dir to use given an optional ``--data-dir`` value (which wins over the env var)."""
    if cli_value:
        return Path(cli_value).expanduser()
    return default_data_dir()


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` readable by the user only (0700) if missing; an existing folder is used as it is.

    A folder the user already has keeps its permissions (a read-only one stays read-only).

    Raises:
        StorageError: ``path`` is a file, or cannot be created (the message says why, in words).
    """
    if path.is_dir():
        return path
    if path.exists() or path.is_symlink():
        raise StorageError(f"{path} is not a folder (it is a file); choose a folder for the library")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=0o700)
    except FileExistsError:
        if not path.is_dir():
            raise StorageError(f"{path} is not a folder; choose a folder for the library") from None
        return path  # made meanwhile by another process: use it as it is
    except OSError as exc:
        raise StorageError(f"Cannot create the folder {path}: {exc.strerror or exc}") from None
    with contextlib.suppress(OSError):  # mkdir's mode is masked by the umask
        path.chmod(0o700)
    return path


def sample_paths() -> list[Path]:
    """The bundled sample newsletters, sorted by name.

    Installed, they are the package data ``reader.seeds``; in a source checkout (where the
    ``reader`` folder shadows the installed package) they are the top-level ``seeds/`` folder.
    """
    checkout = Path(__file__).resolve().parents[2] / "seeds"
    if checkout.is_dir():
        return sorted(checkout.glob("*.txt"))
    # An installed (non-zipped) package: its resources are plain files on disk.
    entries = resources.files("reader.seeds").iterdir()
    return sorted(Path(str(entry)) for entry in entries if entry.name.endswith(".txt"))


DESKTOP_FILES = ("backissue.svg", "backissue.desktop", "io.github.backissue.BackIssue.metainfo.xml")
"""The desktop integration files: the icon, the launcher entry and the AppStream metainfo."""


def desktop_resource(name: str) -> Path:
    """One of DESKTOP_FILES: ``resources/desktop/`` in a checkout, the package data ``reader.resources`` installed."""
    checkout = Path(__file__).resolve().parents[2] / "resources" / "desktop" / name
    if checkout.is_file():
        return checkout
    return Path(str(resources.files("reader.resources").joinpath(name)))
