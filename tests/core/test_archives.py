"""Real-world-shaped archives (issue #14): names, dates, hygiene, images, mailboxes, filters, edits.

The fixtures in tests/fixtures/archives follow the formats' conventions:
- import-ai-329.md: a Substack post exported with YAML front matter (title/source/url, no publication).
- pelican-post.md: Pelican's ``Key: Value`` metadata lines (Title, Date, Category, Slug, Authors).
- hugo-post.md: Hugo TOML front matter with a ``series`` taxonomy list.
- haskell-weekly-178.md: a newsletter kept as Markdown, no front matter, a leading ``<!-- date -->``.
- pipermail.eml: Mailman 2 list mail (``List-Id: Description sentence <list.host>``, pipermail's
  ``sb at host (Name)`` sender, ``[Sb]`` subject tag); mailman3.eml: Mailman 3's headers.
- takeout.mbox: Gmail Takeout (``From <id>@xxx`` separators, X-GM-THRID, X-Gmail-Labels, mboxrd
  ``>From`` quoting) mixing a Substack issue, a Mailchimp one (X-MC-User), and personal mail.
- maildir/: cur/, new/, tmp/ with ``<time>.M<n>P<pid>.<host>[:2,<flags>]`` names.
- feed-with-images.xml: a WordPress/kramdown-style RSS item with images, footnotes and a pixel.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.core import ImportOptions, Library, ReaderError
from reader.core._ingest import collect_files, parse_file
from reader.core._ingest.naming import name_for_slug, publication_from_stem, readable_stem, title_pattern
from reader.core._render import plain_text, render_html

ARCHIVES = Path(__file__).parents[1] / "fixtures" / "archives"


@pytest.mark.parametrize(
    ("name", "publication", "title", "number", "date"),
    [
        ("import-ai-329.md", "Import AI",
         "Import AI 329: Compute IS data; Facebook's new model; and a robot that folds", 329, None),
        ("pelican-post.md", "This Week in Rust", "This Week in Rust 512", 512, "2023-09-13"),
        ("hugo-post.md", "Golang Weekly", "Go Weekly: generics, again", None, "2022-03-17"),
        ("haskell-weekly-178.md", "Haskell Weekly", "Haskell Weekly 178", 178, "2019-09-26"),
        ("pipermail.eml", "Sb", "[Sb] Reading group this Friday", None, "2019-09-26"),
        ("mailman3.eml", "Python-ideas", "[Python-ideas] Pattern matching on dicts", None, "2023-10-02"),
        ("feed-with-images.xml", "Notes from the Finder", "The new Find window", None, "2021-03-09"),
    ],
)  # fmt: skip
def test_real_world_files_get_their_names_numbers_and_dates(
    name: str, publication: str, title: str, number: int | None, date: str | None
) -> None:
    [issue] = parse_file(ARCHIVES / name)
    assert (issue.publication, issue.title, issue.number, issue.date) == (publication, title, number, date)
    assert issue.publication != issue.title


def test_a_section_heading_is_never_the_title_and_the_comment_is_not_shown() -> None:
    [issue] = parse_file(ARCHIVES / "haskell-weekly-178.md")
    assert issue.title not in ("Featured", "Articles")
    text = plain_text(issue.markdown)
    assert "<!--" not in text and "2019-09-26" not in text and "via reddit" not in text
    assert text.startswith("Featured\nLenses for the working programmer")


@pytest.mark.parametrize(
    ("body", "title"),
    [
        ("# The real title\n\n## Section\n", "The real title"),
        ("## Section only\n\nText.\n", "Weekly Digest 9"),
        ("Weekly Digest, autumn edition\n\nText follows here.\n", "Weekly Digest, autumn edition"),
        ("This is a sentence that opens the issue.\n", "Weekly Digest 9"),
        ("<!-- 2020-01-02 -->\nSeptember 3, 2020\n\nText.\n", "Weekly Digest 9"),
    ],
)
def test_title_order_heading_then_title_like_line_then_file_name(tmp_path: Path, body: str, title: str) -> None:
    path = tmp_path / "weekly-digest-9.md"
    path.write_text(body, encoding="utf-8")
    [issue] = parse_file(path)
    assert issue.title == title
    assert issue.publication == "Weekly Digest"


def test_a_date_alone_on_the_first_line_is_the_date(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("September 26, 2019\n\n# Notes\n\nText.\n", encoding="utf-8")
    assert parse_file(path)[0].date == "2019-09-26"


def test_naming_helpers() -> None:
    assert title_pattern("Import AI 329: Compute IS data; …") == ("Import AI", 329)
    assert title_pattern("Top 10: things") is None
    assert title_pattern("we shipped 3: more") is None
    assert readable_stem("haskell-weekly-178") == "Haskell Weekly 178"
    assert publication_from_stem("2023-01-02-newsletter-name-123") == ("Newsletter Name", 123)
    assert publication_from_stem("index") is None
    assert name_for_slug("importai", "Import AI 329: x") == "Import AI"


def test_list_mail_is_never_named_by_an_address_or_a_description_sentence() -> None:
    [issue] = parse_file(ARCHIVES / "pipermail.eml")
    assert "@" not in issue.publication and " at " not in issue.publication
    assert "discussion list" not in issue.publication
    assert issue.author == "Steve Brown"
    assert issue.newsletter is True


def test_feed_images_become_placeholders_footnotes_stay_linked_and_the_pixel_goes() -> None:
    [issue] = parse_file(ARCHIVES / "feed-with-images.xml")
    text = plain_text(issue.markdown)
    assert "Here's the Find window,\n[Image: The Find window]\n[Image]" in text
    assert "pixel.wp.com" not in issue.markdown
    html = render_html(issue.markdown)
    assert 'href="https://finder.example.com/img/find-window.png"' in html
    assert "<img" not in html
    assert '<sup id="fnref:fn-1"><a href="#fn:fn-1"' in html  # a marker linked to its note
    assert "way.1\n" in text and "Mostly." in text


def test_takeout_mbox_marks_newsletters_and_labels() -> None:
    issues = parse_file(ARCHIVES / "takeout.mbox")
    assert [(i.publication, i.newsletter) for i in issues] == [
        ("Import AI", True), ("Mum", False), ("Shop Weekly", True), ("Reader", False)
    ]  # fmt: skip
    assert issues[0].labels == ("Newsletters", "Opened", "Category Updates")
    assert issues[2].labels == ("Reading, later", "Category Promotions")
    assert "Robots that read, in HTML." in issues[0].markdown  # the HTML part is preferred
    assert issues[0].title == "Import AI 345: Robots that read"  # not "View in browser"
    assert "View in browser" in issues[0].markdown  # the footer is kept


def test_streamed_mbox_unquotes_mboxrd_from_lines(library: Library) -> None:
    library.import_paths([ARCHIVES / "takeout.mbox"])
    shop = next(s for s in library.list_issues() if s.publication == "Shop Weekly")
    assert "\nFrom the archive" in library.plain_text(shop.id)


def test_newsletters_only_keeps_list_and_platform_mail(library: Library) -> None:
    report = library.import_with_options([ARCHIVES / "takeout.mbox"], ImportOptions(newsletters_only=True))
    assert (report.imported, sum(f.excluded for f in report.files)) == (2, 2)
    assert sorted(s.publication for s in library.list_issues()) == ["Import AI", "Shop Weekly"]


def test_label_filter_keeps_only_that_gmail_label(library: Library) -> None:
    report = library.import_with_options([ARCHIVES / "takeout.mbox"], ImportOptions(label="newsletters"))
    assert report.imported == 1
    assert [s.publication for s in library.list_issues()] == ["Import AI"]


def test_maildir_messages_are_found_and_tmp_is_left_alone(library: Library) -> None:
    files, skipped = collect_files([ARCHIVES / "maildir"])
    assert sorted(p.parent.name for p in files) == ["cur", "new"] and not skipped
    report = library.import_with_options([ARCHIVES / "maildir"], ImportOptions(newsletters_only=True))
    assert [s.publication for s in library.list_issues()] == ["Haskell Weekly"]
    assert report.files[1].status == "skipped" and "1 message left out" in report.files[1].reason


def test_a_bad_message_in_a_mailbox_is_named_and_the_rest_import(library: Library, tmp_path: Path) -> None:
    good = (ARCHIVES / "takeout.mbox").read_text(encoding="utf-8")
    path = tmp_path / "mixed.mbox"
    path.write_text(good + "\nFrom x@y Mon Oct 02 08:00:00 2023\nFrom: a@b.example\nSubject: empty\n\n", "utf-8")
    report = library.import_paths([path])
    assert report.imported == 4
    assert "1 message skipped (message 5: " in report.files[0].reason


def test_cancel_in_the_middle_of_a_mailbox_rolls_it_back(library: Library) -> None:
    def progress(step: object) -> bool:
        return getattr(step, "messages", 0) < 2

    report = library.import_paths([ARCHIVES / "takeout.mbox"], progress)
    assert report.cancelled and library.is_empty()


_BIG_MBOX = textwrap.dedent(
    """
    import sys, resource
    from pathlib import Path
    from reader.core import Library
    path, data = Path(sys.argv[1]), sys.argv[2]
    attachment = ("QUJD" * 19 + "\\n") * 500  # ~40 KB of base64 per message
    with path.open("w") as out:
        for n in range(int(sys.argv[3])):
            out.write(
                f"From {n}@xxx Mon Oct 02 08:00:00 +0000 2023\\nFrom: Big List <big@list.example>\\n"
                f"Subject: Big List {n}: issue\\nDate: Mon, 02 Oct 2023 08:00:00 +0000\\n"
                "List-Id: Big List <big.list.example>\\nMIME-Version: 1.0\\n"
                'Content-Type: multipart/mixed; boundary="b"\\n\\n--b\\nContent-Type: text/plain\\n\\n'
                f"Issue {n} text.\\n--b\\nContent-Type: application/octet-stream\\n"
                f"Content-Transfer-Encoding: base64\\n\\n{attachment}--b--\\n\\n"
            )
    seen = []
    with Library(data) as lib:
        report = lib.import_paths([path], lambda p: seen.append(p.messages) and None)
    print(report.imported, max(seen), path.stat().st_size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """
)


@pytest.mark.timeout(600)
def test_a_big_mbox_streams_with_bounded_memory(tmp_path: Path) -> None:
    """3,000 messages, ~120 MB (over the 50 MB limit for files read whole): imports, RSS stays small."""
    count = 3000
    result = subprocess.run(
        [sys.executable, "-c", _BIG_MBOX, str(tmp_path / "big.mbox"), str(tmp_path / "data"), str(count)],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    imported, messages, size, peak_kb = map(int, result.stdout.split())
    assert size > 100 * 2**20
    assert (imported, messages) == (count, count)  # progress came per message
    assert peak_kb < 300 * 1024  # a generous bound: holding the mailbox would need ~2x its size


def test_edits_survive_a_reimport_and_the_text_still_updates(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "haskell-weekly-178.md"
    path.write_text((ARCHIVES / "haskell-weekly-178.md").read_text(encoding="utf-8"), encoding="utf-8")
    [issue_id] = library.import_paths([path]).issue_ids
    changes = library.edit_issue(issue_id, title="Monads, again", publication="Haskell Weekly (old)", author="Editor")
    assert issue_id in changes.issues
    assert library.import_paths([path]).unchanged == 1
    path.write_text(path.read_text(encoding="utf-8") + "\nA correction.\n", encoding="utf-8")
    assert library.import_paths([path]).updated == 1
    issue = library.get_issue(issue_id)
    assert (issue.title, issue.publication, issue.author, issue.date) == (
        "Monads, again", "Haskell Weekly (old)", "Editor", "2019-09-26"
    )  # fmt: skip
    assert "A correction." in library.plain_text(issue_id)
    assert [h.id for h in library.search("monads")] == [issue_id]  # the index follows the edit


def test_edit_clears_and_checks_values(library: Library) -> None:
    [issue_id] = library.import_paths([ARCHIVES / "pelican-post.md"]).issue_ids
    library.edit_issue(issue_id, number="", date="")
    summary = library.get_issue(issue_id)
    assert (summary.number, summary.date) == (None, None)
    library.edit_issue(issue_id, number="#13", date="March 4, 2023")
    assert (library.get_issue(issue_id).number, library.get_issue(issue_id).date) == (13, "2023-03-04")
    for bad in ({"title": "  "}, {"number": "x1"}, {"date": "soon"}):
        with pytest.raises(ReaderError):
            library.edit_issue(issue_id, **bad)  # type: ignore[arg-type]


def test_rename_publication_renames_every_issue_and_survives_reimport(library: Library) -> None:
    library.import_paths([ARCHIVES / "takeout.mbox"])
    changes = library.rename_publication("Import AI", "Import AI (Jack Clark)")
    assert len(changes.issues) == 1
    library.import_paths([ARCHIVES / "takeout.mbox"])
    assert "Import AI (Jack Clark)" in library.publications() and "Import AI" not in library.publications()
    with pytest.raises(ReaderError, match="No issue has the publication"):
        library.rename_publication("Nope", "X")
