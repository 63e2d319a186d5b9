"""Link addresses as works: unwrap click-tracking redirects, drop tracking parameters, canonicalise,
and recognise one work (an arXiv paper, a DOI, a GitHub repository, a YouTube video) in every form.

Canonicalisation (query order, percent-encoding, case of scheme and host, default ports, fragments)
and removing query parameters are w3lib's (``canonicalize_url``, ``url_query_cleaner``: Scrapy's URL
library, maintained and typed); what is ours is what only a newsletter reader needs: which
parameters track a reader, which hosts are mobile or AMP copies, and which redirects carry the real
address inside them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs", "vero_", "oly_")
"""Query parameters that only tell a sender who clicked (Google Analytics, Mailchimp, Matomo, HubSpot…)."""
TRACKING_NAMES = frozenset({
    "ref", "ref_src", "ref_url", "referrer", "fbclid", "gclid", "dclid", "msclkid", "igshid", "mkt_tok",
    "si", "sr_share", "triedredirect", "isfreemail", "_ga", "_gl", "cmpid", "ncid", "ocid", "wt_mc", "trk",
})
"""Whole names that track on any site (``si``: a YouTube or Spotify share id)."""
_HOST_TRACKING = {"twitter.com": frozenset({"s", "t"}), "x.com": frozenset({"s", "t"}),
                  "substack.com": frozenset({"r", "s", "publication_id", "post_id", "triedredirect"})}
"""Names that track only on some sites (``?s=20`` on Twitter; Substack's ``?r=`` referral)."""
_KEEP_ALWAYS = frozenset({"v", "list", "t"})
"""Never tracking, whatever host: ``v`` is a YouTube video, ``list`` a playlist, ``t`` a time in it."""
_MOBILE_PREFIXES = ("m.", "mobile.", "amp.")
_REDIRECT_PARAMS = ("url", "u", "q", "target", "redirect", "redirect_url", "redirect_uri", "dest", "destination",
                    "link", "to", "goto", "out", "href", "r")
_ARXIV = re.compile(r"^/(?:abs|pdf|html|format)/((?:\d{4}\.\d{4,5})|(?:[a-z\-]+(?:\.[A-Z]{2})?/\d{7}))(?:v\d+)?"
                    r"(?:\.pdf)?/?$", re.IGNORECASE)
_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
_DOI = re.compile(r"^/(10\.\d{4,9}/\S+?)/?$")
_GITHUB_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*)$")
_GITHUB_NOT_OWNERS = frozenset({"about", "features", "pricing", "topics", "marketplace", "sponsors", "orgs",
                                "settings", "login", "join", "explore", "collections", "trending", "search"})
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


@dataclass(frozen=True)
class WorkRef:
    """What a link points to, as one work.

    Attributes:
        key: the same for every form of a link to the work: ``arxiv:2212.06817``, ``doi:10.1/x``,
            ``github:owner/repo``, ``youtube:ID``, else ``url:`` + the clean address.
        kind: ``arxiv``, ``doi``, ``github``, ``youtube`` or ``url``.
        site: the host the work is on, without ``www.`` (``arxiv.org``).
        url: the address to open: the canonical one for a recognised work, else the clean link.
        ident: the work's own id (``2212.06817``, ``10.1/x``, ``owner/repo``), "" for a plain page.
    """

    key: str
    kind: str
    site: str
    url: str
    ident: str = ""


def clean_url(raw: str) -> str | None:
    """The address a link really points to, without trackers, in canonical form; None if not a web link."""
    url = raw.strip()
    for _ in range(3):  # a redirect inside a redirect
        inner = _unwrapped(url)
        if inner is None:
            break
        url = inner
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = _bare_host(parts.hostname)
    netloc = host if parts.port in (None, 80, 443) else f"{host}:{parts.port}"
    path = _bare_path(parts.path)
    url = urlunsplit(("https", netloc, path, parts.query, ""))
    trackers = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True) if _tracks(name, host)]
    if trackers:
        url = url_query_cleaner(url, trackers, remove=True)
    return str(canonicalize_url(url))


def work_of(raw: str) -> WorkRef | None:
    """The work a link points to (None if it is not a web link)."""
    url = clean_url(raw)
    if url is None:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    for recognise in (_arxiv, _doi, _github, _youtube):
        work = recognise(host, parts.path, parts.query)
        if work is not None:
            return work
    return WorkRef(f"url:{url}", "url", host, url)


def work_from_query(text: str) -> WorkRef | None:
    """What a person typed for a work: an address, an arXiv id, a DOI or ``owner/repo`` on GitHub."""
    text = text.strip()
    match = _ARXIV_ID.match(text.removeprefix("arXiv:").removeprefix("arxiv:"))
    if match:
        return _arxiv_ref(match.group(1))
    if re.match(r"^(doi:)?10\.\d{4,9}/\S+$", text, re.IGNORECASE):
        return _doi_ref(text.split(":", 1)[1] if text.lower().startswith("doi:") else text)
    if "://" not in text and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", text, re.IGNORECASE):
        text = "https://" + text
    return work_of(text)


def _tracks(name: str, host: str) -> bool:
    lowered = name.lower()
    site = ".".join(host.split(".")[-2:])
    if lowered in _HOST_TRACKING.get(site, ()):
        return True
    if lowered in _KEEP_ALWAYS:
        return False
    return lowered in TRACKING_NAMES or lowered.startswith(TRACKING_PREFIXES)


def _bare_host(host: str) -> str:
    host = host.lower().rstrip(".")
    for prefix in ("www.", *_MOBILE_PREFIXES):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    labels = host.split(".")
    if len(labels) > 3 and labels[1] in ("m", "mobile"):  # en.m.wikipedia.org
        host = ".".join([labels[0], *labels[2:]])
    return host


def _bare_path(path: str) -> str:
    """No trailing slash, no AMP suffix (``/amp``, ``.amp``, ``/amp/``)."""
    path = re.sub(r"(/amp/?|\.amp)$", "", path, flags=re.IGNORECASE)
    path = re.sub(r"/index\.html?$", "", path, flags=re.IGNORECASE)
    return path.rstrip("/") or "/"


def _unwrapped(url: str) -> str | None:
    """The real address inside a click-tracking redirect, when it is there to read; else None.

    Query parameters holding an address (Google's ``/url?q=``, many senders' ``?url=``), a path
    segment that is one (``/redirect/https://…``), and base64 in the path: Substack's
    ``/redirect/2/<base64 JSON with "e": address>`` and ConvertKit's ``/<base64 address>``.
    Mailchimp's ``list-manage.com/track/click?u=…&id=…`` holds only ids: it is kept as it is.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return None
    for name, value in parse_qsl(parts.query):
        if name.lower() in _REDIRECT_PARAMS and re.match(r"^https?://", value, re.IGNORECASE):
            return value
    segments = [s for s in parts.path.split("/") if s]
    for i, segment in enumerate(segments):
        decoded = unquote(segment)
        if decoded.lower() in ("http:", "https:"):
            return decoded + "//" + "/".join(segments[i + 2:]) + (f"?{parts.query}" if parts.query else "")
        if re.match(r"^https?://", decoded, re.IGNORECASE):
            return decoded
        found = _base64_address(segment) if len(segment) >= 16 else None
        if found is not None:
            return found
    return None


def _base64_address(segment: str) -> str | None:
    head = segment.split(".", 1)[0]  # a JWT's first part is the payload in Substack's links
    try:
        text = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if re.match(r"^https?://\S+$", text):
        return text
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if isinstance(data, dict):
            for key in ("e", "url", "u", "href", "target"):
                value = data.get(key)
                if isinstance(value, str) and re.match(r"^https?://", value):
                    return value
    return None


def _arxiv_ref(ident: str) -> WorkRef:
    return WorkRef(f"arxiv:{ident}", "arxiv", "arxiv.org", f"https://arxiv.org/abs/{ident}", ident)


def _arxiv(host: str, path: str, _query: str) -> WorkRef | None:
    if host not in ("arxiv.org", "export.arxiv.org"):
        return None
    match = _ARXIV.match(path)
    return _arxiv_ref(match.group(1)) if match else None


def _doi_ref(ident: str) -> WorkRef:
    ident = unquote(ident).rstrip("/").lower()  # DOIs are case-insensitive
    return WorkRef(f"doi:{ident}", "doi", "doi.org", f"https://doi.org/{ident}", ident)


def _doi(host: str, path: str, _query: str) -> WorkRef | None:
    if host not in ("doi.org", "dx.doi.org"):
        return None
    match = _DOI.match(unquote(path))
    return _doi_ref(match.group(1)) if match else None


def _github(host: str, path: str, _query: str) -> WorkRef | None:
    if host != "github.com":
        return None
    segments = [s for s in path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() in _GITHUB_NOT_OWNERS:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if not (_GITHUB_NAME.match(owner) and _GITHUB_NAME.match(repo)):
        return None
    ident = f"{owner}/{repo}".lower()  # GitHub names are case-insensitive
    return WorkRef(f"github:{ident}", "github", "github.com", f"https://github.com/{owner}/{repo}", ident)


def _youtube(host: str, path: str, query: str) -> WorkRef | None:
    video = ""
    if host == "youtu.be":
        video = path.strip("/").split("/")[0]
    elif host in ("youtube.com", "music.youtube.com", "youtube-nocookie.com"):
        if path == "/watch":
            video = dict(parse_qsl(query)).get("v", "")
        else:
            match = re.match(r"^/(?:embed|shorts|live|v)/([^/]+)", path)
            video = match.group(1) if match else ""
    if not _YOUTUBE_ID.match(video):
        return None
    return WorkRef(f"youtube:{video}", "youtube", "youtube.com", f"https://www.youtube.com/watch?v={video}", video)


def link_term(text: str) -> str:
    """The ``link:`` index term for what a person typed: a work's key for an address or an id (``2212.06817``
    stays the id, which the index holds too), else the host or text lowercased, without ``www.``."""
    text = text.strip().strip('"').lower()
    if "/" in text or "://" in text:
        ref = work_from_query(text)
        if ref is not None:
            return ref.key.lower()
    return text.removeprefix("www.")
