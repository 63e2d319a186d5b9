"""Control characters never reach the terminal: everything the CLI prints passes through here.

Titles, file names, notes and error messages come from files and feeds nobody vetted; an escape
sequence in a newsletter's title could move the cursor, retitle the terminal or hide text. Every
C0 and C1 control character (and DEL) except newline and tab is shown as U+FFFD instead.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SHOWN_INSTEAD = "\ufffd"


def sanitise(text: str) -> str:
    """``text`` with every control character but ``\\n`` and ``\\t`` replaced by U+FFFD."""
    return _CONTROL.sub(SHOWN_INSTEAD, text)


class SafeStream:
    """A text stream that sanitises what is written to it; everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` without its control characters."""
        return self._stream.write(sanitise(text))

    def writelines(self, lines: Any) -> None:
        """Write each line without its control characters."""
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def safe_standard_streams() -> Iterator[None]:
    """Within: ``sys.stdout`` and ``sys.stderr`` sanitise what is written (the progress bar keeps the
    raw stream it was given, for its carriage return)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
