"""The campaign office plans its own campaigns: who may plan, over which offices,
and (reader.py, importer.py) a plan document read into phases, sections and tasks."""
