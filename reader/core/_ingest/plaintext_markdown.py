"""Turning the body of a plain-text issue into Markdown: headings, deks, lists, link lines, paragraphs.

Plain-text dumps carry their structure in line shapes only, so each line is classified from its
shape and its neighbours: a short line after a section rule or above an "…italic dek…" is a story
headline; a short title-like line is a sub-heading; indented "Read more: TITLE (SOURCE)" lines and
bullets are list items; everything else is a paragraph. All source text is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from reader.core._ingest.markdown_escape import escape_inline, escape_line, find_url, link_urls, safe_url
from reader.core._ingest.plaintext_body import Body, BodyLine, bullet_text

BlockKind = Literal["heading", "dek", "para", "item", "rule"]

_SMALL_WORDS = frozenset(
    ("a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "with",
     "from", "as", "is", "it", "its", "vs", "via", "into", "over", "up", "per", "than", "so", "be")
)  # fmt: skip
_LINK_VERB = re.compile(
    r"^(?:read|check out|get|find out|try|watch|listen|download|see|learn|sign up|join|apply|explore|"
    r"visit|register)\b",
    re.IGNORECASE,
)
_LINK_LABEL_ONLY = re.compile(r"^[^:]{1,40}:$")
_LINK_MARKER = re.compile(r"\((?:link|links)\)", re.IGNORECASE)
_SOURCE_AT_END = re.compile(r"\S\s*\([^()]{1,60}\)\.?$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'’”)]?\s+[\"'‘“(]?[A-Z]")
_DATELINE = re.compile(r"^\[[^\]]{1,160}\]?\.?$")
_RUN_IN_LABEL = re.compile(r"^(?P<label>[A-Z0-9][^:.!?]{0,89}):\s+(?P<rest>[\"'‘“(\[A-Z0-9].*)$")
_CODE_CHARS = re.compile(r"[=`{}<>]|https?://")
_MAX_HEADLINE_WORDS = 25
_MAX_DEK_HEADLINE_WORDS = 30
_MAX_TITLE_WORDS = 16
_MAX_LABEL_WORDS = 12
_MAX_EMOJI_HEADING_WORDS = 8
_MAX_UNSPACED_HEADING_WORDS = 8
_MAX_STORY_TITLE_WORDS = 12
_MAX_QUESTION_DEK_WORDS = 12
_MAX_LINK_WORDS = 40
_MAX_LINK_LABEL_WORDS = 6
_TITLE_CASE_SHARE = 0.6


@dataclass(frozen=True)
class _Block:
    kind: BlockKind
    markdown: str = ""
    strong: bool = False


def body_markdown(body: Body) -> str:
    """The Markdown of an issue body (no title heading: the reading pane shows the title itself)."""
    return _Composer(body).compose()


class _Composer:
    """Walks the body lines once, classifying each from its shape and its neighbours."""

    def __init__(self, body: Body) -> None:
        self._lines = body.lines
        self._spaced = body.spaced
        self._blocks: list[_Block] = []
        self._strong_seen = False

    def compose(self) -> str:
        index = 0
        while index < len(self._lines):
            index = self._take(index)
        return _render(self._blocks)

    def _take(self, index: int) -> int:
        line = self._lines[index]
        following = self._next(index)
        if following is not None and _is_label_only(line.text) and _names_a_link(following.text):
            self._add(line, _Block("item", _link_item(f"{line.text} {following.text}")))
            return index + 2
        self._add(line, self._classify(line, following))
        return index + 1

    def _next(self, index: int) -> BodyLine | None:
        """The line after ``index`` when it is in the same section."""
        if index + 1 < len(self._lines) and not self._lines[index + 1].after_break:
            return self._lines[index + 1]
        return None

    def _add(self, line: BodyLine, block: _Block) -> None:
        if line.after_break and self._blocks and block.kind != "heading":
            self._blocks.append(_Block("rule"))
        self._blocks.append(block)

    def _classify(self, line: BodyLine, following: BodyLine | None) -> _Block:
        text = line.text
        if (item := bullet_text(text)) is not None:
            return _Block("item", escape_line(item))
        if self._is_link_line(line):
            return _Block("item", _link_item(text))
        if self._is_strong_heading(line, following):
            self._strong_seen = True
            return _heading(text, 2, strong=True)
        if self._is_dek(text):
            return _Block("dek", f"*{escape_line(text)}*")
        if self._is_sub_heading(text, following):
            return _heading(text, 3 if self._strong_seen else 2, strong=False)
        return _Block("para", _paragraph(text))

    def _previous(self) -> _Block | None:
        return self._blocks[-1] if self._blocks else None

    def _is_link_line(self, line: BodyLine) -> bool:
        """True for "Read more: TITLE (SOURCE)", "TITLE (link)" and URL lines: they become list items."""
        text = line.text
        if _words(text) > _MAX_LINK_WORDS:
            return False
        if (marker := _LINK_MARKER.search(text)) is not None:
            return not text[: marker.start()].rstrip().endswith((".", "!", "?"))
        if find_url(text) is not None:
            return line.indented or bool(_LINK_VERB.match(text))
        previous = self._previous()
        after_item = previous is not None and previous.kind == "item"
        if _LINK_VERB.match(text) and not text.endswith(":"):
            return line.indented or after_item or _is_labelled(text) or _ends_with_source(text)
        if not _ends_with_source(text):
            return False
        return line.indented or (after_item and not _is_title_shaped(text))

    def _is_strong_heading(self, line: BodyLine, following: BodyLine | None) -> bool:
        text = line.text
        words = _words(text)
        if _starts_with_emoji(text):
            return words <= _MAX_EMOJI_HEADING_WORDS and not text.endswith((".", ",", ";"))
        if following is None or not (text[0].isalnum() or text[0] in "\"'‘“"):
            return False
        if _is_dek_text(following.text):
            return words <= _MAX_DEK_HEADLINE_WORDS
        return (
            line.after_break
            and words <= _MAX_HEADLINE_WORDS
            and not text.endswith((".", ",", ";", "…"))
            and not _SENTENCE_BREAK.search(text)
        )

    def _is_dek(self, text: str) -> bool:
        previous = self._previous()
        if previous is None or previous.kind != "heading":
            return False
        question = text.endswith("?") and _words(text) <= _MAX_QUESTION_DEK_WORDS
        trailing_ellipsis = text.endswith("…") and _words(text) <= _MAX_DEK_HEADLINE_WORDS
        return _is_dek_text(text) or trailing_ellipsis or question or bool(_DATELINE.match(text))

    def _is_sub_heading(self, text: str, following: BodyLine | None) -> bool:
        if following is None or not _is_title_shaped(text):
            return False
        previous = self._previous()
        if previous is not None and previous.strong and _words(text) <= _MAX_STORY_TITLE_WORDS:
            return True
        if _is_title_shaped(following.text):
            return False  # a run of short lines is verse, dialogue or a list, not headings
        unspaced_short = not self._spaced and _words(text) <= _MAX_UNSPACED_HEADING_WORDS
        return _is_title_case(text) or unspaced_short


def _heading(text: str, level: int, *, strong: bool) -> _Block:
    text = text.rstrip(" :")
    markdown = escape_line(text)
    if markdown.endswith("#"):
        markdown = markdown[:-1] + "\\#"  # a trailing "#" would close the ATX heading
    return _Block("heading", f"{'#' * level} {markdown}", strong)


def _paragraph(text: str) -> str:
    match = _RUN_IN_LABEL.match(text)
    if match and _words(match["label"]) <= _MAX_LABEL_WORDS and "http" not in match["label"]:
        return f"**{escape_inline(match['label'])}:** {link_urls(match['rest'])}"
    return escape_line(text)


def _link_item(text: str) -> str:
    """A link line as list-item Markdown: "Read more: [TITLE (SOURCE)](url)" when it has a URL."""
    span = find_url(text)
    if span is None:
        return escape_line(text)
    start, end = span
    url = text[start:end]
    before = text[:start].rstrip(" -–—:(<")
    after = text[end:].lstrip(")>")
    label, sep, title = before.partition(": ")
    if not sep or not _is_labelled(before):
        label, title = "", before
    prefix = f"{escape_line(label)}: " if label else ""
    return f"{prefix}[{escape_inline(title or url)}]({safe_url(url)}){escape_inline(after)}"


def _render(blocks: list[_Block]) -> str:
    parts: list[str] = []
    for index, block in enumerate(blocks):
        markdown = {"rule": "* * *", "item": f"- {block.markdown}"}.get(block.kind, block.markdown)
        if block.kind == "item" and index and blocks[index - 1].kind == "item":
            parts[-1] += "\n" + markdown  # items of one list sit on consecutive lines
        else:
            parts.append(markdown)
    return "\n\n".join(parts) + ("\n" if parts else "")


def _is_label_only(text: str) -> bool:
    """True for a link label with its title on the next line ("Read more:")."""
    return bool(_LINK_VERB.match(text)) and bool(_LINK_LABEL_ONLY.match(text))


def _is_labelled(text: str) -> bool:
    """True when a colon ends one of the first few words ("Check out the website: ...")."""
    return ":" in " ".join(text.split()[:_MAX_LINK_LABEL_WORDS])


def _ends_with_source(text: str) -> bool:
    """True for a line ending in "(SOURCE)" that is not prose ending with a parenthesis."""
    source = _SOURCE_AT_END.search(text)
    return (
        source is not None and not text.startswith("(") and not _SENTENCE_BREAK.search(text[: source.start()])
    )


def _names_a_link(text: str) -> bool:
    """True for the second line of a split link line: it ends with "(SOURCE)" or holds a URL."""
    return bool(_SOURCE_AT_END.search(text) or _LINK_MARKER.search(text)) or find_url(text) is not None


def _is_dek_text(text: str) -> bool:
    return text.startswith(("…", "..."))


def _is_title_shaped(text: str) -> bool:
    """True for a line shaped like a title: short, capitalised, no sentence end, no code or link."""
    return (
        _words(text) <= _MAX_TITLE_WORDS
        and len(text) <= 120
        and (text[0].isupper() or text[0].isdigit())
        and not text.endswith((".", ",", ";", ":", "!", "?", "…"))
        and not _SENTENCE_BREAK.search(text)
        and not _CODE_CHARS.search(text)
        and not _LINK_MARKER.search(text)
    )


def _is_title_case(text: str) -> bool:
    """True when most significant words after the first are capitalised ("Sentience and Takeoff")."""
    words = [w.strip("\"'‘’“”()[]*_,;:") for w in text.split()[1:]]
    significant = [w for w in words if any(c.isalpha() for c in w) and w.lower() not in _SMALL_WORDS]
    if not significant:
        return text[0].isupper()
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in significant)
    return capitalised >= _TITLE_CASE_SHARE * len(significant)


def _starts_with_emoji(text: str) -> bool:
    return ord(text[0]) >= 0x2600 and not text[0].isalnum()


def _words(text: str) -> int:
    return len(text.split())
