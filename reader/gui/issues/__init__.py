"""The issue list: its model, panel and read/starred flags."""
