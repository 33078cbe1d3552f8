"""Label text: wrapping that keeps dates whole, and measuring with the figure's renderer."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.figure import Figure

from .styles import TEXT_PAD_IN


def _wrap_label(text: str, width: int) -> str:
    """Wrap at ``·`` and ``→`` first (a date stays whole), then at spaces."""
    parts: list[tuple[str, str]] = []  # (separator before, segment)
    for i, dot_part in enumerate(text.split(" · ")):
        for j, segment in enumerate(dot_part.split(" → ")):
            parts.append((" · " if i and not j else (" → " if j else ""), segment))
    lines: list[str] = []
    for sep, segment in parts:
        joined = (lines[-1] + sep + segment) if lines else segment
        if lines and len(joined) <= width:
            lines[-1] = joined
            continue
        head = "→ " if sep == " → " else ""
        lines += textwrap.wrap(head + segment, width, break_long_words=False) or [""]
    return "\n".join(lines)


@dataclass
class _Measure:
    """Measures text in inches with the figure's own renderer."""

    fig: Figure

    def size(self, text: str, fontsize: float, weight: str = "normal") -> tuple[float, float]:
        artist = self.fig.text(0, 0, text, fontsize=fontsize, fontweight=weight)
        box = artist.get_window_extent(self.fig.canvas.get_renderer())  # type: ignore[attr-defined]
        artist.remove()
        dpi = self.fig.dpi
        return box.width / dpi + 2 * TEXT_PAD_IN, box.height / dpi + 2 * TEXT_PAD_IN
