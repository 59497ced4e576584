"""The per-participant budgets of answers, Q&A questions and votes are settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator import ratelimits
from facilitator.config import ConfigError, load_config
from facilitator.questions.limits import WritingLimits


def test_the_budgets_default_to_the_documented_rates(tmp_path: Path) -> None:
    config = load_config({}, tmp_path)
    assert config["ANSWER_RATE"] == "30/minute"
    assert config["QA_QUESTION_RATE"] == "5/minute"
    assert config["QA_VOTE_RATE"] == "60/minute"


def test_each_budget_is_read_from_the_environment_and_applied(tmp_path: Path) -> None:
    config = load_config(
        {
            "FACILITATOR_ANSWER_RATE": "2/minute",
            "FACILITATOR_QA_QUESTION_RATE": "1 per hour",
            "FACILITATOR_QA_VOTE_RATE": "3/minute",
        },
        tmp_path,
    )
    ratelimits.register()  # the app's in-memory store, as create_app registers it
    limits = WritingLimits(config)
    assert [limits.allow("answers", 7) for _ in range(3)] == [True, True, False]
    assert [limits.allow("questions", 7) for _ in range(2)] == [True, False]
    assert [limits.allow("votes", 7) for _ in range(4)] == [True, True, True, False]
    assert limits.allow("answers", 8)  # another participant has a budget of their own


@pytest.mark.parametrize("name", ["ANSWER_RATE", "QA_QUESTION_RATE", "QA_VOTE_RATE"])
def test_a_budget_that_is_not_a_rate_stops_the_app_with_its_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match=f"FACILITATOR_{name}"):
        load_config({f"FACILITATOR_{name}": "lots"}, tmp_path)
