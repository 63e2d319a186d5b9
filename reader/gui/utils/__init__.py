"""Small Qt helpers every other package may use: settings keys, formatting, combo boxes, the change signal."""
