"""An issue's Markdown as the reader sees it: sanitised HTML, its sections and its plain text.

The plain text is the coordinate system of highlights and search matches: it is derived from the
sanitised HTML (not from the Markdown) so that it reads like the pane, and it is the same every time
for the same Markdown. Raw HTML inside the Markdown is never trusted: it is shown as text.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
import xml.etree.ElementTree as ET
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, HTML_PLACEHOLDER_RE

from reader.core import _render_guard as render_guard
from reader.core._images import is_tracker, placeholder_text
from reader.core.types import Section


def _extensions() -> list[Extension]:
    """Python-Markdown's extensions we render with, as instances: given by name, each is looked up
    among every installed package's entry points (importlib.metadata), ~100 ms the first time in a
    process, which the window paid when it first opened an issue after an import (gui_bench)."""
    return [TableExtension(), FencedCodeExtension(), SaneListExtension(), FootnoteExtension(), DefListExtension()]


_ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "b", "i",
    "blockquote", "code", "pre", "hr", "br", "img",
    "table", "thead", "tbody", "tr", "th", "td",
    "sup", "dl", "dt", "dd",
}  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "sup": {"id"},
    "li": {"id"},
    **{tag: {"id"} for tag in _HEADINGS},
}
_LINK_RE = re.compile(r"(?i)(?:https?://|mailto:)[^\s\x00-\x1f\x7f]+")
_IMAGE_SRC_RE = re.compile(r"(?i)data:image/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+")
_SLUG_MAX = 60
# The footnotes extension's anchors ("#fn:1", "#fnref:1"): links inside the issue, nowhere else.
_FOOTNOTE_LINK_RE = re.compile(r"#fn(?:ref)?:[^\s\"'<>]{1,100}")
_COMMENT_OR_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1|<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class _Rendered:
    html: str
    sections: tuple[Section, ...]
    text: str
    section_starts: tuple[int, ...]  # where each section's heading starts in ``text``
    links: tuple[tuple[str, str], ...] | None = None
    """(href, text) of every ``<a href>`` of ``html`` in order, read with the text (None: not read)."""


def sections(markdown_text: str) -> tuple[Section, ...]:
    """The headings of an issue in reading order.

    Args:
        markdown_text: the issue's Markdown.

    Returns:
        One Section per non-empty heading; anchors are unique slugs ("news", "news-2") and are
        the ``id`` of the heading in ``render_html``.
    """
    return _render(markdown_text).sections


def render_html(markdown_text: str) -> str:
    """Render Markdown to HTML that is safe to show.

    Only a small set of tags survives; links keep only http, https and mailto targets (others
    become plain text); images only inline ``data:image/...`` sources (others become their alt
    text), so the pane never fetches a remote resource. Raw HTML in the Markdown is escaped.

    Args:
        markdown_text: the issue's Markdown (treated as hostile).

    Returns:
        The sanitised HTML fragment; headings carry ``id`` = their Section's anchor.
    """
    return _render(markdown_text).html


def plain_text(markdown_text: str) -> str:
    """The rendered text as a person reads it: what highlight anchors and match spans index into.

    Blocks (paragraphs, headings, list items, table cells...) are separated by one newline, inline
    whitespace is collapsed, entities are decoded, list markers are absent, images are U+FFFC.

    Args:
        markdown_text: the issue's Markdown.

    Returns:
        The plain text (Python string indexes are the coordinates).
    """
    return _render(markdown_text).text


def section_texts(markdown_text: str) -> list[tuple[Section | None, str]]:
    """The plain text split by section, for the search index.

    Args:
        markdown_text: the issue's Markdown.

    Returns:
        (section, text) pairs in order; each text starts with its heading. Text before the first
        heading, if any, comes first with section None.
    """
    rendered = _render(markdown_text)
    starts = rendered.section_starts
    bounds = [*starts, len(rendered.text)]
    parts: list[tuple[Section | None, str]] = []
    lead = rendered.text[: bounds[0]].strip("\n")
    if lead:
        parts.append((None, lead))
    for index, section in enumerate(rendered.sections):
        parts.append((section, rendered.text[bounds[index] : bounds[index + 1]].strip("\n")))
    return parts


def slugify(title: str) -> str:
    """A heading title as an id: lowercase words joined by "-", emoji and punctuation dropped.

    Args:
        title: the heading text.

    Returns:
        The slug (at most 60 characters, cut at a word boundary), or "section" when nothing is left.
    """
    decomposed = unicodedata.normalize("NFKD", title)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.sub(r"[^\w\s-]", " ", letters.lower()).replace("_", " ")
    slug = "-".join(re.findall(r"[^\s-]+", words))
    if len(slug) > _SLUG_MAX:
        cut = slug.rfind("-", 0, _SLUG_MAX + 1)
        slug = slug[: cut if cut > 0 else _SLUG_MAX]
    return slug or "section"


def rendered_parts(markdown_text: str) -> _Rendered:
    """The whole rendering of ``markdown_text`` (HTML, plain text, sections), from the same cache."""
    return _render(markdown_text)


@lru_cache(maxsize=32)
def _render(markdown_text: str) -> _Rendered:
    """The rendering, bounded in time and memory: hostile or huge text falls back to plain paragraphs."""
    message = render_guard.too_long(markdown_text) or render_guard.too_costly(markdown_text)
    if message is None:
        try:
            return _render_markdown(render_guard.tame(markdown_text))
        except Exception as exc:  # any failure of the Markdown library: show the text
            message = render_guard.FAILED.format(reason=type(exc).__name__)
    safe_html, text = render_guard.plain_fallback(markdown_text, message)
    return _Rendered(safe_html, (), text, ())


_CONVERTERS = threading.local()


def _converter() -> tuple[markdown.Markdown, _SafeTreeprocessor]:
    """This thread's Markdown converter, made once: building one (its extensions and patterns) cost
    about a tenth of rendering an issue. ``reset()`` clears what a conversion leaves behind."""
    made: tuple[markdown.Markdown, _SafeTreeprocessor] | None = getattr(_CONVERTERS, "made", None)
    if made is None:
        processor = _SafeTreeprocessor()
        made = (markdown.Markdown(extensions=[*_extensions(), _SafeExtension(processor)]), processor)
        _CONVERTERS.made = made
    made[0].reset()
    made[1].sections = []
    return made


def _render_markdown(markdown_text: str) -> _Rendered:
    md, processor = _converter()
    try:
        raw_html = md.convert(markdown_text)
    except BaseException:
        # A conversion that failed midway (deep nesting) leaves state reset() does not clear (the
        # block parser's state stack): the next issue gets a new converter.
        _CONVERTERS.made = None
        raise
    safe_html = _CLEANER.clean(raw_html)
    text, heading_starts, links = _PlainTextBuilder.build(safe_html)
    found = tuple(s for s in processor.sections if s.anchor in heading_starts)
    starts = tuple(heading_starts[s.anchor] for s in found)
    return _Rendered(safe_html, found, text, starts, links)


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's last word on URLs, behind the tree processor: links and images as documented."""
    if tag == "a" and name == "href":
        return value if _LINK_RE.fullmatch(value) or _FOOTNOTE_LINK_RE.fullmatch(value) else None
    if tag == "img" and name == "src":
        return value if _IMAGE_SRC_RE.fullmatch(value) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes={"http", "https", "mailto", "data"},
    url_relative="pass_through",  # only footnote anchors get past _filter_attribute
)


class _SafeExtension(Extension):
    """Turns raw HTML off (it becomes escaped text) and adds the safety tree processor."""

    def __init__(self, processor: _SafeTreeprocessor) -> None:
        super().__init__()
        self._processor = processor

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(_DropComments(md), "backissue_comments", 20)  # after fenced_code (25)
        self._processor.md = md
        # After "unescape" (priority 0), so heading text and URLs hold real characters.
        md.treeprocessors.register(self._processor, "backissue_safe", -10)


class _SafeTreeprocessor(Treeprocessor):
    """Gives headings their anchors and unwraps links and images the pane must not follow."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[Section] = []
        self._parents: dict[ET.Element, ET.Element] = {}

    def run(self, root: ET.Element) -> None:
        _unwrap_footnotes(root)
        parents = {child: parent for parent in root.iter() for child in parent}
        self._parents = parents
        used: set[str] = set()
        for element in list(root.iter()):
            if element.tag in _HEADINGS:
                self._anchor_heading(element, used)
            elif element.tag == "a":
                self._check_link(element, parents[element])
            elif element.tag == "img":
                self._check_image(element, parents[element])

    def _anchor_heading(self, heading: ET.Element, used: set[str]) -> None:
        title = _collapse(self._real_text("".join(heading.itertext()))).strip()
        if not title:
            return
        base = slugify(title)
        anchor, count = base, 1
        while anchor in used:
            count += 1
            anchor = f"{base}-{count}"
        used.add(anchor)
        heading.set("id", anchor)
        self.sections.append(Section(title=title, level=int(heading.tag[1]), anchor=anchor))

    def _check_link(self, link: ET.Element, parent: ET.Element) -> None:
        href = html.unescape(link.get("href", "").replace(AMP_SUBSTITUTE, "&")).strip()
        if _LINK_RE.fullmatch(href) or _FOOTNOTE_LINK_RE.fullmatch(href):
            link.set("href", href)
        else:
            _unwrap(parent, link)

    def _check_image(self, image: ET.Element, parent: ET.Element) -> None:
        if not _IMAGE_SRC_RE.fullmatch(image.get("src", "")):
            _replace_image(image, parent, self._inside_link(image))

    def _inside_link(self, element: ET.Element) -> bool:
        current: ET.Element | None = element
        while current is not None:
            if current.tag == "a":
                return True
            current = self._parents.get(current)
        return False

    def _real_text(self, text: str) -> str:
        """Text with Markdown's stash placeholders (entities) replaced by what they stand for."""

        def restore(match: re.Match[str]) -> str:
            stash = self.md.htmlStash.rawHtmlBlocks
            index = int(match.group(1))
            return html.unescape(str(stash[index])) if index < len(stash) else ""

        return HTML_PLACEHOLDER_RE.sub(restore, text)


def _replace_image(image: ET.Element, parent: ET.Element, in_link: bool) -> None:
    """An image the pane may not load: a visible "[Image: alt]" linking to its address; a tracking pixel goes.

    Inside a link (a linked picture) the placeholder is plain text, the outer link stays.
    """
    src = html.unescape(image.get("src", "").replace(AMP_SUBSTITUTE, "&")).strip()
    alt = html.unescape(image.get("alt", "").replace(AMP_SUBSTITUTE, "&"))
    if src and is_tracker(src):
        image.text = ""
        _unwrap(parent, image)
        return
    if in_link or not _LINK_RE.fullmatch(src) or src.lower().startswith("mailto:"):
        image.text = placeholder_text(alt)
        _unwrap(parent, image)
        return
    image.tag = "a"
    image.attrib = {"href": src, "title": src}
    image.text = placeholder_text(alt)


def _unwrap_footnotes(root: ET.Element) -> None:
    """The footnotes' ``<div class="footnote">`` becomes its rule and list, laid out like any other block."""
    for div in [child for child in root if child.tag == "div" and child.get("class") == "footnote"]:
        for child in div:
            child.tail = "\n"
        div.text = ""
        _unwrap(root, div)


class _DropComments(Preprocessor):
    """HTML comments (``<!-- 2019-09-26 -->``) are notes to the writer: dropped, except inside code spans."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<!--" not in text:
            return lines
        kept = _COMMENT_OR_CODE.sub(lambda m: m.group(0) if m.group(1) else "", text)
        return kept.split("\n")


def _unwrap(parent: ET.Element, element: ET.Element) -> None:
    """Replace ``element`` by its text and children, keeping the text around it in place."""
    index = list(parent).index(element)
    children = list(element)
    _append_text(parent, index, element.text or "")
    for offset, child in enumerate(children):
        parent.insert(index + offset + 1, child)
    parent.remove(element)
    _append_text(parent, index + len(children), element.tail or "")


def _append_text(parent: ET.Element, index: int, text: str) -> None:
    """Append text after the child at ``index - 1`` of ``parent`` (or to its text when 0)."""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text


_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]+")
_LINE_BREAK = re.compile(r"\x00 ?")


def _collapse(text: str) -> str:
    return _SPACE_RUN.sub(" ", text)


_SANITISED_TAG = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s"\'<>/=]+(?:="[^"]*")?)*)\s*(/?)>')
_SANITISED_ATTRIBUTE = re.compile(r'([^\s"\'<>/=]+)(?:="([^"]*)")?')


class _PlainTextBuilder(HTMLParser):
    """Reads sanitised HTML back as blocks of text, the way a rich-text view lays it out, and notes
    its links on the way (the link index would otherwise parse the HTML again)."""

    _BLOCKS = frozenset({"p", "li", "ul", "ol", "blockquote", "pre", "hr", "table", "tr", "td", "th", "dl", "dt", "dd"})
    _BLOCKS |= _HEADINGS

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._blocks: list[str] = []
        self._current: list[str] = []
        self._pre = 0
        self._pending_anchor: str | None = None
        self._anchor_blocks: dict[str, int] = {}
        self._links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._link_text: list[str] = []

    @classmethod
    def build(cls, safe_html: str) -> tuple[str, dict[str, int], tuple[tuple[str, str], ...]]:
        """The plain text of ``safe_html``, where each heading id's block starts in it, and the
        (href, text) of its links in order."""
        builder = cls()
        if not builder._read_sanitised(safe_html):
            builder.feed(safe_html)
            builder.close()
        builder._flush()
        text = "\n".join(builder._blocks)
        offsets = [0]
        for block in builder._blocks:
            offsets.append(offsets[-1] + len(block) + 1)
        return text, {a: offsets[i] for a, i in builder._anchor_blocks.items()}, tuple(builder._links)

    def _read_sanitised(self, safe_html: str) -> bool:
        """Call the handlers as ``feed`` would, reading the sanitiser's own output by pattern (every "<"
        starts a tag, attribute values in double quotes): HTMLParser's general reading was a fifth
        of rendering an issue. Anything else (False) is left to ``feed``, having called nothing."""
        pieces = _SANITISED_TAG.split(safe_html)  # text, then (slash, tag, attributes, self-closing, text)...
        if any("<" in text for text in pieces[::5]):
            return False
        for index in range(0, len(pieces) - 1, 5):
            if pieces[index]:
                self.handle_data(html.unescape(pieces[index]))
            slash, tag, attributes, closed = pieces[index + 1 : index + 5]
            tag = tag.lower()
            if slash:
                self.handle_endtag(tag)
                continue
            self.handle_starttag(tag, [
                (m[1].lower(), None if m[2] is None else html.unescape(m[2]))
                for m in _SANITISED_ATTRIBUTE.finditer(attributes)
            ] if attributes else [])  # fmt: skip
            if closed:
                self.handle_endtag(tag)
        if pieces[-1]:
            self.handle_data(html.unescape(pieces[-1]))
        return True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or None
            self._link_text = []
        if tag in self._BLOCKS:
            self._flush()
        if tag in _HEADINGS:
            self._pending_anchor = dict(attrs).get("id")
        elif tag == "pre":
            self._pre += 1
        elif tag == "br":
            self._current.append("\x00")  # a line break that survives whitespace collapsing
        elif tag == "img":
            self._current.append("\ufffc")
        elif tag == "hr" or (tag == "table" and self._blocks[-1:] != [""]):
            self._blocks.append("")  # Qt lays out an empty block for a rule and before a table

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self._links.append((self._href, "".join(self._link_text)))
            self._href = None
        if tag in self._BLOCKS:
            self._flush()
        if tag in _HEADINGS:
            self._pending_anchor = None
        elif tag == "table":
            self._blocks.append("")
        elif tag == "pre":
            self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        self._current.append(data)  # collapsed with its block (``_flush``)
        if self._href is not None:
            self._link_text.append(data)

    def _flush(self) -> None:
        raw = "".join(self._current)
        self._current = []
        if self._pre:
            block = raw.replace("\x00", "\n")  # a final newline is an empty line, as in Qt
        else:
            # Like Qt's layout: leading spaces go, one trailing space stays.
            block = _LINE_BREAK.sub("\n", _collapse(raw).replace("\xa0", " ")).lstrip(" \n")
        if not block.strip():
            return
        if self._pending_anchor is not None:
            self._anchor_blocks.setdefault(self._pending_anchor, len(self._blocks))
            self._pending_anchor = None
        self._blocks.append(block)


def section_at(markdown_text: str, index: int) -> Section | None:
    """The section holding plain-text position ``index`` (None before the first heading).

    Args:
        markdown_text: the issue's Markdown.
        index: a Python string index into ``plain_text(markdown_text)``.

    Returns:
        The Section whose text contains ``index``, or None.
    """
    rendered = _render(markdown_text)
    position = bisect_right(rendered.section_starts, index) - 1
    return rendered.sections[position] if position >= 0 else None
