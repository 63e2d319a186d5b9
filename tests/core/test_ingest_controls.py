"""Terminal escapes in titles, subjects and front matter never survive import; odd feed addresses
are refused in words (issue #13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core import Library
from reader.core._ingest import parse_file
from reader.core._subscriptions import check_url
from reader.core.errors import FeedError

OSC_TITLE = "\x1b]0;pwned\x07"  # xterm OSC 0: sets the terminal's window title
CSI_CLEAR = "\x1b[2J\x9b31m"  # clear screen (7-bit CSI), then red via the 8-bit C1 CSI


def test_front_matter_and_subject_lose_their_control_characters(tmp_path: Path) -> None:
    md = tmp_path / "a.md"
    # YAML double-quoted escapes (\e is ESC, \a BEL): raw control characters are not valid YAML.
    md.write_text('---\ntitle: "Hi\\e]0;pwned\\a there"\nauthor: "Ann\\e[2J\\x9b31m"\n---\n\nBody.\n', "utf-8")
    issue = parse_file(md)[0]
    assert issue.title == "Hi]0;pwned there"
    assert issue.author == "Ann[2J31m"
    eml = tmp_path / "a.eml"
    eml.write_text(f"From: Bob{CSI_CLEAR} <b@example.org>\nSubject: News{OSC_TITLE}\n\nBody.\n", "utf-8")
    issue = parse_file(eml)[0]
    assert "\x1b" not in issue.title + issue.publication and "\x9b" not in issue.publication


def test_a_plain_text_title_loses_its_control_characters(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "note.txt"
    path.write_text(f"Weekly{OSC_TITLE} notes\n\nSome text here.\n", "utf-8")
    library.import_paths([path])
    [issue] = library.list_issues()
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in issue.title + issue.publication)


@pytest.mark.parametrize("url", ["http://[::1", "http://example.org:port/feed"])
def test_a_malformed_feed_address_is_refused_in_words(url: str) -> None:
    with pytest.raises(FeedError, match="is not a valid web address"):
        check_url(url)
