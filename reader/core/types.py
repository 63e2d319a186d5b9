"""The records the core hands out: frozen dataclasses, no behaviour beyond small derived properties."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal


@dataclass(frozen=True)
class ParsedIssue:
    """One issue as a parser found it in a source, before it has an id or a place in the library.

    Attributes:
        publication: the newsletter's name ("Import AI").
        title: the issue's own title.
        markdown: the issue normalised to Markdown (what the pane renders and the index holds).
        original: the source text of this issue, kept verbatim.
        number: the issue number where the source gives one.
        date: ISO date ``YYYY-MM-DD`` where the source gives one; never invented.
        author: the author where the source names one.
        source: where it came from (a file path or a feed URL).
        key: the source's own identity for the issue, with its kind ("mid:<Message-ID>",
            "guid:...", "url:...", "id:..."); None when the source gives none.
        newsletter: for mail, whether its headers mark it as a newsletter or list mail (None: not mail).
        labels: for mail, its Gmail labels (``X-Gmail-Labels``), for ``import --label``.
    """

    publication: str
    title: str
    markdown: str
    original: str
    number: int | None = None
    date: str | None = None
    author: str | None = None
    source: str = ""
    key: str | None = None
    newsletter: bool | None = None
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A section heading of an issue, in reading order.

    Attributes:
        title: the heading text.
        level: 1 for top-level sections, 2 for sub-sections...
        anchor: the HTML id of the heading in the rendered issue (for scrolling to it).
    """

    title: str
    level: int
    anchor: str


@dataclass(frozen=True)
class IssueSummary:
    """What the issue list shows of an issue (no body)."""

    id: str
    publication: str
    title: str
    number: int | None = None
    date: str | None = None
    author: str | None = None
    read: bool = False
    starred: bool = False
    highlight_count: int = 0
    added: str = ""


@dataclass(frozen=True)
class Issue(IssueSummary):
    """A whole issue: the summary plus its Markdown body, original text and sections."""

    markdown: str = ""
    original: str = ""
    sections: tuple[Section, ...] = ()
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class TextSpan:
    """A half-open range ``[start, end)`` of Python string indexes in an issue's plain text."""

    start: int
    end: int


HitKind = Literal["issue", "highlight", "note"]


@dataclass(frozen=True)
class SearchHit:
    """One search result.

    Attributes:
        id: the issue's id (kept as ``id`` so CLI JSON matches the issue list).
        snippet: HTML-escaped text around the match with matched terms in ``<b>...</b>``.
        section: the heading of the best-matching section ("" when none).
        kind: what matched: the issue text, one of your highlights, or one of your notes.
        highlight_id: the highlight that matched, for kinds "highlight" and "note".
    """

    id: str
    publication: str
    title: str
    number: int | None
    date: str | None
    section: str
    snippet: str
    score: float
    kind: HitKind = "issue"
    highlight_id: str | None = None


@dataclass(frozen=True)
class Highlight:
    """A highlighted passage with its W3C-style anchor over the issue's plain text.

    Attributes:
        quote, prefix, suffix: TextQuoteSelector (exact text and up to 32 characters each side).
        start, end: TextPositionSelector (Python string indexes into the plain text).
        color: the colour key ("yellow", "blue", ...); its label comes from the colour labels.
        detached: the anchor could not be placed in the current text; the highlight is kept.
    """

    id: str
    issue_id: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    color: str
    note: str = ""
    created: str = ""
    modified: str = ""
    detached: bool = False


@dataclass(frozen=True)
class ColorLabel:
    """A highlight colour, its display colour and the user's label for it."""

    key: str
    label: str
    hex: str


FileStatus = Literal["imported", "updated", "unchanged", "failed", "skipped"]


@dataclass(frozen=True)
class FileResult:
    """What happened to one file of an import (or would happen, in a dry run).

    ``kept_apart`` counts the new issues (already counted in ``imported``) that look like an issue
    already in the library (same publication, title and date) but are a different issue.
    """

    path: str
    status: FileStatus
    reason: str = ""
    issue_ids: tuple[str, ...] = ()
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_apart: int = 0
    excluded: int = 0  # messages an ImportOptions filter left out (not newsletters, other labels)

    @property
    def changes(self) -> Changes:
        """What storing this source changed: new issues change the list; updated ones their rows and
        their highlights (re-anchored to the new text); an unchanged or failed source changes nothing."""
        if not (self.imported or self.updated):
            return Changes()
        ids = frozenset(self.issue_ids)
        return Changes(issues=ids, issue_list=self.imported > 0, highlights=ids if self.updated else frozenset())


@dataclass(frozen=True)
class ImportOptions:
    """Which issues of mail to keep when importing (files other than mail are always kept).

    Attributes:
        newsletters_only: keep only mail whose headers mark a newsletter or list (List-Id,
            List-Unsubscribe, Precedence: bulk, a newsletter platform's header).
        label: keep only mail with this Gmail label (``X-Gmail-Labels``; case does not matter).
    """

    newsletters_only: bool = False
    label: str | None = None

    def keeps(self, issue: ParsedIssue) -> bool:
        """True when ``issue`` passes the filters."""
        if issue.newsletter is None:
            return True
        if self.newsletters_only and not issue.newsletter:
            return False
        if self.label is not None:
            wanted = self.label.strip().casefold()
            return any(label.casefold() == wanted for label in issue.labels)
        return True


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an import, file by file."""

    files: tuple[FileResult, ...] = ()
    cancelled: bool = False
    index_problem: str | None = None
    """Set when what was stored could not be indexed yet (it stays pending; the message says so)."""
    images: KeptImages | None = None
    """What keeping the issues' images offline did (an import with Keep images); None: not asked."""

    @property
    def imported(self) -> int:
        """Number of issues new to the library."""
        return sum(f.imported for f in self.files)

    @property
    def updated(self) -> int:
        """Number of issues whose text changed and was updated in place."""
        return sum(f.updated for f in self.files)

    @property
    def unchanged(self) -> int:
        """Number of issues that were already in the library as they are."""
        return sum(f.unchanged for f in self.files)

    @property
    def kept_apart(self) -> int:
        """Number of new issues that look like one already in the library but are a different issue."""
        return sum(f.kept_apart for f in self.files)

    @property
    def failed(self) -> tuple[FileResult, ...]:
        """The files that could not be imported, each with its reason."""
        return tuple(f for f in self.files if f.status == "failed")

    @property
    def issue_ids(self) -> tuple[str, ...]:
        """Ids of every issue the import touched, in order."""
        return tuple(i for f in self.files for i in f.issue_ids)

    @cached_property
    def changes(self) -> Changes:
        """What the import changed, for the views to reload (the union of its files' changes).

        One pass over the files: joining their Changes one by one copied the growing id sets each
        time (8,085 files of 10,000 issues: a 1.2 s pause of the window when the import ended).
        Made once, and before the report is pickled (``__getstate__``): a job's child works it out,
        not the window's thread that receives the report.
        """
        changes = Changes.union(result.changes for result in self.files)
        return changes if self.images is None else changes | self.images.changes

    def __getstate__(self) -> dict[str, object]:
        """The fields, and ``changes`` made already (pickled with them)."""
        _ = self.changes
        return self.__dict__


@dataclass(frozen=True)
class ImportProgress:
    """Progress of a running import: ``done`` of ``total`` files, the one being read now.

    While the search index catches up, ``stage`` is "index" and ``done`` / ``total`` count issues;
    while the issues' images are fetched to keep offline, "images" (issues too); "wait" means
    another job on the same library has to finish first.
    """

    done: int
    total: int
    path: str = ""
    stage: Literal["wait", "read", "index", "images"] = "read"
    messages: int = 0  # issues (mailbox messages) read so far from the file being imported


ProgressCallback = Callable[[ImportProgress], "bool | None"]
"""Called between files; returning False cancels the rest of the import."""


@dataclass(frozen=True)
class Changes:
    """What a Library operation changed, so views can decide what to reload.

    Attributes:
        issues: ids of issues added, updated or whose read/star state changed.
        issue_list: the set of issues changed (added or removed), not only their fields.
        highlights: ids of issues whose highlights or notes changed.
        index: the search index was rebuilt.
    """

    issues: frozenset[str] = field(default_factory=frozenset)
    issue_list: bool = False
    highlights: frozenset[str] = field(default_factory=frozenset)
    index: bool = False

    @staticmethod
    def union(many: Iterable[Changes]) -> Changes:
        """Everything any of ``many`` changed, in one pass."""
        issues: set[str] = set()
        highlights: set[str] = set()
        issue_list = index = False
        for changes in many:
            issues |= changes.issues
            highlights |= changes.highlights
            issue_list = issue_list or changes.issue_list
            index = index or changes.index
        return Changes(frozenset(issues), issue_list, frozenset(highlights), index)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.issues | other.issues,
            self.issue_list or other.issue_list,
            self.highlights | other.highlights,
            self.index or other.index,
        )

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.issues or self.issue_list or self.highlights or self.index)


@dataclass(frozen=True)
class HighlightEdit:
    """A highlight as a mutation left it (added, updated, restored; or as it was, when deleted),
    with what the mutation changed.

    Attributes:
        highlight: the record.
        changes: the issue whose highlights (and highlight count) changed.
    """

    highlight: Highlight
    changes: Changes

    @classmethod
    def of(cls, highlight: Highlight) -> HighlightEdit:
        """The edit of ``highlight``: its issue's row and highlights changed."""
        touched = frozenset({highlight.issue_id})
        return cls(highlight, Changes(issues=touched, highlights=touched))


@dataclass(frozen=True)
class Subscription:
    """A subscribed feed and what the last refresh found."""

    url: str
    title: str
    added: str
    last_checked: str | None = None
    last_error: str = ""


# -- daily review (#18) ---------------------------------------------------------------------------

ReviewAction = Literal["keep", "less", "more", "mastered", "discard"]
"""What the reader says of a highlight under review: keep it coming as scheduled, show it less
often, more often, it is mastered (no more review), or discard it from review."""

REVIEW_ACTIONS: tuple[ReviewAction, ...] = ("keep", "less", "more", "mastered", "discard")


@dataclass(frozen=True)
class ReviewItem:
    """A highlight as the daily review shows it.

    Attributes:
        highlight: the highlight (its note, colour, quote).
        title, publication, date, starred: its issue.
        context: the sentence around the quote (the quote itself for a detached highlight).
        quote_start, quote_end: where the quote sits in ``context``.
        reviews: how many times it was reviewed before; 0 when never seen.
        due: when it is next due (ISO, UTC); None when never reviewed.
    """

    highlight: Highlight
    title: str
    publication: str
    date: str | None
    starred: bool
    context: str
    quote_start: int
    quote_end: int
    reviews: int = 0
    due: str | None = None


@dataclass(frozen=True)
class ReviewDay:
    """Today's review: what is left, how much was done, and the streak of days with a review.

    ``finished`` is True once today's count is reached, or nothing else is due ("done for today").
    """

    day: str
    daily: int
    done: int
    items: tuple[ReviewItem, ...]
    streak: int
    in_review: int

    @property
    def finished(self) -> bool:
        """Nothing more to review today."""
        return not self.items


# -- importing from other readers (#18) ------------------------------------------------------------

HistoryOutcome = Literal["added", "attached", "detached", "skipped"]
HistoryKind = Literal["issue", "highlight", "feed"]


@dataclass(frozen=True)
class HistoryItem:
    """What an import from another reader did with one item (an issue, a highlight, a feed).

    ``attached``: a highlight placed on an issue already in the library; ``detached``: a
    highlight kept though its text could not be found; ``skipped`` comes with a reason (a second
    run skips everything as "already in the library").
    """

    kind: HistoryKind
    name: str
    outcome: HistoryOutcome
    reason: str = ""
    issue_id: str = ""


@dataclass(frozen=True)
class HistoryReport:
    """What an import from another reader (Omnivore, Readwise, Substack, OPML) did, item by item."""

    source: str
    items: tuple[HistoryItem, ...] = ()

    def count(self, outcome: HistoryOutcome, kind: HistoryKind | None = None) -> int:
        """How many items ended ``outcome`` (of ``kind`` when given)."""
        return sum(1 for i in self.items if i.outcome == outcome and (kind is None or i.kind == kind))

    @property
    def changes(self) -> Changes:
        """The issues the import added or annotated."""
        touched = frozenset(i.issue_id for i in self.items if i.issue_id and i.outcome != "skipped")
        return Changes(issues=touched, issue_list=bool(touched), highlights=touched)


# -- the library's shelves (#16): publications as series, smart lists, tags --------------------------
SmartSort = Literal["date", "score", "number"]
"""A smart list's order: newest first, best match first, or by issue number."""


@dataclass(frozen=True)
class PublicationCount:
    """A publication in the sidebar: how many issues it has and how many of them are unread."""

    name: str
    issues: int
    unread: int


@dataclass(frozen=True)
class TagCount:
    """A tag and how many issues and highlights carry it."""

    name: str
    issues: int = 0
    highlights: int = 0


@dataclass(frozen=True)
class SmartList:
    """A saved search: any query the search box accepts, with its order, in the user's order."""

    name: str
    query: str
    sort: SmartSort = "date"
    position: int = 0


@dataclass(frozen=True)
class LibraryCounts:
    """The sidebar's numbers, from SQL aggregates (no issue text is read).

    Attributes:
        all: issues not archived. unread: of those, unread. starred / highlighted: every issue
        starred / with a highlight (archived too). archived: archived issues.
        publications: per publication (every issue, archived too). tags: per tag, by name.
    """

    all: int = 0
    unread: int = 0
    starred: int = 0
    highlighted: int = 0
    archived: int = 0
    publications: tuple[PublicationCount, ...] = ()
    tags: tuple[TagCount, ...] = ()


@dataclass(frozen=True)
class Series:
    """A publication read as a series: its span, numbering and the numbers missing from it.

    Attributes:
        name: the publication. issues: how many issues. first_date / last_date: the span (None when
        undated). first_number / last_number: the numbering (None when unnumbered). missing: numbers
        between the first and the last that no issue has. highlighted: issues with highlights.
        unnumbered: issues without a number.
    """

    name: str
    issues: int
    first_date: str | None = None
    last_date: str | None = None
    first_number: int | None = None
    last_number: int | None = None
    missing: tuple[int, ...] = ()
    highlighted: int = 0
    unnumbered: int = 0

    def missing_text(self, most: int = 8) -> str:
        """The missing numbers as ranges: "missing #307, #311–#312" ("" when none is missing)."""
        if not self.missing:
            return ""
        ranges: list[tuple[int, int]] = []
        for number in self.missing:
            if ranges and number == ranges[-1][1] + 1:
                ranges[-1] = (ranges[-1][0], number)
            else:
                ranges.append((number, number))
        parts = [f"#{a}" if a == b else f"#{a}–#{b}" for a, b in ranges[:most]]
        more = len(ranges) - most
        return "missing " + ", ".join(parts) + (f" and {more} more" if more > 0 else "")


# -- links and citations (issue #17) ----------------------------------------------------------------
LinkOrder = Literal["issues", "publications", "title", "site", "first_seen", "last_seen", "anchors"]
"""What ``Library.links`` sorts by (the Links view's columns)."""


@dataclass(frozen=True)
class LinkedWork:
    """One work the library's issues point to (a paper, a repository, a page), however it was linked.

    Attributes:
        key: the same for every form of a link to it (``arxiv:2212.06817``, ``github:owner/repo``,
            ``url:<clean address>``; ``title:<title>|<source>`` for a citation known only by title).
        kind: ``arxiv``, ``doi``, ``github``, ``youtube``, ``url`` or ``title``.
        site: where it is (``arxiv.org``), or the source a title-only citation names.
        url: the address to open ("" for a title-only citation).
        title: the best title the citations give (else the first anchor text).
        issues / publications / citations: how many issues and publications cite it, and how often.
        first_seen / last_seen: the dates of the first and last issue citing it (None if undated).
        anchors: the link texts used for it (at most five).
    """

    key: str
    kind: str
    site: str
    url: str
    title: str
    issues: int
    publications: int
    citations: int
    first_seen: str | None
    last_seen: str | None
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    """One issue citing one work: where, with which text and in which sentence.

    ``start`` is where the anchor begins in the issue's plain text (as highlight anchors index it),
    -1 when it could not be placed. ``work.issues - 1`` is how many other issues cite the same work.
    """

    work: LinkedWork
    issue_id: str
    issue_title: str
    publication: str
    date: str | None
    anchor: str
    context: str
    start: int
    url: str

    @property
    def other_issues(self) -> int:
        """How many other issues cite the same work."""
        return max(self.work.issues - 1, 0)


@dataclass(frozen=True)
class RelatedIssue:
    """An issue related to another: by its key terms (Whoosh's more-like-this) and the works both cite."""

    issue: IssueSummary
    score: float
    shared_works: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimelineBucket:
    """How many issues of one publication matched a search in one month (``YYYY-MM``)."""

    month: str
    publication: str
    issues: int


# -- images kept offline (issue #19) -----------------------------------------------------------------
@dataclass(frozen=True)
class KeptImages:
    """What fetching issues' images to keep offline did.

    Attributes:
        stored: images fetched and stored now.
        reused: images already stored for another issue (the same address), now shown here too.
        refused: the images left as placeholders, each "address: reason".
        issues: the issues whose rendering changed (an image in place of its placeholder).
    """

    stored: int = 0
    reused: int = 0
    refused: tuple[str, ...] = ()
    issues: frozenset[str] = frozenset()

    @property
    def changes(self) -> Changes:
        """The issues now show images (one U+FFFC each in their text): their highlights moved with it."""
        return Changes(issues=self.issues, highlights=self.issues)


@dataclass(frozen=True)
class StoredImages:
    """How many images the library keeps offline and their size in bytes.

    ``issues`` are the issues that showed them, when this record says what was removed.
    """

    count: int
    size: int
    issues: frozenset[str] = frozenset()

    @property
    def size_text(self) -> str:
        """The size in words: "0 bytes", "12.5 KB", "3.2 MB"."""
        if self.size < 1024:
            return f"{self.size} byte{'s' if self.size != 1 else ''}"
        if self.size < 1024 * 1024:
            return f"{self.size / 1024:.1f} KB"
        return f"{self.size / 2**20:.1f} MB"

    @property
    def changes(self) -> Changes:
        """After a removal: those issues show placeholders again (their text and highlights moved)."""
        return Changes(issues=self.issues, highlights=self.issues)
