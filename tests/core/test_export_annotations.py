"""W3C Web Annotation JSON: the exported shape, a lossless round trip, and a strict, crash-free parser."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core import _annotations_json as annotations_json
from reader.core._annotations_json import (
    AnnotationRecord,
    annotation_records,
    annotations_json_text,
    annotations_to_json,
    parse_annotations,
    records_to_json,
)
from reader.core.errors import AnnotationFormatError
from reader.core.types import Highlight, Issue

LABELS = {"yellow": "Important"}

ISSUE = Issue(
    id="iss-1",
    publication="Import AI",
    title='Robots: "the sequel" 🤖',
    number=12,
    date="2024-01-05",
    note="Whole-issue *note*",
)
PLAIN = Highlight(
    id="h-1",
    issue_id="iss-1",
    quote="robots are\ncoming",
    prefix="the ",
    suffix=" soon",
    start=40,
    end=57,
    color="yellow",
    created="2024-02-01T10:00:00+00:00",
    modified="2024-02-01T10:00:00+00:00",
)
NOTED = Highlight(
    id="h-2",
    issue_id="iss-1",
    quote="x",
    prefix="",
    suffix="",
    start=0,
    end=1,
    color="mauve",
    note="Why?",
    created="2024-02-02T10:00:00+00:00",
    modified="2024-02-03T11:00:00+00:00",
    detached=True,
)
ITEMS = [(ISSUE, [PLAIN, NOTED])]


def exported() -> dict[str, Any]:
    return annotations_to_json(ITEMS, LABELS)


# -- the exported document ---------------------------------------------------------------------------


def test_document_is_an_annotation_collection() -> None:
    doc = exported()
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection"
    assert doc["generator"] == "backissue"
    assert [a["id"] for a in doc["items"]] == [
        "urn:backissue:issue-note:iss-1",
        "urn:backissue:highlight:h-1",
        "urn:backissue:highlight:h-2",
    ]


def test_highlight_annotation_has_w3c_selectors_and_issue_metadata() -> None:
    ann = exported()["items"][1]
    assert ann["type"] == "Annotation"
    assert ann["motivation"] == "highlighting"
    assert ann["created"] == PLAIN.created
    assert ann["body"] == [
        {"type": "TextualBody", "value": "Important", "purpose": "tagging", "backissue:color": "yellow"}
    ]
    assert ann["target"] == {
        "source": "urn:backissue:issue:iss-1",
        "backissue:issue": {
            "title": ISSUE.title,
            "publication": "Import AI",
            "number": 12,
            "date": "2024-01-05",
        },
        "selector": [
            {"type": "TextQuoteSelector", "exact": PLAIN.quote, "prefix": "the ", "suffix": " soon"},
            {"type": "TextPositionSelector", "start": 40, "end": 57},
        ],
    }


def test_highlight_with_a_note_is_commenting_with_a_markdown_body() -> None:
    ann = exported()["items"][2]
    assert ann["motivation"] == "commenting"
    assert ann["body"][0] == {
        "type": "TextualBody",
        "value": "Why?",
        "format": "text/markdown",
        "purpose": "commenting",
    }
    assert ann["body"][1]["value"] == "mauve"  # no label for this key: the key itself
    assert ann["backissue:detached"] is True


def test_issue_note_is_a_commenting_annotation_without_selectors() -> None:
    ann = exported()["items"][0]
    assert ann["motivation"] == "commenting"
    assert ann["body"][0]["value"] == "Whole-issue *note*"
    assert "selector" not in ann["target"]
    assert ann["target"]["source"] == "urn:backissue:issue:iss-1"


def test_json_text_is_stable_and_valid_json() -> None:
    text = annotations_json_text(ITEMS, LABELS)
    assert text == annotations_json_text(ITEMS, LABELS)
    assert json.loads(text) == exported()


# -- round trip --------------------------------------------------------------------------------------


def test_round_trip_keeps_every_field_of_highlights_and_notes() -> None:
    note, plain, noted = parse_annotations(annotations_json_text(ITEMS, LABELS).encode("utf-8"))
    assert note == AnnotationRecord(
        kind="issue-note",
        issue_id="iss-1",
        issue_title=ISSUE.title,
        issue_publication="Import AI",
        issue_number=12,
        issue_date="2024-01-05",
        note="Whole-issue *note*",
    )
    for record, highlight in ((plain, PLAIN), (noted, NOTED)):
        assert record.kind == "highlight"
        assert (record.highlight_id, record.issue_id, record.issue_title) == (
            highlight.id,
            "iss-1",
            ISSUE.title,
        )
        assert (record.quote, record.prefix, record.suffix) == (
            highlight.quote,
            highlight.prefix,
            highlight.suffix,
        )
        assert (record.start, record.end, record.color) == (highlight.start, highlight.end, highlight.color)
        assert (record.note, record.created, record.modified) == (
            highlight.note,
            highlight.created,
            highlight.modified,
        )
        assert record.detached == highlight.detached
    assert [note, plain, noted] == annotation_records(ITEMS)


def test_round_trip_of_an_issue_without_number_or_date() -> None:
    issue = Issue(id="x", publication="P", title="T")
    records = annotation_records([(issue, [PLAIN])])
    assert records[0].issue_number is None
    assert parse_annotations(json.dumps(records_to_json(records, {}))) == records


texts = st.text(max_size=30)
highlight_records = st.builds(
    AnnotationRecord,
    kind=st.just("highlight"),
    issue_id=texts.filter(bool),
    issue_title=texts,
    issue_publication=texts,
    issue_number=st.none() | st.integers(0, annotations_json.MAX_POSITION),
    issue_date=st.none() | texts,
    highlight_id=texts.filter(bool),
    quote=texts,
    prefix=texts,
    suffix=texts,
    start=st.integers(0, 1000),
    end=st.integers(1000, 2000),
    color=texts,
    note=texts,
    created=texts,
    modified=texts,
    detached=st.booleans(),
)
note_records = st.builds(
    AnnotationRecord,
    kind=st.just("issue-note"),
    issue_id=texts.filter(bool),
    issue_title=texts,
    issue_publication=texts,
    issue_number=st.none() | st.integers(0, 10_000),
    issue_date=st.none() | texts,
    note=texts.filter(bool),
)


@given(st.lists(highlight_records | note_records, max_size=5), st.dictionaries(texts, texts))
def test_any_records_survive_the_round_trip(records: list[AnnotationRecord], labels: dict[str, str]) -> None:
    text = json.dumps(records_to_json(records, labels), ensure_ascii=False)
    assert parse_annotations(text.encode("utf-8")) == records


# -- accepted shapes ---------------------------------------------------------------------------------


def test_bare_list_single_annotation_and_page_are_accepted() -> None:
    items = exported()["items"]
    expected = annotation_records(ITEMS)
    assert parse_annotations(json.dumps(items)) == expected
    assert parse_annotations(json.dumps(items[1])) == [expected[1]]
    assert parse_annotations(json.dumps({"type": "AnnotationPage", "items": items})) == expected


def test_unknown_keys_bom_and_w3c_single_values_are_tolerated() -> None:
    ann = exported()["items"][2]
    ann |= {"creator": {"name": "me"}, "x-extra": [1, 2]}
    ann["body"] = ann["body"][0]  # a single body object
    ann["target"]["selector"] = list(reversed(ann["target"]["selector"]))
    ann["target"]["selector"].append({"type": "XPathSelector", "value": "/p[1]"})
    ann["target"] = [ann["target"]]  # a list of one target
    (record,) = parse_annotations(b"\xef\xbb\xbf" + json.dumps(ann).encode("utf-8"))
    assert (record.highlight_id, record.note, record.start, record.color) == ("h-2", "Why?", 0, "")


def test_foreign_ids_are_kept_whole() -> None:
    ann = exported()["items"][1]
    ann["id"] = "https://example.org/anno/7"
    ann["target"]["source"] = "https://example.org/issue/3"
    (record,) = parse_annotations(json.dumps(ann))
    assert (record.highlight_id, record.issue_id) == (ann["id"], ann["target"]["source"])


# -- rejected input ----------------------------------------------------------------------------------


def mutated(path: tuple[Any, ...], value: Any = KeyError) -> str:
    """The valid export with the value at ``path`` replaced (or deleted when value is KeyError)."""
    doc = exported()
    *parents, last = path
    node = doc
    for key in parents:
        node = node[key]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        ('{"type": "Annotation", "x": NaN}', "not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply|not valid JSON"),
        ("42", "found a number"),
        ('"text"', "found a string"),
        ('{"type": "Thing"}', "neither an Annotation"),
        ('{"items": []}', "'type' must be"),
        ('{"type": "AnnotationCollection"}', "no 'items' list"),
        ('{"type": "AnnotationCollection", "items": {}}', "no 'items' list"),
        ("[1]", "annotation 1 must be a JSON object, found a number"),
        (mutated(("items", 1, "type"), "Note"), 'annotation 2: .type. must be "Annotation"'),
        (mutated(("items", 1, "id")), "annotation 2: 'id' must be a string, found nothing"),
        (mutated(("items", 1, "target")), "'target' is missing"),
        (mutated(("items", 1, "target"), []), "one target"),
        (mutated(("items", 1, "target", "source"), 7), "'source' must be a string, found a number"),
        (mutated(("items", 1, "target", "source"), "urn:backissue:issue:"), "names no issue"),
        (mutated(("items", 1, "target", "selector")), "needs a 'selector'"),
        (mutated(("items", 1, "target", "selector"), []), "no TextQuoteSelector"),
        (mutated(("items", 1, "target", "selector", 1)), "no TextPositionSelector"),
        (mutated(("items", 1, "target", "selector", 0, "exact"), None), "'exact' must be a string"),
        (mutated(("items", 1, "target", "selector", 1, "start"), "4"), "'start' must be an integer"),
        (mutated(("items", 1, "target", "selector", 1, "start"), True), "'start' must be an integer"),
        (mutated(("items", 1, "target", "selector", 1, "end"), -1), "'end' must be an integer"),
        (mutated(("items", 1, "target", "selector", 1, "end"), 10**12), "'end' must be an integer"),
        (mutated(("items", 1, "target", "selector", 1, "start"), 99), "'start' \\(99\\) is after 'end'"),
        (mutated(("items", 1, "target", "backissue:issue", "number"), 1.5), "'number' must be an integer"),
        (mutated(("items", 1, "body"), [3]), "annotation 2, body must be a JSON object"),
        (mutated(("items", 2, "body", 0, "value"), ["x"]), "'value' must be a string, found a list"),
        (mutated(("items", 2, "backissue:detached"), "yes"), "must be true or false"),
        (mutated(("items", 0, "body")), "annotation 1: an annotation without selectors must be a note"),
        (mutated(("items", 0, "created"), 2024), "'created' must be a string"),
    ],
)
def test_bad_input_raises_a_clear_annotation_format_error(data: str | bytes, message: str) -> None:
    with pytest.raises(AnnotationFormatError, match=message):
        parse_annotations(data)


def test_input_over_the_size_limit_is_refused_before_parsing() -> None:
    with pytest.raises(AnnotationFormatError, match="larger than 50 MB"):
        parse_annotations(b" " * (annotations_json.MAX_INPUT_BYTES + 1))


def test_too_many_annotations_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(annotations_json, "MAX_ITEMS", 2)
    assert len(parse_annotations(json.dumps(exported()["items"][:2]))) == 2
    with pytest.raises(AnnotationFormatError, match="more than 2 annotations"):
        parse_annotations(json.dumps(exported()))


# -- fuzzing: records or AnnotationFormatError, never anything else ----------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
# Keys the parser looks at, so random objects reach deep into it rather than failing at the top.
known_keys = st.sampled_from(
    ["type", "id", "items", "target", "body", "selector", "source", "exact", "start", "end", "value",
     "purpose", "backissue:color", "backissue:issue", "number", "created", "backissue:detached"]
)  # fmt: skip
annotation_like = st.recursive(
    st.none() | st.integers(-3, 3) | st.sampled_from(["Annotation", "AnnotationCollection", "tagging"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(known_keys, children, max_size=5),
    max_leaves=25,
)


def parses_or_fails_cleanly(data: str | bytes) -> None:
    try:
        records, message = parse_annotations(data), "parsed"
    except AnnotationFormatError as exc:
        records, message = [], str(exc)
    assert message  # an error always says what is wrong
    assert all(isinstance(r, AnnotationRecord) for r in records)


@given(json_values | annotation_like)
def test_random_json_never_raises_anything_else(value: Any) -> None:
    parses_or_fails_cleanly(json.dumps(value))


@given(st.binary(max_size=200) | st.text(max_size=200))
def test_random_bytes_and_text_never_raise_anything_else(data: bytes | str) -> None:
    parses_or_fails_cleanly(data)


def paths_of(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    return [path for key, child in children for path in [(*prefix, key), *paths_of(child, (*prefix, key))]]


VALID = exported()
VALID_PATHS = paths_of(VALID)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutations_of_a_valid_export_never_raise_anything_else(data: st.DataObject) -> None:
    doc = copy.deepcopy(VALID)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(VALID_PATHS))
        *parents, last = path
        try:
            node = doc
            for key in parents:
                node = node[key]
            if data.draw(st.booleans()):
                node[last] = data.draw(json_values | annotation_like)
            elif isinstance(node, dict):
                del node[last]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    parses_or_fails_cleanly(json.dumps(doc))
