"""The daily review: a focused view showing today's highlights one at a time, answered by key.

Keys (the same as ``backissue review``): K keep, L less often, M more often, X mastered,
D discard from review, N edit the note, O open in its issue, Esc close. Nothing nags: the view
opens only when asked (Go ▸ Daily Review, R) and says "Done for today" when the day's few are done.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from reader.core import Changes, Library, ReviewAction, ReviewDay, ReviewItem
from reader.gui.annotations.dialogs import ask_note
from reader.gui.background.tasks import TaskRunner

ANSWERS: tuple[tuple[str, ReviewAction, str], ...] = (
    ("K", "keep", "Keep"),
    ("L", "less", "Less often"),
    ("M", "more", "More often"),
    ("X", "mastered", "Mastered"),
    ("D", "discard", "Discard"),
)
"""(key, answer, button label): the answers, in button order."""


class ReviewView(QDialog):
    """Today's review of highlights, one card at a time.

    Signals:
        open_requested(issue_id, highlight_id): the reader asked to see the highlight in its issue.
        changed(Changes): an answer or a note changed the library (the window publishes it).
    """

    open_requested = Signal(str, str)
    changed = Signal(object)

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None,
                 ask: Callable[[QWidget, str, str], str | None] | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("reviewView")
        self.setAccessibleName("Daily review")
        self.setWindowTitle("Daily Review")
        self.resize(760, 500)
        self._library, self._runner = library, runner
        self._ask = ask or (lambda parent, quote, note: ask_note(parent, quote, note, "Edit note"))
        self._colours = {c.key: c.hex for c in library.color_labels()}
        self._day: ReviewDay | None = None
        self._busy = False
        layout = QVBoxLayout(self)
        self.status = _label("reviewStatus", "Loading today's review…")
        layout.addWidget(self.status)
        self._pages = QStackedWidget()
        self._pages.setObjectName("reviewPages")
        self._pages.addWidget(self._card_page())
        self._pages.addWidget(self._done_page())
        layout.addWidget(self._pages, 1)
        self._bind_keys()
        self.reload()

    # -- pages -------------------------------------------------------------------------------------
    def _card_page(self) -> QWidget:
        card = QFrame()
        card.setObjectName("reviewCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(card)
        self.source = _label("reviewSource", "")
        self.context = _label("reviewContext", "")
        self.context.setTextFormat(Qt.TextFormat.RichText)
        self.context.setStyleSheet("font-size: 17px; line-height: 150%; padding: 12px 4px;")
        self.source.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.note = _label("reviewNote", "")
        self.note.setStyleSheet("font-style: italic; font-size: 14px;")
        box.addWidget(self.source)
        box.addWidget(self.context, 1)
        box.addWidget(self.note)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, answer, label in ANSWERS:
            self.buttons[answer] = _button(f"review{answer.title()}", f"{label} ({key})", self._answer_slot(answer))
            row.addWidget(self.buttons[answer])
        row.addStretch(1)
        self.buttons["note"] = _button("reviewEditNote", "Edit note (N)", self.edit_note)
        self.buttons["open"] = _button("reviewOpen", "Open in issue (O)", self.open_in_issue)
        row.addWidget(self.buttons["note"])
        row.addWidget(self.buttons["open"])
        box.addLayout(row)
        return card

    def _done_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.done_label = _label("reviewDone", "")
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_label.setStyleSheet("font-size: 20px;")
        box.addWidget(self.done_label, 1)
        close = _button("reviewClose", "Close (Esc)", self.close)
        box.addWidget(close, 0, Qt.AlignmentFlag.AlignCenter)
        return page

    def _bind_keys(self) -> None:
        for key, answer, _label_text in ANSWERS:
            QShortcut(QKeySequence(key), self, self._answer_slot(answer))
        QShortcut(QKeySequence("N"), self, self.edit_note)
        QShortcut(QKeySequence("O"), self, self.open_in_issue)

    def _answer_slot(self, action: ReviewAction) -> Callable[[], None]:
        return lambda: self.answer(action)

    # -- state -------------------------------------------------------------------------------------
    @property
    def current(self) -> ReviewItem | None:
        """The highlight on screen (None when the day is done or still loading)."""
        return self._day.items[0] if self._day and self._day.items else None

    def reload(self) -> None:
        """Read today's review again (in the background) and show it."""
        self._busy = True
        self._runner.run(self._library.review_today, self._loaded)

    def _loaded(self, day: ReviewDay | None, error: BaseException | None) -> None:
        self._busy = False
        if error is not None or day is None:
            self.status.setText(f"The review could not be read: {error}")
            return
        self._day = day
        self.status.setText(status_text(day))
        if day.finished:
            self.done_label.setText(done_text(day))
            self._pages.setCurrentIndex(1)
            return
        self._show(day.items[0])
        self._pages.setCurrentIndex(0)

    def _show(self, item: ReviewItem) -> None:
        star = " \u2605" if item.starred else ""
        when = f" \u00b7 {item.date}" if item.date else ""
        self.source.setText(f"{item.title} \u2014 {item.publication}{when}{star}")
        self.context.setText(context_html(item, self._colours.get(item.highlight.color, "#f9e27d")))
        note = item.highlight.note.strip()
        self.note.setText(f"Note: {note}" if note else "No note yet \u2014 N adds one.")
        self.note.setEnabled(bool(note))

    # -- commands ----------------------------------------------------------------------------------
    def answer(self, action: ReviewAction) -> None:
        """Answer for the highlight on screen and move to the next."""
        item = self.current
        if item is None or self._busy:
            return
        self._busy = True
        hid = item.highlight.id
        self._runner.run(lambda: self._library.review_highlight(hid, action), self._answered)

    def _answered(self, changes: Changes | None, error: BaseException | None) -> None:
        if changes is not None:
            self.changed.emit(changes)
        if error is not None:
            self.status.setText(f"Could not save the answer: {error}")
        self.reload()

    def edit_note(self) -> None:
        """Edit the note of the highlight on screen."""
        item = self.current
        if item is None or self._busy:
            return
        text = self._ask(self, item.highlight.quote, item.highlight.note)
        if text is None or text == item.highlight.note:
            return
        self._busy = True
        hid = item.highlight.id
        self._runner.run(lambda: self._library.update_highlight(hid, note=text).changes, self._answered)

    def open_in_issue(self) -> None:
        """Show the highlight in its issue (the review stays where it was)."""
        item = self.current
        if item is not None:
            self.open_requested.emit(item.highlight.issue_id, item.highlight.id)


def status_text(day: ReviewDay) -> str:
    """The line above the card: how far today's review is, and the streak."""
    streak = f"streak: {_plural(day.streak, 'day')}"
    if day.finished:
        return f"Daily review \u00b7 {streak}"
    return f"Daily review \u00b7 {day.done + 1} of {day.done + len(day.items)} today \u00b7 {streak}"


def done_text(day: ReviewDay) -> str:
    """What the done page says."""
    if day.done == 0 and day.in_review == 0:
        return "Nothing to review yet.\nHighlight passages as you read, and a few come back here each day."
    if day.done == 0:
        return "Nothing is due today.\nCome back tomorrow."
    return (f"Done for today \u2713\n{_plural(day.done, 'highlight')} reviewed \u00b7 "
            f"streak: {_plural(day.streak, 'day')}")  # fmt: skip


def context_html(item: ReviewItem, colour: str) -> str:
    """The sentence around the quote, the quote marked in its highlight colour."""
    before = html.escape(item.context[: item.quote_start])
    quote = html.escape(item.context[item.quote_start : item.quote_end])
    after = html.escape(item.context[item.quote_end :])
    lost = "<br><i>(its passage is no longer in the issue)</i>" if item.highlight.detached else ""
    return f'{before}<span style="background-color: {colour}; color: #1a1a1a;">{quote}</span>{after}{lost}'


def _plural(count: int, word: str) -> str:
    return f"{count} {word if count == 1 else word + 's'}"


def _label(name: str, text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setAccessibleName(name.removeprefix("review"))
    label.setWordWrap(True)
    if name != "reviewContext":
        label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _button(name: str, text: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text.split(" (")[0])
    button.setAutoDefault(False)
    button.clicked.connect(lambda _c=False: slot())
    return button
