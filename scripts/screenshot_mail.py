"""Screenshots for issue #19: an RSS issue with its images kept offline, and the Subscribe dialog.

Usage: ``.venv/bin/python scripts/screenshot_mail.py [output_dir]`` (default resources/screenshots/mailbox).
A feed with two pictures and a tracking pixel is served from 127.0.0.1; the window subscribes to
it (the pictures are fetched then, once), the server is shut down (the network is "off"), and
the issue is opened: its pictures show from the library. Writes offline-images.png and
subscribe-dialog.png.
"""

from __future__ import annotations

import os
import struct
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from reader.gui import build_window
from reader.gui.background.imports import ImportController

ROOT = Path(__file__).resolve().parents[1]


def _png(width: int, height: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> bytes:
    """A vertical gradient as a real PNG (signature, IHDR, zlib IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = []
    for y in range(height):
        t = y / max(1, height - 1)
        colour = bytes(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        rows.append(b"\x00" + colour * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))  # fmt: skip


def _serve() -> tuple[ThreadingHTTPServer, list[str]]:
    requests: list[str] = []
    pictures = {"/orchard.png": _png(480, 160, (250, 200, 90), (90, 160, 70)),
                "/pear.png": _png(240, 120, (200, 230, 120), (120, 170, 60))}  # fmt: skip
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Orchard Notes</title>
<link>{base}/</link><description>Letters from the orchard</description>
<item><title>Orchard Notes 22: Blossom week</title><guid>{base}/22</guid>
<pubDate>Mon, 03 Apr 2023 08:00:00 +0000</pubDate><description><![CDATA[
<h2>The trees are in flower</h2><p>The first warm week opened every bud at once.</p>
<p><img src="{base}/orchard.png" alt="The orchard in bloom"></p>
<p>Pollination needs bees more than sun; we counted forty hives along the south row.</p>
<p><img src="{base}/pear.png" alt="A pear branch"></p>
<p><img src="{base}/open/pixel.gif" width="1" height="1" alt=""></p>
<p>Next week: thinning the fruitlets.</p>]]></description></item></channel></rss>""".encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            requests.append(self.path)
            body, kind = (feed, "application/rss+xml") if self.path == "/feed.xml" else (
                pictures.get(self.path, b""), "image/png")  # fmt: skip
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd.RequestHandlerClass = Handler
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, requests


def main(argv: list[str]) -> int:
    """Write the two screenshots; returns the exit code."""
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "resources" / "screenshots" / "mailbox"
    out.mkdir(parents=True, exist_ok=True)
    httpd, requests = _serve()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        window = build_window(Path(tmp) / "data")
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        window.resize(1280, 860)
        window.show()
        importer = window.findChild(ImportController, "importer")
        while importer is not None and importer.running:  # the samples a new library starts with
            app.processEvents()
            time.sleep(0.05)
        result = window.library.subscribe(f"{base}/feed.xml")
        window.findChild(QObject, "issueModel").reload()  # type: ignore[union-attr]
        httpd.shutdown()  # the network is off from here on
        httpd.server_close()
        print("requested:", requests)
        window.show_list()
        window.open_issue(result.issue_ids[0])
        for _ in range(40):
            app.processEvents()
            time.sleep(0.02)
        window.open_issue(result.issue_ids[0])  # selected in the list, now that the list has it
        for _ in range(20):
            app.processEvents()
        window.statusBar().clearMessage()
        window.grab().save(str(out / "offline-images.png"))
        print(out / "offline-images.png")

        def grab_dialog() -> None:
            for widget in app.topLevelWidgets():
                if isinstance(widget, QInputDialog) and widget.isVisible():
                    widget.setTextValue("imaps://you@mail.example.org/Newsletters")
                    widget.resize(720, widget.sizeHint().height())
                    app.processEvents()
                    widget.grab().save(str(out / "subscribe-dialog.png"))
                    print(out / "subscribe-dialog.png")
                    widget.reject()

        QTimer.singleShot(300, grab_dialog)
        window.action("SubscribeFeed").trigger()
        window.close()
        window.library.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
