"""Judging: a harness per language calls the user's function on each test's typed input, in the sandbox."""
