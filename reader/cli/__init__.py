"""The ``backissue`` command: the second face of the core (the window is the first).

Exit status: 0 on success, 1 when a file failed or a query was refused, 2 on usage errors.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from reader.cli.commands import run
from reader.cli.parser import build_parser
from reader.cli.safe_text import safe_standard_streams
from reader.core.errors import ReaderError


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    with safe_standard_streams():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(format="backissue: %(message)s", level=logging.WARNING, stream=sys.stderr)
    try:
        return run(args)
    except ReaderError as exc:
        print(f"backissue: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("backissue: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `backissue list | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
