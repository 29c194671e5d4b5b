"""Canonical URLs and the stable ids derived from them.

One story reaches us under many URLs (tracking parameters, AMP and mobile
variants, ``?page=all``). Ids are ``uuid3(NAMESPACE_URL, canonical_url)`` so the
same story always gets the same id, across crawls and machines.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|ref|ref_src|source|"
    r"amp|amp_js_v|usqp|outputType|share|fb_ref|igshid|s_cid|wt_mc|cmpid|__twitter_impression|"
    r"page|single|showall|view)$",
    re.IGNORECASE,
)
# Parameters that select the whole story on one page ("?page=all") are dropped with the rest;
# a real page number ("?page=2") is kept because it is a different part of the text.
_KEEP_NUMERIC_PAGE = re.compile(r"^\d+$")
_MOBILE_HOST = re.compile(r"^(m|mobile|amp)\.", re.IGNORECASE)
_AMP_PATH = re.compile(r"(/amp/?$|^/amp/|\.amp$|/amp(?=/))", re.IGNORECASE)


def ascii_host(host: str) -> str:
    """A host name in its ASCII (punycode) form, lower-cased: ``bérita.id`` -> ``xn--brita-bsa.id``.

    Pages link to an internationalised domain either way; the registry and the links must compare in one form.
    IDNA 2008 with UTS 46 mapping (the ``idna`` package, as browsers do); a name it refuses is kept as given.
    """
    host = host.strip().rstrip(".").lower()
    if host.isascii():
        return host
    import idna

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return host


def host_and_port(url: str) -> str:
    """``host[:port]`` of a URL, the host in ASCII form; "" for a URL that cannot be parsed."""
    try:
        parts = urlsplit(url)
        host = ascii_host(parts.hostname or "")
        port = parts.port  # raises for a port above 65535 or not a number
    except ValueError:
        return ""
    return host if port is None else f"{host}:{port}"


def canonical_url(url: str) -> str:
    """Normalise a URL so variants of one story compare equal.

    Lower-cases scheme and host, drops ``www.``, mobile/AMP host prefixes,
    ``/amp`` path segments, fragments, default ports, tracking parameters and
    ``page=all``-style parameters, and sorts the remaining query.
    """
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "http").lower()
    if scheme == "https":
        scheme = "http"  # the same story is served on both; the id must not depend on it
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    host = _MOBILE_HOST.sub("", host)
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = _AMP_PATH.sub("/", parts.path or "/")
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() == "page" and _KEEP_NUMERIC_PAGE.match(value) and value != "1":
            query.append((key.lower(), value))
            continue
        if _TRACKING_PARAMS.match(key):
            continue
        query.append((key, value))
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def stable_id(url: str) -> str:
    """The id of whatever lives at ``url``: uuid3 of its canonical form."""
    return str(uuid.uuid3(uuid.NAMESPACE_URL, canonical_url(url)))


def exact_id(url: str) -> str:
    """The id of one exact URL (fetches and raw pages are per URL, not per story)."""
    return str(uuid.uuid3(uuid.NAMESPACE_URL, url.strip()))


def content_id(*parts: str) -> str:
    """A short stable hash of some text, for ids of derived records."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:20]
