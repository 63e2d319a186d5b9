"""Process-level pieces: one instance per library, start-up checks, generic dialogs."""
