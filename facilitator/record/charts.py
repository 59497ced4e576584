"""Each guiding question's results as a picture, for the HTML, PDF and DOCX exports
(`facilitator.questions.charts` draws them). No Flask here."""

from __future__ import annotations

import base64
import io
import logging
import textwrap

from facilitator.questions.charts import chart_png
from facilitator.record.data import Record

log = logging.getLogger(__name__)
RADAR = "_radar"  # the room's radar of the blocks (no question's key starts with _)


def question_charts(record: Record) -> dict[str, bytes]:
    """PNG bytes per guiding question's key, for those with results to draw (a word
    cloud, bars, a scale's distribution, rank points); open answers have none."""
    found: dict[str, bytes] = {}
    for question in record.guiding_questions:
        results = question.results
        if not question.chart or not results or not results.get("answers"):
            continue
        try:
            png = chart_png(
                question.chart, results, record.language, labels=question.options or None
            )
        except Exception:  # a chart that fails to draw leaves its table, not a failed export
            log.exception("the chart of question %s could not be drawn", question.key)
            continue
        if png:
            found[question.key] = png
    try:
        radar = radar_png(record)
    except Exception:
        log.exception("the radar of the blocks could not be drawn")
        radar = None
    if radar:
        found[RADAR] = radar
    return found


def radar_png(record: Record) -> bytes | None:
    """The room's mean self-assessment per block as a radar (three blocks at least)."""
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
    axes.plot([*angles, angles[0]], [*values, values[0]], color="#2f6fd6", linewidth=2)
    axes.fill([*angles, angles[0]], [*values, values[0]], color="#2f6fd6", alpha=0.2)
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
