"""Control characters in titles, file names and messages never reach the terminal (only \\n and \\t do)."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from reader.cli.safe_text import sanitise
from tests.cli.test_cli import backissue

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What a hostile newsletter would carry: clear the screen, retitle the terminal (OSC 0 ... BEL),
# a C1 CSI (0x9b) and a backspace that hides text.
EVIL = "\x1b[2J\x1b]0;pwned\x07\x9b31m\x08"


def test_sanitise_keeps_newlines_and_tabs_only() -> None:
    assert sanitise("a\tb\nc") == "a\tb\nc"
    assert CONTROL.search(sanitise(EVIL + "\r\x00\x7f")) is None
    assert sanitise("Caf\u00e9 \u2014 \U0001f600") == "Caf\u00e9 \u2014 \U0001f600"  # text stays text


def test_titles_and_file_names_with_escapes_print_without_them(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = tmp_path / "in"
    folder.mkdir()
    # A newsletter mail (RFC 5322 headers, List-Id as a list sends it) whose Subject is an RFC 2047
    # encoded word: the escapes arrive decoded in the title, as a hostile sender can make them.
    subject = "=?utf-8?b?" + base64.b64encode(f"Hello {EVIL}world".encode()).decode() + "?="
    (folder / "good.eml").write_text(
        f"From: Pub <news@example.com>\nTo: me@example.com\nSubject: {subject}\n"
        "Date: Mon, 02 Jan 2023 09:00:00 +0000\nMessage-ID: <evil-1@example.com>\nList-Id: <pub.example.com>\n"
        "Content-Type: text/plain; charset=utf-8\n\nBody text of the issue, long enough to read.\n"
    )
    (folder / f"bad{EVIL}.md").write_bytes(b"\x00\x01\x02 not a newsletter" * 10)

    imported = backissue(data, "import", str(folder / "good.eml"), str(folder / f"bad{EVIL}.md"))
    listed = backissue(data, "list")
    as_json = backissue(data, "list", "--json")

    for result in (imported, listed, as_json):
        assert CONTROL.search(result.stdout) is None, repr(result.stdout)
        assert CONTROL.search(result.stderr) is None, repr(result.stderr)
    assert "bad" in imported.stderr  # the failed file is still named
    assert "Hello" in listed.stdout and "world" in listed.stdout
    titles = [i["title"] for i in json.loads(as_json.stdout)]
    assert any(t.startswith("Hello") for t in titles)  # JSON escapes C0 itself; still valid JSON
