"""Markdown export: front matter that parses back, reading order, Obsidian block ids, safe files."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from reader.core._export_markdown import (
    block_id,
    escape_markdown,
    export_filename,
    export_markdown,
    issue_markdown,
    write_private_file,
)
from reader.core.errors import ReaderError
from reader.core.types import Highlight, Issue

LABELS = {"yellow": "Important", "blue": "Question"}


def make_issue(**fields: object) -> Issue:
    base: dict[str, object] = {
        "id": "issue-1",
        "publication": "Import AI",
        "title": "The one about robots",
        "number": 12,
        "date": "2024-01-05",
        "author": "Jack",
    }
    return Issue(**(base | fields))  # type: ignore[arg-type]


def make_highlight(hid: str, start: int, quote: str = "a quote", **fields: object) -> Highlight:
    base: dict[str, object] = {
        "id": hid,
        "issue_id": "issue-1",
        "quote": quote,
        "prefix": "",
        "suffix": "",
        "start": start,
        "end": start + len(quote),
        "color": "yellow",
    }
    return Highlight(**(base | fields))  # type: ignore[arg-type]


def parse_front_matter(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    block, _, _ = text[4:].partition("\n---\n")
    data = yaml.safe_load(block)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    "title",
    [
        'Issue: "robots" & friends',
        "It's #42 — 🎉🤖 emoji",
        "- looks like a list",
        "yes",
        "null",
        "2024-01-05",
        "multi\nline\n---\ntitle",
        "{braces} [brackets] *stars* | pipes %",
        "\ttabs and \x07 bell \u2028 separator",
    ],
)
def test_front_matter_parses_back_to_the_issue_metadata(title: str) -> None:
    issue = make_issue(title=title, publication="A: B 'C'", author='Ann "A." Lee')
    data = parse_front_matter(issue_markdown(issue, [make_highlight("h", 0)], LABELS))
    assert data == {
        "title": title,
        "publication": "A: B 'C'",
        "number": 12,
        "date": "2024-01-05",
        "author": 'Ann "A." Lee',
        "id": "issue-1",
        "tags": ["backissue"],
        "generator": "Back Issue",
    }


def test_front_matter_leaves_out_unknown_fields() -> None:
    issue = make_issue(number=None, date=None, author=None)
    data = parse_front_matter(issue_markdown(issue, [], LABELS))
    assert set(data) == {"title", "publication", "id", "tags", "generator"}


def test_highlights_are_written_in_reading_order_with_labels_and_notes() -> None:
    highlights = [
        make_highlight("late", 200, "second passage", color="blue", note="Why **this**?"),
        make_highlight("early", 10, "first passage"),
    ]
    text = issue_markdown(make_issue(), highlights, LABELS)
    first, second = text.index("> first passage"), text.index("> second passage")
    assert first < text.index("Colour: **Important**") < second < text.index("Colour: **Question**")
    assert text.index("Colour: **Question**") < text.index("Why **this**?")


def test_unknown_colour_key_is_shown_as_itself() -> None:
    text = issue_markdown(make_issue(), [make_highlight("h", 0, color="mauve")], LABELS)
    assert "Colour: **mauve**" in text


def test_multi_line_quote_is_quoted_on_every_line() -> None:
    quote = "First paragraph.\nSecond paragraph.\n\nThird."
    text = issue_markdown(make_issue(), [make_highlight("h", 0, quote)], LABELS)
    block = text[text.index("> First") : text.index("^hl-")].strip()
    assert all(line.startswith(">") for line in block.splitlines())
    assert [line for line in block.splitlines() if line != ">"] == [
        "> First paragraph.",
        "> Second paragraph.",
        "> Third.",
    ]


def test_each_quote_is_followed_by_its_own_stable_obsidian_block_id() -> None:
    highlights = [make_highlight("h-1", 0), make_highlight("h-2", 50)]
    text = issue_markdown(make_issue(), highlights, LABELS)
    ids = re.findall(r"^\^([A-Za-z0-9-]+)$", text, flags=re.MULTILINE)
    assert ids == [block_id("h-1"), block_id("h-2")]
    assert ids[0] != ids[1]
    assert all(i.startswith("hl-") for i in ids)
    # Obsidian needs a blank line between a quote and its block id.
    assert f"> a quote\n\n^{ids[0]}\n" in text


def test_detached_highlights_come_under_their_own_heading() -> None:
    highlights = [
        make_highlight("gone", 0, "lost passage", detached=True),
        make_highlight("here", 40, "placed passage"),
    ]
    text = issue_markdown(make_issue(), highlights, LABELS)
    assert text.index("## Highlights") < text.index("placed passage")
    assert text.index("placed passage") < text.index("## Detached highlights") < text.index("lost passage")


def test_issue_note_comes_first_and_is_absent_when_blank() -> None:
    with_note = issue_markdown(make_issue(note="My *own* note"), [make_highlight("h", 0)], LABELS)
    assert with_note.index("## Note\n\nMy *own* note") < with_note.index("## Highlights")
    assert "## Note" not in issue_markdown(make_issue(note="  \n"), [make_highlight("h", 0)], LABELS)


def test_quoted_source_text_renders_literally_not_as_markup() -> None:
    quote = "<script>alert(1)</script> *not bold* [link](x) #tag &copy;"
    html = markdown.markdown(escape_markdown(quote))
    assert "<script>" not in html
    assert "<em>" not in html
    assert "<a " not in html
    assert "*not bold*" in html
    # Python-Markdown has no escape for "&"; Obsidian (CommonMark) reads "\\&" as a literal "&".
    assert escape_markdown("&copy;") == "\\&copy;"


@pytest.mark.parametrize(("line", "escaped"), [("1999. A year", "1999\\. A year"), ("- dash", "\\- dash")])
def test_line_starts_that_would_make_lists_are_escaped(line: str, escaped: str) -> None:
    assert escape_markdown(line) == escaped
    assert "<li>" not in markdown.markdown(escape_markdown(line))


def test_same_records_give_identical_text_whatever_the_input_order() -> None:
    highlights = [make_highlight("a", 5), make_highlight("b", 90), make_highlight("c", 5, "same start")]
    first = issue_markdown(make_issue(), highlights, LABELS)
    assert issue_markdown(make_issue(), list(reversed(highlights)), LABELS) == first


# -- file names --------------------------------------------------------------------------------------


def test_file_name_is_a_readable_slug_plus_a_short_id() -> None:
    name = export_filename(make_issue())
    assert re.fullmatch(r"import-ai-no-12-[0-9a-f]{10}\.md", name)
    assert export_filename(make_issue(number=None)).startswith("import-ai-the-one-about-robots-")


def test_file_name_depends_on_the_issue_id_not_only_its_title() -> None:
    assert export_filename(make_issue(id="a")) != export_filename(make_issue(id="b"))
    assert export_filename(make_issue(id="a")) == export_filename(make_issue(id="a"))


@given(publication=st.text(), title=st.text(), number=st.none() | st.integers(min_value=0))
def test_file_name_is_always_safe(publication: str, title: str, number: int | None) -> None:
    name = export_filename(make_issue(publication=publication, title=title, number=number))
    assert "/" not in name
    assert "\\" not in name
    assert ".." not in name
    assert not name.startswith((".", "-"))
    assert name.endswith(".md")
    assert len(name.encode("utf-8")) <= 120
    assert all(c.isalnum() or c in "-." for c in name)


@pytest.mark.parametrize("title", ["../../etc/passwd", "CON", "nul", "a/b\\c:d", "\x00\x1f", "🎉🎉", ""])
def test_hostile_titles_give_plain_names(title: str) -> None:
    name = export_filename(make_issue(publication="", title=title, number=None))
    assert re.fullmatch(r"[\w-]+-[0-9a-f]{10}\.md", name)
    assert name.split(".")[0].upper() not in {"CON", "NUL", "PRN", "AUX"}


# -- writing files -----------------------------------------------------------------------------------


def export_three(out_dir: Path) -> list[Path]:
    items = [
        (make_issue(id="with-highlight"), [make_highlight("h", 0)]),
        (make_issue(id="with-note", number=13, note="just a note"), []),
        (make_issue(id="untouched", number=14), []),
    ]
    return export_markdown(out_dir, items, LABELS)


def test_export_writes_one_private_file_per_annotated_issue(tmp_path: Path) -> None:
    out_dir = tmp_path / "vault" / "Back Issue"
    paths = export_three(out_dir)
    assert [p.name for p in paths] == [
        export_filename(make_issue(id="with-highlight")),
        export_filename(make_issue(id="with-note", number=13)),
    ]
    assert sorted(out_dir.iterdir()) == sorted(paths)
    assert stat.S_IMODE(out_dir.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)
    assert "> a quote" in paths[0].read_text(encoding="utf-8")


def test_exporting_again_rewrites_the_same_files_with_the_same_bytes(tmp_path: Path) -> None:
    first = {p: p.read_bytes() for p in export_three(tmp_path)}
    second = {p: p.read_bytes() for p in export_three(tmp_path)}
    assert second == first
    assert sorted(tmp_path.iterdir()) == sorted(first)


def test_exporting_changed_data_overwrites_in_place(tmp_path: Path) -> None:
    issue = make_issue()
    (old,) = export_markdown(tmp_path, [(issue, [make_highlight("h", 0, "old words")])], LABELS)
    (new,) = export_markdown(tmp_path, [(issue, [make_highlight("h", 0, "new words")])], LABELS)
    assert new == old
    assert "new words" in new.read_text(encoding="utf-8")
    assert list(tmp_path.iterdir()) == [new]


def test_export_into_a_file_raises_reader_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReaderError, match="not a folder"):
        export_three(blocker)
    with pytest.raises(ReaderError, match="export folder"):
        export_three(blocker / "below")


def test_write_replaces_a_symlink_instead_of_following_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "note.md"
    link.symlink_to(victim)
    write_private_file(link, "exported")
    assert victim.read_text() == "keep me"
    assert not link.is_symlink()
    assert link.read_text() == "exported"


def test_write_into_a_missing_folder_raises_reader_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="Cannot write"):
        write_private_file(tmp_path / "missing" / "a.md", "text")


def test_failed_replace_raises_reader_error_and_leaves_no_temp_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").mkdir()
    with pytest.raises(ReaderError, match="Cannot write"):
        write_private_file(tmp_path / "a.md", "text")
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
