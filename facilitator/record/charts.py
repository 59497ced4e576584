"""Each guiding question's results as a picture, for the HTML, PDF and DOCX exports
(`facilitator.questions.charts` draws them). No Flask here.

Only the formats that embed pictures draw them, never the compile. The same results
give the same bytes, so a drawn chart is kept per hash of what it was drawn from: the
PDF, the DOCX and the HTML of one record, or a published version exported again, draw
each chart once (a cloud or a radar is tens of milliseconds of matplotlib).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import logging
import textwrap
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from threading import Lock
from typing import Any

from facilitator.questions.charts import chart_png
from facilitator.record.data import Record
from facilitator.record.labels import headings

log = logging.getLogger(__name__)
RADAR = "_radar"  # the room's radar of the blocks (no question's key starts with _)
KEPT = 64  # drawn charts kept (a PNG is tens of KB)

_drawn: OrderedDict[str, bytes | None] = OrderedDict()
_drawn_lock = Lock()


def _kept(what: Any, draw: Callable[[], bytes | None]) -> bytes | None:
    """`draw()`, or the bytes it gave before for the same `what` (any JSON data)."""
    key = hashlib.sha256(
        json.dumps(what, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()
    with _drawn_lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return _drawn[key]
    png = draw()
    with _drawn_lock:
        _drawn[key] = png
        while len(_drawn) > KEPT:
            _drawn.popitem(last=False)
    return png


def question_charts(record: Record) -> dict[str, bytes]:
    """PNG bytes per guiding question's key, for those with results to draw (a word
    cloud, bars, a scale's distribution, rank points); open answers have none."""
    found: dict[str, bytes] = {}
    for question in record.guiding_questions:
        results = question.results
        if not question.chart or not results or not results.get("answers"):
            continue
        try:
            labels = question.options or None
            png = _kept(
                ("chart", question.chart, results, record.language, labels),
                partial(chart_png, question.chart, results, record.language, labels=labels),
            )
        except Exception:  # a chart that fails to draw leaves its table, not a failed export
            log.exception("the chart of question %s could not be drawn", question.key)
            continue
        if png:
            found[question.key] = png
    try:
        drawn_from = (
            [dataclasses.astuple(r) for r in record.radar],
            [dataclasses.astuple(t) for t in record.radar_territories],
            record.language,
        )
        radar = _kept(("radar", drawn_from), lambda: radar_png(record))
    except Exception:
        log.exception("the radar of the blocks could not be drawn")
        radar = None
    if radar:
        found[RADAR] = radar
    return found


# Territories drawn beside the room's polygon: more would be a tangle (the table has all).
RADAR_TERRITORIES = 6
TERRITORY_COLOURS = ("#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#0b7285", "#c2255c")


def radar_png(record: Record) -> bytes | None:
    """The room's mean self-assessment per block as a radar (three blocks at least), with
    a thinner polygon per territory where participants gave one."""
    rows = [r for r in record.radar if r.mean is not None]
    if len(rows) < 3:
        return None
    from math import pi

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    low = min((r.min for r in rows if r.min is not None), default=0)
    high = max((r.max for r in rows if r.max is not None), default=5)
    angles = [2 * pi * i / len(rows) for i in range(len(rows))]
    values = [float(r.mean or 0) for r in rows]
    figure = Figure(figsize=(6, 6), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(projection="polar")
    room = headings(record.language)["whole_room"]
    axes.plot(
        [*angles, angles[0]], [*values, values[0]], color="#2f6fd6", linewidth=2.5, label=room
    )
    axes.fill([*angles, angles[0]], [*values, values[0]], color="#2f6fd6", alpha=0.2)
    drawn = [r.block for r in rows]
    for colour, territory in zip(
        TERRITORY_COLOURS, record.radar_territories[:RADAR_TERRITORIES], strict=False
    ):
        means = {r.block: r.mean for r in territory.rows}
        # A block the territory did not assess is a gap, not a zero: NaN breaks the line.
        points = [float("nan") if means.get(b) is None else float(means[b] or 0) for b in drawn]
        axes.plot(
            [*angles, angles[0]],
            [*points, points[0]],
            color=colour,
            linewidth=1.3,
            marker="o",
            markersize=3,
            label=territory.territory,
        )
    if record.radar_territories:
        columns = min(4, 1 + len(record.radar_territories))
        axes.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=columns, fontsize=8, frameon=False
        )
    axes.set_xticks(angles)
    axes.set_xticklabels([textwrap.shorten(r.block, 28) for r in rows], fontsize=9)
    axes.set_ylim(low, high)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def as_data_uris(charts: dict[str, bytes]) -> dict[str, str]:
    return {
        key: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        for key, png in charts.items()
    }
