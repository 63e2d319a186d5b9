"""Highlights and notes: the editor, the highlight model/delegate/panel, colours, the notebook."""
