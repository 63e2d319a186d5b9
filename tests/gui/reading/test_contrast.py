"""Every text role in every theme meets WCAG AA (4.5:1), and search matches never look like highlights.

Contrast per WCAG 2.x (relative luminance, (L1 + 0.05) / (L2 + 0.05)); computed from the themes'
colours and the palette the window really gets, and from what the pane paints on marks.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from reader.core._schema import DEFAULT_COLORS
from reader.gui.reading.theme import AA_CONTRAST, THEMES, Theme, contrast_ratio, palette_for, readable_on

# The five default highlight colours (reader/core/_schema.py DEFAULT_COLORS).
HIGHLIGHTS = ("#f9e27d", "#9fd0f5", "#a8e0a0", "#f5b3d0", "#f7bf8a")


def _pairs(theme: Theme) -> dict[str, tuple[str, str]]:
    palette = palette_for(theme)

    def role(r: QPalette.ColorRole, group: QPalette.ColorGroup = QPalette.ColorGroup.Active) -> str:
        return palette.color(group, r).name()

    roles = QPalette.ColorRole
    disabled = QPalette.ColorGroup.Disabled
    return {
        "body text on the page": (role(roles.Text), role(roles.Base)),
        "panel text (Contents, Highlights headings)": (role(roles.WindowText), role(roles.Window)),
        "list rows, alternate rows": (role(roles.Text), role(roles.AlternateBase)),
        "buttons": (role(roles.ButtonText), role(roles.Button)),
        "selected rows": (role(roles.HighlightedText), role(roles.Highlight)),
        "links": (role(roles.Link), role(roles.Base)),
        "placeholder text": (role(roles.PlaceholderText), role(roles.Base)),
        "muted text on the page (bylines)": (theme.muted, theme.page),
        "muted text on panels (hints, snippets)": (theme.muted, theme.chrome),
        "disabled text (hints)": (role(roles.WindowText, disabled), role(roles.Window)),
        "tooltips": (role(roles.ToolTipText), role(roles.ToolTipBase)),
        "search matches": (readable_on(theme.match, theme.text), theme.match),
        "the current match": (readable_on(theme.current_match, theme.text), theme.current_match),
        **{f"highlight {h}": (readable_on(h, theme.text), h) for h in HIGHLIGHTS},
    }


@pytest.mark.parametrize("theme", THEMES.values(), ids=lambda t: t.name)
def test_every_text_role_meets_wcag_aa(theme: Theme) -> None:
    failing = {
        name: round(contrast_ratio(fg, bg), 2)
        for name, (fg, bg) in _pairs(theme).items()
        if contrast_ratio(fg, bg) < AA_CONTRAST
    }
    assert not failing, f"{theme.name}: below 4.5:1: {failing}"


def _lab_distance(a: str, b: str) -> float:
    """CIE76 colour difference (ΔE*ab): sRGB → XYZ (D65) → CIELAB, then the Euclidean distance."""

    def lab(hex_colour: str) -> tuple[float, float, float]:
        c = QColor(hex_colour)
        rgb = [((v / 255 + 0.055) / 1.055) ** 2.4 if v / 255 > 0.04045 else v / 255 / 12.92
               for v in (c.red(), c.green(), c.blue())]
        x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047
        y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
        z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883

        def f(t: float) -> float:
            return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))

    la, lb = lab(a), lab(b)
    return sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5


@pytest.mark.parametrize("theme", THEMES.values(), ids=lambda t: t.name)
def test_search_matches_are_distinct_from_every_highlight_colour(theme: Theme) -> None:
    # The old light theme's match colour #fff3a3 was ΔE ≈ 11 from the yellow highlight.
    for match in (theme.match, theme.current_match):
        for colour in HIGHLIGHTS:
            assert _lab_distance(match, colour) > 20, (theme.name, match, colour)
    assert theme.match_line  # matches are underlined too; highlights never are


def test_the_side_panel_headings_follow_the_dark_theme(window: QWidget) -> None:
    action = window.findChild(QAction, "actionThemeDark")
    assert action is not None
    action.trigger()
    labels = [label for label in window.findChildren(QLabel) if label.text() in ("Contents", "Highlights")]
    assert len(labels) == 2
    for label in labels:
        fg = label.palette().color(QPalette.ColorRole.WindowText).name()
        bg = label.palette().color(QPalette.ColorRole.Window).name()
        assert contrast_ratio(fg, bg) >= AA_CONTRAST, (label.text(), fg, bg)
        assert not label.styleSheet()  # a style sheet pins the palette it was set with


def test_the_tested_highlight_colours_are_the_library_defaults() -> None:
    assert tuple(hex_colour for _key, _label, hex_colour in DEFAULT_COLORS) == HIGHLIGHTS
