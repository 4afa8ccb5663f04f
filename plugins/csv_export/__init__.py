"""CSV export of every list: a default plugin on the exporter hook."""
