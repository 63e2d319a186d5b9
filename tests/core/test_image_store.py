"""Images kept offline: fetched once at import from 127.0.0.1 servers, stored by content, shown inline.

The image server logs every request, so "never fetched" is checked by what it saw. Image bytes
are real formats: a PNG written with zlib by the PNG spec (signature, IHDR, IDAT, IEND chunks).
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from reader.core import Library
from reader.core import _image_fetch as image_fetch
from reader.core._image_fetch import ImageRefused, checked_image, fetch_image
from tests.image_server import ImageServer, png


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


# -- Fetch on request, Keep images in a job, removal's changes ----------------------------------------
def test_reading_never_fetches_and_fetch_brings_only_the_image_asked_for(
    images: ImageServer, library: Library, tmp_path: Path
) -> None:
    body = f"![Red apple]({images.base}/red.png)\n\n![Blue]({images.base}/blue.png)\n\n![px]({images.base}/open/a.gif)"
    [issue_id] = library.import_paths([_letter(tmp_path, body)]).files[0].issue_ids
    library.render_html(issue_id)
    library.plain_text(issue_id)
    assert images.requests == []  # an import without Keep images, and reading, never go online
    assert library.missing_images(issue_id) == [f"{images.base}/red.png", f"{images.base}/blue.png"]  # no tracker

    kept = library.fetch_image(issue_id, f"{images.base}/blue.png")
    assert (kept.stored, kept.refused, kept.issues) == (1, (), frozenset({issue_id}))
    assert kept.changes.issues == kept.changes.highlights == {issue_id}
    assert images.requests == ["/blue.png"]
    html = library.render_html(issue_id)
    assert html.count("data:image/png") == 1 and "[Image: Red apple]" in html and "[Image: Blue]" not in html
    assert library.missing_images(issue_id) == [f"{images.base}/red.png"]
    assert library.fetch_image(issue_id, f"{images.base}/blue.png") == type(kept)()  # kept already: no request
    assert images.requests == ["/blue.png"]


def test_fetch_refuses_what_the_issue_does_not_show_and_trackers(
    images: ImageServer, library: Library, tmp_path: Path
) -> None:
    body = f"![Red]({images.base}/red.png) ![px]({images.base}/open/a.gif)"
    [issue_id] = library.import_paths([_letter(tmp_path, body)]).files[0].issue_ids
    assert "not an image of this issue" in library.fetch_image(issue_id, f"{images.base}/blue.png").refused[0]
    assert "tracker" in library.fetch_image(issue_id, f"{images.base}/open/a.gif").refused[0]
    assert images.requests == []  # both refused before any request


def test_fetch_on_request_is_not_held_to_the_issue_caps(
    images: ImageServer, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(image_fetch, "MAX_IMAGES_PER_ISSUE", 1)
    body = f"![a]({images.base}/red.png) ![b]({images.base}/blue.png)"
    [issue_id] = library.import_paths([_letter(tmp_path, body)]).files[0].issue_ids
    assert library.keep_images([issue_id]).stored == 1  # over the cap: b stays a placeholder
    assert "[Image: b]" in library.render_html(issue_id)
    assert library.fetch_image(issue_id, f"{images.base}/blue.png").stored == 1  # asked for: fetched
    assert library.render_html(issue_id).count("data:image/png") == 2


def test_a_refused_fetch_says_why_and_keeps_the_placeholder(
    images: ImageServer, library: Library, tmp_path: Path
) -> None:
    body = f"![bad]({images.base}/lies.png)"
    [issue_id] = library.import_paths([_letter(tmp_path, body)]).files[0].issue_ids
    kept = library.fetch_image(issue_id, f"{images.base}/lies.png")
    assert kept.stored == 0 and "not a PNG, JPEG, GIF or WebP" in kept.refused[0] and kept.changes.empty
    assert "[Image: bad]" in library.render_html(issue_id)


def test_an_import_job_with_keep_images_keeps_them_and_reports_it(
    images: ImageServer, library: Library, tmp_path: Path
) -> None:
    from reader.core import Job

    path = _letter(tmp_path, f"![Red apple]({images.base}/red.png)\n\nPruning season.")
    steps: list[str] = []
    report = Job.import_paths([path], keep_images=True).run(library, lambda p: steps.append(p.stage) and None)
    [issue_id] = report.issue_ids
    assert report.images is not None and report.images.stored == 1
    assert issue_id in report.changes.issues and issue_id in report.changes.highlights
    assert "images" in steps
    assert "data:image/png" in library.render_html(issue_id)
    assert library.index_backlog() == 0  # indexed with its image character
    plain = Job.import_paths([_letter(tmp_path, f"![b]({images.base}/blue.png)", "b.md")]).run(library)
    assert plain.images is None and "/blue.png" not in images.requests  # without Keep images: nothing fetched


def test_removal_reports_the_issues_that_showed_images(images: ImageServer, library: Library, tmp_path: Path) -> None:
    [issue_id] = library.import_paths([_letter(tmp_path, f"![a]({images.base}/red.png)")]).files[0].issue_ids
    library.keep_images([issue_id])
    freed = library.remove_stored_images()
    assert freed.issues == {issue_id} and freed.changes.issues == {issue_id}
    assert library.stats()["stored_images"] == 0 and library.stats()["stored_image_bytes"] == 0
