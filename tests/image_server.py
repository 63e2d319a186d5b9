"""A 127.0.0.1 HTTP server of real images (the ``images`` fixture): every request is logged, so a
test can say which images were fetched, and that nothing was.

Image bytes are real formats: a PNG written with zlib by the PNG spec (signature, IHDR, IDAT, IEND).
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reader.core import _image_fetch as image_fetch


def png(width: int = 2, height: int = 2, colour: bytes = b"\xff\x00\x00") -> bytes:
    """A real RGB PNG (PNG spec: signature, IHDR, one zlib IDAT of filter-0 rows, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + colour * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def bomb_png() -> bytes:
    """A decompression bomb: 60,000 × 60,000 pixels declared, a few hundred bytes sent (IHDR only + a tiny IDAT)."""
    blob = png(1, 1)
    return blob[:16] + struct.pack(">II", 60_000, 60_000) + blob[24:]


@dataclass
class ImageServer:
    """A 127.0.0.1 HTTP server; ``requests`` lists every path asked for."""

    base: str = ""
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def images() -> Iterator[ImageServer]:
    server = ImageServer()
    routes: dict[str, tuple[int, str, bytes, dict[str, str]]] = {
        "/red.png": (200, "image/png", png(), {}),
        "/blue.png": (200, "image/png", png(colour=b"\x00\x00\xff"), {}),
        "/same-red.png": (200, "image/png", png(), {}),
        "/lies.png": (200, "image/png", b"<html><body>not an image</body></html>", {}),
        "/png-as-html": (200, "text/html", png(3, 3), {}),
        "/bomb.png": (200, "image/png", bomb_png(), {}),
        "/huge.png": (200, "image/png", png() + b"\x00" * (image_fetch.MAX_IMAGE_BYTES + 10), {}),
        "/moved.png": (302, "text/plain", b"", {"Location": "/red.png"}),
        "/to-file": (302, "text/plain", b"", {"Location": "file:///etc/passwd"}),
        "/wide.png": (200, "image/png", png(3000, 40, b"\x20\x60\xa0"), {}),  # wider than any pane
    }

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            server.requests.append(self.path)
            status, kind, body, headers = routes.get(self.path, (404, "text/plain", b"missing", {}))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    httpd.server_close()
