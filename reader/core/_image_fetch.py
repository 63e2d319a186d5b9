"""Fetching one newsletter image, once, at import: capped, sniffed, its size checked before decoding.

Nothing here trusts the server: the Content-Type is ignored and the bytes say what the image is
(PNG, JPEG, GIF or WebP; anything else, SVG included, is refused); the width and height are read
from the file's header and an image of more than MAX_PIXELS is refused before anything decodes it
(a 50,000 × 50,000 PNG of a few KB would take 10 GB to show). Redirects go to http(s) only and
never to a tracker. Every refusal is an ImageRefused with the reason in words.
"""

from __future__ import annotations

import hashlib
import http.client
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import IO

from reader.core._images import is_tracker

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_ISSUE_BYTES = 20 * 1024 * 1024
MAX_IMAGES_PER_ISSUE = 60
MAX_PIXELS = 40_000_000  # 8,000 × 5,000: more than any newsletter image, far less than a bomb
USER_AGENT = "BackIssue/0.1 (+keeps newsletter images offline; fetched once)"
_CHUNK = 64 * 1024


class ImageRefused(Exception):
    """The image was not fetched or not kept; the message says why."""


@dataclass(frozen=True)
class FetchedImage:
    """An image's bytes and what they are (from the bytes, not the server's word)."""

    digest: str  # SHA-256 of the bytes: the content address
    mime: str
    width: int
    height: int
    data: bytes


def fetch_image(url: str, max_bytes: int = MAX_IMAGE_BYTES, timeout: float = 10) -> FetchedImage:
    """Fetch ``url`` (http or https) and check it is a real, reasonably sized image.

    Raises:
        ImageRefused: a tracker, a non-web address, a network or HTTP failure, too large, not an
            image, or too many pixels.
    """
    _check(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})  # noqa: S310
    try:
        with _opener().open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ImageRefused(f"larger than {_mb(max_bytes)}")
            data = _read_capped(response, max_bytes, time.monotonic() + 3 * timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if 300 <= exc.code < 400:  # urllib refuses a redirect to file:, ftp: (and any other) itself
            raise ImageRefused("redirected to not a web address") from None
        raise ImageRefused(f"the server answered HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise ImageRefused(f"network error ({exc.reason})") from None
    except (OSError, http.client.HTTPException) as exc:
        raise ImageRefused(f"network error ({type(exc).__name__})") from None
    return checked_image(data)


def checked_image(data: bytes) -> FetchedImage:
    """The bytes as an image record, if they are a PNG, JPEG, GIF or WebP of at most MAX_PIXELS."""
    mime, width, height = image_header(data)
    if width <= 0 or height <= 0:
        raise ImageRefused("the image has no size")
    if width * height > MAX_PIXELS:
        raise ImageRefused(f"the image is {width:,} × {height:,} pixels, too large to show safely")
    return FetchedImage(hashlib.sha256(data).hexdigest(), mime, width, height, data)


def image_header(data: bytes) -> tuple[str, int, int]:
    """(MIME type, width, height) read from the image's header; ImageRefused when it is no known image."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return "image/png", width, height
        if data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
            return "image/gif", width, height
        if data.startswith(b"\xff\xd8"):
            return ("image/jpeg", *_jpeg_size(data))
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return ("image/webp", *_webp_size(data))
    except struct.error:
        raise ImageRefused("the image is cut off") from None
    raise ImageRefused("not a PNG, JPEG, GIF or WebP image")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            index += 1
            continue
        marker = data[index + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            index += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        index += 2 + length
    raise ImageRefused("the JPEG image has no size in its header")


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    raise ImageRefused("the WebP image has no size in its header")


def _check(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        raise ImageRefused("not a valid web address") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ImageRefused("not a web address")
    if is_tracker(url):
        raise ImageRefused("a tracker: never fetched")


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) addresses that are not trackers, at most 5."""

    max_redirections = 5

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        try:
            _check(newurl)
        except ImageRefused as exc:
            fp.close()
            raise ImageRefused(f"redirected to {exc}") from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _SafeRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _read_capped(response: IO[bytes], max_bytes: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := response.read(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise ImageRefused(f"larger than {_mb(max_bytes)}")
        if time.monotonic() > deadline:
            raise ImageRefused("the download is too slow")
        chunks.append(chunk)
    return b"".join(chunks)


def _mb(size: int) -> str:
    return f"{size / 2**20:g} MB"
