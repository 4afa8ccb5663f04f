"""ArchiMate Model Exchange File Format (AMEFF): GEMMA releases in, landscapes out."""
