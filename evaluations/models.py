"""Models of the evaluations app: filled in by its own issue."""
