"""The main window: its layout, saved state and appearance; its parts connect their own actions."""
