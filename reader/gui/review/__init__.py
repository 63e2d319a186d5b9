"""The daily review of highlights (a focused view, key R) and imports from other readers (#18)."""
