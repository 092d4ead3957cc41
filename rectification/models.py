"""Models of the rectification app: filled in by its own issue."""
