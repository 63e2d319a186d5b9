"""Small measuring helpers shared by the benchmark parts: latency summaries and peak memory."""

from __future__ import annotations

import math
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def percentile(samples: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (nearest rank) of ``samples``; 0.0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(samples_s: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / max / mean of latencies given in seconds, reported in milliseconds."""
    ms = [s * 1000 for s in samples_s]
    return {
        "count": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "max_ms": round(max(ms, default=0.0), 2),
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else 0.0,
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn`` once; returns (seconds, its result)."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    On Linux, ``VmHWM`` from /proc: ``ru_maxrss`` of a child process starts from its parent's size
    at spawn (a 300 MB parent made a 13 MB child read 313 MB). Elsewhere ``ru_maxrss`` (KB on Linux,
    bytes on macOS).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024
    return round(peak * scale / (1024 * 1024), 1)
