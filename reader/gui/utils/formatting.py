"""Small text formatting shared by the list, the search results and the reading pane header."""

from __future__ import annotations

from datetime import date


def format_date(iso: str | None) -> str:
    """``2023-01-11`` -> ``11 Jan 2023``; an unparseable date is shown as given, none as ""."""
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%b %Y}"


def format_number(number: int | None) -> str:
    """``313`` -> ``#313``; no number -> ""."""
    return "" if number is None else f"#{number}"
