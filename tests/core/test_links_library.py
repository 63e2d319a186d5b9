"""The link index through the Library: works across issues, cited-by, per-issue links, title-only
citations of the samples, search by link:/cites:, related issues, timelines, stats (issue #17).

tests/fixtures/links holds three Markdown issues (YAML front matter as Jekyll/Hugo write it) whose links
have the shapes newsletters send (see tests/core/test_links_urls.py for each shape's origin).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core import Library, ReaderError

LINKS = Path(__file__).resolve().parents[1] / "fixtures" / "links"
RT1 = "arxiv:2212.06817"


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library(tmp_path / "data")
    library.import_paths(sorted(LINKS.glob("*.md")))
    yield library
    library.close()


def _id(lib: Library, number: int) -> str:
    return next(s.id for s in lib.list_issues() if s.number == number)


def test_one_paper_cited_in_three_forms_by_three_issues(lib: Library) -> None:
    [work] = [w for w in lib.links() if w.key == RT1]
    assert (work.issues, work.publications) == (3, 2)
    assert (work.first_seen, work.last_seen) == ("2023-01-16", "2023-03-06")
    assert work.title == "RT-1: Robotics Transformer for Real-World Control at Scale"
    assert set(work.anchors) == {"RT-1: Robotics Transformer for Real-World Control at Scale (arXiv)", "RT-1",
                                 "the RT-1 paper"}
    assert lib.links()[0].key == RT1  # most cited first (ties with the GitHub repository, stored first)


def test_github_doi_and_youtube_are_joined_across_forms(lib: Library) -> None:
    by_key = {w.key: w for w in lib.links()}
    assert by_key["github:google-research/robotics_transformer"].issues == 3
    assert by_key["doi:10.1126/science.abq1158"].issues == 2
    assert by_key["youtube:dQw4w9WgXcQ"].issues == 2
    assert "url:https://robotics-transformer1.github.io/" in by_key  # utm_* removed
    assert "github:huggingface/transformers" in by_key  # the ConvertKit redirect unwrapped


def test_filter_by_site_and_text(lib: Library) -> None:
    assert {w.key for w in lib.links(site="arxiv.org")} == {RT1, "arxiv:2212.06742"}
    assert {w.site for w in lib.links(site="github.com")} == {"github.com"}
    assert [w.key for w in lib.links(text="robotics transformer")][:1] == [RT1]
    assert lib.links(text="100%_") == []  # LIKE wildcards are matched literally


def test_cited_by_any_form_lists_each_citation_with_its_sentence(lib: Library) -> None:
    citations = lib.cited_by("https://arxiv.org/pdf/2212.06817v2")
    assert [c.date for c in citations] == ["2023-03-06", "2023-02-03", "2023-01-16"]
    batch = citations[1]
    assert batch.anchor == "RT-1"
    assert batch.context.startswith("Researchers at Google trained RT-1, a transformer")
    text = lib.plain_text(batch.issue_id)
    assert text[batch.start:batch.start + len("RT-1")] == "RT-1"
    assert lib.cited_by("2212.06817") == citations
    with pytest.raises(ReaderError, match="No issue cites"):
        lib.cited_by("https://example.com/never")


def test_issue_links_say_how_many_other_issues_cite_each(lib: Library) -> None:
    links = lib.issue_links(_id(lib, 180))
    by_anchor = {c.anchor: c.other_issues for c in links}
    assert by_anchor["RT-1"] == 2
    assert by_anchor["code is on GitHub"] == 2
    assert by_anchor["Science policy"] == 1
    assert by_anchor["survey of labs"] == 0  # the Mailchimp click: one issue only
    assert [c.anchor for c in links] == sorted(by_anchor, key=[c.anchor for c in links].index)  # reading order


def test_samples_titles_without_addresses_join_a_linked_work(tmp_path: Path) -> None:
    library = Library(tmp_path / "data")
    library.import_samples()
    ernie = library.find_work("ERNIE-Code: Beyond English-Centric Cross-lingual Pretraining for Programming Languages")
    assert ernie is not None and ernie.kind == "title" and ernie.site == "arxiv.org" and ernie.url == ""
    assert len(library.links(site="arxiv.org")) >= 10  # the samples' "(arXiv)" citations
    library.import_paths([LINKS / "import-ai-314.md"])  # links the same title with an address
    joined = library.find_work("https://arxiv.org/abs/2212.06742")
    assert joined is not None and joined.issues == 2
    assert {c.publication for c in library.cited_by(joined.key)} == {"Import AI"}
    assert library.find_work("ERNIE-Code: Beyond English-Centric Cross-lingual Pretraining for Programming "
                             "Languages") == joined
    library.close()


def test_deleting_an_issue_recounts_its_works(lib: Library) -> None:
    lib.delete_issue(_id(lib, 320))
    [work] = [w for w in lib.links() if w.key == RT1]
    assert (work.issues, work.last_seen) == (2, "2023-02-03")
    assert "github:huggingface/transformers" not in {w.key for w in lib.links()}


def test_a_corrected_date_moves_first_and_last_seen(lib: Library) -> None:
    lib.edit_issue(_id(lib, 314), date="2022-12-20")
    [work] = [w for w in lib.links() if w.key == RT1]
    assert work.first_seen == "2022-12-20"


def test_existing_library_catches_up(tmp_path: Path) -> None:
    library = Library(tmp_path / "data")
    library.import_paths(sorted(LINKS.glob("*.md")))
    library.close()
    db = sqlite3.connect(tmp_path / "data" / "library.sqlite3")  # as a library from before links were indexed
    db.executescript("DELETE FROM citations; DELETE FROM link_scans; DELETE FROM works;")
    db.commit()
    db.close()
    library = Library(tmp_path / "data")
    assert library.link_backlog() == 3
    assert library.catch_up_links() == 3
    assert library.link_backlog() == 0
    assert library.find_work(RT1) is not None and library.find_work(RT1).issues == 3  # type: ignore[union-attr]
    library.close()


@pytest.mark.parametrize(("query", "numbers"), [
    ("link:arxiv.org", {314, 180, 320}),
    ("link:2212.06742", {314}),
    ('link:"http://arxiv.org/pdf/2212.06817v2.pdf"', {314, 180, 320}),
    ("link:github.com/huggingface/transformers", {320}),
    ("link:list-manage.com", {180}),
    ('cites:"RT-1"', {314, 180, 320}),
    ('cites:"survey of labs"', {180}),
    ("link:youtube.com AND kitchens", {320}),
    ("link:doi.org NOT publication:batch", {314}),
])
def test_search_by_link_and_anchor_text(lib: Library, query: str, numbers: set[int]) -> None:
    hits = lib.search(query, limit=50)
    assert {h.number for h in hits if h.kind == "issue"} == numbers


def test_related_issues_share_terms_and_cited_works(lib: Library) -> None:
    related = lib.related(_id(lib, 180))
    assert {r.issue.number for r in related} == {314, 320}
    assert all(r.issue.id != _id(lib, 180) for r in related)
    first = related[0]
    assert first.shared_works  # the works both cite are named


def test_timeline_groups_matching_issues_by_month_and_publication(lib: Library) -> None:
    buckets = lib.timeline("robots")
    assert [(b.month, b.publication, b.issues) for b in buckets] == [
        ("2023-01", "Import AI", 1), ("2023-02", "The Batch", 1), ("2023-03", "Import AI", 1)]


def test_stats_count_works_and_citations(lib: Library) -> None:
    stats = lib.stats()
    assert stats["linked works"] == len(lib.links())
    assert stats["citations"] == sum(len(lib.issue_links(s.id)) for s in lib.list_issues())


def test_markdown_export_lists_the_issue_cited_works(lib: Library, tmp_path: Path) -> None:
    batch = _id(lib, 180)
    lib.annotate(batch, "a transformer that maps camera images")
    [path] = lib.export_markdown(tmp_path / "vault")
    text = path.read_text(encoding="utf-8")
    section = text.split("## Cited works\n", 1)[1]
    lines = section.strip().splitlines()
    assert lines[0] == ("- [RT-1: Robotics Transformer for Real-World Control at Scale](<https://arxiv.org/abs/2212.06817>)"
                        " — also cited in 2 other issues")
    assert "- [google-research/robotics\\_transformer](<https://github.com/google-research/robotics_transformer>)" \
        " — also cited in 2 other issues" in lines
    assert any(line.startswith("- [survey of labs]") and "also cited" not in line for line in lines)


def test_a_rebuilt_index_holds_no_citations_and_links_still_catch_up(tmp_path: Path) -> None:
    library = Library(tmp_path / "data")
    library.import_paths(sorted(LINKS.glob("*.md")))
    db = sqlite3.connect(tmp_path / "data" / "library.sqlite3")
    db.executescript("DELETE FROM citations; DELETE FROM link_scans; DELETE FROM works;")
    db.commit()
    db.close()
    library.reindex()
    assert library._indexer._found == []  # a rebuild does not keep every issue's citations in memory
    assert library.link_backlog() == 3
    assert library.find_work(RT1) is not None  # the link queries catch up by themselves
    library.close()


def test_an_image_placeholder_is_no_citation(tmp_path: Path) -> None:
    # An RSS item's picture the pane does not load shows as "[Image: alt]" linked to its address
    # (issue #14); the Links tab listed it as a cited work "only here" (found with the images of #19).
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Orchard Notes</title>'
        "<item><title>Spring</title><guid>o-1</guid><pubDate>Tue, 09 Mar 2021 10:00:00 GMT</pubDate>"
        "<description><![CDATA[<p>The trees.</p><p><img src=\"https://cdn.example.com/orchard.png\" "
        'alt="The orchard in bloom"></p><p>See <a href="https://arxiv.org/abs/2212.06817">RT-1</a>.</p>]]>'
        "</description></item></channel></rss>", encoding="utf-8")
    with Library(tmp_path / "data") as library:
        library.import_paths([feed])
        [issue] = library.list_issues()
        assert "[Image: The orchard in bloom]" in library.plain_text(issue.id)
        assert [c.anchor for c in library.issue_links(issue.id)] == ["RT-1"]
        assert [w.key for w in library.links()] == [RT1]


def test_an_older_library_scans_its_image_placeholder_citations_again(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Orchard Notes</title>'
        "<item><title>Spring</title><guid>o-1</guid><description><![CDATA[<p>The trees. See "
        '<a href="https://arxiv.org/abs/2212.06817">RT-1</a>.</p>]]></description></item></channel></rss>',
        encoding="utf-8")
    with Library(tmp_path / "data") as library:
        library.import_paths([feed])
        [issue] = library.list_issues()
    conn = sqlite3.connect(tmp_path / "data" / "library.sqlite3")
    with conn:  # what version 10 stored for a placeholder: a citation of the picture's address
        conn.execute("UPDATE citations SET anchor = '[Image: The orchard in bloom]'")
        conn.execute("PRAGMA user_version = 10")
    conn.close()
    with Library(tmp_path / "data") as library:
        assert library.link_backlog() == 1  # scanned again by the next catch-up
        library.catch_up_links()
        assert [c.anchor for c in library.issue_links(issue.id)] == ["RT-1"]


_TRICKY_LINKS = """# Links of every shape

Read [a **bold** and `coded` title](https://example.org/a?x=1&amp;y=2) and
[![a chart](https://example.org/chart.png)](https://example.org/chart) here.

<a name="top">an anchor without an address</a> and <a href="https://github.com/o/r">raw HTML link</a>.

[Image: a diagram](https://example.org/diagram.png)

* [nested *emphasis* link](https://arxiv.org/abs/2212.06817) (arXiv)
* Read more: [A Paper About Robots](https://example.org/robots) (Example)

```
[not a link](https://example.org/code)
```
"""


def _citations_both_ways(markdown: str) -> list[object]:
    """The citations from the links the renderer noted, checked against a second parse of the HTML
    (what the link catch-up does with cached HTML): both must be the same."""
    from reader.core._links import extract_citations
    from reader.core._render import rendered_parts

    rendered = rendered_parts(markdown)
    assert rendered.links is not None
    read_once = extract_citations(rendered.html, rendered.text, rendered.links)
    assert read_once == extract_citations(rendered.html, rendered.text)
    return read_once


def test_links_read_with_the_text_make_the_citations_a_second_parse_makes(tmp_path: Path) -> None:
    found = _citations_both_ways(_TRICKY_LINKS)
    anchors = [c.anchor for c in found if c.work is not None]  # type: ignore[attr-defined]
    # the linked picture ("[Image: a chart]", not loaded by the pane) is no citation; code is no link
    assert anchors == ["a bold and coded title", "Image: a diagram", "nested emphasis link", "A Paper About Robots"]
    with Library(tmp_path / "samples") as library:
        library.import_samples()
        library.import_paths(sorted(LINKS.glob("*.md")))
        texts = [row[0] for row in library._db.query("SELECT markdown FROM issues")]
    assert len(texts) > 10
    assert sum(len(_citations_both_ways(text)) for text in texts) > 50
