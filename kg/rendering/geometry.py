"""Boxes, curves and segments in inches: what the layout measures and avoids."""

from __future__ import annotations

from typing import NamedTuple

from .styles import Box


class Polyline(NamedTuple):
    """The points of a drawn edge, and their bounding box (most boxes a layout tests a line
    against are nowhere near it: the box test answers those without walking the segments)."""

    points: tuple[tuple[float, float], ...]
    bbox: Box


def _overlap(a: Box, b: Box, gap: float = 0.0) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0]) + gap
    h = min(a[3], b[3]) - max(a[1], b[1]) + gap
    return w * h if w > 0 and h > 0 else 0.0


def _box(cx: float, cy: float, w: float, h: float) -> Box:
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _polyline(p: tuple[float, float], q: tuple[float, float], rad: float,
              steps: int = 16) -> Polyline:
    points = tuple(_curve_point(p, q, rad, k / steps) for k in range(steps + 1))
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return Polyline(points, (min(xs), min(ys), max(xs), max(ys)))


def _segment_hits(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """Liang–Barsky: does the segment a–b pass through the box?"""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box[0]), (dx, box[2] - a[0]), (-dy, a[1] - box[1]),
                 (dy, box[3] - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return True


def _crosses(line: Polyline, box: Box) -> bool:
    lo_x, lo_y, hi_x, hi_y = line.bbox
    if hi_x < box[0] or lo_x > box[2] or hi_y < box[1] or lo_y > box[3]:
        return False
    points = line.points
    return any(_segment_hits(points[k], points[k + 1], box) for k in range(len(points) - 1))


def _curve_point(p: tuple[float, float], q: tuple[float, float], rad: float, t: float,
                 ) -> tuple[float, float]:
    """A point of matplotlib's ``arc3`` connection (a quadratic Bézier) at parameter t."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    cx, cy = (p[0] + q[0]) / 2 + rad * dy, (p[1] + q[1]) / 2 - rad * dx
    a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t ** 2
    return a * p[0] + b * cx + c * q[0], a * p[1] + b * cy + c * q[1]

