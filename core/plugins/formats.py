"""Text as file formats can carry it. XML 1.0 (AMEFF, SVG, and the XML inside an .xlsx)
refuses control characters, lone surrogates and U+FFFE/U+FFFF; register text may hold them
(pasted from elsewhere), and one such character would break every file that names it."""

import re

XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value) -> str:
    """`value` as text without the characters XML 1.0 cannot carry."""
    return XML_UNSAFE.sub("", str(value))
