"""The reading pane: a QTextBrowser that shows one issue with a readable measure and never goes online."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QPoint, QPointF, QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDesktopServices,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QApplication, QTextBrowser, QTextEdit, QToolTip, QWidget

from reader.gui.annotations.note_view import note_tooltip
from reader.gui.reading.theme import DEFAULT_THEME, Theme, document_css, readable_on, theme_named

MEASURE_CHARS = 70  # characters per line: the comfortable reading measure
MIN_SIDE_MARGIN = 24
LINE_HEIGHT_PERCENT = 150
HEADING_LINE_HEIGHT_PERCENT = 115
EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto"})
FETCH_SCHEME = "backissue-image"
"""An image placeholder's link once the pane made it a Fetch link: ``backissue-image:<n>``, the n-th
address given to ``mark_fetchable``; clicking it asks for that one image (``image_fetch_requested``)."""
PLACEHOLDER_PREFIX = "[Image"
OBJECT_CHARACTER = "\ufffc"
"""How an image stands in a block's text."""
FLASH_MS = 700
NOTE_MARKER = "✎"
"""Drawn (not typed: the document's text stays the core's) just after a highlight that has a note."""
NOTE_MARKER_SCALE = 0.85  # of the body font: a superscript-sized mark


@dataclass(frozen=True)
class Mark:
    """A range of the pane's document (Qt positions) painted with a background colour."""

    start: int
    end: int
    colour: str
    key: str = ""
    """What the mark stands for (a highlight's id), so a click can find it."""
    underline: str = ""
    """An underline colour ("" = none): search matches have one, highlights do not."""
    note: str = ""
    """A highlight's note (Markdown): the pane marks the highlight with ✎ and shows it on hover."""


class ReadingPane(QTextBrowser):
    """Shows an issue's page; opens web and mail links in the system browser and nothing else.

    Signals:
        link_refused(str): a link with a scheme we do not open was clicked (the URL).
        section_changed(str): the section at the top of the view changed (its anchor).
        mark_clicked(object, QPoint): a click (no drag) landed on a highlight mark; the Mark and
            the global position of the click.
        menu_requested(QMenu, int): the context menu is about to open at this document position;
            listeners may add to it.
        status(str, int): something for the status bar and how long to show it (ms, 0 = until
            replaced): a hovered link's address ("" when the mouse leaves it), a link that could
            not be opened.
        image_fetch_requested(str): Fetch was clicked on an image placeholder (the image's address).
    """

    link_refused = Signal(str)
    section_changed = Signal(str)
    mark_clicked = Signal(object, QPoint)
    menu_requested = Signal(object, int)
    status = Signal(str, int)
    image_fetch_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingPane")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_link)
        self.highlighted.connect(self._on_link_hovered)
        self.open_url: Callable[[QUrl], bool] = _system_open
        """Hands a web or mail link to the system (tests may replace it); False when nothing opened it."""
        self.verticalScrollBar().valueChanged.connect(self._follow_scroll)
        self._anchors: list[tuple[str, int]] = []
        self._current_anchor = ""
        self._highlights: list[Mark] = []
        self._matches: list[Mark] = []
        self._current_match = -1
        self._flash: Mark | None = None
        self._press_pos: QPoint | None = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._end_flash)
        self._theme: Theme | None = None
        self._fetchable: list[str] = []
        self._images: list[_ShownImage] = []
        self.document().setDocumentMargin(0)
        self.document().setUndoRedoEnabled(False)

    # -- content ---------------------------------------------------------------------------------
    def show_page(self, page_html: str) -> None:
        """Replace the content with ``page_html`` (our header + the core's sanitised body)."""
        self._highlights, self._matches, self._current_match, self._flash = [], [], -1, None
        self.setExtraSelections([])
        self._images = []  # setHtml may resize the viewport (scroll bar): no stale image positions then
        self.setHtml(page_html)
        self._fetchable = []
        self._set_line_height()
        self._images = self._collect_images()
        self._update_measure()
        self._anchors = self._collect_anchors()
        self._current_anchor = ""
        self._follow_scroll()

    def mark_fetchable(self, urls: Sequence[str]) -> int:
        """Make the image placeholders ("[Image: alt]" linking to one of ``urls``) Fetch links.

        Only the link changes (the text stays the core's). Returns how many placeholders became
        Fetch links. Nothing is fetched until one is clicked.
        """
        self._fetchable = list(urls)
        where = {url: index for index, url in enumerate(self._fetchable)}
        found = 0
        cursor = QTextCursor(self.document())
        for start, length, fmt, text in self._fragments():
            href = fmt.anchorHref()
            if not fmt.isAnchor() or href not in where or not text.startswith(PLACEHOLDER_PREFIX):
                continue
            host = QUrl(href).host() or href
            fmt.setAnchorHref(f"{FETCH_SCHEME}:{where[href]}")
            fmt.setToolTip(f"Fetch this image from {host} (then kept offline)")
            cursor.setPosition(start)
            cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(fmt)
            found += 1
        return found

    def fetchable(self) -> list[str]:
        """The image addresses whose placeholders are Fetch links, in the order ``mark_fetchable`` got them."""
        return list(self._fetchable)

    def image_widths(self) -> list[int]:
        """The width each image of the page is shown at (pixels), in document order."""
        widths = []
        for _start, _length, fmt, _text in self._fragments():
            if fmt.isImageFormat():
                image = fmt.toImageFormat()
                widths.append(round(image.width()) if image.width() > 0 else -1)
        return widths

    def body_start(self, header_blocks: int) -> int:
        """The Qt position where the body begins, after ``header_blocks`` header blocks."""
        block = self.document().findBlockByNumber(header_blocks)
        return block.position() if block.isValid() else self.document().characterCount() - 1

    def anchors(self) -> list[str]:
        """The anchors (HTML ids) found in the page, in document order."""
        return [name for name, _ in self._anchors]

    # -- look ------------------------------------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        """Recolour the page (the palette comes from the window; links and headings from CSS)."""
        self._theme = theme
        self.document().setDefaultStyleSheet(document_css(theme))
        self._apply_marks()  # match colours follow the theme

    def set_font_size(self, points: float) -> None:
        """Set the body text size; headings scale with it."""
        font = QFont(self.font())
        font.setPointSizeF(points)
        self.setFont(font)
        self.document().setDefaultFont(font)
        self._update_measure()

    # -- marks -----------------------------------------------------------------------------------
    def set_highlight_marks(self, marks: Sequence[Mark]) -> None:
        """Paint the issue's highlights."""
        self._highlights = list(marks)
        self._apply_marks()

    def set_match_marks(self, marks: Sequence[Mark], current: int = 0) -> None:
        """Paint search matches and scroll to the ``current`` one."""
        self._matches = list(marks)
        self._current_match = current if marks else -1
        self._apply_marks()
        self._reveal_current_match()

    def step_match(self, delta: int) -> int:
        """Move to the next (+1) or previous (-1) match, wrapping; returns the new index (-1: none)."""
        if not self._matches:
            return -1
        self._current_match = (self._current_match + delta) % len(self._matches)
        self._apply_marks()
        self._reveal_current_match()
        return self._current_match

    def mark_at(self, position: int) -> Mark | None:
        """The highlight mark covering a document position (the innermost, if they nest)."""
        covering = [m for m in self._highlights if m.start <= position <= m.end and m.key]
        return min(covering, key=lambda m: m.end - m.start, default=None)

    def reveal(self, start: int, end: int) -> None:
        """Put the cursor at ``start``, scroll the range into view and flash it briefly."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        self.setTextCursor(cursor)
        self._scroll_into_view(start)
        self._flash = Mark(start, end, "")
        self._apply_marks()
        self._flash_timer.start()

    def note_marker_rects(self) -> list[tuple[Mark, QRectF]]:
        """Where the ✎ of each highlight with a note is drawn (viewport coordinates)."""
        metrics = QFontMetricsF(self._marker_font())
        width = metrics.horizontalAdvance(NOTE_MARKER)
        found = []
        for mark in self._highlights:
            if mark.note.strip():
                cursor = QTextCursor(self.document())
                cursor.setPosition(mark.end)
                caret = self.cursorRect(cursor)
                # raised like a superscript into the leading above the line (150% line height)
                top = caret.top() - metrics.height() * 0.5
                found.append((mark, QRectF(caret.x() - width / 4, top, width, metrics.height())))
        return found

    def note_at(self, point: QPoint) -> Mark | None:
        """The highlight with a note under a viewport point (on its text or on its ✎), if any."""
        for marked, rect in self.note_marker_rects():
            if rect.contains(QPointF(point)):
                return marked
        under = self.mark_at(self.cursorForPosition(point).position())
        return under if under is not None and under.note.strip() else None

    @property
    def match_count(self) -> int:
        """How many search matches are marked."""
        return len(self._matches)

    @property
    def current_match(self) -> int:
        """Index of the match F3 is on (-1 when there are none)."""
        return self._current_match

    def selection_range(self) -> tuple[int, int] | None:
        """The selected range as Qt positions, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return cursor.selectionStart(), cursor.selectionEnd()

    # -- navigation ------------------------------------------------------------------------------
    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Run PageDown and PageUp."""
        actions["PageDown"].triggered.connect(lambda: self.page(+1))
        actions["PageUp"].triggered.connect(lambda: self.page(-1))

    def page(self, direction: int) -> None:
        """Scroll one screen down (+1) or up (-1), keeping a line of context."""
        bar = self.verticalScrollBar()
        step = max(bar.pageStep() - self.fontMetrics().lineSpacing() * 2, 1)
        bar.setValue(bar.value() + direction * step)

    def scroll_to_section(self, anchor: str) -> None:
        """Scroll so the section with this anchor is at the top."""
        self.scrollToAnchor(anchor)

    # -- Qt overrides ----------------------------------------------------------------------------
    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        """Never fetch anything: only inline ``data:`` images are loaded."""
        qurl = QUrl(url) if isinstance(url, str) else url
        if kind == QTextDocument.ResourceType.ImageResource.value and qurl.scheme() == "data":
            return _decode_data_image(qurl.toString())
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pos, pressed = event.position().toPoint(), self._press_pos
        self._press_pos = None
        if pressed is None or event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        if (pos - pressed).manhattanLength() >= QApplication.startDragDistance():
            return
        mark = self.mark_at(self.cursorForPosition(pos).position())
        if mark is not None:
            self.mark_clicked.emit(mark, self.viewport().mapToGlobal(pos))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        markers = self.note_marker_rects()
        if not markers:
            return
        painter = QPainter(self.viewport())
        painter.setFont(self._marker_font())
        painter.setPen(QColor((self._theme or theme_named(DEFAULT_THEME)).link))
        ascent = QFontMetricsF(self._marker_font()).ascent()
        for _mark, rect in markers:
            painter.drawText(QPointF(rect.left(), rect.top() + ascent), NOTE_MARKER)
        painter.end()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            mark = self.note_at(event.pos())
            if mark is not None:
                QToolTip.showText(event.globalPos(), note_tooltip(mark.note), self.viewport())
                return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        self.menu_requested.emit(menu, self.cursorForPosition(event.pos()).position())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_measure()

    # -- internals -------------------------------------------------------------------------------
    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == FETCH_SCHEME:
            index = url.path()
            if index.isdigit() and int(index) < len(self._fetchable):
                self.image_fetch_requested.emit(self._fetchable[int(index)])
        elif url.scheme() in EXTERNAL_SCHEMES:
            if not self.open_url(url):
                what = "e-mail program" if url.scheme() == "mailto" else "web browser"
                self.status.emit(f"Could not open {url.toString()}: no {what} is set up to open it.", 10000)
        elif not url.scheme() and url.hasFragment():
            self.scrollToAnchor(url.fragment())
        else:
            self.link_refused.emit(url.toString())

    def _on_link_hovered(self, url: QUrl) -> None:
        """Say where a link goes while the mouse is on it, as browsers do (a Fetch link: what it does)."""
        if url.scheme() == FETCH_SCHEME and url.path().isdigit() and int(url.path()) < len(self._fetchable):
            address = self._fetchable[int(url.path())]
            self.status.emit(f"Click to fetch this image from {QUrl(address).host()} and keep it offline: {address}", 0)
            return
        self.status.emit(url.toString() if not url.isEmpty() else "", 0)

    def _set_line_height(self) -> None:
        """Open up body text (150%); headings stay tighter so long titles do not fall apart; a code
        listing's lines (each its own block) stay at 100%, one band, as code is read (at 150% each
        line was a stripe of background with a gap under it)."""
        proportional = QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        body, heading, picture = QTextBlockFormat(), QTextBlockFormat(), QTextBlockFormat()
        picture.setLineHeight(100, proportional)  # also a code listing's line
        body.setLineHeight(LINE_HEIGHT_PERCENT, proportional)
        heading.setLineHeight(HEADING_LINE_HEIGHT_PERCENT, proportional)
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()  # one relayout at the end rather than one per block
        block = self.document().begin()
        while block.isValid():
            cursor.setPosition(block.position())
            if OBJECT_CHARACTER in block.text() or block.blockFormat().nonBreakableLines():
                cursor.mergeBlockFormat(picture)  # a picture's line at 150% left a gap as tall as half of it
            else:
                cursor.mergeBlockFormat(heading if block.blockFormat().headingLevel() else body)
            block = block.next()
        cursor.endEditBlock()

    def _update_measure(self) -> None:
        """Centre a column of about MEASURE_CHARS characters by widening the side margins."""
        metrics = QFontMetricsF(self.document().defaultFont())
        column = metrics.averageCharWidth() * MEASURE_CHARS
        side = max(MIN_SIDE_MARGIN, (self.viewport().width() - column) / 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - side) >= 1:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(28)
            fmt.setBottomMargin(48)
            root.setFrameFormat(fmt)
        self._fit_images()  # the column (or, in a narrow pane, the viewport) changed width

    def _column_width(self) -> float:
        """The width text is laid out in: the viewport less the side margins."""
        fmt = self.document().rootFrame().frameFormat()
        return max(self.viewport().width() - fmt.leftMargin() - fmt.rightMargin(), 16.0)

    def _fragments(self) -> Iterator[tuple[int, int, QTextCharFormat, str]]:
        """(position, length, format, text) of every text fragment of the page, in order."""
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid():
                    yield fragment.position(), fragment.length(), fragment.charFormat(), fragment.text()
                it += 1
            block = block.next()

    def _collect_images(self) -> list[_ShownImage]:
        """The page's images with their own sizes (decoded once per page, not at every resize)."""
        found = []
        for start, _length, fmt, _text in self._fragments():
            if fmt.isImageFormat():
                name = fmt.toImageFormat().name()
                image = self.document().resource(QTextDocument.ResourceType.ImageResource.value, QUrl(name))
                if isinstance(image, QImage) and not image.isNull():
                    found.append(_ShownImage(start, image.width(), image.height()))
        return found

    def _fit_images(self) -> None:
        """Shrink images wider than the text column to its width (a 3,000-pixel picture must not
        make the page scroll sideways); the rest show at their own size."""
        if not self._images:
            return
        column = int(self._column_width())
        cursor = QTextCursor(self.document())
        last = self.document().characterCount() - 1
        for shown in self._images:
            if shown.position >= last:
                continue
            width = min(shown.width, column)
            cursor.setPosition(shown.position)
            cursor.setPosition(shown.position + 1, QTextCursor.MoveMode.KeepAnchor)
            fmt = cursor.charFormat().toImageFormat()
            if not fmt.isValid() or round(fmt.width()) == width:
                continue
            fmt.setWidth(width)
            fmt.setHeight(shown.height * width / shown.width)
            cursor.setCharFormat(fmt)

    def _collect_anchors(self) -> list[tuple[str, int]]:
        found: list[tuple[str, int]] = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                found.extend((name, block.position()) for name in it.fragment().charFormat().anchorNames())
                it += 1
            block = block.next()
        return found

    def _follow_scroll(self) -> None:
        top = self.verticalScrollBar().value() + self.fontMetrics().lineSpacing() * 2
        layout = self.document().documentLayout()
        current = ""
        for name, position in self._anchors:
            block = self.document().findBlock(position)
            if layout.blockBoundingRect(block).top() > top:
                break
            current = name
        if current != self._current_anchor:
            self._current_anchor = current
            self.section_changed.emit(current)

    def _apply_marks(self) -> None:
        selections = [self._selection(m) for m in self._highlights]
        match_colour, current_colour = self._match_colours()
        line = self._theme.match_line if self._theme is not None else ""
        for i, mark in enumerate(self._matches):
            colour = current_colour if i == self._current_match else match_colour
            selections.append(self._selection(Mark(mark.start, mark.end, colour, underline=line)))
        if self._flash is not None:
            selections.append(self._selection(Mark(self._flash.start, self._flash.end, current_colour)))
        self.setExtraSelections(selections)

    def _end_flash(self) -> None:
        self._flash = None
        self._apply_marks()

    def _match_colours(self) -> tuple[str, str]:
        theme = self._theme or theme_named(DEFAULT_THEME)
        return theme.match, theme.current_match

    def _selection(self, mark: Mark) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(mark.start)
        cursor.setPosition(mark.end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(mark.colour))
        text = (self._theme or theme_named(DEFAULT_THEME)).text
        fmt.setForeground(QColor(readable_on(mark.colour, text)))
        if mark.underline:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(QColor(mark.underline))
        elif mark.note.strip():  # a highlight with a note: dotted underline, and the ✎ after it
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(QColor(readable_on(mark.colour, text)))
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
        selection.format = fmt
        return selection

    def _marker_font(self) -> QFont:
        font = QFont(self.document().defaultFont())
        font.setPointSizeF(max(font.pointSizeF() * NOTE_MARKER_SCALE, 6))
        font.setBold(True)
        return font

    def _reveal_current_match(self) -> None:
        if self._current_match < 0:
            return
        self._scroll_into_view(self._matches[self._current_match].start)

    def _scroll_into_view(self, position: int) -> None:
        """Scroll so ``position`` is a third down the view, unless it is already visible."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        rect = self.cursorRect(cursor)
        bar = self.verticalScrollBar()
        if rect.top() < 0 or rect.bottom() > self.viewport().height():
            bar.setValue(bar.value() + rect.top() - self.viewport().height() // 3)


@dataclass(frozen=True)
class _ShownImage:
    """An image of the page: its document position and its own size in pixels."""

    position: int
    width: int
    height: int


def _system_open(url: QUrl) -> bool:
    """Hand ``url`` to the desktop (looked up at each call); False when nothing opened it."""
    return bool(QDesktopServices.openUrl(url))


def _decode_data_image(url: str) -> QImage | None:
    """Decode a ``data:image/...;base64,...`` URL; anything else yields None."""
    header, _, payload = url.partition(",")
    if not header.startswith("data:image/") or not header.endswith(";base64"):
        return None
    try:
        raw = base64.b64decode(payload, validate=True)
    except ValueError:
        return None
    image = QImage()
    return image if image.loadFromData(QByteArray(raw)) else None
