"""The catalogue's pages on the public site: search, detail pages, compare, the landscape
of a gemeente or samenwerking, and a supplier's offer. Each module lists its own routes;
`urls.py` gathers them for the `register_site_urls` hook."""
