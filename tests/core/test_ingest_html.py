"""HTML pages and email bodies: article content kept, furniture, scripts and pixels dropped, safe Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.core._ingest import parse_file
from reader.core._ingest.html_to_markdown import MAX_NESTING, html_to_markdown, text_to_markdown
from reader.core._render import render_html
from reader.core.errors import IngestError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


@pytest.fixture(scope="module")
def saved_page() -> str:
    [issue] = parse_file(FIXTURES / "saved_page.html")
    assert issue.title == "Issue 12: Paper boats"  # og:title wins over the <title> with its site suffix
    assert issue.publication == "Harbour Letters"
    assert (issue.number, issue.date, issue.author) == (12, "2023-02-14", "Ada Brook")
    return issue.markdown


def test_saved_page_keeps_the_article_in_markdown(saved_page: str) -> None:
    assert saved_page.startswith("# Paper boats\n")
    assert "Fold a square of paper *twice*, then once more." in saved_page
    assert "**seaworthy**" in saved_page
    assert "## Reader mail" in saved_page
    assert "> My boat sank. Is that normal?" in saved_page
    assert "- Yes.\n- Try wax paper." in saved_page
    assert "```\nfold(paper, times=3)\n```" in saved_page


def test_saved_page_drops_furniture_scripts_forms_and_tracking_pixels(saved_page: str) -> None:
    for gone in (
        "Archive",
        "Related",
        "Unsubscribe",
        "Subscribe now",
        "track",
        "font-family",
        "pixel",
    ):
        assert gone not in saved_page
    # A real picture stays, for the pane to show as a placeholder linking to it (issue #14).
    assert "![A paper boat](https://cdn.example/boat.jpg)" in saved_page


def test_links_keep_only_web_and_mail_targets(saved_page: str) -> None:
    assert "[the folding guide](https://example.org/boats)" in saved_page
    assert "[write to me](mailto:ada@example.org)" in saved_page
    assert "this trap" in saved_page
    assert "javascript" not in saved_page


def test_the_reading_pane_renders_it_without_remote_resources(saved_page: str) -> None:
    html = render_html(saved_page)
    assert "<em>twice</em>" in html
    assert '<a href="https://example.org/boats"' in html
    assert "<img" not in html
    assert "<script" not in html


def test_email_body_html_loses_hidden_preheader_and_tracking_pixel() -> None:
    [issue] = parse_file(FIXTURES / "email_body.html")
    assert issue.title == "Morning Brief"
    assert "Preview text" not in issue.markdown
    assert "open.gif" not in issue.markdown
    assert issue.markdown.startswith("# Morning Brief: Thursday\n\nThree things worth your coffee.")
    # "1. Rivers" is a sentence the sender numbered, not a list the converter should invent.
    assert "1\\. Rivers are **wider** in spring." in issue.markdown


def test_source_text_that_looks_like_markup_stays_text() -> None:
    markdown = html_to_markdown(
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; *stars* [x](javascript:y) &amp;amp;</p><p># hash</p>"
    )
    html = render_html(markdown)
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "*stars*" in html
    assert "<em>" not in html
    assert "<h1" not in html
    assert "&amp;amp;" in html


def test_nested_lists_and_quotes() -> None:
    markdown = html_to_markdown("<ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul><ol><li>a</li><li>b</li></ol>")
    html = render_html(markdown)
    assert html.count("<ul>") == 2
    assert "<ol>" in html
    assert "inner" in html


def test_article_is_preferred_over_the_rest_of_the_body() -> None:
    markdown = html_to_markdown("<body><div>Sidebar junk</div><article><h2>Real</h2><p>Content.</p></article></body>")
    assert markdown == "## Real\n\nContent.\n"


def test_deep_nesting_within_the_limit_is_flattened_not_recursed() -> None:
    depth = MAX_NESTING - 2
    markdown = html_to_markdown("<div><blockquote>" * (depth // 2) + "deep text" + "</blockquote></div>" * (depth // 2))
    assert "deep text" in markdown


def test_absurdly_deep_nesting_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 5_000 + "x" + "</div>" * 5_000 + "</body></html>", encoding="utf-8")
    with pytest.raises(IngestError, match=r"^deep\.html: the HTML nests elements more than \d+ deep"):
        parse_file(path)


def test_text_to_markdown_keeps_lines_and_escapes() -> None:
    assert text_to_markdown("# not a heading\n- not a list\n\n<b>x</b>") == (
        "\\# not a heading  \n\\- not a list\n\n&lt;b&gt;x&lt;/b&gt;\n"
    )


@pytest.mark.parametrize(
    ("name", "html", "reason"),
    [
        ("cut.html", "<!DOCTYPE html><html><head><title>T</title></head><body><p>Half a sen", "cut off"),
        (
            "empty.html",
            "<html><body><img src='https://x/y.gif' width=1 height=1><script>x()</script></body></html>",
            "no readable",
        ),
    ],
)
def test_broken_html_is_an_ingest_error(tmp_path: Path, name: str, html: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    with pytest.raises(IngestError, match=rf"^{name}: .*{reason}"):
        parse_file(path)


def test_declared_charset_is_used_for_non_utf8_html(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes('<html><head><meta charset="koi8-r"></head><body><p>Привет</p></body></html>'.encode("koi8-r"))
    [issue] = parse_file(path)
    assert issue.markdown == "Привет\n"


# Line-number gutters of highlighted code, in each generator's own markup:
# Rouge in an Asciidoctor/Jekyll post (as matklad.github.io's Atom feed carries it), Pygments'
# linenos="table" (Sphinx, Pelican), Chroma's inline numbers (Hugo's lineNos=inline).
ROUGE = """<p>Test:</p><div class="listingblock"><div class="content"><pre class="rouge highlight">\
<code data-lang="rust"><table class="linenotable"><tbody><tr><td class="linenos gl"><pre class="lineno"> 1
 2
</pre></td><td class="code"><pre><span class="nd">#[test]</span>
<span class="k">fn</span> <span class="nf">completes</span>() {}
</pre></td></tr></tbody></table></code></pre></div></div><p>After.</p>"""
PYGMENTS = """<table class="highlighttable"><tr><td class="linenos"><div class="linenodiv"><pre>1
2</pre></div></td><td class="code"><div class="highlight"><pre><span class="kn">import</span> os
print(1)</pre></div></td></tr></table>"""
CHROMA = """<div class="highlight"><pre class="chroma"><code><span class="line"><span class="ln">1</span>\
<span class="cl">let x = 1;
</span></span><span class="line"><span class="ln">2</span><span class="cl">let y = 2;
</span></span></code></pre></div>"""


@pytest.mark.parametrize(
    ("html", "code"),
    [(ROUGE, "#[test]\nfn completes() {}"), (PYGMENTS, "import os\nprint(1)"), (CHROMA, "let x = 1;\nlet y = 2;")],
    ids=["rouge", "pygments", "chroma"],
)
def test_code_keeps_its_lines_without_the_line_numbers(html: str, code: str) -> None:
    markdown = html_to_markdown(html)
    assert f"```\n{code}\n```" in markdown
    assert not re.search(r"^\s*\d+\s*$", markdown, re.MULTILINE)  # no block of numbers beside it either


def test_a_gutter_class_with_words_in_it_is_content() -> None:
    # An e-mail layout's "gutter" cell: only a cell of numbers is a listing's line numbers.
    markdown = html_to_markdown('<table><tr><td class="gutter">Read this first</td><td>Then this</td></tr></table>')
    assert "Read this first" in markdown and "Then this" in markdown
