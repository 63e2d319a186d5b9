"""Issue identity on import: different issues that look alike stay apart; the same issue is recognised.

Real files, a real SQLite library and a real Whoosh index in tmp_path. Fixture shapes:
- mail: RFC 5322 messages (Message-ID, From, Subject, Date headers) in an mboxrd file ("From "
  separator lines, body lines starting with "From " quoted as ">From ");
- feeds: RSS 2.0 with ``<guid isPermaLink="false">`` per item;
- Markdown: plain CommonMark files with YAML front matter where noted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.core import Library


def mbox_message(message_id: str, subject: str, body: str, *, day: str = "Mon, 06 Mar 2023") -> str:
    """One mboxrd entry: the "From " separator line, RFC 5322 headers, a blank line, the body."""
    return (
        f"From list@example.org {day[5:]} 09:00:00\n"
        f"From: Test List <list@example.org>\n"
        f"To: reader@example.net\n"
        f"Subject: {subject}\n"
        f"Date: {day} 09:00:00 +0000\n"
        f"Message-ID: <{message_id}@example.org>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "\n"
        f"{body}\n"
        "\n"
    )


def write_mbox(path: Path, *messages: str) -> Path:
    path.write_text("".join(messages), encoding="utf-8")
    return path


def rss(*items: tuple[str, str, str]) -> str:
    """An RSS 2.0 document whose items are (guid, title, description), no pubDate."""
    entries = "".join(
        f"<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>"
        f"<description>{body}</description></item>"
        for guid, title, body in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Weekly Links</title>'
        f"<link>https://example.org/</link><description>links</description>{entries}</channel></rss>\n"
    )


def texts(library: Library) -> set[str]:
    return {library.get_issue(i.id).markdown.strip() for i in library.list_issues()}


# -- mail ---------------------------------------------------------------------------------------


def test_mails_with_same_sender_subject_and_day_but_different_message_ids_are_all_kept(
    library: Library, tmp_path: Path
) -> None:
    # A mailing list's "test" threads: six messages, three subjects, one sender, one day.
    messages = [
        mbox_message(f"m{n}", f"test {n % 3}", f"Message number {n} of the test thread.") for n in range(6)
    ]
    box = write_mbox(tmp_path / "list.mbox", *messages)
    report = library.import_paths([box])
    assert (report.imported, report.updated, report.unchanged) == (6, 0, 0)
    assert len(library.list_issues()) == 6
    assert texts(library) == {f"Message number {n} of the test thread." for n in range(6)}


def test_reimporting_an_mbox_reports_unchanged_not_updated(library: Library, tmp_path: Path) -> None:
    box = write_mbox(
        tmp_path / "list.mbox",
        mbox_message("a", "test", "First message."),
        mbox_message("b", "test", "Second message."),
    )
    library.import_paths([box])
    again = library.import_paths([box])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)
    assert len(library.list_issues()) == 2


def test_two_subjects_with_the_same_number_are_two_issues(library: Library, tmp_path: Path) -> None:
    box = write_mbox(
        tmp_path / "digest.mbox",
        mbox_message("x", "Tips #3: caching", "All about caches."),
        mbox_message("y", "Questions #3", "Your questions answered.", day="Tue, 07 Mar 2023"),
    )
    report = library.import_paths([box])
    assert (report.imported, report.updated) == (2, 0)
    assert texts(library) == {"All about caches.", "Your questions answered."}


def test_a_highlight_stays_on_the_text_it_was_made_on(library: Library, tmp_path: Path) -> None:
    first = write_mbox(tmp_path / "one.mbox", mbox_message("one", "Tips #3", "Caching makes reads cheap."))
    [issue_id] = library.import_paths([first]).issue_ids
    highlight = library.annotate(issue_id, "Caching", note="remember this").highlight
    second = write_mbox(tmp_path / "two.mbox", mbox_message("two", "Tips #3", "Indexes make queries fast."))
    report = library.import_paths([second])
    assert (report.imported, report.updated) == (1, 0)
    assert library.get_issue(issue_id).markdown.strip() == "Caching makes reads cheap."
    [kept] = library.highlights(issue_id)
    assert (kept.id, kept.quote, kept.detached) == (highlight.id, "Caching", False)


def test_the_same_message_id_with_corrected_text_updates_in_place(library: Library, tmp_path: Path) -> None:
    box = tmp_path / "one.mbox"
    write_mbox(box, mbox_message("same", "Weekly", "Teh text."))
    [issue_id] = library.import_paths([box]).issue_ids
    write_mbox(box, mbox_message("same", "Weekly", "The text."))
    report = library.import_paths([box])
    assert (report.imported, report.updated) == (0, 1)
    assert report.issue_ids == (issue_id,)
    assert library.get_issue(issue_id).markdown.strip() == "The text."


def test_two_different_mails_under_one_message_id_in_one_mbox_are_both_kept(library: Library, tmp_path: Path) -> None:
    # A resent message or a careless mailer: one Message-ID, two different messages.
    box = write_mbox(
        tmp_path / "dup.mbox",
        mbox_message("dup", "Weekly", "First text."),
        mbox_message("dup", "Weekly", "Second text."),
        mbox_message("dup", "Weekly", "First text."),  # the first again, verbatim
    )
    report = library.import_paths([box])
    assert (report.imported, report.updated, report.unchanged) == (2, 0, 1)
    assert texts(library) == {"First text.", "Second text."}
    again = library.import_paths([box])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)


# -- Markdown -------------------------------------------------------------------------------------


def test_markdown_files_with_the_same_heading_and_no_date_are_two_issues(library: Library, tmp_path: Path) -> None:
    # A newsletter whose every issue has the same heading ("Weekly notes", then "## Articles") and no date.
    folder = tmp_path / "notes"
    folder.mkdir()
    heading = "# Weekly notes\n\n## Articles\n\n"
    (folder / "first.md").write_text(heading + "The first issue's articles.\n", encoding="utf-8")
    (folder / "second.md").write_text(heading + "The second issue's articles.\n", encoding="utf-8")
    report = library.import_paths([folder])
    assert (report.imported, report.updated) == (2, 0)
    assert len(library.list_issues()) == 2
    assert report.kept_apart == 1  # the second looks like the first: reported as kept apart
    again = library.import_paths([folder])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)


def test_titles_that_differ_only_in_punctuation_are_two_issues(library: Library, tmp_path: Path) -> None:
    (tmp_path / "cpp.md").write_text("# C++ tips\n\nUse RAII.\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("# C tips\n\nFree what you malloc.\n", encoding="utf-8")
    report = library.import_paths([tmp_path / "cpp.md", tmp_path / "c.md"])
    assert (report.imported, report.updated) == (2, 0)
    assert {i.title for i in library.list_issues()} == {"C++ tips", "C tips"}


def test_front_matter_id_is_the_identity(library: Library, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: Notes\nid: notes-2023-a\n---\nFirst draft.\n", encoding="utf-8")
    [issue_id] = library.import_paths([page]).issue_ids
    page.write_text("---\ntitle: Notes, revised\nid: notes-2023-a\n---\nFinal text.\n", encoding="utf-8")
    report = library.import_paths([page])
    assert (report.imported, report.updated, report.issue_ids) == (0, 1, (issue_id,))


# -- feeds ------------------------------------------------------------------------------------------


def test_feed_entries_with_different_guids_and_the_same_title_are_two_issues(
    library: Library, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        rss(("entry-1", "This week", "Links of the first week."), ("entry-2", "This week", "Links of the second.")),
        encoding="utf-8",
    )
    report = library.import_paths([feed])
    assert (report.imported, report.updated) == (2, 0)
    assert len(library.list_issues()) == 2
    again = library.import_paths([feed])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)


# -- whole folders, and the library's own export ------------------------------------------------------


def test_reimporting_an_identical_folder_reports_every_issue_unchanged(
    library: Library, seeds_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(seeds_dir, folder)
    (folder / "a.md").write_text("# Weekly notes\n\n## Articles\n\nOne.\n", encoding="utf-8")
    (folder / "b.md").write_text("# Weekly notes\n\n## Articles\n\nTwo.\n", encoding="utf-8")
    write_mbox(folder / "list.mbox", mbox_message("p", "test", "P."), mbox_message("q", "test", "Q."))
    first = library.import_paths([folder])
    again = library.import_paths([folder])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, first.imported)
    assert {f.status for f in again.files} == {"unchanged"}


def test_importing_the_markdown_export_leaves_the_issues_untouched(
    library: Library, seeds_dir: Path, tmp_path: Path
) -> None:
    library.import_paths([seeds_dir])
    issues = library.list_issues()
    import_ai = next(i for i in issues if i.number == 313)
    library.annotate(import_ai.id, library.plain_text(import_ai.id)[:40], note="a note")
    library.set_issue_note(issues[0].id, "worth rereading")
    before = {i.id: len(library.get_issue(i.id).markdown) for i in issues}
    exported = library.export_markdown(tmp_path / "export")
    assert exported  # the folder holds the export files

    report = library.import_paths([tmp_path / "export"])

    assert (report.imported, report.updated) == (0, 0)
    assert {f.status for f in report.files} == {"skipped"}
    assert all("Back Issue export" in f.reason and "import-annotations" in f.reason for f in report.files)
    assert {i.id: len(library.get_issue(i.id).markdown) for i in library.list_issues()} == before


def test_an_export_written_before_the_marker_is_recognised_too(library: Library, tmp_path: Path) -> None:
    # The shape of an older Markdown export: the backissue tag and one of our issue ids, no generator.
    old = tmp_path / "import-ai-no-313-0123456789.md"
    old.write_text(
        "---\ntitle: 'Import AI 313: Smarter robots'\npublication: Import AI\nnumber: 313\n"
        "id: 0123456789abcdef\ntags:\n- backissue\n---\n\n# Import AI 313\n\n## Highlights\n\n> robots\n",
        encoding="utf-8",
    )
    [result] = library.import_paths([old]).files
    assert result.status == "skipped"
    assert library.is_empty()
