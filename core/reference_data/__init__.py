"""Reference data copied into the project (source and licence in README.md)."""
