"""A tiny progress bar for long steps (load, validate, ingest, benchmark).

It draws on stderr only when stderr is a terminal and ``CI`` is not set (nor ``KG_NO_PROGRESS``);
piped output, log files and CI runs stay quiet. No dependency: one line redrawn with ``\\r``,
at most ten times a second.

Usage::

    with Progress(total=len(files), label="load") as bar:
        for f in files:
            bar.set_label(f"load {f.name}")
            ...
            bar.update()

Library functions take ``progress: Progress | bool | None``; :func:`make_progress` turns that
into a bar (``None``: automatic, ``False``: silent, ``True``: draw even when not a TTY).
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import TextIO

FALSY = {"", "0", "false", "no", "off"}


def is_interactive(stream: TextIO | None = None) -> bool:
    """True when a bar may be drawn on ``stream`` (default stderr): a TTY, and not in CI."""
    stream = sys.stderr if stream is None else stream
    if os.environ.get("CI", "").strip().lower() not in FALSY:
        return False
    if os.environ.get("KG_NO_PROGRESS", "").strip().lower() not in FALSY:
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def _human(n: float) -> str:
    for unit in ("", "k", "M", "G", "T"):
        if abs(n) < 1000:
            return f"{n:.0f}{unit}" if unit == "" else f"{n:.1f}{unit}"
        n /= 1000
    return f"{n:.1f}P"


class Progress:
    """A one-line bar on stderr; every method is a no-op when disabled."""

    width = 24
    min_interval = 0.1

    def __init__(
        self,
        total: float | None = None,
        label: str = "",
        *,
        unit: str = "",
        stream: TextIO | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = is_interactive(self.stream) if enabled is None else enabled
        self.total = total
        self.label = label
        self.unit = unit
        self.done = 0.0
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self._drawn = False

    # the small API other modules call -------------------------------------------------------
    def set_total(self, total: float | None) -> None:
        self.total = total
        self._draw(force=True)

    def set_label(self, label: str) -> None:
        self.label = label
        self._draw(force=True)

    def update(self, n: float = 1) -> None:
        self.done += n
        self._draw()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
        self._drawn = False

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # drawing ------------------------------------------------------------------------------
    def render(self) -> str:
        """The line the bar shows (also usable in tests)."""
        elapsed = time.monotonic() - self.started
        unit = f" {self.unit}" if self.unit else ""
        if self.total:
            frac = max(0.0, min(1.0, self.done / self.total))
            filled = int(frac * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            count = f"{_human(self.done)}/{_human(self.total)}{unit}"
            return f"{self.label} [{bar}] {frac:4.0%} {count} {elapsed:.1f}s"
        return f"{self.label} {_human(self.done)}{unit} {elapsed:.1f}s"

    def _draw(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._drawn_at < self.min_interval:
            return
        self._drawn_at = now
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 100
        line = self.render()[: max(10, columns - 1)]
        self.stream.write("\r" + line.ljust(max(10, columns - 1)))
        self.stream.flush()
        self._drawn = True


def make_progress(
    progress: Progress | bool | None, total: float | None = None, label: str = "", unit: str = ""
) -> Progress:
    """The bar a library function should use: the caller's, a new automatic one, or a silent one."""
    if isinstance(progress, Progress):
        if total is not None:
            progress.total = total
        if label:
            progress.label = label
        if unit:
            progress.unit = unit
        return progress
    enabled = None if progress is None else bool(progress)
    return Progress(total, label, unit=unit, enabled=enabled)
