"""Markdown -> safe HTML, sections, plain text and per-section text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reader.core._render import plain_text, render_html, section_texts, sections, slugify
from reader.core.types import Section

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))

ISSUE = """\
Intro before any heading.

# Google trains a big model

Body with **bold**, *em* and a [link](https://example.com/a?b=1&c=2).

## News 🎉

- first item
- second *item*

## News

> quoted line
> continues

1. one
2. two
"""


def test_sections_are_headings_in_order_with_unique_slugs() -> None:
    assert sections(ISSUE) == (
        Section("Google trains a big model", 1, "google-trains-a-big-model"),
        Section("News 🎉", 2, "news"),
        Section("News", 2, "news-2"),
    )


def test_heading_ids_in_html_are_the_section_anchors() -> None:
    ids = re.findall(r'<h[1-6] id="([^"]+)"', render_html(ISSUE))
    assert ids == [s.anchor for s in sections(ISSUE)]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Google trains a big model", "google-trains-a-big-model"),
        ("🚀 Launch day!", "launch-day"),
        ("Café & crème — naïve", "cafe-creme-naive"),
        ("snake_case  and--dashes", "snake-case-and-dashes"),
        ("🎉🎉", "section"),
        ("word " * 30, "word-" * 11 + "word"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_a_slug_taken_by_an_earlier_duplicate_is_not_reused() -> None:
    md = "# News\n\n# News 2\n\n# News\n"
    assert [s.anchor for s in sections(md)] == ["news", "news-2", "news-3"]


def test_heading_title_decodes_entities_and_drops_markup() -> None:
    assert sections("## Q&amp;A with *AT&T* `code`\n")[0].title == "Q&A with AT&T code"


HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[local](file:///etc/passwd)",
    "[page](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body { background: url(http://tracker.example/p.gif) }</style>",
    "![pixel](http://tracker.example/p.gif)",
    '<img src="http://tracker.example/p.gif">',
    '<a href="http://ok.example" onclick="steal()">x</a>',
    "<form action=http://evil.example><input name=q></form>",
    '<div style="position:fixed">overlay</div>',
    "[x](java\tscript:alert(1))",
    "<javascript:alert(1)>",
    "[x](//evil.example/relative)",
    "![i](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
]


class _Elements(HTMLParser):
    """The tags and attributes of an HTML fragment, as a browser would build them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


SAFE_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "b", "i",
    "blockquote", "code", "pre", "hr", "br", "img", "table", "thead", "tbody", "tr", "th", "td",
    "sup", "dl", "dt", "dd",
}  # fmt: skip


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markdown_is_neutralised(hostile: str) -> None:
    html = render_html(f"Before\n\n{hostile}\n\nAfter *ok*")
    for tag, attrs in _Elements(html).found:
        assert tag in SAFE_TAGS
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        if tag == "a":
            assert re.match(r"(https?://|mailto:|#fn(ref)?:)", attrs["href"] or "")
        if tag == "img":
            assert re.match(r"data:image/(png|jpeg|gif|webp);", attrs["src"] or "")
    assert "<em>ok</em>" in html  # the rest still renders


def test_raw_html_is_shown_as_text_not_obeyed() -> None:
    md = "A <b>bold</b> claim and <script>x()</script>\n\n<div>block</div>\n"
    assert "&lt;b&gt;bold&lt;/b&gt;" in render_html(md)
    assert plain_text(md) == "A <b>bold</b> claim and <script>x()</script>\n<div>block</div>"


def test_allowed_links_keep_their_target_and_get_rel() -> None:
    html = render_html("[a](https://x.example/p) [b](http://y.example) <me@example.com>")
    assert '<a href="https://x.example/p" rel="noopener noreferrer">a</a>' in html
    assert '<a href="http://y.example" rel="noopener noreferrer">b</a>' in html
    assert 'href="mailto:me@example.com"' in html


def test_disallowed_links_become_plain_text() -> None:
    md = "see [the *docs*](javascript:alert(1)) now"
    assert "<a" not in render_html(md)
    assert "<em>docs</em>" in render_html(md)
    assert plain_text(md) == "see the docs now"


def test_only_inline_data_images_survive_and_remote_ones_become_linked_placeholders() -> None:
    png = "data:image/png;base64,iVBORw0KGgo="
    html = render_html(f"![chart]({png}) and ![Find window](https://example.com/find.png)")
    found = _Elements(html).found
    assert ("img", {"alt": "chart", "src": png}) in found
    assert not any(tag == "img" and "example.com" in (attrs.get("src") or "") for tag, attrs in found)
    assert ("a", {"href": "https://example.com/find.png", "title": "https://example.com/find.png",
                  "rel": "noopener noreferrer"}) in found  # fmt: skip
    assert plain_text(f"![chart]({png}) and ![Find window](https://example.com/find.png)") == (
        "\ufffc and [Image: Find window]"
    )


def test_an_image_without_alt_text_is_a_placeholder_too() -> None:
    assert plain_text("See ![](https://example.com/a.png) here") == "See [Image] here"


def test_a_linked_picture_keeps_its_link_and_shows_a_placeholder() -> None:
    html = render_html("[![cover](https://example.com/c.png)](https://example.com/post)")
    assert html.count("<a ") == 1 and 'href="https://example.com/post"' in html
    assert plain_text("[![cover](https://example.com/c.png)](https://example.com/post)") == "[Image: cover]"


@pytest.mark.parametrize(
    "src", ["https://pixel.wp.com/g.gif?x=1", "https://eotrx.substackcdn.com/open?token=abc", "https://t.example/open.gif"]
)
def test_tracking_pixels_are_dropped_silently(src: str) -> None:
    md = f"Before ![pixel]({src}) after"
    assert "pixel" not in render_html(md) and plain_text(md) == "Before after"


def test_images_with_unloadable_schemes_are_placeholders_without_links() -> None:
    html = render_html("![logo](cid:logo@mail) ![x](javascript:alert(1))")
    assert "<a" not in html and "cid:" not in html and "javascript" not in html
    assert plain_text("![logo](cid:logo@mail)") == "[Image: logo]"


def test_html_comments_are_dropped_but_code_keeps_them() -> None:
    md = "<!-- 2019-09-26 -->\n\nSome text <!-- a note --> here.\n\n<!--\nhidden\n-->\n\n`<!-- kept -->`\n"
    assert plain_text(md) == "Some text here.\n<!-- kept -->"


def test_footnotes_are_superscript_markers_linked_to_their_notes() -> None:
    md = "It goes this way.[^1]\n\n[^1]: Or another.\n"
    html = render_html(md)
    assert '<sup id="fnref:1"><a href="#fn:1"' in html
    assert '<li id="fn:1">' in html and 'href="#fnref:1"' in html
    assert plain_text(md).startswith("It goes this way.1\n")
    assert "Or another." in plain_text(md)


def test_footnote_style_links_cannot_point_elsewhere() -> None:
    html = render_html("[a](#fn:x) [b](#top) [c](/relative)")
    assert 'href="#fn:x"' in html and 'href="#top"' not in html and "/relative" not in html


def test_definition_lists_render_as_blocks() -> None:
    md = "Term\n:   What it means.\n"
    assert "<dl>" in render_html(md) and "<dt>Term</dt>" in render_html(md)
    assert plain_text(md) == "Term\nWhat it means."


def test_plain_text_reads_like_the_page() -> None:
    assert plain_text(ISSUE) == (
        "Intro before any heading.\n"
        "Google trains a big model\n"
        "Body with bold, em and a link.\n"
        "News 🎉\nfirst item\nsecond item\n"
        "News\nquoted line continues\n"
        "one\ntwo"
    )


def test_plain_text_collapses_whitespace_decodes_entities_and_keeps_breaks() -> None:
    md = "Tom &amp; Jerry   &lt;3 &copy;\nsame paragraph  \nafter a hard break\n\n"
    md += "    code   stays\n      indented\n"
    assert plain_text(md) == "Tom & Jerry <3 © same paragraph\nafter a hard break\ncode   stays\n  indented\n"


def test_plain_text_of_rules_and_tables_lays_out_empty_blocks_like_qt() -> None:
    table = "| h1 | h2 |\n|----|----|\n| c1 | c2 |\n\n"
    assert plain_text("above\n\n---\n\nbelow") == "above\n\nbelow"
    assert plain_text("above\n\n" + table + "below") == "above\n\nh1\nh2\nc1\nc2\n\nbelow"
    assert plain_text("above\n\n---\n\n" + table + "below") == "above\n\nh1\nh2\nc1\nc2\n\nbelow"


def test_section_texts_split_the_plain_text_at_headings() -> None:
    parts = section_texts(ISSUE)
    anchors = [s.anchor if s else None for s, _ in parts]
    assert anchors == [None, "google-trains-a-big-model", "news", "news-2"]
    assert parts[0][1] == "Intro before any heading."
    assert parts[2][1] == "News 🎉\nfirst item\nsecond item"
    assert "\n".join(text for _, text in parts) == plain_text(ISSUE)


def test_section_texts_without_lead_text_start_with_the_first_heading() -> None:
    assert section_texts("# Only\n\nbody\n") == [(Section("Only", 1, "only"), "Only\nbody")]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_renders_deterministically(seed: Path) -> None:
    md = seed.read_text(encoding="utf-8")
    text = plain_text(md)
    assert text
    assert text == plain_text(md + "")  # same text, not just the cached object
    plain_text.__globals__["_render"].cache_clear()
    assert plain_text(md) == text
    words = re.findall(r"\w+", md)
    assert words[0] in text
    assert words[-1] in text


def test_pathological_nesting_does_not_crash() -> None:
    md = ">" * 5000 + " deep\n\n" + "- " * 3000 + "list\n"
    assert "deep" in plain_text(md)
    assert "list" in plain_text(md)
