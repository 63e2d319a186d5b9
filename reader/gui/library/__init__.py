"""The library sidebar (#16): shelves, publications as series, smart lists, tags."""
