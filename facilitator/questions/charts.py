"""A question's results as a picture, for the record's HTML, PDF and DOCX exports.

Bars (choice, multi, rank points, a scale's distribution and mean) are drawn by matplotlib
on its Agg canvas (no pyplot, no display, no global state: safe in any thread or green
thread); a word cloud by the `wordcloud` package. Text is set in a font with Hangul and
accents (Noto Sans CJK, from Debian's fonts-noto-cjk, found through matplotlib's font
manager), else in matplotlib's own DejaVu Sans. The same results give the same bytes: the
cloud's layout has a fixed seed, and the PNG carries no date or software version.
No Flask here: the record's exporters call it inside or outside a request.
"""

from __future__ import annotations

import io
import textwrap
import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from random import Random
from typing import Any

from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

WIDTH_IN = 8.0  # inches at DPI: 1200 px wide, as wide as an A4 page's text at 150 dpi
DPI = 150
CLOUD_SIZE = (1200, 675)  # px
CLOUD_SEED = 7
CLOUD_SCALE = 2  # the layout's canvas is this much smaller than the picture
MAX_WORDS = 100
LABEL_WIDTH = 34  # characters of an option's label on one line
INK = "#1b1f24"
MUTED = "#4a5260"
BAR = "#2f6fd6"
MEAN = "#c2410c"
CLOUD_COLOURS = ("#1d4ed8", "#0f766e", "#b45309", "#7c3aed", "#be123c", "#1b1f24")
CHARTS = {
    "open": "wall",
    "words": "cloud",
    "choice": "bars",
    "multi": "bars",
    "scale": "distribution",
    "rank": "points",
}
TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
CJK_NAMES = ("Noto Sans CJK", "Noto Sans KR", "Noto Sans Korean", "NanumGothic", "Source Han Sans")


def chart_png(
    kind: str,
    results: Mapping[str, Any],
    language: str,
    *,
    labels: Sequence[str] | None = None,
    scale_labels: tuple[str, str] | None = None,
) -> bytes | None:
    """The results of one question as PNG bytes, or None when there is nothing to draw.

    `kind`: the question's chart code (`cloud`, `bars`, `distribution`, `points`, `wall`),
    as in its wire view and `questions_for_record()`'s `"chart"`, or its type (`words`,
    `choice`, `multi`, `scale`, `rank`, `open`).
    `results`: the question's results exactly as `facilitator.questions.results.results()`
    (or the record's `present_results()`) summarises them; `answers` must be > 0 to draw.
    `language`: the record's language (BCP 47, "fr", "pt-BR"): numbers are formatted in it
    and the chart's few words ("Mean", "points") are translated to it.
    `labels`: the options' labels in that language, in the question's order (choice,
    multi, rank); without them the bars are numbered 1, 2, 3….
    `scale_labels`: the scale's end labels (min, max) in that language, if it has them.

    None for an open question (`wall`: its answers are text, quote them), for no answers,
    or for an unknown kind. The picture is 1200 px wide (8 in at 150 dpi: set its width,
    e.g. `<img width="600">`, `Inches(6)` in python-docx), as tall as its bars need, on
    white. The same arguments give the same bytes. About 0.1-0.3 s each on a busy 2-core
    machine (tests/questions/test_charts.py prints it), the first call more while fonts
    load: call it once per question and export, not per page.
    """
    chart = CHARTS.get(kind, kind)
    if not results or not results.get("answers"):
        return None
    words = _translations(language)
    if chart == "cloud":
        return _cloud(results.get("words") or [])
    if chart == "bars":
        counts = list(results.get("options") or [])
        total = int(results["answers"])
        names = _labels(labels, len(counts))
        values = [f"{_number(n, language)} ({round(100 * n / total)} %)" for n in counts]
        return _horizontal_bars(names, counts, values)
    if chart == "points":
        points = list(results.get("points") or [])
        order = list(results.get("order") or range(len(points)))
        names = _labels(labels, len(points))
        unit = words.gettext("points")
        return _horizontal_bars(
            [names[i] for i in order],
            [points[i] for i in order],
            [f"{_number(points[i], language)} {unit}" for i in order],
        )
    if chart == "distribution":
        distribution = [(int(v), int(n)) for v, n in results.get("distribution") or []]
        mean = results.get("mean")
        mean_text = None
        if mean is not None:
            mean_text = f"{words.gettext('Mean')}: {_number(mean, language)}"
        return _distribution(distribution, mean, mean_text, scale_labels)
    return None  # `wall` and anything unknown


def question_chart_png(question: Mapping[str, Any], language: str, default: str) -> bytes | None:
    """`chart_png` for one entry of `facilitator.questions.record.questions_for_record()`:
    its chart, results, options and scale labels, the texts picked in `language` (else the
    workshop's `default`, else any)."""
    scale = question.get("scale") or {}
    ends = (
        _pick(scale.get("min_label"), language, default),
        _pick(scale.get("max_label"), language, default),
    )
    return chart_png(
        str(question.get("chart") or question.get("type") or ""),
        question.get("results") or {},
        language,
        labels=[_pick(o, language, default) for o in question.get("options") or []],
        scale_labels=ends if any(ends) else None,
    )


def _pick(text: Mapping[str, str] | str | None, language: str, default: str) -> str:
    if not text:
        return ""
    if isinstance(text, str):
        return text
    return text.get(language) or text.get(default) or next(iter(text.values()), "")


# --- fonts and words ------------------------------------------------------------------------


@cache
def font_path() -> str | None:
    """A font file with Hangul, Latin and accents, or None (DejaVu Sans is then used)."""
    from matplotlib import font_manager

    regular = bold = None
    for entry in font_manager.fontManager.ttflist:
        if entry.name.startswith(CJK_NAMES):
            if entry.weight in (400, "normal", "regular"):
                regular = regular or str(entry.fname)
            elif entry.weight in (700, "bold"):
                bold = bold or str(entry.fname)
    if regular is None:
        # Installed after matplotlib's font cache was written: look on disk, and tell it.
        for path in sorted(font_manager.findSystemFonts()):
            name = Path(path).name.replace("-", "").replace("_", "")
            if name.startswith(("NotoSansCJKRegular", "NotoSansCJKkrRegular", "NotoSansKRRegular")):
                regular = regular or path
            elif name.startswith(("NotoSansCJKBold", "NotoSansCJKkrBold", "NotoSansKRBold")):
                bold = bold or path
        for found in (regular, bold):
            if found is not None:
                try:
                    font_manager.fontManager.addfont(found)
                except (OSError, RuntimeError, ValueError):
                    return None
    return regular


@cache
def _family() -> list[str]:
    from matplotlib import font_manager

    path = font_path()
    if path is None:
        return ["DejaVu Sans"]
    return [font_manager.FontProperties(fname=path).get_name(), "DejaVu Sans"]


@cache
def _translations(language: str) -> NullTranslations:
    code = language.replace("-", "_")
    return Translations.load(str(TRANSLATIONS), [code, code.split("_")[0]])


def _number(value: float, language: str) -> str:
    try:
        return str(format_decimal(value, locale=language.replace("-", "_")))
    except (ValueError, LookupError):
        return str(value)


def _labels(labels: Sequence[str] | None, n: int) -> list[str]:
    given = list(labels or [])
    return [given[i] if i < len(given) and given[i] else str(i + 1) for i in range(n)]


def _wrap(label: str) -> str:
    lines = textwrap.wrap(label, LABEL_WIDTH, break_long_words=True) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), LABEL_WIDTH, placeholder="…")]
    return "\n".join(lines)


# --- drawing -----------------------------------------------------------------------------------


def _figure(height_in: float) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, facecolor="white")
    return figure


def _png(figure: Any) -> bytes:
    out = io.BytesIO()
    # No software or date in the file: the same results, the same bytes.
    figure.savefig(out, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return out.getvalue()


def _style(axes: Any) -> None:
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color("#c4c9d1")
    axes.tick_params(colors=INK, labelsize=11, length=0)


def _horizontal_bars(names: list[str], values: list[int], texts: list[str]) -> bytes | None:
    if not names:
        return None
    wrapped = [_wrap(n) for n in names]
    lines = sum(max(1, w.count("\n") + 1) for w in wrapped)
    figure = _figure(max(2.0, 0.55 + 0.26 * lines + 0.22 * len(names)))
    family = _family()
    axes = figure.add_subplot()
    positions = list(range(len(names)))
    axes.barh(positions, values, color=BAR, height=0.62)
    axes.set_yticks(positions, wrapped, fontfamily=family, fontsize=11, color=INK)
    axes.invert_yaxis()  # the first option on top
    top = max(max(values), 1)
    axes.set_xlim(0, top * 1.3)
    axes.xaxis.set_visible(False)
    _style(axes)
    for y, (value, text) in enumerate(zip(values, texts, strict=True)):
        axes.text(
            value + top * 0.015, y, text, va="center", ha="left",
            fontsize=11, fontweight="bold", color=INK, fontfamily=family,
        )  # fmt: skip
    widest = max(_width(line) for w in wrapped for line in w.split("\n"))
    height = figure.get_figheight()
    figure.subplots_adjust(
        left=min(0.5, 0.03 + widest * 11 * 0.56 / 72 / WIDTH_IN),
        right=0.98,
        top=1 - 0.12 / height,
        bottom=0.12 / height,
    )
    return _png(figure)


def _width(line: str) -> int:
    """A line's width in half-ems: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _distribution(
    distribution: list[tuple[int, int]],
    mean: float | None,
    mean_text: str | None,
    ends: tuple[str, str] | None,
) -> bytes | None:
    if not distribution:
        return None
    family = _family()
    figure = _figure(3.6)
    axes = figure.add_subplot()
    values = [v for v, _ in distribution]
    counts = [n for _, n in distribution]
    axes.bar(values, counts, color=BAR, width=0.7)
    axes.set_xticks(values, [str(v) for v in values], fontfamily=family)
    axes.yaxis.set_visible(False)
    axes.set_ylim(0, max(max(counts), 1) * 1.25)
    _style(axes)
    for value, count in distribution:
        if count:
            axes.text(value, count, str(count), ha="center", va="bottom", fontsize=11,
                      fontweight="bold", color=INK, fontfamily=family)  # fmt: skip
    if mean is not None:
        axes.axvline(mean, color=MEAN, linewidth=2.2, linestyle=(0, (5, 3)))
    if mean_text:
        axes.set_title(mean_text, loc="left", fontsize=13, fontweight="bold", color=MEAN,
                       fontfamily=family)  # fmt: skip
    if ends and any(ends):
        axes.set_xlabel(
            f"{values[0]} = {ends[0]}    ·    {values[-1]} = {ends[1]}",
            fontsize=10, color=MUTED, fontfamily=family,
        )  # fmt: skip
    figure.subplots_adjust(left=0.03, right=0.97, top=0.86, bottom=0.2 if ends else 0.12)
    return _png(figure)


def _colour(word: str) -> str:
    return CLOUD_COLOURS[zlib.crc32(word.encode("utf-8")) % len(CLOUD_COLOURS)]


@cache
def _anchor_words_at_their_top() -> None:
    """wordcloud 1.9 measures a word from the top of its ink (`anchor="lt"`) but draws it
    from the font's ascender line (Pillow's default, `"la"`): with a tall font (Noto CJK)
    each word lands lower than the place it found free, and overlaps the next. Its module
    (only its) gets a Draw that writes from the top of the ink as well."""
    from PIL import ImageDraw
    from wordcloud import wordcloud as module

    class TopAnchored(ImageDraw.ImageDraw):
        def text(self, xy: Any, text: Any, fill: Any = None, font: Any = None,
                 anchor: str | None = None, *args: Any, **kwargs: Any) -> Any:  # fmt: skip
            return super().text(xy, text, fill, font, anchor or "lt", *args, **kwargs)

    class Drawing:
        @staticmethod
        def Draw(image: Any, mode: str | None = None) -> ImageDraw.ImageDraw:
            return TopAnchored(image, mode)

    module.ImageDraw = Drawing


def _cloud(words: Sequence[Mapping[str, Any]]) -> bytes | None:
    frequencies: dict[str, int] = {}
    for w in list(words)[:MAX_WORDS]:
        label = str(w.get("label") or w.get("word") or "").strip()
        if label and int(w.get("count", 0)) > 0:
            frequencies[label] = frequencies.get(label, 0) + int(w["count"])
    if not frequencies:
        return None
    try:
        from wordcloud import WordCloud

        _anchor_words_at_their_top()
    except ImportError:  # the package would not install: the words as bars instead
        ranked = sorted(frequencies.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
        return _horizontal_bars([k for k, _ in ranked], [v for _, v in ranked],
                                [str(v) for _, v in ranked])  # fmt: skip
    width, height = CLOUD_SIZE
    cloud = WordCloud(
        font_path=font_path(),  # None: the package's own font (no Hangul)
        # Laid out at half the size, drawn at full: a quarter of the work (its docs' advice).
        width=width // CLOUD_SCALE,
        height=height // CLOUD_SCALE,
        scale=CLOUD_SCALE,
        background_color="white",
        prefer_horizontal=1.0,  # read in a document, not turned on its side
        max_words=MAX_WORDS,
        min_font_size=12 // CLOUD_SCALE,
        max_font_size=int(height * 0.32) // CLOUD_SCALE,
        relative_scaling=0.6,
        margin=10 // CLOUD_SCALE,
        random_state=Random(CLOUD_SEED),
        color_func=lambda word, **_: _colour(word),
        collocations=False,
        normalize_plurals=False,
        include_numbers=True,
    )
    cloud.generate_from_frequencies(frequencies)
    out = io.BytesIO()
    cloud.to_image().save(out, format="PNG")
    return out.getvalue()
