"""Back Issue: a desktop reader for newsletter issues (read offline, highlight, take notes, search)."""

__version__ = "0.1.0"
