"""One writer per prompt target. Each takes the gathered facts and returns its text."""
