"""HTML to Markdown: sanitise with nh3, rebuild a small tree with html.parser, write Markdown.

Only content survives: scripts, styles, forms, tracking pixels, hidden elements and page furniture
(nav, aside, footer, the site header) are dropped; images stay as Markdown images (the pane shows
them as placeholders linking to their address, never loading them); links keep
their target only when it is http, https or mailto. Text is escaped so that nothing from the source
is read as Markdown or HTML by the renderer.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

from reader.core._images import is_tracker
from reader.core._ingest.format_error import FormatError
from reader.core._ingest.markdown_escape import escape_inline, escape_line, safe_url

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CONTAINERS = {
    "p", "div", "section", "article", "main", "header", "center", "address", "figure", "figcaption",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "dl", "dt", "dd", "details",
    "summary", "li",
}  # fmt: skip
_BLOCKS = _CONTAINERS | _HEADINGS | {"ul", "ol", "blockquote", "pre", "hr"}
_INLINE = {
    "a", "em", "i", "strong", "b", "code", "br", "span", "font", "small", "big", "u", "s", "del",
    "ins", "sub", "sup", "abbr", "cite", "q", "mark", "time", "kbd", "var", "tt", "label",
}  # fmt: skip
_FURNITURE = {"nav", "aside", "footer"}
_DROPPED_WITH_CONTENT = {
    "script", "style", "form", "noscript", "template", "iframe", "object", "embed", "svg", "math",
    "select", "textarea", "button", "title", "head", "frame", "frameset", "canvas", "video",
    "audio", "map", "applet",
}  # fmt: skip
_VOID = {"br", "hr", "img", "wbr", "meta", "link", "input", "source", "col", "area", "base", "param", "track"}
_OPTIONAL_END = {
    "p", "li", "dt", "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup",
    "caption", "rb", "rt", "rp", "html", "head", "body",
}  # fmt: skip
MAX_NESTING = 512
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_MAX_DEPTH = 120
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad"), None)
_BR = "\x00"
_MAX_NOTE_MARK = 4
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all|visibility\s*:\s*hidden", re.I)
_LINE_START = re.compile(r"^(#|>|[-+](?=\s|$)|\d+(?=[.)](?:\s|$)))")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_LINE_NUMBERS = frozenset({
    "lineno", "linenos", "linenodiv", "gutter", "rouge-gutter",  # Rouge (Jekyll), Pygments (Sphinx, Pelican)
    "lnt", "ln",  # Chroma (Hugo), table and inline
    "hljs-ln-numbers", "line-numbers-rows", "blob-num",  # highlight.js, Prism, GitHub
})  # fmt: skip
"""Classes of a code listing's line-number gutter: the numbers are not the code (a Jekyll post's
Rust sample came in as " 1 2 3 ... 19" above its first line)."""
_NUMBERS_ONLY = re.compile(r"[\d\s]*")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


def sanitise_html(html: str) -> str:
    """nh3-clean ``html`` down to the tags the converter understands; links keep safe schemes only."""
    return str(
        nh3.clean(
            html,
            tags=_BLOCKS | _INLINE | _FURNITURE | {"img"},
            clean_content_tags=_DROPPED_WITH_CONTENT,
            attributes={
                "a": {"href"}, "img": {"src", "alt", "width", "height"}, "*": {"style", "hidden", "id", "class"},
            },
            url_schemes={"http", "https", "mailto"},
            link_rel=None,
            strip_comments=True,
        )
    )


def html_to_markdown(html: str) -> str:
    """Convert an HTML document or fragment to Markdown, keeping its article content.

    The first ``<article>`` is preferred, then ``<main>``, else everything; a site ``<header>``
    outside them is dropped unless nothing else is left.

    Raises:
        FormatError: elements nested deeper than any real page (the sanitiser slows down on those).
    """
    _check_nesting(html)
    root = _TreeBuilder.build(sanitise_html(html))
    content = _find(root, "article") or _find(root, "main")
    notes = _footnote_targets(root)
    if content is not None:
        return _join_blocks(_Writer(skip_header=False, notes=notes).blocks(content))
    return _join_blocks(_Writer(skip_header=True, notes=notes).blocks(root)) or _join_blocks(
        _Writer(skip_header=False, notes=notes).blocks(root)
    )


def text_to_markdown(text: str) -> str:
    """Plain text as Markdown that renders as the same text: escaped, line breaks kept."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = []
    for paragraph in paragraphs:
        lines = [escape_line(line.strip()) for line in paragraph.split("\n")]
        block = "  \n".join(line for line in lines if line)
        if block:
            blocks.append(block)
    return _join_blocks(blocks)


def _escape_block_start(line: str) -> str:
    """Escape a marker at the start of a line that would make it a heading, list or quote."""
    if _SETEXT.match(line):
        return "&#" + str(ord(line[0])) + ";" + line[1:]
    return _LINE_START.sub(_escape_marker, line)


def _escape_marker(match: re.Match[str]) -> str:
    marker = match.group(1)
    return marker + "\\" if marker[0].isdigit() else "\\" + marker


def _join_blocks(blocks: list[str]) -> str:
    return "\n\n".join(b for b in blocks if b.strip()).strip() + "\n" if blocks else ""


def _find(node: _Node, tag: str) -> _Node | None:
    queue: deque[_Node] = deque([node])
    while queue:
        current = queue.popleft()
        if current.tag == tag:
            return current
        queue.extend(c for c in current.children if isinstance(c, _Node))
    return None


def _check_nesting(html: str) -> None:
    counter = _NestingCounter()
    counter.feed(html)
    counter.close()
    if counter.deepest > MAX_NESTING:
        raise FormatError(f"the HTML nests elements more than {MAX_NESTING} deep")


class _NestingCounter(HTMLParser):
    """Measures how deep elements nest, counting only tags that must be closed explicitly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID and tag not in _OPTIONAL_END:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and tag not in _OPTIONAL_END:
            self.depth = max(0, self.depth - 1)


class _TreeBuilder(HTMLParser):
    """Rebuilds nh3's (well-formed) output as nodes; nesting deeper than _MAX_DEPTH is flattened."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    @classmethod
    def build(cls, html: str) -> _Node:
        builder = cls()
        builder.feed(html)
        builder.close()
        return builder.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


class _Writer:
    """Writes a node tree as Markdown blocks (paragraphs, headings, lists, quotes, code)."""

    def __init__(self, skip_header: bool, notes: frozenset[str] = frozenset()) -> None:
        self.skipped = _FURNITURE | ({"header"} if skip_header else set())
        self.notes = notes  # ids that footnote references point to
        self.in_note = False

    def blocks(self, node: _Node) -> list[str]:
        out: list[str] = []
        run: list[str] = []
        for child in node.children:
            if isinstance(child, str):
                run.append(_inline_text(child))
            elif self._hidden(child):
                continue
            elif child.tag in _BLOCKS and (note := self.note_id(child)) is not None:
                out.extend(_paragraph(run))
                run = []
                out.extend(self.note(child, note))
            elif child.tag in _BLOCKS:
                out.extend(_paragraph(run))
                run = []
                out.extend(self.block(child))
            else:
                run.append(self.inline(child))
        out.extend(_paragraph(run))
        return out

    def block(self, node: _Node) -> list[str]:
        if node.tag in _HEADINGS:
            text = " ".join(self.inline_children(node).replace(_BR, " ").split())
            return ["#" * int(node.tag[1]) + " " + text] if text else []
        if node.tag in {"ul", "ol"}:
            return self.list_block(node)
        if node.tag == "blockquote":
            inner = _join_blocks(self.blocks(node)).rstrip("\n")
            return ["\n".join(("> " + line).rstrip() for line in inner.split("\n"))] if inner else []
        if node.tag == "pre":
            return _fenced(_raw_text(node).strip("\n"))
        if node.tag == "hr":
            return ["---"]
        return self.blocks(node)

    def note_id(self, node: _Node) -> str | None:
        """The footnote a block defines: its own id, or its first element's (Substack's numbered anchor)."""
        if not self.notes or self.in_note:
            return None
        first = next((c for c in node.children if isinstance(c, _Node) or c.strip()), None)
        for candidate in (node, first):
            if isinstance(candidate, _Node) and candidate.attrs.get("id") in self.notes:
                return candidate.attrs["id"]
        return None

    def note(self, node: _Node, note_id: str) -> list[str]:
        """A footnote definition ``[^label]: text``; the links back to the text are dropped."""
        self.in_note = True
        try:
            body = _join_blocks(self.blocks(node)).strip()
        finally:
            self.in_note = False
        if not body:
            return []
        lines = body.split("\n")
        rest = ("    " + line if line.strip() else "" for line in lines[1:])
        return ["\n".join([f"[^{_note_label(note_id)}]: {lines[0]}", *rest])]

    def list_block(self, node: _Node) -> list[str]:
        items: list[str] = []
        notes: list[str] = []
        for child in node.children:
            if not isinstance(child, _Node) or self._hidden(child):
                continue
            if (note := self.note_id(child)) is not None:
                notes.extend(self.note(child, note))
                continue
            body = _join_blocks(self.blocks(child)).rstrip("\n")
            if not body:
                continue
            marker = f"{len(items) + 1}. " if node.tag == "ol" else "- "
            lines = ("    " + line if line.strip() else "" for line in body.split("\n"))
            items.append(marker + "\n".join(lines)[4:])
        return (["\n".join(items)] if items else []) + notes

    def inline(self, node: _Node) -> str:
        if self._hidden(node):
            return ""
        if node.tag == "br":
            return _BR
        if node.tag == "img":
            return _image(node)
        if node.tag == "code":
            return _code_span(_raw_text(node))
        href = node.attrs.get("href", "")
        if node.tag == "a" and href[1:] in self.notes and href.startswith("#"):
            return "" if self.in_note else f"[^{_note_label(href[1:])}]"
        text = self.inline_children(node)
        if node.tag == "a":
            return _link(text, href)
        if node.tag in {"em", "i"}:
            return _wrap(text, "*")
        if node.tag in {"strong", "b"}:
            return _wrap(text, "**")
        if node.tag in _BLOCKS:
            return " " + text + " "
        return text

    def inline_children(self, node: _Node) -> str:
        return "".join(_inline_text(c) if isinstance(c, str) else self.inline(c) for c in node.children)

    def _hidden(self, node: _Node) -> bool:
        return (
            node.tag in self.skipped
            or "hidden" in node.attrs
            or bool(_HIDDEN_STYLE.search(node.attrs.get("style", "")))
            or _line_numbers(node)
        )


def _inline_text(text: str) -> str:
    return escape_inline(re.sub(r"\s+", " ", text.translate(_INVISIBLE)))


def _line_numbers(node: _Node) -> bool:
    """Whether ``node`` is a code listing's line-number gutter: one of its classes (``_LINE_NUMBERS``)
    and nothing but numbers in it (an e-mail layout's "gutter" cell with words in it is content)."""
    if "class" not in node.attrs or _LINE_NUMBERS.isdisjoint(node.attrs["class"].split()):
        return False
    return _NUMBERS_ONLY.fullmatch(_all_text(node)) is not None


def _all_text(node: _Node) -> str:
    """Every character of text under ``node`` (``_raw_text`` itself asks ``_line_numbers``: not that)."""
    return "".join(child if isinstance(child, str) else _all_text(child) for child in node.children)


def _raw_text(node: _Node) -> str:
    parts: list[str] = []
    stack: list[_Node | str] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            parts.append(current)
        elif current.tag == "br":
            parts.append("\n")
        elif not _line_numbers(current):
            stack.extend(reversed(current.children))
    return "".join(parts).translate(_INVISIBLE)


def _paragraph(run: list[str]) -> list[str]:
    text = re.sub(r" +", " ", "".join(run))
    lines = [line.strip() for line in text.split(_BR)]
    lines = [_escape_block_start(line) for line in lines if line]
    return ["  \n".join(lines)] if lines else []


def _wrap(text: str, mark: str) -> str:
    stripped = text.strip()
    if not stripped or _BR in stripped:
        return text
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{mark}{stripped}{mark}{trail}"


def _fenced(code: str) -> list[str]:
    """A fenced code block (the renderer enables fenced_code), fenced longer than any run inside."""
    if not code.strip():
        return []
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}\n{code}\n{fence}"]


def _code_span(code: str) -> str:
    code = " ".join(code.split())
    if not code:
        return ""
    fence = "``" if "`" in code else "`"
    return f"{fence} {code} {fence}" if fence == "``" else f"`{code}`"


def _footnote_targets(root: _Node) -> frozenset[str]:
    """Ids that short in-page links point to (``<sup><a href="#fn:1">1</a></sup>``): footnotes.

    The shapes of kramdown/Jekyll, Pandoc, WordPress and Substack footnotes all fit: a reference is
    an in-page link with a short text (a number, a mark) to an element holding the note.
    """
    ids: set[str] = set()
    links: list[tuple[str, str]] = []
    stack: list[_Node] = [root]
    while stack:
        node = stack.pop()
        if node.attrs.get("id"):
            ids.add(node.attrs["id"])
        href = node.attrs.get("href", "")
        if node.tag == "a" and href.startswith("#") and len(href) > 1:
            links.append((href[1:], _raw_text(node).strip()))
        stack.extend(c for c in node.children if isinstance(c, _Node))
    return frozenset(target for target, text in links if target in ids and 0 < len(text) <= _MAX_NOTE_MARK)


def _note_label(note_id: str) -> str:
    return re.sub(r"[^\w-]", "-", note_id)[:60] or "note"


def _image(node: _Node) -> str:
    """``![alt](src)`` for the pane to show as a placeholder; a tracking pixel (1×1, known host) is dropped."""
    src = node.attrs.get("src", "").strip()
    if is_tracker(src, node.attrs.get("width"), node.attrs.get("height")):
        return ""
    alt = " ".join(node.attrs.get("alt", "").translate(_INVISIBLE).split())
    target = safe_url(src) if src.lower().startswith(("http://", "https://")) else ""
    return f" ![{escape_inline(alt)}]({target}) "


def _link(text: str, href: str) -> str:
    label = text.strip().replace(_BR, " ").strip()
    href = href.strip()
    if not label or not href.lower().startswith(_SAFE_SCHEMES):
        return text
    return f"[{label}]({safe_url(href)})"
