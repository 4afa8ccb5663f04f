"""`{% export_links kind query as links %}`: the download links of the installed formats, so
a page whose view does not know about exports (e.g. /mijn-aanbod) can still show them."""

from django import template

from plugins.catalogus.exports import export_links as links_for

register = template.Library()


@register.simple_tag
def export_links(kind: str, query: str = "") -> list[dict]:
    return links_for(kind, query or "")
