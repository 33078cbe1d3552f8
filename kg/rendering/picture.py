"""A drawn figure as files, bytes, or a picture a notebook shows.

:func:`save_figure` writes PNG, SVG or PDF and :func:`figure_bytes` gives the same bytes in
memory: no dates in the metadata and a fixed SVG id salt, so the same figure gives the same
bytes. A :class:`Picture` is what the ``*_picture`` functions of :mod:`kg.rendering` return:
it draws when first shown or saved. Jupyter calls its ``_repr_svg_``, whose text stays text
(``svg.fonttype`` ``none``: labels can be searched, selected and read by a test). There is no
``_repr_png_``: Jupyter would write and store both forms of every picture, and writing the PNG
of a finding's chain takes twice as long as drawing it (``png()`` gives it when wanted).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure

from ..errors import KGError
from .styles import FORMATS, MAX_PIXELS

DPI = 150


def _format(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise KGError(f"{path}: cannot draw {chosen or 'a file without suffix'!r}: "
                      f"choose one of {', '.join(FORMATS)}")
    return chosen


def _write(fig: Any, target: Path | io.BytesIO, kind: str, *, dpi: int, fonttype: str) -> None:
    w, h = fig.get_size_inches()
    dpi = min(dpi, int(MAX_PIXELS / max(w, h)))
    metadata: dict[str, Any] = {
        "png": {"Software": None}, "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    }[kind]
    with rc_context({"svg.hashsalt": "kg", "svg.fonttype": fonttype, "pdf.compression": 6}):
        fig.savefig(target, format=kind, dpi=dpi, metadata=metadata, facecolor="white")


def save_figure(fig: Any, out: Path, kind: str, *, dpi: int, fonttype: str) -> Path:
    """Write ``fig`` as ``kind`` (png, svg, pdf), at most :data:`MAX_PIXELS` on a side; the same
    figure gives the same bytes (no dates in the metadata, a fixed SVG id salt)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write(fig, out, kind, dpi=dpi, fonttype=fonttype)
    finally:
        fig.clear()
    return out


def figure_bytes(fig: Any, kind: str, *, dpi: int = DPI, fonttype: str = "none") -> bytes:
    """``fig`` as the bytes :func:`save_figure` would write (the figure is kept)."""
    buffer = io.BytesIO()
    _write(fig, buffer, kind, dpi=dpi, fonttype=fonttype)
    return buffer.getvalue()


class Picture:
    """A picture drawn on first use, then kept: ``save(path)``, ``svg()``, ``png()``, and
    shown by a notebook as SVG. ``fonttype`` is the SVG text of saved files (``path``:
    outlines, the same on every viewer; ``none``: text). ``with`` (or :meth:`close`) lets the
    figure go at once, as a command that writes one file does."""

    def __init__(self, draw: Callable[[], Figure], *, title: str, fonttype: str = "path",
                 ) -> None:
        self._draw = draw
        self._figure: Figure | None = None
        self._svg: str | None = None
        self.title = title
        self.fonttype = fonttype

    def __repr__(self) -> str:
        return f"<Picture {self.title!r}>"

    def __enter__(self) -> Picture:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def figure(self) -> Figure:
        """The matplotlib figure (drawn on the first call)."""
        if self._figure is None:
            self._figure = self._draw()
        return self._figure

    def close(self) -> None:
        """Free the figure (a later call draws it again)."""
        if self._figure is not None:
            self._figure.clear()
            self._figure = None

    def save(self, path: str | Path, *, fmt: str | None = None, dpi: int = DPI) -> Path:
        """Write the picture to ``path``: PNG, SVG or PDF by ``fmt`` or the suffix."""
        out = Path(path)
        kind = _format(out, fmt)
        out.parent.mkdir(parents=True, exist_ok=True)
        _write(self.figure(), out, kind, dpi=dpi, fonttype=self.fonttype)
        return out

    def svg(self) -> str:
        """The picture as SVG text, its words as ``<text>`` (written once, then kept)."""
        if self._svg is None:
            self._svg = figure_bytes(self.figure(), "svg", fonttype="none").decode("utf-8")
        return self._svg

    def png(self, *, dpi: int = DPI) -> bytes:
        """The picture as PNG bytes."""
        return figure_bytes(self.figure(), "png", dpi=dpi)

    def _repr_svg_(self) -> str:
        return self.svg()


__all__ = ["Picture", "figure_bytes", "save_figure"]
