"""`facilitator record SLUG --format …` and `facilitator bench record`, end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.bench.record import run
from facilitator.cli import main
from tests.record.conftest import SEED


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("FACILITATOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("FACILITATOR_ASYNC_MODE", "threading")
    monkeypatch.setenv("FACILITATOR_INSTANCE_PATH", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(main, ["load", str(SEED)]).exit_code == 0
    yield runner


def test_the_record_command_writes_each_format(cli: CliRunner, tmp_path: Path) -> None:
    slug = "2020-gsef-local-governments-sse-partnership"
    out = tmp_path / "record.json"
    result = cli.invoke(
        main, ["record", slug, "--format", "json", "--language", "ko", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["language"] == "ko"
    markdown = cli.invoke(main, ["record", slug, "--format", "md", "--language", "fr"])
    assert markdown.exit_code == 0 and "# Compte rendu de la session" in markdown.output
    missing = cli.invoke(main, ["record", "no-such-slug"])
    assert missing.exit_code != 0 and "no-such-slug" in missing.output


def test_the_record_bench_times_every_format() -> None:
    figures = run(20, 200)
    for key in (
        "compile_ms",
        "md_ms",
        "html_ms",
        "pdf_ms",
        "pdf_first_ms",
        "pdf_here_ms",
        "docx_ms",
        "json_ms",
        "csv_ms",
        "ics_ms",
    ):
        assert figures[key] >= 0
    assert figures["contributions"] == 200


def test_the_session_info_sheet_of_seed_000_is_in_the_record(cli: CliRunner) -> None:
    sample = SEED.parent / "2021-local-governments-sse-alliances.yaml"
    assert cli.invoke(main, ["load", str(sample)]).exit_code == 0
    result = cli.invoke(main, ["record", "2021-local-governments-sse-alliances"])
    assert result.exit_code == 0, result.output
    for heading in ("## Background", "## Objectives", "## Main question", "**Target audience:**"):
        assert heading in result.output, heading
    assert "intercooperation" in result.output
