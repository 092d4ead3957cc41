"""Models of the complaints app: filled in by its own issue."""
