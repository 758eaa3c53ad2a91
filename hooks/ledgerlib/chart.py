"""The dashboard's progress chart: problems per status by date, from history.

``progress_series`` turns the history's status moves into counts per day;
``chart_layout`` turns those into SVG coordinates. The markup itself is the
Jinja2 template ``progress_chart.svg.j2``, so no charting library is needed
and nothing is fetched at view time.

Print: lines differ by dash pattern and marker shape as well as colour, and
each line ends in a text label with its status and count, so the chart reads
the same on a black-and-white printout.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from .history import StatusMove
from .model import Status

UNKNOWN_KEY = "_other"
UNKNOWN_LABEL = "其他状态"

# Same colours as the status badges in ledger.css.
COLORS = {"green": "#2e7d32", "blue": "#1565c0", "teal": "#00796b", "orange": "#ef6c00",
          "red": "#c62828", "grey": "#757575"}
DASHES = ("", "8 4", "3 3", "10 3 2 3", "1 4", "14 4")
MARKERS = ("circle", "square", "diamond", "triangle", "cross", "circle")

# Geometry of the drawing, in SVG user units (the SVG scales to the page width).
WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 44, 128, 52, 40
MARKER_LIMIT = 40  # above this many dates, markers would clutter the lines
LABEL_GAP = 13  # minimum vertical distance between two end labels


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    counts: tuple[int, ...]  # one per date of the ProgressData


@dataclass(frozen=True)
class ProgressData:
    dates: tuple[dt.date, ...]  # each day on which some status changed
    series: tuple[Series, ...]

    def at(self, day: dt.date) -> dict[str, int]:
        """Counts per status key at the end of ``day``."""
        index = max((i for i, d in enumerate(self.dates) if d <= day), default=None)
        return {s.key: (s.counts[index] if index is not None else 0) for s in self.series}


def progress_series(moves: list[StatusMove], statuses: tuple[Status, ...]) -> ProgressData:
    """Counts per status at the end of each day that had a move; linear in moves."""
    lookup = {}
    for status in statuses:
        lookup[status.key] = lookup[status.label] = status.key
    resolve = lambda raw: None if raw is None else lookup.get(raw, UNKNOWN_KEY)  # noqa: E731
    current = {s.key: 0 for s in statuses}
    dates: list[dt.date] = []
    snapshots: list[dict[str, int]] = []
    for move in sorted(moves, key=lambda m: m.date):  # stable: same-day moves keep commit order
        if not dates or move.date != dates[-1]:
            if dates:  # the previous day is over: keep its end-of-day counts
                snapshots.append(dict(current))
            dates.append(move.date)
        for raw, delta in ((move.old, -1), (move.new, 1)):
            key = resolve(raw)
            if key is not None:
                current[key] = current.get(key, 0) + delta
    if dates:
        snapshots.append(dict(current))
    keys = [(s.key, s.label) for s in statuses]
    if any(snap.get(UNKNOWN_KEY) for snap in snapshots):
        keys.append((UNKNOWN_KEY, UNKNOWN_LABEL))
    series = tuple(Series(k, label, tuple(snap.get(k, 0) for snap in snapshots)) for k, label in keys)
    return ProgressData(tuple(dates), series)


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    color: str
    dash: str
    marker: str
    points: str  # the step line's "x,y x,y …"
    markers: tuple[tuple[float, float, str], ...]  # x, y, tooltip text
    last: int
    label_y: float


@dataclass(frozen=True)
class Tick:
    pos: float
    text: str


@dataclass(frozen=True)
class ChartLayout:
    width: int
    height: int
    left: int
    right: float  # x of the plot's right edge
    top: int
    bottom: float  # y of the x axis
    lines: tuple[Line, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    cutoff_x: float | None  # where the cut-off date falls, when inside the plot
    start: dt.date
    end: dt.date


def chart_layout(data: ProgressData, statuses: tuple[Status, ...], cutoff: dt.date | None) -> ChartLayout | None:
    """SVG coordinates for ``data``; None when there is nothing to draw."""
    if not data.dates:
        return None
    start = data.dates[0]
    end = max(data.dates[-1], cutoff) if cutoff and cutoff >= start else data.dates[-1]
    end = max(end, start + dt.timedelta(days=1))  # a single day still gets a width
    span = (end - start).days
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    top_value = _nice_top(max((max(s.counts) for s in data.series), default=1))
    x = lambda day: LEFT + (day - start).days / span * (right - LEFT)  # noqa: E731
    y = lambda n: bottom - n / top_value * (bottom - TOP)  # noqa: E731
    colors = {s.key: COLORS.get(s.color, COLORS["grey"]) for s in statuses}
    lines = [_line(i, s, data.dates, x, y, end, colors.get(s.key, COLORS["grey"])) for i, s in enumerate(data.series)]
    lines = _spread_labels(lines)
    return ChartLayout(
        WIDTH, HEIGHT, LEFT, right, TOP, bottom, tuple(lines),
        x_ticks=tuple(Tick(x(d), d.isoformat()) for d in _date_ticks(start, end)),
        y_ticks=tuple(Tick(y(n), str(n)) for n in range(0, top_value + 1, _step(top_value))),
        cutoff_x=x(cutoff) if cutoff and start <= cutoff <= end else None,
        start=start, end=end,
    )


def _line(index: int, series: Series, dates, x, y, end: dt.date, color: str) -> Line:
    """A step line: a count holds until the next date that changed it."""
    points = []
    for i, (day, n) in enumerate(zip(dates, series.counts, strict=True)):
        if i:
            points.append((x(day), y(series.counts[i - 1])))
        points.append((x(day), y(n)))
    points.append((x(end), y(series.counts[-1])))
    markers = ()
    if len(dates) <= MARKER_LIMIT:
        markers = tuple((x(d), y(n), f"{d} {series.label} {n}") for d, n in zip(dates, series.counts, strict=True))
    return Line(series.key, series.label, color, DASHES[index % len(DASHES)], MARKERS[index % len(MARKERS)],
                " ".join(f"{px:.1f},{py:.1f}" for px, py in points), markers,
                series.counts[-1], y(series.counts[-1]))


def _spread_labels(lines: list[Line]) -> list[Line]:
    """Move end labels apart vertically so that equal counts stay legible."""
    order = sorted(range(len(lines)), key=lambda i: lines[i].label_y)
    placed: dict[int, float] = {}
    previous = -math.inf
    for i in order:
        placed[i] = max(lines[i].label_y, previous + LABEL_GAP)
        previous = placed[i]
    overflow = previous - (HEIGHT - BOTTOM)
    if overflow > 0:  # pushed below the axis: shift the whole stack up
        placed = {i: v - overflow for i, v in placed.items()}
    return [Line(**{**line.__dict__, "label_y": placed[i]}) for i, line in enumerate(lines)]


def _step(top: int) -> int:
    """Tick spacing of 1, 2 or 5 times a power of ten, giving at most ~6 ticks."""
    for magnitude in (10 ** k for k in range(0, 10)):
        for base in (1, 2, 5):
            if top / (base * magnitude) <= 6:
                return base * magnitude
    return top


def _nice_top(value: int) -> int:
    step = _step(max(value, 1))
    return max(step, math.ceil(value / step) * step)


def _date_ticks(start: dt.date, end: dt.date, count: int = 5) -> list[dt.date]:
    span = (end - start).days
    days = sorted({round(span * i / count) for i in range(count + 1)})
    return [start + dt.timedelta(days=d) for d in days]
