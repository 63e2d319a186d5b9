"""Running work off the window's thread: worker threads, child-process jobs, imports, feeds, upkeep."""
