"""Before Qt: a machine without a display or with X libraries missing gets words, never an abort."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from reader.gui.misc.startup import display_problem, missing_xcb_libraries


def _libs(missing: set[str]) -> Callable[[str], str | None]:  # a fake ctypes.util.find_library
    return lambda name: None if name in missing else f"lib{name}.so"


def test_no_display_is_said_in_words_with_how_to_run_offscreen() -> None:
    problem = display_problem(_libs(set()), env={}, platform="linux")
    assert problem is not None and "no display" in problem and "QT_QPA_PLATFORM=offscreen" in problem


def test_missing_libraries_are_named_even_without_a_display() -> None:
    # The tester's machine: some xcb libraries missing and DISPLAY unset; Qt aborted with SIGABRT.
    assert missing_xcb_libraries(_libs({"xcb-cursor"}), env={}, platform="linux") == ["xcb-cursor"]
    problem = display_problem(_libs({"xcb-cursor", "xcb-shape"}), env={}, platform="linux")
    assert problem is not None and "libxcb-cursor" in problem and "apt install" in problem


def test_a_usable_display_or_offscreen_is_no_problem() -> None:
    assert display_problem(_libs(set()), env={"DISPLAY": ":0"}, platform="linux") is None
    assert display_problem(_libs({"xcb-cursor"}), env={"QT_QPA_PLATFORM": "offscreen"}, platform="linux") is None
    assert display_problem(_libs(set()), env={"WAYLAND_DISPLAY": "wayland-0"}, platform="linux") is None
    assert display_problem(_libs({"xcb-cursor"}), env={}, platform="darwin") is None


def test_the_command_without_a_display_exits_1_with_a_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "reader.cli", "--data-dir", str(tmp_path / "lib"), "gui"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])  # Qt's abort is -6 / 134
    assert "cannot open a window" in result.stderr and "Traceback" not in result.stderr
