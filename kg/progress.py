"""Progress for long steps (load, validate, build, ingest, export, benchmark), drawn by rich.

It draws on stderr only when stderr is a terminal and neither ``CI`` nor ``KG_NO_PROGRESS`` is
set (nor ``KG_PROGRESS=0``); piped output, log files and CI runs stay quiet. rich is imported
only when a bar is drawn, so a piped command never loads it.

Usage::

    with Progress(total=len(files), label="load") as bar:
        for f in files:
            bar.set_label(f"load {f.name}")
            ...
            bar.update()

    with step("validate"):   # a step without a count: a spinner and the time it has taken
        ...

Library functions take ``progress: Progress | bool | None``; :func:`make_progress` turns that
into a bar (``None``: automatic, ``False``: silent, ``True``: draw even when not a TTY).
"""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import Any, TextIO

FALSY = {"", "0", "false", "no", "off"}
_shown: list[Progress] = []  # the bar on screen: one at a time (a step within a step is quiet)


def is_interactive(stream: TextIO | None = None) -> bool:
    """True when a bar may be drawn on ``stream`` (default stderr): a TTY, and not in CI."""
    stream = sys.stderr if stream is None else stream
    if os.environ.get("CI", "").strip().lower() not in FALSY:
        return False
    if os.environ.get("KG_NO_PROGRESS", "").strip().lower() not in FALSY:
        return False
    if os.environ.get("KG_PROGRESS", "1").strip().lower() in FALSY:
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


class Progress:
    """One task on a rich progress display on stderr; every method is a no-op when disabled."""

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
        self._bar: Any = None  # rich.progress.Progress while drawn
        self._task: Any = None

    # the small API other modules call -------------------------------------------------------
    def set_total(self, total: float | None) -> None:
        self.total = total
        if self._bar is not None:
            self._bar.update(self._task, total=total)

    def set_label(self, label: str) -> None:
        self.label = label
        if self._bar is not None:
            self._bar.update(self._task, description=label)

    def update(self, n: float = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            _shown.remove(self)
        self._bar = None

    def __enter__(self) -> Progress:
        if self.enabled and self._bar is None and not _shown:
            self._start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _start(self) -> None:
        from rich import progress as rp
        from rich.console import Console

        count: rp.ProgressColumn = (
            rp.DownloadColumn() if self.unit == "B" else rp.MofNCompleteColumn())
        columns: list[rp.ProgressColumn] = (
            [rp.TextColumn("{task.description}"), rp.BarColumn(), rp.TaskProgressColumn(),
             count, rp.TimeElapsedColumn()] if self.total
            else [rp.SpinnerColumn(), rp.TextColumn("{task.description}"),
                  rp.TimeElapsedColumn()])
        console = Console(file=self.stream, force_terminal=True, highlight=False)
        self._bar = rp.Progress(*columns, console=console, refresh_per_second=10)
        self._task = self._bar.add_task(self.label, total=self.total or None,
                                        completed=self.done)
        self._bar.start()
        _shown.append(self)


def step(label: str, *, enabled: bool | None = None) -> Progress:
    """A long step with no count (validate, export, load): a spinner, its label, the time."""
    return Progress(None, label, enabled=enabled)


def make_progress(
    progress: Progress | bool | None, total: float | None = None, label: str = "", unit: str = ""
) -> Progress:
    """The bar a library function should use: the caller's, a new automatic one, or a silent one."""
    if isinstance(progress, Progress):
        if total is not None:
            progress.set_total(total)
        if label:
            progress.set_label(label)
        if unit:
            progress.unit = unit
        return progress
    enabled = None if progress is None else bool(progress)
    return Progress(total, label, unit=unit, enabled=enabled)
