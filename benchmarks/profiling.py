"""cProfile helpers: profile a callable and keep the top functions by cumulative and own time."""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from pathlib import Path
from typing import Any

TOP = 30


def _where(key: tuple[str, int, str]) -> str:
    """``module/path.py:line(function)`` with the site-packages or repository prefix cut off."""
    path, line, func = key
    for marker in ("site-packages/", "/work/main/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{line}({func})" if line else func


def top_functions(stats: pstats.Stats, sort: str, count: int = TOP) -> list[dict[str, Any]]:
    """The ``count`` heaviest functions by ``sort`` ("cumulative" or "tottime")."""
    index = 3 if sort == "cumulative" else 2
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = sorted(raw.items(), key=lambda item: item[1][index], reverse=True)[:count]
    return [
        {"function": _where(key), "calls": value[1], "tottime_s": round(value[2], 3),
         "cumtime_s": round(value[3], 3)}
        for key, value in rows
    ]  # fmt: skip


def profile_call(fn: Callable[[], Any], dump: Path | None = None) -> tuple[Any, dict[str, Any]]:
    """Run ``fn`` under cProfile; returns its result and the top functions (and writes a .prof dump)."""
    profiler = cProfile.Profile()
    result = profiler.runcall(fn)
    if dump is not None:
        profiler.dump_stats(dump)
    stats = pstats.Stats(profiler)
    total = max((v[3] for v in stats.stats.values()), default=0.0)  # type: ignore[attr-defined]
    return result, {
        "total_s": round(total, 3),
        "by_cumulative": top_functions(stats, "cumulative"),
        "by_own_time": top_functions(stats, "tottime"),
    }
