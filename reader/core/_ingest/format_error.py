"""The error a format parser raises for a malformed document; the dispatcher adds the file name."""

from __future__ import annotations


class FormatError(ValueError):
    """The document is malformed or holds no issue; the message says why, without the file name."""
