"""Highlights and notes as W3C Web Annotation JSON: export, and a strict parser for importing it back.

Each highlight is an ``Annotation`` whose target is the issue (``urn:backissue:issue:<id>``) with a
TextQuoteSelector and a TextPositionSelector; its note is a commenting ``TextualBody`` in Markdown
and its colour a tagging body. An issue's free note is a commenting annotation on the issue with no
selector. Targets also carry the issue's metadata under ``backissue:issue`` so an importer can
re-attach annotations by title/publication/number/date when issue ids differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from reader.core._review import check_state as check_review_state
from reader.core.errors import AnnotationFormatError
from reader.core.types import Highlight, Issue

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
GENERATOR = "backissue"
HIGHLIGHT_URN = "urn:backissue:highlight:"
ISSUE_URN = "urn:backissue:issue:"
ISSUE_NOTE_URN = "urn:backissue:issue-note:"
ISSUE_TAGS_URN = "urn:backissue:issue-tags:"
SMART_LISTS_KEY = "backissue:smartLists"
"""The collection's extension holding the smart lists (saved searches): [{name, query, sort}]."""
MAX_INPUT_BYTES = 50 * 1024 * 1024
"""Larger annotation files are refused before parsing."""
MAX_ITEMS = 1_000_000
"""More annotations than this in one file are refused."""
MAX_POSITION = 2**31 - 1
"""Largest text position or issue number accepted."""

_COLOR_KEY = "backissue:color"
_ISSUE_KEY = "backissue:issue"
_DETACHED_KEY = "backissue:detached"
_REVIEW_KEY = "backissue:review"
"""A highlight's daily-review state (#18): status, reviews, due, lastReview and its FSRS card."""

AnnotationKind = Literal["highlight", "issue-note", "issue-tags"]


@dataclass(frozen=True)
class AnnotationRecord:
    """One annotation as exported or read back: a highlight, or the free note of an issue.

    Attributes:
        kind: "highlight", or "issue-note" for an issue's free note (no quote, no position).
        highlight_id: the highlight's id ("" for an issue note); the whole annotation id when it
            was not written by Back Issue.
        issue_id: the issue's id; the whole target source when it was not written by Back Issue.
        issue_title, issue_publication, issue_number, issue_date: the issue's metadata, for
            re-attaching when the id is unknown.
        quote, prefix, suffix, start, end: the anchor (see ``Highlight``).
        color: the colour key ("" when the file names none).
        note: the Markdown note ("" when none).
        created, modified: ISO timestamps ("" when unknown).
        detached: the highlight could not be placed in its issue when exported.
        tags: the highlight's tags, or (kind "issue-tags") the issue's: tagging bodies without a colour.
    """

    kind: AnnotationKind
    issue_id: str
    issue_title: str = ""
    issue_publication: str = ""
    issue_number: int | None = None
    issue_date: str | None = None
    highlight_id: str = ""
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int = 0
    end: int = 0
    color: str = ""
    note: str = ""
    created: str = ""
    modified: str = ""
    detached: bool = False
    review: Mapping[str, Any] | None = None
    """The highlight's daily-review state (``_review.states``), None when it was never reviewed."""
    tags: tuple[str, ...] = ()


# -- export ------------------------------------------------------------------------------------------


def _issue_fields(issue: Issue) -> dict[str, Any]:
    return {
        "issue_id": issue.id,
        "issue_title": issue.title,
        "issue_publication": issue.publication,
        "issue_number": issue.number,
        "issue_date": issue.date,
    }


def highlight_record(issue: Issue, highlight: Highlight) -> AnnotationRecord:
    """The record of one highlight of ``issue``."""
    return AnnotationRecord(
        kind="highlight",
        highlight_id=highlight.id,
        quote=highlight.quote,
        prefix=highlight.prefix,
        suffix=highlight.suffix,
        start=highlight.start,
        end=highlight.end,
        color=highlight.color,
        note=highlight.note,
        created=highlight.created,
        modified=highlight.modified,
        detached=highlight.detached,
        **_issue_fields(issue),
    )


def issue_note_record(issue: Issue) -> AnnotationRecord:
    """The record of an issue's free note."""
    return AnnotationRecord(kind="issue-note", note=issue.note, **_issue_fields(issue))


def annotation_records(
    items: Iterable[tuple[Issue, Sequence[Highlight]]], reviews: Mapping[str, Mapping[str, Any]] | None = None
) -> list[AnnotationRecord]:
    """Records for every issue note (when not blank) and highlight, in the order given.

    ``reviews`` (highlight id -> review state) adds each highlight's daily-review state.
    """
    records = []
    for issue, highlights in items:
        if issue.note.strip():
            records.append(issue_note_record(issue))
        records += [_with_review(highlight_record(issue, h), reviews) for h in highlights]
    return records


def _with_review(record: AnnotationRecord, reviews: Mapping[str, Mapping[str, Any]] | None) -> AnnotationRecord:
    state = None if reviews is None else reviews.get(record.highlight_id)
    return record if state is None else replace(record, review=state)


def annotations_to_json(
    items: Iterable[tuple[Issue, Sequence[Highlight]]],
    labels: Mapping[str, str],
    reviews: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """An AnnotationCollection document of the highlights and notes of the given issues.

    Args:
        items: each issue with its highlights.
        labels: colour key -> the user's label, written as the tagging body's value.

    Returns:
        A JSON-serialisable dict (see ``annotations_json_text``).
    """
    return records_to_json(annotation_records(items, reviews), labels)


def records_to_json(records: Iterable[AnnotationRecord], labels: Mapping[str, str]) -> dict[str, Any]:
    """An AnnotationCollection document holding one Annotation per record."""
    annotations = [_annotation(r, labels) for r in records]
    return {
        "@context": ANNO_CONTEXT,
        "type": "AnnotationCollection",
        "generator": GENERATOR,
        "total": len(annotations),
        "items": annotations,
    }


def annotations_json_text(
    items: Iterable[tuple[Issue, Sequence[Highlight]]],
    labels: Mapping[str, str],
    reviews: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """``annotations_to_json`` serialised as indented UTF-8-ready JSON text (stable for equal input)."""
    return json.dumps(annotations_to_json(items, labels, reviews), ensure_ascii=False, indent=2) + "\n"


def _annotation(record: AnnotationRecord, labels: Mapping[str, str]) -> dict[str, Any]:
    is_highlight = record.kind == "highlight"
    own_urn = ISSUE_TAGS_URN if record.kind == "issue-tags" else ISSUE_NOTE_URN
    ann: dict[str, Any] = {
        "id": (HIGHLIGHT_URN + record.highlight_id) if is_highlight else (own_urn + record.issue_id),
        "type": "Annotation",
    }
    ann |= {
        key: value for key, value in (("created", record.created), ("modified", record.modified)) if value
    }
    ann["motivation"] = "commenting" if record.note else "tagging" if record.kind == "issue-tags" else "highlighting"
    bodies = _bodies(record, labels)
    if bodies:
        ann["body"] = bodies
    ann["target"] = _target(record)
    if record.detached:
        ann[_DETACHED_KEY] = True
    if record.review is not None:
        ann[_REVIEW_KEY] = dict(record.review)
    return ann


def _bodies(record: AnnotationRecord, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    if record.note:
        bodies.append(
            {"type": "TextualBody", "value": record.note, "format": "text/markdown", "purpose": "commenting"}
        )
    if record.kind == "highlight" and record.color:
        label = labels.get(record.color, record.color)
        bodies.append({"type": "TextualBody", "value": label, "purpose": "tagging", _COLOR_KEY: record.color})
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in record.tags]
    return bodies


def _target(record: AnnotationRecord) -> dict[str, Any]:
    issue: dict[str, Any] = {"title": record.issue_title, "publication": record.issue_publication}
    if record.issue_number is not None:
        issue["number"] = record.issue_number
    if record.issue_date is not None:
        issue["date"] = record.issue_date
    target: dict[str, Any] = {"source": ISSUE_URN + record.issue_id, _ISSUE_KEY: issue}
    if record.kind == "highlight":
        target["selector"] = [
            {
                "type": "TextQuoteSelector",
                "exact": record.quote,
                "prefix": record.prefix,
                "suffix": record.suffix,
            },
            {"type": "TextPositionSelector", "start": record.start, "end": record.end},
        ]
    return target


# -- import ------------------------------------------------------------------------------------------


def parse_annotations(data: bytes | str) -> list[AnnotationRecord]:
    """Read annotations from Web Annotation JSON, checking every field it uses.

    Accepts an AnnotationCollection (or AnnotationPage) with ``items``, a bare list of annotations,
    or a single annotation. Unknown keys are ignored.

    Args:
        data: the file's content (UTF-8, a BOM is allowed) or its text.

    Returns:
        One record per annotation, in file order.

    Raises:
        AnnotationFormatError: the data is not JSON, too large, or not annotations of the expected
            shape; the message says which annotation and which field.
    """
    annotations = _annotation_list(_load_json(data))
    records: list[AnnotationRecord] = []
    problems: list[str] = []
    for number, ann in enumerate(annotations, 1):
        try:
            records.append(_parse_annotation(ann, f"annotation {number}"))
        except AnnotationFormatError as exc:
            problems.append(str(exc))
    if problems:
        raise AnnotationFormatError(_problems_message(problems))
    return records


MAX_PROBLEMS_SHOWN = 20


def _problems_message(problems: list[str]) -> str:
    """Every bad annotation in words (the first 20, then how many more); one alone as it is."""
    if len(problems) == 1:
        return problems[0]
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    lines = [f"{len(problems)} annotations cannot be read, so nothing of the file was imported:"]
    lines += [f"  {problem}" for problem in shown]
    if more:
        lines.append(f"  ... and {more} more")
    return "\n".join(lines)


def _load_json(data: bytes | str) -> object:
    if len(data) > MAX_INPUT_BYTES:
        raise AnnotationFormatError(f"The annotation file is larger than {MAX_INPUT_BYTES // 2**20} MB")
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        return json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise AnnotationFormatError("The annotation file is not UTF-8 text") from exc
    except RecursionError as exc:
        raise AnnotationFormatError("The annotation file is nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError, NaN, integers with too many digits
        raise AnnotationFormatError(f"The annotation file is not valid JSON: {exc}") from exc


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _annotation_list(document: object) -> list[Any]:
    annotations = _unwrap(document)
    if len(annotations) > MAX_ITEMS:
        raise AnnotationFormatError(f"The file holds more than {MAX_ITEMS} annotations")
    return annotations


def _unwrap(document: object) -> list[Any]:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise AnnotationFormatError(
            f"Expected annotations (a JSON object or list), found {_json_type(document)}"
        )
    types = _types(document, "the document")
    if "Annotation" in types:
        return [document]
    if not types & {"AnnotationCollection", "AnnotationPage"}:
        raise AnnotationFormatError(
            f"The document is neither an Annotation nor an AnnotationCollection (type {sorted(types)})"
        )
    items = document.get("items")
    if not isinstance(items, list):
        raise AnnotationFormatError("The annotation collection has no 'items' list")
    return items


def _types(obj: dict[str, Any], where: str) -> set[str]:
    value = obj.get("type")
    if isinstance(value, str):
        return {value}
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return set(value)
    raise AnnotationFormatError(f"{where}: 'type' must be a string or a list of strings")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


class _Fields:
    """Typed, checked access to one JSON object, with its place in the file for error messages."""

    def __init__(self, obj: object, where: str) -> None:
        if not isinstance(obj, dict):
            raise AnnotationFormatError(f"{where} must be a JSON object, found {_json_type(obj)}")
        self.obj: dict[str, Any] = obj
        self.where = where

    def fail(self, message: str) -> AnnotationFormatError:
        return AnnotationFormatError(f"{self.where}: {message}")

    def types(self) -> set[str]:
        return _types(self.obj, self.where)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.obj.get(key, default)
        if not isinstance(value, str):
            found = "nothing" if key not in self.obj else _json_type(value)
            raise self.fail(f"'{key}' must be a string, found {found}")
        return self._checked_text(key, value)

    def _checked_text(self, key: str, value: str) -> str:
        """``value`` unless it holds a lone surrogate (valid JSON, but not text: it cannot be stored)."""
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            code = ord(value[exc.start])
            raise self.fail(f"'{key}' holds a broken character (a lone surrogate, \\u{code:04x}), not text") from None
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self.obj.get(key) is None else self.text(key)

    def count(self, key: str) -> int:
        value = self.obj.get(key)
        if type(value) is not int or not 0 <= value <= MAX_POSITION:
            raise self.fail(f"'{key}' must be an integer from 0 to {MAX_POSITION}")
        return value

    def optional_count(self, key: str) -> int | None:
        return None if self.obj.get(key) is None else self.count(key)

    def flag(self, key: str) -> bool:
        value = self.obj.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false")
        return value

    def objects(self, key: str) -> list[_Fields]:
        """The object or list of objects under ``key`` ([] when absent); IRI strings are skipped."""
        value = self.obj.get(key)
        items = [] if value is None else value if isinstance(value, list) else [value]
        where = f"{self.where}, {key}"
        return [_Fields(item, where) for item in items if not isinstance(item, str)]


def _parse_annotation(obj: object, where: str) -> AnnotationRecord:
    ann = _Fields(obj, where)
    if "Annotation" not in ann.types():
        raise ann.fail("'type' must be \"Annotation\"")
    ann_id = ann.text("id")
    target = _single_target(ann)
    fields = _target_fields(target) | _body_fields(ann)
    fields |= {"created": ann.text("created", ""), "modified": ann.text("modified", "")}
    if "selector" in target.obj:
        highlight_id = ann_id.removeprefix(HIGHLIGHT_URN)
        if not highlight_id:
            raise ann.fail("the highlight id is empty")
        return AnnotationRecord(
            kind="highlight",
            highlight_id=highlight_id,
            detached=ann.flag(_DETACHED_KEY),
            review=_review_state(ann),
            **fields,
            **_selector_fields(target),
        )
    if ann_id.startswith(HIGHLIGHT_URN):
        raise target.fail("a highlight needs a 'selector' (TextQuoteSelector and TextPositionSelector)")
    if fields["tags"] and (ann_id.startswith(ISSUE_TAGS_URN) or not fields["note"]):
        del fields["color"], fields["note"]
        return AnnotationRecord(kind="issue-tags", **fields)
    fields["tags"] = ()
    if not fields["note"]:
        raise ann.fail("an annotation without selectors must be a note (a commenting TextualBody)")
    del fields["color"]
    return AnnotationRecord(kind="issue-note", **fields)


def _review_state(ann: _Fields) -> Mapping[str, Any] | None:
    """The highlight's daily-review state, checked (None when the file has none)."""
    state = ann.obj.get(_REVIEW_KEY)
    if state is None:
        return None
    if not isinstance(state, dict):
        raise ann.fail(f"{_REVIEW_KEY!r} must be an object")
    problem = check_review_state(state)
    if problem is not None:
        raise ann.fail(f"{_REVIEW_KEY}: {problem}")
    return state


def _single_target(ann: _Fields) -> _Fields:
    raw = ann.obj.get("target")
    if isinstance(raw, str):
        raw = {"source": raw}
    elif isinstance(raw, list) and len(raw) == 1:
        raw = raw[0]
    elif isinstance(raw, list):
        raise ann.fail(f"'target' must be one target, found a list of {len(raw)}")
    if raw is None:
        raise ann.fail("'target' is missing")
    return _Fields(raw, f"{ann.where}, target")


def _target_fields(target: _Fields) -> dict[str, Any]:
    issue_id = target.text("source").removeprefix(ISSUE_URN)
    if not issue_id:
        raise target.fail("'source' names no issue")
    meta = _Fields(target.obj.get(_ISSUE_KEY, {}), f"{target.where}, {_ISSUE_KEY}")
    return {
        "issue_id": issue_id,
        "issue_title": meta.text("title", ""),
        "issue_publication": meta.text("publication", ""),
        "issue_number": meta.optional_count("number"),
        "issue_date": meta.optional_text("date"),
    }


def _body_fields(ann: _Fields) -> dict[str, Any]:
    note = color = None
    tags: list[str] = []
    for body in ann.objects("body"):
        purpose = body.optional_text("purpose")
        if purpose == "tagging" and color is None and _COLOR_KEY in body.obj:
            color = body.text(_COLOR_KEY)
        elif purpose == "tagging" and _COLOR_KEY not in body.obj:
            tags.append(body.text("value"))
        elif purpose in (None, "commenting") and note is None and _COLOR_KEY not in body.obj:
            note = body.text("value")
    return {"note": note or "", "color": color or "", "tags": tuple(dict.fromkeys(tags))}


def parse_smart_lists(data: bytes | str) -> list[tuple[str, str, str]]:
    """The ``(name, query, sort)`` of each smart list a collection carries (none when it has no
    ``backissue:smartLists``); AnnotationFormatError when that is not a list of such objects."""
    document = _load_json(data)
    raw = document.get(SMART_LISTS_KEY, []) if isinstance(document, dict) else []
    if not isinstance(raw, list):
        raise AnnotationFormatError(f"'{SMART_LISTS_KEY}' must be a list of smart lists")
    found = []
    for number, item in enumerate(raw, 1):
        entry = _Fields(item, f"smart list {number}")
        found.append((entry.text("name"), entry.text("query"), entry.text("sort", "date")))
    return found


def _selector_fields(target: _Fields) -> dict[str, Any]:
    by_type: dict[str, _Fields] = {}
    for selector in target.objects("selector"):
        for kind in selector.types() & {"TextQuoteSelector", "TextPositionSelector"}:
            by_type.setdefault(kind, selector)
    quote, position = by_type.get("TextQuoteSelector"), by_type.get("TextPositionSelector")
    if quote is None or position is None:
        missing = "TextQuoteSelector" if quote is None else "TextPositionSelector"
        raise target.fail(f"the highlight has no {missing}")
    start, end = position.count("start"), position.count("end")
    if start > end:
        raise position.fail(f"'start' ({start}) is after 'end' ({end})")
    return {
        "quote": quote.text("exact"),
        "prefix": quote.text("prefix", ""),
        "suffix": quote.text("suffix", ""),
        "start": start,
        "end": end,
    }
