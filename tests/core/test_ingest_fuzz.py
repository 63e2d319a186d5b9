"""Fuzzing parse_file: random bytes and mangled fixtures give issues or an IngestError, nothing else."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core._ingest import parse_file
from reader.core.errors import IngestError
from reader.core.types import ParsedIssue

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
SAMPLES = {path.name: path.read_bytes() for path in sorted(FIXTURES.iterdir()) if path.is_file()}
# Fragments that steer a mutation into the parsers' corners (detection, MIME, XML, front matter).
TOKENS = [
    b"From ", b"From: a <a@b.c>\nTo: x\n", b"---\n", b"+++\n", b"<html>", b"</html>", b"<!DOCTYPE x [",
    b'<!ENTITY e "x">', b"&e;", b"&nbsp;", b"<![CDATA[", b"=?utf-8?q?=FF?=", b"--outer\n", b"\r\n",
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"<div>" * 20, b"# ", b"Content-Type: text/html\n\n", b"<rss>",
]  # fmt: skip
FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mangled_fixture(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SAMPLES)))
    data = bytearray(SAMPLES[name])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        operation = draw(st.sampled_from(["truncate", "insert", "delete", "flip"]))
        if operation == "truncate":
            del data[at:]
        elif operation == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=16)))
        elif operation == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=64))]
        elif at < len(data):
            data[at] ^= draw(st.integers(min_value=1, max_value=255))
    return name, bytes(data)


def _outcome(path: Path) -> list[ParsedIssue] | IngestError:
    try:
        return parse_file(path)
    except IngestError as exc:
        return exc


def _check(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    outcome = _outcome(path)
    if isinstance(outcome, IngestError):
        assert outcome.path == str(path)
        assert path.name in str(outcome)
        return
    assert outcome
    for issue in outcome:
        assert isinstance(issue, ParsedIssue)
        assert isinstance(issue.markdown, str)
        assert issue.title
        assert issue.publication
        assert issue.date is None or len(issue.date) == 10
        assert issue.number is None or issue.number >= 0


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(
    data=st.binary(max_size=2048),
    suffix=st.sampled_from(["", ".md", ".html", ".eml", ".mbox", ".xml", ".txt"]),
)
def test_random_bytes(fuzz_dir: Path, data: bytes, suffix: str) -> None:
    _check(fuzz_dir / f"random{suffix}", data)


@FUZZ
@given(case=mangled_fixture())
def test_mangled_fixtures(fuzz_dir: Path, case: tuple[str, bytes]) -> None:
    name, data = case
    _check(fuzz_dir / name, data)
