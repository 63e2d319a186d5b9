"""Reading themes (light, dark, sepia): the window palette and the reading pane's style sheet."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette


@dataclass(frozen=True)
class Theme:
    """The colours of one theme.

    Attributes:
        name: the key stored in the settings ("light", "dark", "sepia").
        label: what the View menu shows.
        page: the reading pane's background.
        text: body text.
        muted: secondary text (bylines, snippets' context).
        link: link colour.
        chrome: background of lists, panels and toolbars.
        selection: selected rows and selected text.
        match: background of search matches in the pane (a hue no highlight colour uses:
            matches are underlined violet, highlights are the five pastel colours).
        current_match: background of the match F3 is on.
        match_line: the underline of every search match.
    """

    name: str
    label: str
    page: str
    text: str
    muted: str
    link: str
    chrome: str
    selection: str
    match: str
    current_match: str
    match_line: str


THEMES: dict[str, Theme] = {
    t.name: t
    for t in (
        Theme("light", "&Light", "#ffffff", "#1f2328", "#59636e", "#0b5cad", "#f6f8fa", "#cfe3ff",
              "#e6dcff", "#c3a8ff", "#6f42c1"),
        Theme("dark", "&Dark", "#1e1f22", "#dcdde0", "#9aa0a6", "#7cb7ff", "#2b2d31", "#2f4f7f",
              "#3f3270", "#5b43a8", "#b69cff"),
        Theme("sepia", "&Sepia", "#f6efdf", "#3b2f22", "#6e5e4a", "#8a4b12", "#ece2cc", "#e0cfa6",
              "#e2d6f5", "#c2aef0", "#6a4aa8"),
    )
}
DEFAULT_THEME = "light"


def theme_named(name: str) -> Theme:
    """The theme called ``name``, or the default one for an unknown name (old settings)."""
    return THEMES.get(name, THEMES[DEFAULT_THEME])


def palette_for(theme: Theme) -> QPalette:
    """A full window palette in the theme's colours (lists, panels, the pane's page)."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.chrome,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.page,
        QPalette.ColorRole.AlternateBase: theme.chrome,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.chrome,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.Highlight: theme.selection,
        QPalette.ColorRole.HighlightedText: theme.text,
        QPalette.ColorRole.Link: theme.link,
        QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.ToolTipBase: theme.page,
        QPalette.ColorRole.ToolTipText: theme.text,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(theme.muted))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(theme.muted))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(theme.muted))
    return palette


def document_css(theme: Theme) -> str:
    """The reading pane's default style sheet (the subset of CSS QTextDocument understands)."""
    return f"""
body {{ color: {theme.text}; }}
a {{ color: {theme.link}; text-decoration: none; }}
h1, h2, h3, h4 {{ font-weight: 600; margin-top: 1.2em; margin-bottom: 0.4em; }}
h1.issue-title {{ font-size: x-large; margin-top: 0; margin-bottom: 0.3em; }}
p.byline {{ color: {theme.muted}; margin-top: 0; }}
p, li {{ margin-top: 0; margin-bottom: 0.7em; }}
blockquote {{ color: {theme.muted}; margin-left: 1.2em; }}
code, pre {{ font-family: monospace; background-color: {theme.chrome}; }}
"""


DARK_INK, LIGHT_INK = "#1f2328", "#ffffff"
AA_CONTRAST = 4.5
"""WCAG 2.x level AA: the least contrast ratio for body text."""


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an ``#rrggbb`` colour (0 black .. 1 white)."""
    colour = QColor(hex_colour)

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green()) + 0.0722 * linear(colour.blue())


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio between two colours (1 .. 21)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable_on(background: str, preferred: str) -> str:
    """``preferred`` text colour if it meets AA on ``background``, else the better of dark and light ink
    (a pastel highlight under the dark theme's light text needs dark text)."""
    if contrast_ratio(preferred, background) >= AA_CONTRAST:
        return preferred
    return max((DARK_INK, LIGHT_INK), key=lambda ink: contrast_ratio(ink, background))
