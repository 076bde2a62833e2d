"""Use cases that hold the GIL for a long time, run in a process of their own beside the web worker."""
