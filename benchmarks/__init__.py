"""Reproducible performance measurements of the register (`make bench`); see README.md.

Not timed tests: `python -m benchmarks.run` makes its own database, data and users,
measures the API and the write paths beside the raw SQL of the same questions, prints
a table and drops everything it created.
"""
