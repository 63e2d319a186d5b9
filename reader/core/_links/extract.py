"""Finding an issue's citations: its links (from the rendered HTML) and the citations that lost their
address ("Read more: ERNIE-Code: Beyond English-Centric … (arXiv).", as plain-text dumps keep them)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from reader.core._links.urls import WorkRef, work_of

MAX_CONTEXT = 320
"""The sentence around a citation is cut to about this many characters."""
MAX_LINKS = 2_000
"""More links than this in one issue are not indexed (a hostile file; real issues have dozens)."""

_LEAD = re.compile(
    r"^(?:read|check out|get|find|download|watch|listen|see|try|explore|learn|access|view|play|sign up|apply)"
    r"\b[^:]{0,45}$", re.IGNORECASE)
_TITLED = re.compile(r"^(?P<title>.+?)\s*(?:\((?P<source>[^()]{1,60})\))?\s*[.;]?\s*$")
_IMAGE_PLACEHOLDER = re.compile(r"\[Image(?:: .*)?\]", re.DOTALL)
"""``_images.placeholder_text``: what the pane shows, linked to its address, for an image it does not load."""
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n")
_SOURCE_SITES = {"arxiv": "arxiv.org", "github": "github.com", "youtube": "youtube.com", "biorxiv": "biorxiv.org",
                 "medrxiv": "medrxiv.org", "openreview": "openreview.net", "hugging face": "huggingface.co",
                 "huggingface": "huggingface.co", "twitter": "twitter.com", "substack": "substack.com"}
"""Source names in "(arXiv)" -> the site they stand for, so ``link:arxiv.org`` finds the citation."""


@dataclass(frozen=True)
class FoundCitation:
    """One citation in an issue, in reading order.

    Attributes:
        work: the work linked (None for a citation without address: it is known by its title).
        anchor: the link's text (or the cited title).
        context: the sentence around it (plain text).
        start: where the anchor starts in the issue's plain text (-1 when not found there).
        title: the cited title (from the anchor, or the "Read more: TITLE (source)" line around it).
        source: for a citation without address, the source named after it ("arXiv"), else "".
    """

    work: WorkRef | None
    anchor: str
    context: str
    start: int
    title: str
    source: str = ""

    @property
    def title_key(self) -> str:
        """The title as compared across issues ("" when too short to tell works apart)."""
        return title_key(self.title)

    @property
    def site(self) -> str:
        """Where the work is: the link's host, or the site a source name stands for ("arXiv")."""
        if self.work is not None:
            return self.work.site
        return _SOURCE_SITES.get(self.source.lower().strip(), self.source.strip())


def title_key(title: str) -> str:
    """A title reduced for matching: case, accents, punctuation and spacing ignored; "" when under two words."""
    if title.isascii():  # no accents to drop (an import reads thousands of titles)
        text = title.casefold()
    else:
        text = unicodedata.normalize("NFKD", title).casefold()
        text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"\w+", text)
    return " ".join(words) if len(words) >= 2 and len("".join(words)) >= 8 else ""


def extract_citations(
    html: str, plain_text: str, links: Sequence[tuple[str, str]] | None = None
) -> list[FoundCitation]:
    """Every citation of an issue, in reading order: its web links, then addressless "Read more" lines.

    ``links``: the (href, text) of the HTML's links when the renderer read them already; else the
    HTML is parsed for them. An image the pane did not load ("[Image: alt]") is no citation.
    """
    every = _LinkParser.links_of(html) if links is None else links
    links = [(href, text) for href, text in every if not _IMAGE_PLACEHOLDER.fullmatch(text.strip())][:MAX_LINKS]
    found: list[FoundCitation] = []
    cursor = 0
    linked_lines: set[int] = set()
    for href, text in links:
        work = work_of(href)
        if work is None:
            continue
        anchor = " ".join(text.split())
        start = plain_text.find(anchor, cursor) if anchor else -1
        if start >= 0:
            cursor = start + len(anchor)
        line_start = plain_text.rfind("\n", 0, max(start, 0)) + 1
        line = _line_at(plain_text, line_start) if start >= 0 else ""
        if start >= 0:
            linked_lines.add(line_start)
        found.append(FoundCitation(work, anchor or work.url, _context(plain_text, start, len(anchor)), start,
                                   _title_for(anchor, line)))
    return found + _addressless(plain_text, linked_lines)


def _title_for(anchor: str, line: str) -> str:
    """The title a link cites: its anchor without "(source)", or the "Read more: TITLE (source)" line's."""
    cited = _cited_title(line)
    if (cited is not None and anchor and anchor in cited[0]) or (cited is not None and len(anchor.split()) < 3):
        return cited[0]
    match = _TITLED.match(anchor)
    return match.group("title") if match else anchor


def _cited_title(line: str) -> tuple[str, str] | None:
    """(title, source) of a line "Read more: TITLE (source)."; None for other lines."""
    lead, sep, rest = line.strip().partition(": ")
    if not sep or not _LEAD.match(lead):
        return None
    match = _TITLED.match(rest)
    if match is None or not title_key(match.group("title")):
        return None
    return match.group("title").strip(), (match.group("source") or "").strip()


def _addressless(plain_text: str, linked_lines: set[int]) -> list[FoundCitation]:
    found: list[FoundCitation] = []
    offset = 0
    for line in plain_text.split("\n"):
        if offset not in linked_lines and len(line) < 600:
            cited = _cited_title(line)
            if cited is not None:
                title, source = cited
                start = offset + line.index(title)
                found.append(FoundCitation(None, title, _context(plain_text, start, len(title)), start, title, source))
        offset += len(line) + 1
    return found[:MAX_LINKS]


def _line_at(text: str, start: int) -> str:
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


def _context(text: str, start: int, length: int) -> str:
    """The sentence (or line) holding ``text[start:start+length]``, cut to MAX_CONTEXT around it."""
    if start < 0:
        return ""
    begin = 0
    for match in _SENTENCE_END.finditer(text, max(0, start - MAX_CONTEXT), start):
        begin = match.end()
    after = _SENTENCE_END.search(text, start + length)
    end = after.start() if after else len(text)
    begin = max(begin, start - MAX_CONTEXT // 2)
    end = min(end, start + length + MAX_CONTEXT // 2)
    return " ".join(text[begin:end].split())


class _LinkParser(HTMLParser):
    """(href, text) of every ``<a href>`` in sanitised HTML, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    @classmethod
    def links_of(cls, html: str) -> list[tuple[str, str]]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.links

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or None
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def link_terms(citations: Sequence[FoundCitation]) -> list[str]:
    """What ``link:`` finds an issue by: each cited work's site and its parent domains, its key, and
    its own id (``2212.06817``, ``10.1/x``, ``owner/repo``)."""
    terms: dict[str, None] = {}
    for cite in citations:
        site = cite.site.lower()
        if site and " " not in site:
            labels = site.split(".")
            for i in range(len(labels) - 1):
                terms[".".join(labels[i:])] = None
        elif site:
            terms["".join(site.split())] = None
        if cite.work is not None:
            terms[cite.work.key.lower()] = None
            if cite.work.ident:
                terms[cite.work.ident.lower()] = None
    return [t for t in terms if " " not in t]


def cited_texts(citations: Sequence[FoundCitation]) -> str:
    """What ``cites:`` searches: the anchor texts and cited titles, one per line."""
    return "\n".join(dict.fromkeys(text for c in citations for text in (c.anchor, c.title) if text))
