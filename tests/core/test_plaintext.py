"""The plain-text parser on the bundled sample dumps and on other shapes of plain text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core._ingest.markdown_escape import escape_line
from reader.core._ingest.plaintext import DEFAULT_PUBLICATION, parse_plaintext
from reader.core.types import ParsedIssue

SEEDS = Path(__file__).parents[2] / "seeds"
_BULLET_OR_SPACE = "•–-* \u00a0\t"
PANE_EXTENSIONS = ("tables", "fenced_code", "sane_lists")  # what reader.core._render enables


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _parse(prefix: str) -> list[ParsedIssue]:
    return parse_plaintext(_seed(prefix), source=f"{prefix}.txt")


def _plain(markdown_text: str) -> str:
    """What a reader sees of the Markdown: rendered, tags dropped, entities decoded, spaces collapsed."""
    rendered = markdown.markdown(markdown_text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


def _words(text: str) -> str:
    return " ".join(text.split())


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)


def _tags(markdown_text: str, extensions: tuple[str, ...] = ()) -> set[str]:
    collector = _TagCollector()
    collector.feed(markdown.markdown(markdown_text, extensions=list(extensions)))
    return collector.tags


# -- the four samples -----------------------------------------------------------------------------


def test_the_samples_hold_thirteen_issues() -> None:
    counts = [len(_parse(prefix)) for prefix in ("000", "001", "002", "003")]
    assert counts == [1, 1, 10, 1]


def test_import_ai_313_header() -> None:
    (issue,) = _parse("000")
    assert issue.publication == "Import AI"
    assert issue.number == 313
    assert issue.title.startswith("Import AI 313: Smarter robots via foundation models; Stanford trains ")
    assert issue.title.endswith("Baidu builds a multilingual coding dataset")
    assert issue.author == "Jack Clark"
    assert issue.date is None  # the text gives no date; none is invented
    assert issue.source == "000.txt"
    assert issue.original == _seed("000")


def test_import_ai_313_body_starts_with_content_not_title_or_byline() -> None:
    (issue,) = _parse("000")
    assert issue.markdown.startswith("Welcome to the first issue of 2023!")
    assert "by Jack Clark" not in issue.markdown
    assert "Import AI 313" not in issue.markdown


def test_import_ai_313_sections_become_headings_deks_and_lists() -> None:
    (issue,) = _parse("000")
    body = issue.markdown
    assert "\n## Google trains a big model to create smart robots\n" in body
    assert "\n*…RT-1 is one foundation model for hundreds of tasks…*\n" in body
    assert "\n## Tech Tales\n\n### The Universal Confessional Booth\n" in body
    assert "\n- Read more: MOPRD: A multidisciplinary open peer review dataset (arXiv).\n" in body
    assert "\n- Yeah it asked me about my childhood friends.\n- Childhood friends?" in body
    assert "**Compounding returns:** RT-1 can be paired" in body
    rendered = markdown.markdown(body)
    assert rendered.count("<h2>") == 6
    assert "<li>Try out the web app: RIFFUSION.COM</li>" in rendered


def test_superfast_title_date_and_emoji_headings() -> None:
    (issue,) = _parse("001")
    assert issue.publication == "Superfast AI"
    assert issue.date == "2023-01-11"  # "1/11/2023" is US month/day
    assert issue.number is None
    # The line under "Superfast AI 1/11/2023" says what the issue is about: a better title than
    # a repeat of the publication and date, which the list shows in their own columns.
    assert issue.title == (
        "Welcome to 2023! Today we dive into 2022 paper highlights, RLHF, and AI Interpretability."
    )
    assert "Today we dive into" not in issue.markdown
    for heading in ("## 🗞 News", "## 📚 Concepts & Learning", "## 🎁 Miscellaneous"):
        assert f"\n{heading}\n" in issue.markdown
    assert "\n### Embeddings\n" in issue.markdown
    assert "\n### The upshot\n" in issue.markdown


def test_superfast_link_lines_without_urls_stay_text() -> None:
    (issue,) = _parse("001")
    assert "\n- A ConvNet for the 2020s (link) — new SOTA architecture for vision models\n" in issue.markdown
    assert "](" not in issue.markdown  # there is no URL in the text, so no link is invented


def test_import_ai_dump_splits_into_ten_issues_in_order() -> None:
    issues = _parse("002")
    assert [issue.number for issue in issues] == list(range(310, 300, -1))
    for issue in issues:
        assert issue.publication == "Import AI"
        assert issue.title.startswith(f"Import AI {issue.number}: ")
        assert issue.original.startswith(issue.title[:40])
        assert issue.date is None
        assert issue.author is None
        assert issue.title not in issue.markdown  # the pane shows the title in its own header
        assert issue.markdown.startswith("## ")  # each of these issues opens with its first story
    assert issues[1].title == "Import AI 309: Generative bias; BLOOM isn’t great; how China and Russia use AI"


def test_import_ai_dump_originals_cover_the_file_minus_its_header() -> None:
    text = _seed("002")
    header, first_issue = text.split("\n\n", 1)
    assert header == "Import AI"
    assert "".join(issue.original for issue in _parse("002")) == first_issue


def test_import_ai_dump_mentions_of_other_issues_do_not_split() -> None:
    issues = _parse("002")
    holder = [issue.number for issue in issues if "(Import AI #304)" in issue.original]
    assert holder == [308]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_no_body_text_is_lost_or_duplicated(prefix: str) -> None:
    issues = _parse(prefix)
    plains = [_plain(issue.markdown) for issue in issues]
    for issue, plain in zip(issues, plains, strict=True):
        lines = [_words(line.strip(_BULLET_OR_SPACE)).rstrip(":") for line in issue.original.splitlines()]
        dropped = {_words(issue.title), "by Jack Clark", "Search", "Updated: Nov 3", "135 views"}
        for line in lines:
            if not line or line in dropped or set(line) == {"#"} or line.startswith("Superfast AI"):
                continue
            assert line in plain, line
            if len(line) > 60:
                assert sum(line in other for other in plains) == 1, line


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_markdown_has_no_raw_separators_and_only_real_headings(prefix: str) -> None:
    for issue in _parse(prefix):
        assert "####" not in issue.markdown
        for line in issue.markdown.splitlines():
            if line.startswith("#"):
                assert re.match(r"^#{2,3} \S", line), line
        assert _tags(issue.markdown, PANE_EXTENSIONS) <= {"p", "h2", "h3", "ul", "li", "em", "strong", "hr"}


def test_best_in_ai_title_publication_and_no_date() -> None:
    (issue,) = _parse("003")
    assert issue.title == "Best in AI November Edition — Like GPT-3 but you can *actually* use it!"
    assert issue.publication == "Best in AI"
    assert issue.number is None
    assert issue.date is None  # "Updated: Nov 3" has no year
    assert issue.author is None


def test_best_in_ai_page_chrome_is_dropped() -> None:
    (issue,) = _parse("003")
    body = issue.markdown
    assert body.startswith("EMNLP 2021 is here next week")
    lines = set(body.splitlines())
    assert not lines & {"Search", "Updated: Nov 3", "135 views"}
    assert body.rstrip().endswith("Mario Lučić, Cordelia Schmid, 2021.")
    assert issue.original.endswith("135 views")  # the original keeps every character


def test_best_in_ai_sections_and_papers_become_headings() -> None:
    (issue,) = _parse("003")
    for heading in (
        "## News",
        "## Code",
        "## 🔬 Research",
        "### Recursively Summarizing Books with Human Feedback",
    ):
        assert f"\n{heading}\n" in issue.markdown


def test_source_markup_is_escaped_not_interpreted() -> None:
    (best,) = _parse("003")
    rendered = markdown.markdown(best.markdown)
    assert "It was &lt;great/amazing/fantastic...&gt;." in rendered
    assert "<great" not in rendered
    (superfast,) = _parse("001")
    rendered = markdown.markdown(superfast.markdown)
    assert "<h3>Large Language Models or *Small* Language Models</h3>" in rendered
    assert "<p>*not an official term</p>" in rendered


# -- other shapes of plain text -------------------------------------------------------------------


def test_generic_text_is_one_issue_titled_by_its_first_line() -> None:
    text = "Notes from the lab\n\nWe tried three things this week.\n\n  • one\n  • two <b>\n\nThat is all.\n"
    (issue,) = parse_plaintext(text, source="notes.txt")
    assert issue.title == "Notes from the lab"
    assert issue.publication == DEFAULT_PUBLICATION
    assert (issue.number, issue.date, issue.author) == (None, None, None)
    assert issue.original == text
    assert issue.markdown == "We tried three things this week.\n\n- one\n- two &lt;b&gt;\n\nThat is all.\n"


def test_generic_dated_issue_takes_publication_date_and_title_from_its_first_line() -> None:
    text = "The Batch 2023-03-05: A big week for robots\nby Andrew Ng\n\nRobots did things.\n"
    (issue,) = parse_plaintext(text)
    assert (issue.publication, issue.date, issue.title) == (
        "The Batch",
        "2023-03-05",
        "A big week for robots",
    )
    assert issue.author == "Andrew Ng"
    assert issue.markdown == "Robots did things.\n"


def test_impossible_dates_are_not_dates() -> None:
    (issue,) = parse_plaintext("Weekly 2/30/2023\n\nBody.\n")
    assert issue.date is None


def test_issue_starts_only_at_line_beginnings() -> None:
    text = (
        "Dispatch 2: two\n\nSee (Dispatch 1: one) for more.\n Dispatch 9: indented\n\n"
        "Dispatch 1: one\n\nOld.\n"
    )
    issues = parse_plaintext(text)
    assert [(issue.number, issue.title) for issue in issues] == [
        (2, "Dispatch 2: two"),
        (1, "Dispatch 1: one"),
    ]
    assert "".join(issue.original for issue in issues) == text


def test_link_lines_with_urls_become_markdown_links() -> None:
    text = "Digest 4: links\n\nA story.\n\n   Read more: A paper (arXiv) https://arxiv.org/abs/1234.5678\n"
    (issue,) = parse_plaintext(text)
    assert "- Read more: [A paper (arXiv)](https://arxiv.org/abs/1234.5678)" in issue.markdown
    assert '<a href="https://arxiv.org/abs/1234.5678">' in markdown.markdown(issue.markdown)


def test_hard_wrapped_paragraphs_are_joined() -> None:
    paragraph = (
        "This newsletter was written in a mail client that wraps every line at seventy\n"
        "two characters, so each paragraph arrives as several short lines that belong\n"
        "together and should read as one paragraph in the pane.\n"
    )
    text = "Wrapped Weekly 7: wraps\n\n" + "\n".join([paragraph] * 3)
    (issue,) = parse_plaintext(text)
    assert issue.markdown == "\n\n".join([_words(paragraph)] * 3) + "\n"


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "Search\n\n135 views\n"])
def test_text_without_content_gives_no_issue(text: str) -> None:
    assert parse_plaintext(text) == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.sampled_from(["Import AI 5: x", "####", "  • item", "…dek…", "Read more:", "<script>", "# h"]),
        ),
        max_size=20,
    )
)
def test_any_text_parses_to_escaped_markdown_and_exact_originals(lines: list[str]) -> None:
    text = "\n".join(lines)
    issues = parse_plaintext(text)
    if len(issues) > 1:
        joined = "".join(issue.original for issue in issues)
        assert text.endswith(joined)
    for issue in issues:
        assert issue.original in text
        assert issue.title
        allowed = {"p", "h2", "h3", "ul", "li", "em", "strong", "hr", "a"}
        assert _tags(issue.markdown, PANE_EXTENSIONS) <= allowed


@pytest.mark.parametrize(
    "line",
    ["# not a heading", "- not a list", "+ nor this", "3. nor this", "===", "~~~ python", "---", "> quote"],
)
def test_escaped_lines_render_as_their_own_text(line: str) -> None:
    source = f"Title line\n{escape_line(line)}\n\n| a | b |\n{escape_line('| --- | --- |')}"
    rendered = markdown.markdown(source, extensions=list(PANE_EXTENSIONS))
    assert _tags(source, PANE_EXTENSIONS) == {"p"}
    assert rendered.startswith("<p>Title line")
    assert line in html.unescape(rendered)
