"""Images kept offline: fetched once at import from 127.0.0.1 servers, stored by content, shown inline.

The image server logs every request, so "never fetched" is checked by what it saw. Image bytes
are real formats: a PNG written with zlib by the PNG spec (signature, IHDR, IDAT, IEND chunks).
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader.core import Library
from reader.core import _image_fetch as image_fetch
from reader.core._image_fetch import ImageRefused, checked_image, fetch_image


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


def _letter(tmp_path: Path, body: str, name: str = "letter.md") -> Path:
    path = tmp_path / name
    path.write_text(f"---\ntitle: Orchard Notes 3\npublication: Orchard Notes\ndate: 2024-03-01\n---\n\n{body}\n")
    return path


def test_images_are_stored_once_and_shown_inline(images: ImageServer, library: Library, tmp_path: Path) -> None:
    body = f"Intro.\n\n![Red apple]({images.base}/red.png)\n\n![Blue]({images.base}/blue.png)\n\nEnd."
    report = library.import_paths([_letter(tmp_path, body)])
    [issue_id] = report.files[0].issue_ids
    html_before = library.render_html(issue_id)
    assert "[Image: Red apple]" in html_before and "data:image" not in html_before
    kept = library.keep_images([issue_id])
    assert (kept.stored, kept.refused) == (2, ())
    html = library.render_html(issue_id)
    assert html.count('src="data:image/png;base64,') == 2
    assert "[Image: Red apple]" not in html
    assert library.plain_text(issue_id).count("\ufffc") == 2  # as Qt's toPlainText gives images
    assert library.stats()["stored_images"] == 2
    requests = len(images.requests)
    library.render_html(issue_id)
    library.keep_images([issue_id])  # already kept: nothing fetched again
    assert len(images.requests) == requests


def test_identical_images_are_stored_once(images: ImageServer, library: Library, tmp_path: Path) -> None:
    body = f"![a]({images.base}/red.png) and ![b]({images.base}/same-red.png)"
    [issue_id] = library.import_paths([_letter(tmp_path, body)]).files[0].issue_ids
    assert library.keep_images([issue_id]).stored == 2
    assert library.stored_images().count == 1  # content-addressed: one copy of the same bytes


def test_trackers_are_never_requested(images: ImageServer, library: Library, tmp_path: Path) -> None:
    body = (f"![pixel]({images.base}/open/abc.gif)\n\n![beacon]({images.base}/track/open/1)\n\n"
            f"![ok]({images.base}/red.png)")  # fmt: skip
    [issue_id] = library.import_paths([_letter(tmp_path, body)]).files[0].issue_ids
    library.keep_images([issue_id])
    assert images.requests == ["/red.png"]


def test_redirects_are_followed_but_never_off_the_web(images: ImageServer) -> None:
    assert fetch_image(f"{images.base}/moved.png").mime == "image/png"
    with pytest.raises(ImageRefused, match="redirected to not a web address"):
        fetch_image(f"{images.base}/to-file")


def test_the_bytes_decide_what_an_image_is(images: ImageServer) -> None:
    with pytest.raises(ImageRefused, match="not a PNG, JPEG, GIF or WebP"):
        fetch_image(f"{images.base}/lies.png")  # served as image/png, is HTML
    assert fetch_image(f"{images.base}/png-as-html").mime == "image/png"  # served as text/html, is a PNG


def test_a_decompression_bomb_is_refused_from_its_header(images: ImageServer) -> None:
    with pytest.raises(ImageRefused, match="60,000 × 60,000 pixels"):
        fetch_image(f"{images.base}/bomb.png")


def test_caps_per_image_and_per_issue(images: ImageServer, library: Library, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    with pytest.raises(ImageRefused, match="larger than 5 MB"):
        fetch_image(f"{images.base}/huge.png")
    monkeypatch.setattr(image_fetch, "MAX_ISSUE_BYTES", len(png()) + 10)  # room for one image
    body = f"![a]({images.base}/red.png) ![b]({images.base}/blue.png)"
    [issue_id] = library.import_paths([_letter(tmp_path, body)]).files[0].issue_ids
    kept = library.keep_images([issue_id])
    assert kept.stored == 1 and len(kept.refused) == 1
    html = library.render_html(issue_id)
    assert html.count("data:image/png") == 1 and "[Image: b]" in html  # over the cap: still a placeholder


def test_removing_stored_images_frees_the_space_and_moves_highlights(
    images: ImageServer, library: Library, tmp_path: Path
) -> None:
    body = f"![Red apple]({images.base}/red.png)\n\nPruning season starts in March."
    [issue_id] = library.import_paths([_letter(tmp_path, body)]).files[0].issue_ids
    library.keep_images([issue_id])
    edit = library.annotate(issue_id, "Pruning season")
    freed = library.remove_stored_images()
    assert freed.count == 1 and freed.size > 0
    assert library.stored_images().count == 0
    assert "[Image: Red apple]" in library.render_html(issue_id)
    [moved] = library.highlights(issue_id)
    text = library.plain_text(issue_id)
    assert text[moved.start : moved.end] == "Pruning season" and moved.start != edit.highlight.start


def test_a_refused_image_is_no_error(library: Library, tmp_path: Path) -> None:
    body = "![gone](http://127.0.0.1:9/nothing.png)"  # port 9 (discard): nothing listens
    [issue_id] = library.import_paths([_letter(tmp_path, body)]).files[0].issue_ids
    kept = library.keep_images([issue_id])
    assert kept.stored == 0 and "network error" in kept.refused[0]
    assert "[Image: gone]" in library.render_html(issue_id)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"GIF89a" + struct.pack("<HH", 3, 4) + b"\x00" * 8, ("image/gif", 3, 4)),
        (b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x00" * 8 + (9).to_bytes(3, "little") + (4).to_bytes(3, "little"),
         ("image/webp", 10, 5)),
        (b"\xff\xd8\xff\xe0\x00\x04ab\xff\xc0\x00\x11\x08\x00\x20\x00\x30" + b"\x00" * 10, ("image/jpeg", 48, 32)),
    ],
)
def test_header_sizes_of_other_formats(data: bytes, expected: tuple[str, int, int]) -> None:
    image = checked_image(data)
    assert (image.mime, image.width, image.height) == expected


def test_the_markdown_export_writes_the_images_beside_the_notes(
    images: ImageServer, library: Library, tmp_path: Path
) -> None:
    body = f"![Red apple]({images.base}/red.png)\n\nPruning season starts in March."
    [issue_id] = library.import_paths([_letter(tmp_path, body)]).files[0].issue_ids
    library.keep_images([issue_id])
    library.annotate(issue_id, "Pruning season")
    out = tmp_path / "notes"
    [note] = library.export_markdown(out)
    [picture] = (out / "images").iterdir()
    assert picture.read_bytes() == png()
    assert f"![](images/{picture.name})" in note.read_text()
    library.export_markdown(out)  # again: the same bytes, no second section
    assert note.read_text().count("## Images") == 1
