"""Timestamps as the library stores them: UTC, ISO 8601, to the second."""

from __future__ import annotations

from datetime import datetime, timezone


def now_iso() -> str:
    """The current UTC time as ``2026-11-24T03:29:05Z``."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
