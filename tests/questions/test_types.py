"""Each question type alone: validation with its error codes, words' normal forms, summaries."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator.questions.types import (
    TYPES,
    AnswerRefused,
    Counts,
    QuestionType,
    Shape,
    question_type,
)
from facilitator.questions.words import normal_form

THREE = Shape(options=3)
SCALE = Shape(scale_min=1, scale_max=5)


def test_every_type_is_registered_with_how_it_is_asked_and_shown() -> None:
    assert {name: (t.input, t.chart) for name, t in TYPES.items()} == {
        "open": ("text", "wall"),
        "words": ("words", "cloud"),
        "choice": ("single", "bars"),
        "multi": ("multiple", "bars"),
        "scale": ("scale", "distribution"),
        "rank": ("order", "points"),
    }


def test_a_new_type_is_one_class() -> None:
    from facilitator.questions.types import register

    @register
    class YesNo(QuestionType):
        name = "yesno"
        input = "single"
        chart = "bars"
        tallied = "keys"

    try:
        assert question_type("yesno").chart == "bars"
    finally:
        del TYPES["yesno"]


@pytest.mark.parametrize(
    ("type_", "value", "shape", "code"),
    [
        ("open", 5, Shape(), "answer_type"),
        ("open", "   ", Shape(), "answer_empty"),
        ("open", "x" * 501, Shape(), "answer_too_long"),
        ("words", "solidarity", Shape(), "answer_type"),
        ("words", ["a", "b", "c", "d"], Shape(), "too_many_words"),
        ("words", [" ", ""], Shape(), "answer_empty"),
        ("words", [1], Shape(), "answer_type"),
        ("choice", 3, THREE, "unknown_option"),
        ("choice", -1, THREE, "unknown_option"),
        ("choice", True, THREE, "answer_type"),
        ("choice", "1", THREE, "answer_type"),
        ("multi", [], THREE, "answer_empty"),
        ("multi", [0, 0], THREE, "repeated_option"),
        ("multi", 1, THREE, "answer_type"),
        ("scale", 0, SCALE, "out_of_scale"),
        ("scale", 6, SCALE, "out_of_scale"),
        ("scale", 2.5, SCALE, "answer_type"),
        ("rank", [0, 1], THREE, "ranking_incomplete"),
        ("rank", [0, 1, 1], THREE, "repeated_option"),
        ("rank", [0, 1, 5], THREE, "unknown_option"),
    ],
)
def test_invalid_answers_are_refused_with_a_code(
    type_: str, value: Any, shape: Shape, code: str
) -> None:
    with pytest.raises(AnswerRefused) as refused:
        question_type(type_).parse(value, shape)
    assert refused.value.code == code


def test_valid_answers_become_what_is_stored() -> None:
    assert question_type("open").parse("  Hello  ", Shape()).text == "Hello"
    words = question_type("words").parse([" Café ", "CAFÉ", "Tea"], Shape())
    assert words.value == ["Café", "Tea"]
    assert [p.key for p in words.parts] == ["café", "tea"]
    assert [p.key for p in question_type("multi").parse([2, 0], THREE).parts] == ["0", "2"]
    ranked = question_type("rank").parse([2, 0, 1], THREE)
    assert [(p.key, p.position) for p in ranked.parts] == [("2", 0), ("0", 1), ("1", 2)]
    assert question_type("scale").parse(5, SCALE).number == 5


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("  Solidarity ", "solidarity"),
        ("SOLIDARITY", "solidarity"),
        ("Straße", "strasse"),  # case folding, not lowering
        ("cafe\u0301", "café"),  # composed by NFKC
        ("ｆｕｌｌ", "full"),  # full-width letters
        ("social   economy", "social economy"),
        ("x" * 40, "x" * 32),  # the length cap
        ("협력", "협력"),
    ],
)
def test_words_are_normalised_as_people_expect(typed: str, normal: str) -> None:
    assert normal_form(typed) == normal


def test_summaries() -> None:
    assert question_type("choice").summarise(Counts(3, keys={"0": 2, "2": 1}), THREE) == {
        "answers": 3,
        "options": [2, 0, 1],
    }
    scale = question_type("scale").summarise(Counts(3, numbers={1: 1, 5: 2}), SCALE)
    assert scale == {
        "answers": 3,
        "distribution": [[1, 1], [2, 0], [3, 0], [4, 0], [5, 2]],
        "mean": 3.67,
    }
    assert question_type("scale").summarise(Counts(0), SCALE)["mean"] is None
    # Borda: two people put 2 first, one puts 0 first
    positions = {("2", 0): 2, ("0", 1): 2, ("1", 2): 2, ("0", 0): 1, ("1", 1): 1, ("2", 2): 1}
    rank = question_type("rank").summarise(Counts(3, positions=positions), THREE)
    assert rank == {"answers": 3, "points": [4, 1, 4], "order": [0, 2, 1]}
    cloud = question_type("words").summarise(
        Counts(3, keys={"tea": 1, "café": 2}, labels={"café": "Café"}), Shape()
    )
    assert cloud["words"] == [
        {"word": "café", "label": "Café", "count": 2},
        {"word": "tea", "label": "tea", "count": 1},
    ]
