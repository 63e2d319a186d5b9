"""Markdown files: YAML/TOML/header front matter, untrusted metadata types, titles and dates from the body."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reader.core._ingest import parse_file
from reader.core._ingest.markdown_doc import split_front_matter
from reader.core.errors import IngestError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_front_matter_gives_metadata_and_the_body_without_it() -> None:
    [issue] = parse_file(FIXTURES / "yaml_front_matter.md")
    assert issue.title == "The Lantern Weekly #42: Tidepools and tiny robots"
    assert issue.publication == "The Lantern Weekly"
    assert issue.date == "2023-01-11"
    assert issue.author == "Mira Okafor"  # the first of a list
    assert issue.number == 42
    assert issue.markdown.startswith("# Tidepools and tiny robots\n")
    assert "tags:" not in issue.markdown
    assert issue.original.startswith("---\ntitle:")
    assert issue.source == str(FIXTURES / "yaml_front_matter.md")


def test_toml_front_matter_with_a_datetime() -> None:
    [issue] = parse_file(FIXTURES / "toml_front_matter.md")
    assert (issue.publication, issue.title, issue.number) == ("Field Notes", "Field Notes 7: Moss, mostly", 7)
    assert issue.date == "2022-11-30"
    assert issue.author == "J. Ruiz"
    assert issue.markdown.startswith("Moss is older than you think.")


def test_key_value_header_lines_and_a_written_date() -> None:
    [issue] = parse_file(FIXTURES / "header_lines.md")
    assert issue.title == "Quiet Hours, issue 3"
    assert issue.publication == "Quiet Hours"
    assert issue.date == "2023-03-04"
    assert issue.number == 3
    assert issue.markdown.startswith("Some notes for a slow Sunday.")


def test_without_front_matter_title_comes_from_the_heading_and_date_from_the_name() -> None:
    [issue] = parse_file(FIXTURES / "2023-01-11-weekly-notes.md")
    assert issue.title == "Weekly notes"
    assert issue.date == "2023-01-11"
    assert issue.author is None


def test_without_heading_the_title_comes_from_the_file_name(tmp_path: Path) -> None:
    [issue] = parse_file(_write(tmp_path, "2022-05-01-a-quiet-week.md", "Just a paragraph.\n"))
    assert issue.title == "A Quiet Week"  # the file name made readable (issue #14)
    assert issue.date == "2022-05-01"


@pytest.mark.parametrize(
    ("front", "expected_date", "expected_number"),
    [
        ("date: [2023-01-02, 2023-02-03]\nissue: 'No. 12'", "2023-01-02", 12),
        ("date: not a date\nissue: [1, 2]", None, 1),
        ("date: 2023-13-45\nissue: true", None, None),
        ("date: {nested: map}\nissue: {n: 1}", None, None),
        ("date: 20230111\nissue: -4", None, None),
        ("date: 2023-01-11T10:00:00+02:00\nissue: 3.5", "2023-01-11", None),
    ],
)
def test_untrusted_front_matter_types_are_normalised_or_ignored(
    tmp_path: Path, front: str, expected_date: str | None, expected_number: int | None
) -> None:
    path = _write(tmp_path, "odd.md", f"---\ntitle: Odd\n{front}\n---\nBody text.\n")
    [issue] = parse_file(path)
    assert issue.title == "Odd"
    assert issue.date == expected_date
    assert issue.number == expected_number
    assert issue.markdown == "Body text.\n"


@pytest.mark.parametrize(
    "front",
    [
        "title: [unclosed",  # invalid YAML
        "- just\n- a list",  # not a mapping
        "a: &a [x, x, x]\nb: &b [*a, *a, *a]\ntitle: *b",  # aliases where a string belongs
        "title: !!python/object:os.system ls",  # safe_load refuses custom tags
    ],
)
def test_broken_front_matter_is_ignored_not_fatal(tmp_path: Path, front: str) -> None:
    [issue] = parse_file(_write(tmp_path, "broken.md", f"---\n{front}\n---\n# Heading here\n\nBody.\n"))
    assert issue.title == "Heading here"
    assert issue.markdown.startswith("# Heading here")


def test_unclosed_front_matter_fence_is_body(tmp_path: Path) -> None:
    meta, body = split_front_matter("---\ntitle: x\nno closing fence\n")
    assert meta == {}
    assert body.startswith("---\ntitle: x")


def test_toml_front_matter_on_python_310_uses_the_simple_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 10, 0))
    meta, body = split_front_matter('+++\ntitle = "Moss"\nnumber = 7\n+++\nBody\n')
    assert meta == {"title": "Moss", "number": "7"}
    assert body == "Body\n"


def test_front_matter_without_body_is_an_ingest_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "only-meta.md", "---\ntitle: Nothing here\n---\n\n")
    with pytest.raises(IngestError, match=r"only-meta\.md: .*no text") as caught:
        parse_file(path)
    assert caught.value.path == str(path)


def test_header_lines_need_a_known_first_key(tmp_path: Path) -> None:
    meta, body = split_front_matter("Note: this is prose\nand it goes on.\n")
    assert meta == {}
    assert body.startswith("Note: this is prose")
