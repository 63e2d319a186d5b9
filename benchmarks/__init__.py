"""Performance benchmarks of Back Issue (not tests): synthetic corpus, real Library, FTS5 baseline."""
