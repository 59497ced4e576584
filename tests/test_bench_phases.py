"""`facilitator bench`'s phases after the join storm, on a small crowd: the answer phase
(issue 10) and the breakout phase (issue 11), with the real server and real clients."""

from __future__ import annotations

import pytest

from facilitator.bench.answers import busiest_second
from tests.test_bench import bench_line

ANSWER_KEYS = {
    "answers",
    "answers_stored",
    "answers_expected",
    "answers_wrong",
    "answers_doubled",
    "answers_per_s",
    "submit_ack_p95_ms",
    "submit_to_console_p95_ms",
    "projector_updates_per_s",
    "projector_messages_per_s",
    "votes",
    "votes_stored",
    "lost_events",
    "duplicate_events",
}


@pytest.mark.slow
def test_every_phone_answers_and_every_answer_is_stored_exactly_once() -> None:
    """One run for both: every phone answers the three polls, then (the throughput run)
    its 4th and 5th answers change its first two, so each is stored once, as changed."""
    result = bench_line(
        *("--participants", "12", "--workers", "2", "--ramp", "1"),
        *("--phase", "answers", "--answers-per-phone", "5", "--async-mode", "eventlet"),
    )
    assert set(result) >= ANSWER_KEYS
    assert result["phases"] == ["answers"]
    assert "fanout_p95_ms" not in result  # the run of show did not run
    assert result["join_failures"] == 0
    assert result["answers"] == 60  # five each, none refused
    assert result["answers_refused"] == {}
    assert result["answers_stored"] == result["answers_expected"] == 36  # 3 questions each
    assert result["answers_wrong"] == result["answers_doubled"] == 0
    assert result["votes"] == result["votes_stored"] == 4  # phones 0, 3, 6, 9
    assert result["lost_events"] == result["duplicate_events"] == 0
    assert result["answers_lost_events"] == 0
    assert result["submit_ack_p95_ms"] > 0  # type: ignore[operator]
    assert result["submit_to_console_p95_ms"] > 0  # type: ignore[operator]
    # Three revealed questions' results reach the projector coalesced, whatever the rate.
    assert 1 <= result["projector_updates_per_s"] <= 5  # type: ignore[operator]


def test_the_busiest_second_is_a_sliding_window() -> None:
    assert busiest_second([]) == 0
    assert busiest_second([0.0, 0.25, 0.5, 0.75, 1.0]) == 4  # [t, t + 1): 1.0 is the next
    assert busiest_second([0.0, 0.9, 1.05, 1.1, 3.0]) == 3


BOARD_KEYS = {
    "board_edits",
    "board_edit_to_members_p95_ms",
    "cross_group_deliveries",
    "board_lost",
    "board_duplicates",
    "breakout_fanout_p95_ms",
    "breakout_show_lost_events",
}


@pytest.mark.slow
def test_groups_write_on_their_boards_and_hear_only_their_own_group() -> None:
    result = bench_line(
        *("--participants", "20", "--workers", "2", "--ramp", "1"),
        *("--phase", "breakouts", "--breakout-seconds", "6", "--groups", "4"),
    )
    assert set(result) >= BOARD_KEYS
    assert result["phases"] == ["breakouts"]
    assert result["breakout_placed"] == 20 and result["breakout_unplaced"] == 0
    assert result["breakout_groups"] == 4
    assert result["breakout_group_size_min"] == result["breakout_group_size_max"] == 5
    assert result["board_edits"] >= 20  # every phone's first turn is in its first 5 s
    assert result["board_refused"] == {}
    assert result["cross_group_deliveries"] == 0
    assert result["board_lost"] == result["board_duplicates"] == 0
    assert result["board_edit_to_members_p95_ms"] > 0  # type: ignore[operator]
    # The run of show went on beside the boards, and nothing of it was lost either.
    assert result["breakout_actions"] >= 4  # type: ignore[operator]
    assert result["breakout_show_lost_events"] == result["breakout_display_lost_events"] == 0
    assert result["lost_events"] == result["duplicate_events"] == 0
