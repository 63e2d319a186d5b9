"""Recognising Back Issue's own Markdown export, which holds highlights and notes, not issues."""

from __future__ import annotations

import re
from typing import Any

from reader.core.errors import IngestError

EXPORT_GENERATOR = "Back Issue"
"""The ``generator`` front matter value every Markdown export carries."""

_EXPORT_TAG = "backissue"
_ISSUE_ID = re.compile(r"[0-9a-f]{16}")


class OwnExportError(IngestError):
    """The file is one of Back Issue's own Markdown exports (highlights and notes), not a newsletter."""


def is_own_export(meta: dict[str, Any]) -> bool:
    """True for front matter written by Back Issue's Markdown export.

    Exports carry ``generator: Back Issue``; older ones are known by the ``backissue`` tag together
    with an issue id of ours.
    """
    if meta.get("generator") == EXPORT_GENERATOR:
        return True
    tags = meta.get("tags")
    tagged = tags == _EXPORT_TAG or (isinstance(tags, list) and _EXPORT_TAG in tags)
    return tagged and isinstance(meta.get("id"), str) and bool(_ISSUE_ID.fullmatch(meta["id"]))


def own_export_reason(file_name: str) -> str:
    """What the import says about an export file, and where its highlights and notes can go instead."""
    return (
        f"{file_name}: a Back Issue export of highlights and notes, not a newsletter, so it was not "
        "imported as an issue (its issue is already in your library, or in the one it came from). "
        "To carry highlights and notes to another library, export them with `backissue export "
        "--format json` and bring them in with `backissue import-annotations`."
    )
