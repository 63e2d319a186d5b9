"""What the Library hands the index for one issue, and how it becomes Whoosh documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.core._search.schema import DATE_PART, HEADING_REPEATS, TITLE_REPEATS
from reader.core._search.snippets import word_stems
from reader.core.types import Highlight, Issue

WhooshDoc = dict[str, Any]
_NUMBER_LIMIT = 2**63  # the number field holds signed 64-bit integers; larger "numbers" are not issue numbers


@dataclass(frozen=True)
class IssueDoc:
    """One issue as the index needs it.

    Attributes:
        issue: the issue record (its id, metadata, read/starred state and note are used).
        sections: ``(heading, plain text)`` pairs in reading order; heading "" for the introduction.
        highlights: the issue's highlights (their quotes, notes and colours are indexed).
        color_labels: colour key -> the user's label. Not indexed: labels are resolved when searching
            (``color_aliases``), so renaming a label needs no reindex. Kept for callers' convenience.
    """

    issue: Issue
    sections: Sequence[tuple[str, str]]
    highlights: Sequence[Highlight] = ()
    color_labels: Mapping[str, str] = field(default_factory=dict)
    tags: Sequence[str] = ()
    highlight_tags: Mapping[str, Sequence[str]] = field(default_factory=dict)
    archived: bool = False
    links: Sequence[str] = ()
    """What ``link:`` finds the issue by (``_links.link_terms``)."""
    cites: str = ""
    """The issue's link texts and cited titles, for ``cites:``."""
    stems: Sequence[tuple[str, str]] = ()
    """``word_stems`` of each of ``sections``' heading and text when already made (the render helper
    makes them); otherwise they are made here."""


def issue_documents(doc: IssueDoc) -> list[WhooshDoc]:
    """The Whoosh documents of one issue: the issue itself, then one per highlight and one per note."""
    issue = doc.issue
    common = _issue_fields(doc)
    headings = [heading for heading, _ in doc.sections if heading]
    docs: list[WhooshDoc] = [
        {
            **common,
            "key": issue.id,
            "kind": "issue",
            "texts": [(heading, text) for heading, text in doc.sections],
            "stems": _stems(doc),
            "headings": "\n".join(headings),
            "text": "\n".join([issue.title] * TITLE_REPEATS + headings * HEADING_REPEATS
                              + [text for _, text in doc.sections]),
        }
    ]
    if issue.note.strip():
        docs.append(_annotation_doc(common, f"{issue.id}/note", "note", issue.note))
    for hl in doc.highlights:
        base = {**common, "highlight_id": hl.id, "color": hl.color.lower()}
        if doc.highlight_tags.get(hl.id):
            base["hltag"] = " ".join(doc.highlight_tags[hl.id])
        docs.append(_annotation_doc(base, f"{issue.id}/h/{hl.id}", "highlight", hl.quote))
        if hl.note.strip():
            docs.append(_annotation_doc(base, f"{issue.id}/n/{hl.id}", "note", hl.note))
    return docs


def _stems(doc: IssueDoc) -> list[tuple[str, str]]:
    """The stored stems of each section: the ones made with the texts, else made now."""
    if len(doc.stems) == len(doc.sections):
        return list(doc.stems)
    return [(word_stems(heading), word_stems(text)) for heading, text in doc.sections]


def _annotation_doc(base: WhooshDoc, key: str, kind: str, text: str) -> WhooshDoc:
    """A highlight's quote or a note: searchable by default and in its own field (highlight:, note:)."""
    return {**base, "key": key, "kind": kind, "texts": [("", text)], kind: text, "text": text}


def _issue_fields(doc: IssueDoc) -> WhooshDoc:
    """The issue's metadata, put on each of its documents so filters apply to all of them."""
    issue = doc.issue
    fields: WhooshDoc = {
        "issue_id": issue.id,
        "title": issue.title,
        "publication": issue.publication,
        "author": issue.author or "",
        "is": " ".join(("read" if issue.read else "unread", "starred" if issue.starred else "unstarred")),
        "has": " ".join(_has_terms(doc)),
    }
    if doc.tags:
        fields["tag"] = " ".join(doc.tags)
    if doc.archived:
        fields["is"] += " archived"
    if issue.number is not None and abs(issue.number) < _NUMBER_LIMIT:
        fields["number"] = issue.number
    if doc.links:
        fields["link"] = " ".join(doc.links)
    if doc.cites:
        fields["cites"] = doc.cites
    if issue.date:
        fields["date"] = issue.date
        fields[DATE_PART] = f"{issue.date[:4]} {issue.date[:7]}"
    return fields


def _has_terms(doc: IssueDoc) -> list[str]:
    terms = []
    if doc.highlights:
        terms.append("highlights")
    if doc.issue.note.strip() or any(hl.note.strip() for hl in doc.highlights):
        terms.append("notes")
    return terms

