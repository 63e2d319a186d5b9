"""Images the reading pane will not load: tracking pixels to drop, the rest to show as placeholders."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Hosts (and host suffixes) that serve open-tracking pixels in newsletters and web feeds.
_TRACKER_HOSTS = (
    "pixel.wp.com", "stats.wp.com", "google-analytics.com", "doubleclick.net", "list-manage.com",
    "mcusercontent.com/track", "eotrx.substackcdn.com", "email.beehiivstatus.com", "open.convertkit-mail.com",
    "feedburner.com", "feeds.feedburner.com", "pixel.mailerlite.com", "ct.sendgrid.net", "mailtrack.io",
    "links.buttondown.email", "track.customer.io", "quora.com/qemail/mark_read", "facebook.com/tr",
)  # fmt: skip
_TRACKER_PATH = re.compile(r"/(?:open|track/open|pixel|beacon|o\.gif|t\.gif|1x1)(?:[./?]|$)", re.IGNORECASE)


def is_tracker(src: str, width: str | None = None, height: str | None = None) -> bool:
    """True for a tracking pixel: 1×1 (or 0) by its attributes, a known tracker host, or an open-tracking path."""
    if _tiny(width) and _tiny(height):
        return True
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return False
    where = f"{(parts.hostname or '').lower()}{parts.path}"
    if any(host in where for host in _TRACKER_HOSTS):
        return True
    return bool(parts.hostname) and bool(_TRACKER_PATH.search(parts.path))


def placeholder_text(alt: str) -> str:
    """What the pane shows instead of an image it may not load: "[Image: alt]" or "[Image]"."""
    alt = " ".join(alt.split())
    return f"[Image: {alt}]" if alt else "[Image]"


def _tiny(value: str | None) -> bool:
    if value is None:
        return False
    match = re.match(r"\s*(\d+)", value)
    return match is not None and int(match.group(1)) <= 1
