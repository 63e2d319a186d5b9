"""Bringing a reader's history from Omnivore, Readwise, Substack and OPML: each item reported, and
a second run adds nothing. Every fixture is built here from the format's documented shape (the
source of each shape is named above its builder)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from reader.core import HistoryReport, Library, ReaderError

# -- Omnivore ------------------------------------------------------------------------------------
# Shape: Omnivore's export-handler (omnivore-app/omnivore, packages/export-handler): a zip with
# metadata_<cursor>_to_<cursor+size>.json (a JSON list of {id, slug, title, description, author,
# url, state, readingProgress, thumbnail, labels, savedAt, updatedAt, publishedAt}),
# content/<slug>.html, and highlights/<slug>.md where each highlight is "> quote " then
# "\n\n#label ..." and "\n\n<note>", highlights joined by a blank line (highlightToMarkdown).

OMNIVORE_ITEMS = [
    {
        "id": "6a1c6b2e-0001", "slug": "the-long-view-42", "title": "The Long View #42",
        "description": "Patience pays.", "author": "The Long View", "url": "https://longview.example/p/42",
        "state": "Archived", "readingProgress": 100, "thumbnail": "", "labels": ["Newsletter", "economics"],
        "savedAt": "2024-05-03T08:00:00.000Z", "updatedAt": "2024-05-04T08:00:00.000Z",
        "publishedAt": "2024-05-02T06:00:00.000Z",
    },
    {
        "id": "6a1c6b2e-0002", "slug": "no-content-here", "title": "Only a description",
        "description": "Saved but never parsed.", "author": "", "url": "https://www.blog.example/x",
        "state": "Succeeded", "readingProgress": 0, "thumbnail": "", "labels": [],
        "savedAt": "2024-06-01T08:00:00.000Z", "updatedAt": "2024-06-01T08:00:00.000Z", "publishedAt": None,
    },
    {"title": "Broken item without id or slug", "labels": []},
]  # fmt: skip

OMNIVORE_HTML = (
    '<div class="page" id="readability-page-1"><article><h1>The Long View #42</h1>'
    "<p>Compound interest is the eighth wonder of the world. Those who understand it earn it.</p>"
    "<p>Markets are a voting machine in the short run and a weighing machine in the long run.</p>"
    "</article></div>"
)

OMNIVORE_HIGHLIGHTS = (
    "> Compound interest is the eighth wonder of the world. \n\n#economics #quotes\n\nEinstein, supposedly."
    "\n\n"
    "> a weighing machine in the long run \n\nGraham's line."
    "\n\n"
    "> This sentence was edited out of the page later. "
)


def omnivore_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata_0_to_3.json", json.dumps(OMNIVORE_ITEMS, indent=2))
        zf.writestr("content/the-long-view-42.html", OMNIVORE_HTML)
        zf.writestr("highlights/the-long-view-42.md", OMNIVORE_HIGHLIGHTS)
    return path


def outcomes(report: HistoryReport) -> list[tuple[str, str, str]]:
    return [(i.kind, i.outcome, i.name) for i in report.items]


def test_omnivore_issues_labels_and_highlights(library: Library, tmp_path: Path) -> None:
    report = library.import_omnivore(omnivore_zip(tmp_path / "omnivore.zip"))
    assert report.count("added", "issue") == 2
    assert report.count("attached") == 2 and report.count("detached") == 1
    skipped = [i for i in report.items if i.outcome == "skipped"]
    assert [(i.name, i.reason) for i in skipped] == [
        ("Broken item without id or slug", "the item has neither an id nor a slug")
    ]
    issue = next(library.get_issue(s.id) for s in library.list_issues() if s.title == "The Long View #42")
    assert (issue.publication, issue.date, issue.author) == ("The Long View", "2024-05-02", "The Long View")
    assert "voting machine" in library.plain_text(issue.id)
    assert "labels:\n- Newsletter\n- economics" in issue.original  # kept for mapping to tags
    highlights = {h.quote: h for h in library.highlights(issue.id)}
    first = highlights["Compound interest is the eighth wonder of the world."]
    assert first.note == "Einstein, supposedly." and not first.detached
    assert library.plain_text(issue.id)[first.start : first.end] == first.quote
    assert highlights["a weighing machine in the long run"].note == "Graham's line."
    lost = highlights["This sentence was edited out of the page later."]
    assert lost.detached  # kept, never dropped
    stub = next(s for s in library.list_issues() if s.title == "Only a description")
    assert stub.publication == "blog.example" and stub.date == "2024-06-01"
    assert "Saved but never parsed." in library.plain_text(stub.id)


def test_omnivore_second_run_adds_nothing(library: Library, tmp_path: Path) -> None:
    export = omnivore_zip(tmp_path / "omnivore.zip")
    library.import_omnivore(export)
    before = (len(library.list_issues()), len(library.highlights()))
    again = library.import_omnivore(export)
    assert {i.outcome for i in again.items} == {"skipped"}
    assert again.count("skipped") == 6
    assert (len(library.list_issues()), len(library.highlights())) == before


def test_omnivore_unpacked_folder_works_too(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "Omnivore Export 2024-11-20"
    with zipfile.ZipFile(omnivore_zip(tmp_path / "o.zip")) as zf:
        zf.extractall(folder)
    assert library.import_omnivore(folder).count("added", "issue") == 2


def test_not_an_omnivore_export_is_refused_in_words(library: Library, tmp_path: Path) -> None:
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ReaderError, match="not an Omnivore export"):
        library.import_omnivore(other)
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(ReaderError, match="not a zip file or folder"):
        library.import_omnivore(tmp_path / "junk.zip")
    assert library.is_empty()


# -- Readwise ------------------------------------------------------------------------------------
# Shape: Readwise's "Export to CSV" (readwise.io/export): columns Highlight, Book Title, Book Author,
# Amazon Book ID, Note, Color, Tags, Location Type, Location, Highlighted at, Document tags; one row
# per highlight, times as "2024-05-03 14:02:11+00:00".

READWISE_COLUMNS = ["Highlight", "Book Title", "Book Author", "Amazon Book ID", "Note", "Color", "Tags",
                    "Location Type", "Location", "Highlighted at", "Document tags"]  # fmt: skip


def readwise_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, READWISE_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in READWISE_COLUMNS})
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def seed_issue(library: Library, tmp_path: Path) -> str:
    src = tmp_path / "issue.md"
    src.write_text(
        "---\ntitle: Slow Reading\npublication: Deep Weekly\ndate: 2024-04-01\n---\n\n"
        "Read slowly and you will remember more. Skimming is not reading.\n",
        encoding="utf-8",
    )
    library.import_paths([src])
    return library.list_issues()[0].id


def test_readwise_attaches_to_the_issue_by_title_else_keeps_a_stub(library: Library, tmp_path: Path) -> None:
    issue_id = seed_issue(library, tmp_path)
    export = readwise_csv(tmp_path / "readwise.csv", [
        {"Highlight": "Skimming is not reading.", "Book Title": "slow reading", "Book Author": "Deep Weekly",
         "Note": "So true", "Highlighted at": "2024-05-03 14:02:11+00:00", "Location Type": "order", "Location": "2"},
        {"Highlight": "A line the issue never had.", "Book Title": "Slow Reading", "Book Author": "Deep Weekly"},
        {"Highlight": "Attention is the rarest form of generosity.", "Book Title": "Letters",
         "Book Author": "Simone Weil", "Highlighted at": "2024-02-01 10:00:00+00:00"},
        {"Highlight": "", "Book Title": "Letters", "Book Author": "Simone Weil"},
    ])  # fmt: skip
    report = library.import_readwise(export)
    assert outcomes(report) == [
        ("highlight", "attached", "Skimming is not reading."),
        ("highlight", "detached", "A line the issue never had."),
        ("issue", "added", "Letters"),
        ("highlight", "attached", "Attention is the rarest form of generosity."),
        ("highlight", "skipped", "(empty)"),
    ]
    placed = {h.quote: h for h in library.highlights(issue_id)}
    assert placed["Skimming is not reading."].note == "So true"
    assert placed["Skimming is not reading."].created == "2024-05-03T14:02:11Z"
    stub = next(s for s in library.list_issues() if s.title == "Letters")
    assert stub.publication == "Simone Weil" and stub.date == "2024-02-01"
    assert [h.quote for h in library.highlights(stub.id)] == ["Attention is the rarest form of generosity."]
    assert library.import_readwise(export).count("skipped") == 5  # the second run adds nothing
    assert len(library.highlights()) == 3


def test_readwise_url_column_matches_an_issue_by_address(library: Library, tmp_path: Path) -> None:
    src = tmp_path / "post.md"
    src.write_text("---\ntitle: Other Title\npublication: P\nurl: https://p.example/post\n---\n\nHello there world.\n",
                   encoding="utf-8")  # fmt: skip
    library.import_paths([src])
    path = tmp_path / "reader.csv"
    path.write_text("Highlight,Book Title,URL\nhello there,Renamed,https://p.example/post\n", encoding="utf-8")
    report = library.import_readwise(path)
    assert outcomes(report) == [("highlight", "attached", "hello there")]


def test_a_csv_that_is_not_readwise_is_refused_in_words(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,email\nA,a@example.com\n", encoding="utf-8")
    with pytest.raises(ReaderError, match="not a Readwise CSV export \\(no 'Highlight' or 'Book Title' column\\)"):
        library.import_readwise(path)


# -- Substack -------------------------------------------------------------------------------------
# Shape: Substack's publication export (Settings > Exports): posts.csv with the columns post_id,
# post_date, is_published, email_sent_at, inbox_sent_at, type, audience, title, subtitle,
# podcast_url, and posts/<post_id>.html per post, post_id being "<number>.<slug>".

SUBSTACK_POSTS = [
    ("139745296.hello-world", "2023-01-10T09:00:00.000Z", "true", "Hello, world", "Why this newsletter exists",
     "<p>Welcome to <strong>The Margin</strong>. We write about small things.</p>"),
    ("140000001.second-post", "2023-02-14T09:00:00.000Z", "true", "On margins", "",
     "<h2>Margins</h2><p>Margins are where the notes go.</p>"),
    ("140000002.draft", "", "false", "Unfinished", "", "<p>Draft text</p>"),
    ("140000003.missing-body", "2023-03-01T09:00:00.000Z", "true", "Lost body", "", None),
]  # fmt: skip


def substack_zip(path: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["post_id", "post_date", "is_published", "email_sent_at", "inbox_sent_at", "type",
                     "audience", "title", "subtitle", "podcast_url"])  # fmt: skip
    with zipfile.ZipFile(path, "w") as zf:
        for post_id, date, published, title, subtitle, html in SUBSTACK_POSTS:
            writer.writerow([post_id, date, published, date, "", "newsletter", "everyone", title, subtitle, ""])
            if html is not None:
                zf.writestr(f"posts/{post_id}.html", html)
        zf.writestr("posts.csv", out.getvalue())
    return path


def test_substack_every_post_with_title_subtitle_date_and_publication(library: Library, tmp_path: Path) -> None:
    report = library.import_substack(substack_zip(tmp_path / "the-margin-export.zip"))
    assert outcomes(report) == [
        ("issue", "added", "Hello, world"),
        ("issue", "added", "On margins"),
        ("issue", "skipped", "Unfinished"),
        ("issue", "skipped", "Lost body"),
    ]
    assert [i.reason for i in report.items[2:]] == [
        "a draft, never published", "the export has no posts/140000003.missing-body.html"
    ]
    first = next(library.get_issue(s.id) for s in library.list_issues() if s.title == "Hello, world")
    assert (first.publication, first.date) == ("The Margin", "2023-01-10")
    text = library.plain_text(first.id)
    assert text.startswith("Why this newsletter exists") and "We write about small things." in text
    named = library.import_substack(substack_zip(tmp_path / "x.zip"), publication="The Margin")
    assert named.count("added") == 0 and named.count("skipped") == 4  # same publication: already here


def test_substack_export_without_posts_csv_is_refused(library: Library, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "x.html").write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(ReaderError, match=r"not a Substack export \(no posts\.csv in it\)"):
        library.import_substack(tmp_path / "empty")


# -- OPML ------------------------------------------------------------------------------------------
# Shape: OPML 2.0 (opml.org/spec2.opml): <outline type="rss" text title xmlUrl htmlUrl/> per feed,
# nested in folder outlines, as feed readers export their subscriptions.

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Newsletters" title="Newsletters">
      <outline type="rss" text="The Margin" title="The Margin" xmlUrl="https://margin.example/feed"
               htmlUrl="https://margin.example"/>
      <outline type="rss" text="Deep Weekly" xmlUrl="https://deep.example/rss.xml"/>
    </outline>
    <outline type="rss" text="Not a web feed" xmlUrl="ftp://files.example/feed"/>
  </body>
</opml>
"""


def test_opml_import_subscribes_without_fetching_and_exports_back(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "feeds.opml"
    path.write_text(OPML, encoding="utf-8")
    report = library.import_opml(path)
    assert outcomes(report) == [
        ("feed", "added", "The Margin"), ("feed", "added", "Deep Weekly"), ("feed", "skipped", "Not a web feed")
    ]
    assert "is not a feed address" in report.items[2].reason
    assert [(s.title, s.url, s.last_checked) for s in library.subscriptions()] == [
        ("Deep Weekly", "https://deep.example/rss.xml", None), ("The Margin", "https://margin.example/feed", None)
    ]
    assert {i.reason for i in library.import_opml(path).items[:2]} == {"already subscribed"}
    exported = tmp_path / "out.opml"
    exported.write_text(library.export_opml(), encoding="utf-8")
    with Library(tmp_path / "second") as other:
        assert other.import_opml(exported).count("added") == 2
        assert [s.url for s in other.subscriptions()] == [s.url for s in library.subscriptions()]


def test_bad_opml_is_refused_in_words(library: Library, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body>&a;</body></opml>', encoding="utf-8")
    with pytest.raises(ReaderError, match="not readable OPML"):
        library.import_opml(bomb)
    html = tmp_path / "page.opml"
    html.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(ReaderError, match="not an OPML file"):
        library.import_opml(html)
