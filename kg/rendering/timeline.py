"""A timeline: memberships (with tier), governance seats and proceedings on one time axis.

The facts come from ``queries/timeline.rq`` (the parties bound as parameters, so any store
answers it); :func:`finding_bars` and :func:`entity_bars` turn its rows into :class:`Bar` s,
the data the picture is drawn from, and :func:`draw_timeline` draws them.

- One row per fact, grouped by party (a finding: the conflicted party, the intermediaries,
  the counterparties, then the finding's suits; an entity: its memberships, seats, then
  proceedings). The row's label names the party and the relationship in the ontology's words
  (a tier's label with ``kg:shortPhrase`` of membership, a seat kind's short phrase, the
  plaintiffs, the proceeding class' short phrase and the defendants).
- A bar runs from the start to the end; a date known only to its month or year is drawn as
  its whole period, lighter (legend: the label of ``kg:DatePrecision``), so the bar is solid
  only where the interval certainly held. An interval that still holds (``kg:Ongoing``, or a
  proceeding ``kg:Pending``) runs to the right edge with an arrow; one whose end nobody knows
  (``kg:EndUnknown``) is solid as long as it is known to hold, then dotted to the right edge.
- Above each bar its dates as precise as they are known (``2014-12``, ``2012``,
  ``2012-05-29``) and how it ended (the outcome's short phrase, or the end status' label).
- A vertical line marks the as-of date when one is given.

Facts without a start date cannot be placed; the caption counts them. The same bars give the
same bytes (no date in the metadata, a fixed SVG id salt; the right edge follows the data,
never today's date). In SVG the text stays text (searchable, selectable).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from rdflib import URIRef

from ..findings import Finding
from ..namespaces import KG
from ..temporal import Interval, date_label, period_bounds, precision_name
from ..vocabulary import Vocabulary, load_vocabulary
from .picture import Picture
from .styles import CAPTION_FONT, EDGE_STYLES, LEGEND_FONT, MARGIN_IN, TITLE_FONT
from .text import _Measure

ROW_IN = 0.46          # height of one row
BAR_IN = 0.15          # thickness of a bar
LABEL_FONT, DATE_FONT = 9, 7.5
PLOT_IN = 7.5          # width of the time axis
TOP = 0.35             # rows of room above the first bar's dates (for the as-of label)
LIGHT = 0.3            # alpha of the period of a partial date
KINDS = {"membership": KG.Membership, "governance": KG.GovernanceSeat,
         "lawsuit": KG.LegalProceeding}
MOST_NAMES = 3         # parties named on one side of a proceeding before "+n"


@dataclass(frozen=True)
class Bar:
    """One fact on the timeline, as drawn."""

    fact: str                  # IRI
    kind: str                  # "membership" | "governance" | "lawsuit"
    party: str                 # IRI of the party whose row group it is in
    party_label: str
    relation: str              # "Gold member", "board seat", "Clouding IP sued Rackspace"
    other_label: str           # the foundation or body ("" for a proceeding)
    start: date | None         # stored (first day of its period)
    start_precision: str       # day | month | year
    end: date | None           # stored (last day of its period)
    end_precision: str
    end_status: str            # ended | ongoing | unknown
    end_word: str              # the outcome's short phrase, "ongoing", "end unknown", "pending"
    last_confirmed: date | None = None
    start_latest: date | None = None   # EDTF bounds (see kg.temporal.Interval)
    end_earliest: date | None = None
    start_edtf: str | None = None
    end_edtf: str | None = None

    @property
    def placed(self) -> bool:
        """It has a start, at least as a bound (``by Dec 2014``), so it can be drawn."""
        return self.start is not None or self.start_latest is not None

    @property
    def when(self) -> str:
        """The dates as precise as they are known: ``2014-12 – end unknown``, ``by December
        2014 – end unknown`` (a date known only as bounds, in words: kg.temporal)."""
        if not self.placed:
            return self.end_word
        first = date_label(self.start, self.start_precision, self.start_edtf)
        if self.end is not None or self.end_edtf:
            last = date_label(self.end, self.end_precision, self.end_edtf)
            text = first if last == first else f"{first} – {last}"
            return f"{text} · {self.end_word}" if self.end_word else text
        return f"{first} – {self.end_word}"

    @property
    def interval(self) -> Interval:
        ended = self.end is not None or self.end_earliest is not None
        return Interval(self.start, self.end, self.start_precision, self.end_precision,
                        None if ended else self.end_status, self.last_confirmed,
                        start_latest=self.start_latest, end_earliest=self.end_earliest,
                        start_edtf=self.start_edtf, end_edtf=self.end_edtf)

    @property
    def start_span(self) -> tuple[date | None, date | None]:
        """The first and last day the start may be (``None``: open on that side)."""
        iv = self.interval
        return iv.earliest_start, iv.latest_start

    @property
    def vague(self) -> bool:
        """A date is not a day: a partial date or EDTF bounds (drawn lighter)."""
        iv = self.interval
        return (self.start_precision != "day" or iv.start_range or iv.end_range
                or (self.end is not None and self.end_precision != "day"))

    @property
    def label(self) -> str:
        """The row's label: party and relation (a proceeding names its parties itself)."""
        if self.kind == "lawsuit":
            return self.relation
        other = f" · {self.other_label}" if self.other_label else ""
        return f"{self.party_label}: {self.relation}{other}"


# ---------------------------------------------------------------------------------- data


def _rows(store: Any, settings: Any, entities: Sequence[str]) -> list[dict[str, Any]]:
    from ..queries import get_query, select

    if not entities:
        return []
    query = get_query(settings, "timeline")
    return [dict(r) for r in select(store, query, {"entity": tuple(entities)}).rows]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _day(value: Any) -> date | None:
    if value is None:
        return None
    python = value.toPython() if hasattr(value, "toPython") else value
    return python if isinstance(python, date) else None


def _names(labels: dict[str, str]) -> str:
    names = sorted(labels.values())
    if len(names) > MOST_NAMES:
        names = [*names[:MOST_NAMES - 1], f"+{len(names) - MOST_NAMES + 1} more"]
    return ", ".join(names)


def _kind(vocabulary: Vocabulary, classes: Iterable[str]) -> tuple[str, str] | None:
    """(kind, the most specific class) of a fact from its classes."""
    for kind, root in KINDS.items():
        inside = [c for c in classes if str(root) in vocabulary.lineage(c)]
        if inside:
            return kind, max(inside, key=lambda c: (vocabulary.depth(c), c))
    return None


def bars_from_rows(rows: Iterable[dict[str, Any]], vocabulary: Vocabulary, *,
                   order: Sequence[str] = (), labels: dict[str, str] | None = None,
                   foundation: str | None = None, suits: Sequence[str] | None = None,
                   ) -> list[Bar]:
    """The bars of ``queries/timeline.rq`` rows: one per fact (a proceeding once, however many
    of the entities are its parties), only memberships and seats of ``foundation`` and only the
    proceedings in ``suits`` when those are given; ordered by party (``order``), kind, start."""
    facts = _collect(rows)
    names = dict(labels or {})
    rank = {iri: n for n, iri in enumerate(order)}
    bars: list[tuple[tuple[Any, ...], Bar]] = []
    for fact, entry in facts.items():
        row = entry["row"]
        found = _kind(vocabulary, entry["classes"])
        if found is None or (found[0] == "lawsuit" and suits is not None and fact not in suits) \
                or (found[0] != "lawsuit" and foundation is not None
                    and str(row.get("other") or "") != foundation):
            continue
        kind, cls = found
        relation, pending, end_word = _words(vocabulary, kind, cls, entry)
        end = _day(row.get("end"))
        end_earliest = _day(row.get("end_earliest"))
        status = ("ended" if end is not None or end_earliest is not None else
                  "ongoing" if pending or str(row.get("end_status") or "") == str(KG.Ongoing)
                  else "unknown")
        if not end_word:
            end_word = ("" if status == "ended" else
                        vocabulary.label(KG.Pending) if pending else
                        vocabulary.label(KG.Ongoing if status == "ongoing" else
                                         KG.Ended if str(row.get("end_status") or "")
                                         == str(KG.Ended) else KG.EndUnknown))
        party = min(entry["entities"], key=lambda e: (rank.get(e, len(rank)), e))
        party_label = names.get(party) or _text(row.get("entity_label")) or party
        bar = Bar(fact=fact, kind=kind, party=party, party_label=party_label,
                  relation=relation,
                  other_label="" if foundation or kind == "lawsuit"
                  else _text(row.get("other_label")),
                  start=_day(row.get("start")),
                  start_precision=precision_name(row.get("start_precision")),
                  end=end, end_precision=precision_name(row.get("end_precision")),
                  end_status=status, end_word=end_word,
                  start_latest=_day(row.get("start_latest")), end_earliest=end_earliest,
                  start_edtf=_text(row.get("start_edtf")) or None,
                  end_edtf=_text(row.get("end_edtf")) or None)
        group = (len(rank) + 1, "") if kind == "lawsuit" and suits is not None else (
            rank.get(party, len(rank)), party)
        key = (*group, list(KINDS).index(kind), bar.start or bar.start_latest or date.max,
               bar.label, fact)
        bars.append((key, bar))
    return [bar for _, bar in sorted(bars, key=lambda kb: kb[0])]


def _collect(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The rows by fact: its first row, classes, both sides' parties and the entities asked."""
    facts: dict[str, dict[str, Any]] = {}
    for row in rows:
        fact = str(row["fact"])
        entry = facts.setdefault(fact, {"row": row, "classes": set(), "a": {}, "b": {},
                                        "entities": []})
        entry["classes"].add(str(row["kind"]))
        entity = str(row["entity"])
        if entity not in entry["entities"]:
            entry["entities"].append(entity)
        for side in ("a", "b"):
            iri = row.get(f"side_{side}")
            if iri is not None:
                entry[side][str(iri)] = _text(row.get(f"side_{side}_label")) or str(iri)
    return facts


def _words(vocabulary: Vocabulary, kind: str, cls: str, entry: dict[str, Any],
           ) -> tuple[str, bool, str]:
    """(relation, pending, end word) of a fact: ``Gold member``, ``board seat``, ``Clouding IP
    sued Rackspace``; a proceeding's outcome when it has closed."""
    row = entry["row"]
    if kind == "lawsuit":
        phrase = vocabulary.phrase(URIRef(cls), short=True)
        relation = f"{_names(entry['a'])} {phrase} {_names(entry['b'])}".strip()
        outcome = row.get("outcome")
        pending = outcome is not None and str(outcome) == str(KG.Pending)
        closed = outcome is not None and not pending and row.get("end") is not None
        return relation, pending, vocabulary.phrase(outcome, short=True) if closed else ""
    if kind == "membership":
        noun = vocabulary.phrase(KG.Membership, short=True)
        tier = _text(row.get("tier_label"))
        return (f"{tier} {noun}" if tier else noun), False, ""
    seat = row.get("seat_kind")
    return vocabulary.phrase(seat if seat is not None else KG.GovernanceSeat, short=True), \
        False, ""


def finding_bars(store: Any, settings: Any, finding: Finding,
                 vocabulary: Vocabulary | None = None) -> list[Bar]:
    """The timeline of a finding: its parties' memberships and seats in its foundation, and
    its suits."""
    words = vocabulary or load_vocabulary(store, settings)
    labels = dict(zip(finding.parties, finding.party_labels, strict=True))
    return bars_from_rows(_rows(store, settings, finding.parties), words,
                          order=finding.parties, labels=labels,
                          foundation=finding.foundation, suits=finding.suits)


def entity_bars(store: Any, settings: Any, iri: str,
                vocabulary: Vocabulary | None = None) -> list[Bar]:
    """The timeline of one entity: all its memberships, seats and proceedings."""
    words = vocabulary or load_vocabulary(store, settings)
    return bars_from_rows(_rows(store, settings, [iri]), words, order=[iri])


# ---------------------------------------------------------------------------------- drawing


def _span(bars: Sequence[Bar], as_of: date | None) -> tuple[date, date]:
    days = [d for b in bars for d in (b.start, b.start_latest, b.end) if d is not None]
    if as_of is not None:
        days.append(as_of)
    if not days:
        return date(2000, 1, 1), date(2001, 1, 1)
    first, last = min(days), max(days)
    first = date(first.year, 1, 1)
    last = date(last.year + 1, 12, 31) if (last - first).days > 700 else last + timedelta(400)
    return first, last


def _draw_bar(ax: Any, y: float, bar: Bar, right: date, left: date | None = None) -> None:
    colour = EDGE_STYLES[bar.kind]
    height = BAR_IN / ROW_IN
    iv = bar.interval
    early, late = bar.start_span
    assert early is not None or late is not None
    first = early if early is not None else (left or late)
    assert first is not None

    def span(a: date, b: date, **style: Any) -> None:
        if b >= a:
            ax.broken_barh([(_x(a), max(_x(b) - _x(a), 1.0))],
                           (y - height / 2, height), facecolors=colour, edgecolor="none",
                           **style)

    if late is None:  # a start known only as "no earlier than": nothing is certain
        span(first, bar.end or right, alpha=LIGHT)
        return
    sure = late
    if sure > first:
        span(first, sure, alpha=LIGHT)
    # the start, seen even when the interval is certain for a day only
    ax.plot([_x(sure)], [y], marker="|", color=colour, markersize=11,
            markeredgewidth=2.0)
    if iv.end_range:
        known = iv.certain_until or sure
        span(sure, known)
        span(known, bar.end or right, alpha=LIGHT)
        return
    if bar.end is not None:
        end_first = period_bounds(bar.end, bar.end_precision)[0]
        span(sure, end_first)
        if bar.end_precision != "day":
            span(end_first, bar.end, alpha=LIGHT)
        return
    if bar.end_status == "ongoing":
        span(sure, right)
        ax.plot([_x(right)], [y], marker=">", color=colour, markersize=7, clip_on=False)
        return
    known = iv.certain_until or sure
    span(sure, known)
    ax.plot([_x(known), _x(right)], [y, y], color=colour, linewidth=1.4,
            linestyle=(0, (1.2, 2.4)))


def render_timeline(bars: Sequence[Bar], *, title: str, as_of: date | None = None,
                    vocabulary: Vocabulary | None = None, caption: str | None = None) -> Figure:
    """Draw ``bars`` on a new Agg figure, sized to fit, and return it."""
    words = vocabulary or Vocabulary()
    placed = [b for b in bars if b.placed]
    fig = Figure(figsize=(10, 4), dpi=100)
    FigureCanvasAgg(fig)
    measure = _Measure(fig)
    labels = [textwrap.shorten(b.label, 70, placeholder="…") for b in placed]
    label_w = max((measure.size(t, LABEL_FONT)[0] for t in labels), default=1.0)
    width = MARGIN_IN + label_w + 0.2 + PLOT_IN + 0.6
    heading = textwrap.fill(title, int((width - 2 * MARGIN_IN) * 72 / (TITLE_FONT * 0.6)))
    title_h = measure.size(heading, TITLE_FONT, "bold")[1]
    undated = len(bars) - len(placed)
    foot_parts = [f"{len(placed)} facts"]
    if undated:
        foot_parts.append(f"{undated} without a start date, not drawn")
    if as_of is not None:
        foot_parts.append(f"as of {as_of.isoformat()}")
    if caption:
        foot_parts.append(caption)
    foot = " · ".join(foot_parts)
    foot_h = measure.size(foot, CAPTION_FONT)[1]
    plot_h = (max(len(placed), 1) + TOP) * ROW_IN
    axis_h, legend_h = 0.35, 0.45
    bottom = MARGIN_IN * 0.6 + foot_h + 0.1 + legend_h + axis_h
    height = bottom + plot_h + 0.3 + title_h + MARGIN_IN
    fig.set_size_inches(width, height)
    left = MARGIN_IN + label_w + 0.2
    ax = fig.add_axes((left / width, bottom / height, PLOT_IN / width, plot_h / height))

    first, right = _span(placed, as_of)
    _axes(ax, labels, first, right)
    _content(ax, placed, right, as_of, first)

    inch = fig.dpi_scale_trans
    fig.text(MARGIN_IN, height - MARGIN_IN, heading, transform=inch, fontsize=TITLE_FONT,
             fontweight="bold", va="top", ha="left")
    fig.text(MARGIN_IN, MARGIN_IN * 0.6, foot, transform=inch, fontsize=CAPTION_FONT,
             va="bottom", ha="left", color="#555555")
    handles, names = _legend(placed, words)
    if handles:
        legend = fig.legend(handles, names, loc="upper left", fontsize=LEGEND_FONT,
                            frameon=False, ncol=len(handles), handlelength=2.2,
                            borderaxespad=0.0, borderpad=0.2, columnspacing=1.4)
        legend.set_bbox_to_anchor((left, MARGIN_IN * 0.6 + foot_h + 0.1 + legend_h - 0.05),
                                  transform=inch)
    return fig


def _axes(ax: Any, labels: Sequence[str], first: date, right: date) -> None:
    """Years along the bottom, the rows' labels on the left, a light grid, no frame."""
    ax.set_xlim(_x(first), _x(right))
    ax.set_ylim(len(labels) - 0.5, -0.5 - TOP)
    years = range(first.year, right.year + 1, 1 if right.year - first.year <= 14 else 2)
    ax.set_xticks([_x(date(y, 1, 1)) for y in years], [str(y) for y in years])
    ax.tick_params(axis="x", labelsize=LABEL_FONT - 0.5)
    ax.set_yticks(range(len(labels)), labels, fontsize=LABEL_FONT)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def _content(ax: Any, placed: Sequence[Bar], right: date, as_of: date | None,
             left: date | None = None) -> None:
    """The bars with their dates, a rule between groups, the as-of line."""
    previous = None
    for y, bar in enumerate(placed):
        group = (bar.party, bar.kind == "lawsuit")
        if previous is not None and group != previous:
            ax.axhline(y - 0.5, color="#bbbbbb", linewidth=0.6)
        previous = group
        _draw_bar(ax, y, bar, right, left)
        early, late = bar.start_span
        at = early or left or late
        assert at is not None
        ax.text(_x(at),
                y - BAR_IN / ROW_IN / 2 - 0.04, bar.when, fontsize=DATE_FONT, va="bottom",
                ha="left", color="#333333", clip_on=False)
    if as_of is not None:
        ax.axvline(_x(as_of), color="#222222", linewidth=1.2, linestyle=(0, (5, 3)))
        ax.text(_x(as_of), -0.5 - TOP, f" as of {as_of.isoformat()}", fontsize=DATE_FONT,
                va="bottom", ha="left", color="#222222", clip_on=False)


EPOCH = date(1970, 1, 1).toordinal()  # matplotlib's date epoch: x is days since 1970-01-01


def _x(day: date) -> float:
    return float(day.toordinal() - EPOCH)



def _legend(bars: Sequence[Bar], words: Vocabulary) -> tuple[list[Any], list[str]]:
    """Only what is drawn, in the ontology's words."""
    handles: list[Any] = []
    names: list[str] = []
    for kind, cls in KINDS.items():
        if any(b.kind == kind for b in bars):
            handles.append(Patch(facecolor=EDGE_STYLES[kind], edgecolor="none"))
            names.append(words.label(cls))
    if any(b.vague for b in bars):
        handles.append(Patch(facecolor="#777777", alpha=LIGHT, edgecolor="none"))
        names.append(words.label(KG.DatePrecision))
    if any(b.end is None and b.end_status == "ongoing" for b in bars):
        handles.append(Line2D([], [], color="#444444", marker=">", markersize=6,
                              linestyle="None"))
        names.append(words.label(KG.Ongoing))
    if any(b.end is None and b.end_status == "unknown" for b in bars):
        handles.append(Line2D([], [], color="#444444", linewidth=1.4,
                              linestyle=(0, (1.2, 2.4))))
        names.append(words.label(KG.EndUnknown))
    return handles, names


def timeline_picture(bars: Sequence[Bar], *, title: str, as_of: date | None = None,
                     vocabulary: Vocabulary | None = None, caption: str | None = None,
                     ) -> Picture:
    """``bars`` as a :class:`~kg.rendering.picture.Picture`, drawn when shown or saved."""

    def draw() -> Figure:
        return render_timeline(bars, title=title, as_of=as_of, vocabulary=vocabulary,
                               caption=caption)

    return Picture(draw, title=title, fonttype="none")


def draw_timeline(bars: Sequence[Bar], path: str | Path, *, title: str,
                  as_of: date | None = None, vocabulary: Vocabulary | None = None,
                  fmt: str | None = None, caption: str | None = None, dpi: int = 150) -> Path:
    """Draw ``bars`` to ``path``: PNG, SVG or PDF by ``fmt`` or the suffix."""
    with timeline_picture(bars, title=title, as_of=as_of, vocabulary=vocabulary,
                          caption=caption) as picture:
        return picture.save(path, fmt=fmt, dpi=dpi)


def timeline_title(subject: str) -> str:
    return f"Timeline: {subject}"


def finding_timeline_picture(store: Any, settings: Any, finding: Finding, *,
                             as_of: date | None = None) -> Picture:
    """The timeline of a finding's parties (``as_of``: the line; by default the finding's)."""
    words = load_vocabulary(store, settings)
    bars = finding_bars(store, settings, finding, words)
    return timeline_picture(bars, title=timeline_title(finding.headline),
                            as_of=as_of or finding.as_of, vocabulary=words,
                            caption=f"finding: {finding.id}")


def draw_finding_timeline(store: Any, settings: Any, finding: Finding, path: str | Path, *,
                          as_of: date | None = None, fmt: str | None = None) -> Path:
    """Draw :func:`finding_timeline_picture` to ``path``."""
    with finding_timeline_picture(store, settings, finding, as_of=as_of) as picture:
        return picture.save(path, fmt=fmt)


def entity_timeline_picture(store: Any, settings: Any, iri: str, label: str, *,
                            as_of: date | None = None) -> Picture:
    """The timeline of one entity: all its memberships, seats and proceedings."""
    words = load_vocabulary(store, settings)
    bars = entity_bars(store, settings, iri, words)
    return timeline_picture(bars, title=timeline_title(label), as_of=as_of, vocabulary=words)


def draw_entity_timeline(store: Any, settings: Any, iri: str, label: str, path: str | Path, *,
                         as_of: date | None = None, fmt: str | None = None) -> Path:
    """Draw :func:`entity_timeline_picture` to ``path``."""
    with entity_timeline_picture(store, settings, iri, label, as_of=as_of) as picture:
        return picture.save(path, fmt=fmt)


__all__ = ["Bar", "bars_from_rows", "draw_entity_timeline", "draw_finding_timeline",
           "draw_timeline", "entity_bars", "entity_timeline_picture", "finding_bars",
           "finding_timeline_picture", "render_timeline", "timeline_picture"]
