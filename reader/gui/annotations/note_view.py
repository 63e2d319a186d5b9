"""Showing a note as what it is, Markdown: rendered (by the core's sanitiser) in tooltips and rows."""

from __future__ import annotations

import html

from PySide6.QtGui import QFont, QTextDocument

from reader.core import note_html


def note_tooltip(note: str, quote: str = "") -> str:
    """Rich text for a tooltip: the whole note rendered (after the quote, when one is given)."""
    quoted = f"<p><i>“{html.escape(' '.join(quote.split()))}”</i></p>" if quote else ""
    return f"<qt>{quoted}{note_html(note)}</qt>"


def marked_note_html(note: str, mark: str = "✎ ") -> str:
    """The rendered note with ``mark`` leading its first paragraph."""
    body = note_html(note)
    lead = f"<p>{html.escape(mark)}"
    return lead + body[3:] if body.startswith("<p>") else f"{lead}</p>{body}"


def note_document(note: str, font: QFont, width: float, mark: str = "") -> QTextDocument:
    """A laid-out document of the rendered note, ``width`` wide, ``mark`` before it (to paint in a row)."""
    document = QTextDocument()
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setDefaultStyleSheet("p, ul, ol, blockquote, pre { margin-top: 0; margin-bottom: 2px; }")
    document.setHtml(marked_note_html(note, mark))
    document.setTextWidth(max(width, 1.0))
    return document
