"""Beside Contents and Highlights: the open issue's links (each with "also cited in N other issues")
and the issues most related to it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QTabWidget, QWidget

from reader.core import Library
from reader.core.types import Citation, RelatedIssue
from reader.gui.background.tasks import TaskRunner

DATA_ROLE = Qt.ItemDataRole.UserRole + 4


class IssueLinksTabs(QTabWidget):
    """Tabs "Links" (``issueLinksList``) and "Related" (``relatedList``) for the open issue
    (objectName ``issueLinksTabs``).

    Signals:
        citation_chosen(Citation): scroll the pane to this link of the open issue.
        work_chosen(str): show this work (its key) in the Links view.
        issue_chosen(str): open this related issue.
    """

    citation_chosen = Signal(object)
    work_chosen = Signal(str)
    issue_chosen = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("issueLinksTabs")
        self.setAccessibleName("Links and related issues")
        self._library, self._runner = library, runner
        self._issue_id = ""
        self.links = _list("issueLinksList", "Links of this issue")
        self.related = _list("relatedList", "Related issues")
        self.addTab(self.links, "Links")
        self.addTab(self.related, "Related")
        self.links.itemActivated.connect(self._on_link)
        self.links.itemClicked.connect(self._on_link)
        self.links.itemDoubleClicked.connect(lambda item: self.work_chosen.emit(item.data(DATA_ROLE).work.key))
        self.related.itemActivated.connect(lambda item: self.issue_chosen.emit(item.data(DATA_ROLE).issue.id))
        self.related.itemDoubleClicked.connect(lambda item: self.issue_chosen.emit(item.data(DATA_ROLE).issue.id))

    def show_issue(self, issue_id: str) -> None:
        """Load the links and related issues of ``issue_id`` (in the background)."""
        self._issue_id = issue_id
        self._runner.read(lambda: self._library.issue_links(issue_id),
                          lambda links, error: self._links_loaded(issue_id, links, error))
        self._runner.read(lambda: self._library.related(issue_id),
                          lambda related, error: self._related_loaded(issue_id, related, error))

    def set_links(self, citations: list[Citation]) -> None:
        """List an issue's links in reading order, once per work."""
        self.links.clear()
        seen: set[str] = set()
        for citation in citations:
            if citation.work.key in seen:
                continue
            seen.add(citation.work.key)
            others = citation.other_issues
            also = f"also cited in {others} other issue{'s' if others != 1 else ''}" if others else "only here"
            item = QListWidgetItem(f"{citation.anchor}\n{citation.work.site} · {also}")
            item.setData(DATA_ROLE, citation)
            item.setToolTip(f"{citation.work.title}\n{citation.work.url or citation.work.site}\n"
                            "Click: go to the link · Double-click: show it in the Links view")
            self.links.addItem(item)
        self.setTabText(0, f"Links ({len(seen)})")
        if not seen:
            self.links.addItem(QListWidgetItem("This issue links to nothing."))

    def set_related(self, related: list[RelatedIssue]) -> None:
        """List the related issues, best first, with the works they cite too."""
        self.related.clear()
        for entry in related:
            summary = entry.issue
            where = " · ".join(x for x in (summary.publication, summary.date or "") if x)
            shared = len(entry.shared_works)
            cites = f" · cites {shared} of the same work{'s' if shared != 1 else ''}" if shared else ""
            item = QListWidgetItem(f"{summary.title}\n{where}{cites}")
            item.setData(DATA_ROLE, entry)
            self.related.addItem(item)
        if not related:
            self.related.addItem(QListWidgetItem("No related issues yet."))

    def _links_loaded(self, issue_id: str, links: list[Citation] | None, error: BaseException | None) -> None:
        if issue_id == self._issue_id and error is None and links is not None:
            self.set_links(links)

    def _related_loaded(self, issue_id: str, related: list[RelatedIssue] | None, error: BaseException | None) -> None:
        if issue_id == self._issue_id and error is None and related is not None:
            self.set_related(related)

    def _on_link(self, item: QListWidgetItem) -> None:
        citation = item.data(DATA_ROLE)
        if isinstance(citation, Citation):
            self.citation_chosen.emit(citation)


def _list(name: str, accessible: str) -> QListWidget:
    view = QListWidget()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    return view
