"""Turn stored response bytes into text, whatever the page claims about its charset.

Indonesian regional sites often declare the wrong charset (a WordPress theme that
says ``ISO-8859-1`` while serving UTF-8, or an old CMS that says ``UTF-8`` while
serving windows-1252). A wrong guess turns "Pj. Bupati" quotes into mojibake that
later stages cannot repair, so the order of trust is: byte-order mark, then a
strict UTF-8 decode (valid multi-byte UTF-8 almost never happens by accident),
then the declared charsets (HTTP header, then ``<meta>``) if they decode cleanly,
then statistical detection, then windows-1252, which never fails.
"""

from __future__ import annotations

import codecs
import logging
import re

logger = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
# Browsers (WHATWG Encoding Standard) treat these labels as windows-1252; so do we,
# because pages labelled latin-1 routinely contain 0x80-0x9F curly quotes.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "cp819", "iso-ir-100"}


def declared_meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB of markup, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _normalise_label(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes | str, http_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns ``(text, encoding_used)``."""
    if isinstance(data, str):
        return data, "str"
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        text = data.decode("utf-8")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    for label in (http_charset, declared_meta_charset(data)):
        name = _normalise_label(label)
        if name is None or name == "utf-8":
            continue  # utf-8 already failed strictly: the declaration is wrong
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            logger.debug("declared charset %s does not decode the page", label)
    guessed = _detect(data)
    if guessed:
        try:
            return data.decode(guessed), guessed
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace"), "cp1252"


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # a trafilatura dependency; absent only in odd installs
        return None
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    name = _normalise_label(best.encoding)
    # Single-byte Latin text with a few high bytes is far more often cp1252 than
    # the Cyrillic or Turkish code page a detector may prefer on short samples.
    if name and name.startswith(("cp125", "iso8859", "mac", "cp8", "koi8")):
        return "cp1252"
    return name
