"""The main window: its layout, saved state, appearance and the wiring of actions to handlers."""
