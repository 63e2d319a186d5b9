"""The reading pane: the view, its page HTML, positions, contents, theme, highlight actions."""
