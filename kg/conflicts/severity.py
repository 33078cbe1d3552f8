"""The severity score: documented points kept as data in ``queries/conflicts/severity.yaml``.

A finding gains points for its temporal status, its confidence, a suit pending on the date
asked, the party's tier and seats, the co-members on the other side and the foundation's own
code being accused; each input that gave points is a :class:`~kg.findings.Reason`, so a finding
says why it ranks where it does. The level is the first whose threshold the score reaches.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..config import Settings
from ..errors import QueryHeaderError
from ..findings import Reason
from ..queries import YAML_LOADER

LEVELS = ("high", "medium", "low")
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclass(frozen=True)
class Inputs:
    """What the score reads of a finding."""

    status: str
    gap_days: int | None
    max_gap_days: int | None
    confidence: str
    weakest: str
    pending: bool
    as_of: str | None
    tier: str | None
    tier_rank: int | None
    seat: bool
    co_members: int
    own_code: tuple[str, ...]
    hypothetical: bool = False
    family: str = "litigation"
    against: str = "sued"  # what was done to the co-members (a spec's words: "demanded of")
    overlap_note: str = ""  # why the dates only may overlap (kg.temporal's note), if they do


@dataclass(frozen=True)
class Rules:
    """The points of ``severity.yaml``."""

    data: dict[str, Any]

    @classmethod
    def read(cls, path: Path) -> Rules:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        except (OSError, yaml.YAMLError) as exc:
            raise QueryHeaderError(f"{path}: cannot read the severity rules: {exc}") from exc
        needed = {"levels", "temporal_status", "confidence", "pending", "tier_rank", "seat",
                  "co_members", "own_code"}
        if not isinstance(data, dict) or needed - set(data):
            missing = sorted(needed - set(data or {}))
            raise QueryHeaderError(f"{path}: severity rules need {', '.join(missing)}")
        return cls(data)

    def points(self, key: str, sub: object | None = None) -> int:
        value = self.data[key]
        if sub is not None:
            value = value.get(sub, 0) if isinstance(value, dict) else 0
        return int(value or 0)


_CACHE: dict[tuple[str, float, int], Rules] = {}


def load_rules(settings: Settings) -> Rules:
    path = settings.queries_dir / "conflicts" / "severity.yaml"
    stat = path.stat()
    key = (str(path), stat.st_mtime, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = Rules.read(path)
    return _CACHE[key]


def _days(low: int | None, high: int | None) -> str:
    if low is None:
        return ""
    if high is None:
        return f"at least {low} days"  # a bound is open: no largest gap
    return f"{low} days" if high == low else f"{low}–{high} days"


def _count(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)


def _status_reason(i: Inputs) -> str:
    if i.status == "active":
        return "active: the party's role overlaps the suits"
    if i.status == "recent":
        return f"recent ({_days(i.gap_days, i.max_gap_days)})"
    if i.status == "historical":
        return f"historical ({_days(i.gap_days, i.max_gap_days)})"
    why = i.overlap_note.removeprefix("possible overlap: ")
    return f"the dates may overlap ({why})" if why else "the dates may overlap"


def score(rules: Rules, i: Inputs) -> tuple[int, str, tuple[Reason, ...]]:
    """(score, level, reasons) of a finding."""
    reasons = [Reason(_status_reason(i), rules.points("temporal_status", i.status))]
    words = "confirmed chain" if i.confidence == "confirmed" else \
        f"weakest link: {i.weakest}"
    reasons.append(Reason(words, rules.points("confidence", i.confidence)))
    if i.pending:
        when = f" as of {i.as_of}" if i.as_of else ""
        reasons.append(Reason(f"a suit is pending{when}", rules.points("pending")))
    if i.tier_rank is not None and rules.points("tier_rank", i.tier_rank):
        tier = i.tier or f"tier {i.tier_rank}"
        noun = "" if tier.lower().endswith(("member", "sponsor")) else " member"
        if i.hypothetical:
            noun += " (hypothetical)"
        reasons.append(Reason(f"{tier}{noun}", rules.points("tier_rank", i.tier_rank)))
    if i.seat:
        reasons.append(Reason("holds a governance seat", rules.points("seat")))
    if i.co_members:
        each = rules.data["co_members"]
        points = min(int(each.get("each", 0)) * i.co_members, int(each.get("most", 0)))
        noun = "co-member" if i.co_members == 1 else "co-members"
        reasons.append(Reason(f"{_count(i.co_members)} {noun} {i.against}", points))
    if i.own_code:
        reasons.append(Reason(f"the foundation's own code accused ({', '.join(i.own_code)})",
                              rules.points("own_code")))
    family = int((rules.data.get("family") or {}).get(i.family, 0))
    if family:
        reasons.append(Reason(f"a {i.family} member" if i.family == "former" else i.family,
                              family))
    total = sum(r.points for r in reasons)
    levels = rules.data["levels"]
    level = next((name for name in LEVELS[:-1] if total >= int(levels.get(name, 10**9))), "low")
    cap = (rules.data.get("confidence_cap") or {}).get(i.confidence)
    if cap in LEVELS and LEVELS.index(cap) > LEVELS.index(level):
        level = cap
        reasons.append(Reason(f"at most {cap}: the best chain is {i.confidence}", 0))
    return total, level, tuple(reasons)


__all__ = ["LEVELS", "Inputs", "Rules", "load_rules", "score"]
