"""Results as pictures for the record: PNG bytes per chart, the same bytes for the same
results, Hangul drawn with a font that has it, nothing for what has no picture."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from facilitator.questions import charts
from facilitator.questions.charts import chart_png, question_chart_png

WORDS = {
    "answers": 10,
    "words": [
        {"word": "trust", "label": "Trust", "count": 7},
        {"word": "신뢰", "label": "신뢰", "count": 4},
        {"word": "confiance", "label": "confiance", "count": 3},
        {"word": "écoute", "label": "écoute", "count": 1},
    ],
}
CHOICE = {"answers": 10, "options": [5, 3, 0, 2]}
LABELS = ["Collectivités locales", "Coopératives et mutuelles", "Universités", "지방정부"]
SCALE = {"answers": 6, "distribution": [[1, 1], [2, 0], [3, 1], [4, 3], [5, 1]], "mean": 3.5}
RANK = {"answers": 3, "points": [3, 5, 1], "order": [1, 0, 2]}
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("words", WORDS, {}),
    ("choice", CHOICE, {"labels": LABELS}),
    ("multi", {"answers": 4, "options": [4, 3, 1]}, {"labels": ["A", "B", "C"]}),
    ("scale", SCALE, {"scale_labels": ("Pas du tout", "Tout à fait")}),
    ("rank", RANK, {"labels": ["Funding", "Trust", "Law"]}),
]


def _image(png: bytes | None) -> Image.Image:
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


@pytest.mark.parametrize(("kind", "results", "extra"), CASES, ids=[c[0] for c in CASES])
def test_each_type_draws_a_png_the_same_each_time(
    kind: str, results: dict[str, object], extra: dict[str, Any]
) -> None:
    first = chart_png(kind, results, "fr", **extra)
    image = _image(first)
    assert image.width == 1200 and 200 <= image.height <= 1200
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 10  # drawn on, not a blank page
    assert chart_png(kind, results, "fr", **extra) == first


def test_chart_codes_are_taken_as_types_are() -> None:
    assert chart_png("bars", CHOICE, "en", labels=LABELS) == chart_png(
        "choice", CHOICE, "en", labels=LABELS
    )
    assert chart_png("distribution", SCALE, "en") == chart_png("scale", SCALE, "en")


def test_nothing_to_draw_gives_none() -> None:
    wall = {"answers": 2, "wall": [{"id": 1, "text": "x", "highlighted": False, "at_ms": 1}]}
    assert chart_png("open", wall, "en") is None  # an answer wall is quoted, not drawn
    assert chart_png("choice", {"answers": 0, "options": [0, 0]}, "en") is None
    assert chart_png("words", {"answers": 0, "words": []}, "en") is None
    assert chart_png("pie", CHOICE, "en") is None
    assert chart_png("choice", {}, "en") is None


def test_bars_without_labels_are_numbered_and_more_counts_draw_longer_bars() -> None:
    numbered = _image(chart_png("choice", CHOICE, "en"))
    labelled = _image(chart_png("choice", CHOICE, "en", labels=LABELS))
    assert numbered.tobytes() != labelled.tobytes()

    def blue_columns(image: Image.Image, row: int) -> int:
        pixels = image.convert("RGB")
        return sum(1 for x in range(image.width) if pixels.getpixel((x, row)) == (47, 111, 214))

    one_bar = _image(chart_png("choice", {"answers": 3, "options": [3]}, "en", labels=["A"]))
    assert blue_columns(one_bar, one_bar.height // 2) > 0.5 * one_bar.width  # a full bar


def test_the_font_has_hangul_when_noto_cjk_is_installed() -> None:
    path = charts.font_path()
    if path is None:
        pytest.skip("no Noto Sans CJK here (.ci/run installs fonts-noto-cjk)")
    from matplotlib.ft2font import FT2Font

    font = FT2Font(path)
    assert all(font.get_char_index(ord(c)) != 0 for c in "신뢰지방정부é")


def test_the_words_are_translated_into_the_records_language() -> None:
    assert charts._translations("fr").gettext("Mean") == "Moyenne"
    assert charts._translations("ko").gettext("Mean") == "평균"
    assert chart_png("scale", SCALE, "fr") != chart_png("scale", SCALE, "en")


def test_a_record_entry_is_drawn_with_its_texts_in_the_records_language() -> None:
    entry = {
        "type": "choice",
        "chart": "bars",
        "options": [{"en": "Red", "fr": "Rouge"}, {"en": "Green"}],
        "scale": None,
        "results": {"answers": 3, "options": [2, 1]},
    }
    assert question_chart_png(entry, "fr", "en") == chart_png(
        "bars", entry["results"], "fr", labels=["Rouge", "Green"]
    )
    scale = {
        "type": "scale",
        "chart": "distribution",
        "options": None,
        "scale": {"min": 1, "max": 5, "min_label": {"en": "Not at all"}, "max_label": "Very"},
        "results": SCALE,
    }
    assert question_chart_png(scale, "ko", "en") == chart_png(
        "scale", SCALE, "ko", scale_labels=("Not at all", "Very")
    )
    assert question_chart_png({**entry, "results": {"answers": 0}}, "fr", "en") is None
