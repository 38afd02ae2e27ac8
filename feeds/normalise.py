"""Identity of a story: canonical URL, guid fallback chain and content hash.

The canonical URL is a de-duplication key, never a link we send (``url`` keeps the
original). Decisions, chosen so one article seen through several feeds gets one key:

* scheme becomes https, host is lower-cased, default ports, fragments and userinfo go;
* ``www.``, ``m.``, ``mobile.`` and ``amp.`` host prefixes are dropped and AMP path or
  query markers (``/amp``, ``.amp``, ``?amp=1``, ``outputType=amp``) removed; Google AMP
  cache URLs are unwrapped to the publisher's URL;
* tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid``, ``ref`` and similar)
  are dropped and the remaining query parameters sorted;
* a trailing slash on a non-root path is dropped;
* tabs and newlines inside the URL are dropped, spaces and other control characters percent-encoded,
  as browsers do (``clean_url``): a NUL or escape character from a feed never reaches the database;
* a host that is not a plain DNS name, or a result longer than ``MAX_URL_CHARS``, has no canonical form.

Every function here is total (never raises) and idempotent, which tests check with
Hypothesis on arbitrary text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "source",
        "src",
        "cmpid",
        "ito",
        "igshid",
        "ocid",
        "smid",
        "_ga",
        "at_medium",
        "at_campaign",
        "ns_source",
        "ns_mchannel",
        "ns_campaign",
        "rss",
    }
)
_TRACKING_PREFIXES = ("utm_", "at_", "ns_", "pk_", "mtm_", "hsa_")
_AMP_PARAMS = frozenset({"amp", "outputtype", "output"})
_MIRROR_PREFIXES = ("www.", "m.", "mobile.", "amp.")
_AMP_CACHE_SUFFIX = ".cdn.ampproject.org"
_AMP_PATH = re.compile(r"(?:/amp/?|\.amp)$")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_WHITESPACE = re.compile(r"\s+")
_HASH_SEPARATOR = "\x1f"
_HOST_NAME = re.compile(r"^[a-z0-9_.-]+$")  # (lower-cased by urlsplit) no IPv6 literal, markup or "%"
_URL_DROPPED = re.compile(r"[\t\n\r]")
_URL_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f\s]")  # controls and any Unicode space
MAX_URL_CHARS = 2048  # the longest URL storage keeps (feeds.url, stories.url and canonical_url)


def clean_url(url: str) -> str:
    """A URL as a browser sends it: trimmed, tabs and newlines dropped, spaces (of any kind) and
    control characters percent-encoded (the WHATWG URL rules)."""
    return _URL_CONTROL.sub(lambda match: quote(match.group()), _URL_DROPPED.sub("", url.strip()))


def canonicalise_url(url: str | None) -> str | None:
    """The de-duplication key of an article URL, or None for something that is not one."""
    if not url:
        return None
    previous = clean_url(url)
    # Unwrapping an AMP cache URL or dropping a marker can expose another one; iterate
    # to a fixed point so the function is idempotent.
    for _ in range(8):
        current = _canonicalise_once(previous)
        if current is None or current == previous:
            break
        previous = current
    return current if current is not None and len(current) <= MAX_URL_CHARS else None


def _canonicalise_once(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or not _HOST_NAME.match(host):
        return None
    if host.endswith(_AMP_CACHE_SUFFIX) and parts.path.startswith(("/c/s/", "/v/s/")):
        return "https://" + parts.path[len("/c/s/") :] + (f"?{parts.query}" if parts.query else "")
    while host.startswith(_MIRROR_PREFIXES) and host.count(".") > 1:
        host = host.split(".", 1)[1]
    netloc = host if port is None or str(port) == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(sorted(_kept_params(parts.query)))
    return urlunsplit(("https", netloc, path, query, ""))


def _kept_params(query: str) -> list[tuple[str, str]]:
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        name = key.lower()
        if name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES):
            continue
        if name in _AMP_PARAMS and value.lower() in {"", "1", "true", "amp"}:
            continue
        kept.append((key, value))
    return kept


def host_of(canonical_url: str | None) -> str | None:
    """The outlet's host (mirror prefixes already dropped), used to tell outlets apart."""
    return urlsplit(canonical_url).hostname if canonical_url else None


def normalise_for_hash(text: str) -> str:
    """NFKC, casefolded, single-spaced text; equal for trivially different renderings."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", folded)).strip()


def compute_content_hash(title: str, summary: str) -> str:
    """sha256 hex of the normalised title and summary: same words, same hash."""
    payload = normalise_for_hash(title) + _HASH_SEPARATOR + normalise_for_hash(summary)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def choose_guid(entry_id: str | None, canonical_url: str | None, content_hash: str) -> str:
    """Stable per-feed identity: the feed's id, else the canonical link, else the content hash."""
    if entry_id and entry_id.strip():
        return entry_id.strip()
    if canonical_url:
        return canonical_url
    return f"sha256:{content_hash}"
