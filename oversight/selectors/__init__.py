"""Reads for the oversight pages: every figure is a database aggregate, computed in
a fixed number of queries whatever the number of offices and rows."""
