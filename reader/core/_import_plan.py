"""A dry run's view of the library: the stored issues plus what the files read so far would add.

``PlannedLookup`` answers identity's questions as the library would after the earlier files of the
dry run were imported, without writing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reader.core import _issue_identity as identity
from reader.core._issue_identity import Stored
from reader.core.types import ParsedIssue


class PlannedLookup:
    """Stored issues (through ``stored``) overlaid with the planned inserts and updates."""

    def __init__(self, stored: identity.Lookup) -> None:
        self._stored = stored
        self._planned: dict[str, identity.Stored] = {}

    def plan(self, parsed: ParsedIssue) -> identity.Decision:
        """Decide ``parsed`` as an import would, and remember the outcome for the next ones."""
        keys = identity.Keys.of(parsed)
        decision = identity.decide(keys, self)
        if decision.outcome == "unchanged" and not decision.set_key:
            return decision
        current = self.by_id(decision.issue_id)
        if decision.outcome == "imported" or current is None:
            row = identity.Stored(decision.issue_id, keys.strong, keys.weak, keys.fingerprint, keys.digest)
        elif decision.outcome == "unchanged":
            row = replace(current, source_key=keys.strong)
        else:
            source_key = keys.strong if decision.set_key else current.source_key
            row = identity.Stored(decision.issue_id, source_key, keys.weak, keys.fingerprint, keys.digest)
        self._planned[decision.issue_id] = row
        return decision

    def by_id(self, issue_id: str) -> identity.Stored | None:
        """The issue with this id, planned or stored."""
        return self._planned.get(issue_id) or self._stored.by_id(issue_id)

    def _merged(self, stored: list[Stored], matches: Callable[[Stored], bool]) -> list[Stored]:
        """The stored rows, with planned rows replacing them (or joining, or leaving) by ``matches``."""
        rows = {row.id: row for row in stored}
        for row in self._planned.values():
            if matches(row):
                rows[row.id] = row
            else:
                rows.pop(row.id, None)
        return list(rows.values())

    def by_source_key(self, key: str) -> identity.Stored | None:
        """The issue under this strong key, planned or stored."""
        found = self._stored.by_source_key(key)
        rows = self._merged([found] if found else [], lambda row: row.source_key == key)
        return rows[0] if rows else None

    def by_fingerprint(self, value: str) -> list[identity.Stored]:
        """The issues with this text, planned or stored."""
        return self._merged(self._stored.by_fingerprint(value), lambda row: row.fingerprint == value)

    def by_weak_key(self, value: str) -> list[identity.Stored]:
        """The issues with this weak key, planned or stored."""
        return self._merged(self._stored.by_weak_key(value), lambda row: row.weak_key == value)

    def id_taken(self, issue_id: str) -> bool:
        """True when a stored or planned issue has this id."""
        return issue_id in self._planned or self._stored.id_taken(issue_id)
