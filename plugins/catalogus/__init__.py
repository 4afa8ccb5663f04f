"""The catalogue's rules that a JSON Schema cannot express, and its demo data."""
