"""Names from real archives: shapes met importing the public archives of This Week in Rust (Pelican
``Title:``/``Number:``/``Date:`` front matter, content/*.md) and Haskell Weekly
(data/newsletter/<year>/issue-N.markdown, no front matter, opening "Welcome to Haskell Weekly!")."""

from __future__ import annotations

from pathlib import Path

from reader.core import Library
from reader.core._ingest import parse_file
from reader.core._ingest.naming import title_pattern, welcome_name


def test_a_generic_word_never_names_the_publication(tmp_path: Path) -> None:
    # Before: publication "Issue" for 538 Haskell Weekly issues, from the title "Issue 41".
    assert title_pattern("Issue 41") is None
    assert title_pattern("Import AI 329: Compute") == ("Import AI", 329)
    folder = tmp_path / "data" / "newsletter" / "2017"
    folder.mkdir(parents=True)
    path = folder / "issue-41.markdown"
    path.write_text(
        "Welcome to Haskell Weekly! Haskell is an advanced, purely functional programming language.\n\n"
        "## News from the Haskell community\n\n- [Herculus beta](https://example.org/h)\n",
        encoding="utf-8",
    )
    [issue] = parse_file(path)
    assert (issue.publication, issue.title, issue.number) == ("Haskell Weekly", "Issue 41", 41)


def test_an_opening_welcome_names_the_publication() -> None:
    assert welcome_name("Hello and welcome to another issue of *This Week in Rust*!") == "This Week in Rust"
    assert welcome_name("Welcome to [Import AI](https://importai.substack.com), a newsletter.") == "Import AI"
    assert welcome_name("Welcome to 2023, everyone!") is None
    assert welcome_name("Welcome to the Issue!") is None
    assert welcome_name("x" * 700 + " Welcome to Far Away!") is None  # only the opening counts


def test_one_spelling_per_publication(tmp_path: Path) -> None:
    # This Week in Rust's archive spells it "This Week In Rust" twice: one series, not two.
    for number, name in ((1, "This Week in Rust"), (2, "This Week In Rust"), (3, "this week  in rust")):
        (tmp_path / f"twir-{number}.md").write_text(
            f"Title: {name} {number}\nNumber: {number}\nCategory: {name}\n\nText {number}.\n", encoding="utf-8"
        )
    with Library(tmp_path / "lib") as library:
        library.import_paths([tmp_path / "twir-1.md"])
        library.import_paths([tmp_path / "twir-2.md", tmp_path / "twir-3.md"])
        assert {s.publication for s in library.list_issues()} == {"This Week in Rust"}


def test_an_undated_issue_sorts_by_number_within_its_publication(tmp_path: Path) -> None:
    # Before: an undated #2 came after every dated issue of every publication.
    issues = {"p-1.md": ("1", "2020-01-01"), "p-2.md": ("2", None), "p-3.md": ("3", "2020-03-01")}
    for name, (number, date) in issues.items():
        dated = f"Date: {date}\n" if date else ""
        (tmp_path / name).write_text(
            f"Title: Pony Post {number}\nNumber: {number}\nPublication: Pony Post\n{dated}\nText {number}.\n",
            encoding="utf-8",
        )
    (tmp_path / "other.md").write_text(
        "Title: Other News 9\nPublication: Other News\nDate: 2020-02-01\n\nText.\n", encoding="utf-8"
    )
    with Library(tmp_path / "lib") as library:
        library.import_paths([tmp_path])
        order = [(s.publication, s.number) for s in library.list_issues()]
    assert order == [("Pony Post", 3), ("Other News", 9), ("Pony Post", 2), ("Pony Post", 1)]


def test_a_platform_made_list_id_never_names_the_publication(tmp_path: Path) -> None:
    # Header shapes of real newsletters (Inxmail: List-Id "0" <…localhost>; Mailchimp: List-ID
    # "<hex>mc list" <…list-id.mcsv.net>): the sender's display name is the publication.
    shapes = {
        "inxmail.eml": ('"Der Abend: Stimme des Westens" <derabend@newsletter.example.de>',
                        '"0" <336.147f3ea5ae8f52dc88fe8547639.localhost>'),
        "mailchimp.eml": ("=?utf-8?Q?Walter=20=28Schreibsuchti=29?= <walter@example.de>",
                          "5e78d7ef2297cc80842b7591emc list <5e78d7ef2297cc80842b7591e.227233.list-id.mcsv.net>"),
    }  # fmt: skip
    found = {}
    for name, (sender, list_id) in shapes.items():
        path = tmp_path / name
        path.write_text(
            f"From: {sender}\nTo: reader@example.org\nSubject: Hello\nDate: Mon, 16 Jan 2023 08:00:00 +0100\n"
            f"Message-ID: <{name}@example.de>\nList-Id: {list_id}\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n\nThe newsletter's text.\n",
            encoding="utf-8",
        )
        found[name] = parse_file(path)[0].publication
    assert found == {"inxmail.eml": "Der Abend: Stimme des Westens", "mailchimp.eml": "Walter (Schreibsuchti)"}
