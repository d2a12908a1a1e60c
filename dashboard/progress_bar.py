"""A progress bar for the command line, drawn on one line of a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

WIDTH = 30


class TerminalProgress:
    """`progress(fraction, stage)` callback that redraws `[#####     ]  50% stage`."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.last = None

    def __call__(self, fraction: float, stage: str) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        line = f"[{'#' * round(fraction * WIDTH):<{WIDTH}}] {fraction:4.0%} {stage}"
        if line != self.last:
            self.stream.write(f"\r{line:<60}")
            self.stream.flush()
            self.last = line

    def close(self) -> None:
        """End the bar's line, so that the next message starts on its own."""
        if self.last is not None:
            self.stream.write("\n")
            self.stream.flush()


def for_terminal(import_file, stream: TextIO | None = None) -> TerminalProgress | None:
    """A bar on `stream` (default: the current stderr) for an importer that
    reports progress, when `stream` is a terminal."""
    import inspect

    stream = stream or sys.stderr
    if stream.isatty() and "progress" in inspect.signature(import_file).parameters:
        return TerminalProgress(stream)
    return None
