"""The `facilitator` command, run as a moderator would, against a real migrated database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select, text

from facilitator.agenda.models import ProgramItem, Workshop
from facilitator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sessions").glob("*.yaml"))


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("FACILITATOR_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FACILITATOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("FACILITATOR_ASYNC_MODE", "threading")
    monkeypatch.delenv("FACILITATOR_ADMIN_EMAIL", raising=False)
    monkeypatch.delenv("FACILITATOR_ADMIN_PASSWORD", raising=False)
    runner = CliRunner()
    result = runner.invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    yield runner


def rows(tmp_path: Path, model: type) -> int:
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with engine.connect() as connection:
        n = connection.scalar(select(func.count()).select_from(model)) or 0
    engine.dispose()
    return n


@pytest.mark.parametrize(
    "command", [[], ["serve"], ["check"], ["load"], ["dump"], ["create-user"], ["db", "upgrade"]]
)
def test_every_command_explains_itself(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_check_accepts_every_sample() -> None:
    result = CliRunner().invoke(main, ["check", *map(str, SAMPLES)])
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok (") == len(SAMPLES)


def test_check_reports_file_line_column_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    source = SAMPLES[0].read_text(encoding="utf-8")
    bad.write_text(
        source.replace("timezone: ", "timezone: Mars/Olympus_Mons # ", 1), encoding="utf-8"
    )
    line = next(i for i, text in enumerate(bad.read_text().splitlines(), 1) if "Mars/" in text)
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:{line}:11: timezone: " in result.output


def test_load_dump_load_gives_the_same_workshop(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(main, ["load", *map(str, SAMPLES)])
    assert result.exit_code == 0, result.output
    assert result.output.count("created workshop") == len(SAMPLES)
    for path in SAMPLES:
        slug = yaml.safe_load(path.read_text(encoding="utf-8"))["slug"]
        out = tmp_path / f"{slug}.yaml"
        assert cli.invoke(main, ["dump", slug, "-o", str(out)]).exit_code == 0
        assert cli.invoke(main, ["check", str(out)]).exit_code == 0
        again = cli.invoke(main, ["load", str(out)])
        assert f"updated workshop {slug}" in again.output
        twice = cli.invoke(main, ["dump", slug])
        assert twice.output == out.read_text(encoding="utf-8")
    assert rows(tmp_path, Workshop) == len(SAMPLES)


def test_an_invalid_file_changes_nothing(cli: CliRunner, tmp_path: Path) -> None:
    assert cli.invoke(main, ["load", str(SAMPLES[0])]).exit_code == 0
    before = rows(tmp_path, ProgramItem)
    broken = tmp_path / "broken.yaml"
    # Same slug, one item pointing at a person who does not exist.
    data = yaml.safe_load(SAMPLES[0].read_text(encoding="utf-8"))
    data["program"][0]["people"] = ["nobody-at-all"]
    data["title"] = "Changed title"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli.invoke(main, ["load", str(broken)])
    assert result.exit_code == 1
    assert "program[0].people[0]" in result.output and "nobody-at-all" in result.output
    assert rows(tmp_path, ProgramItem) == before
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with engine.connect() as connection:
        title = connection.execute(text("SELECT title FROM workshop")).scalar()
    engine.dispose()
    assert "Changed title" not in str(title)


def test_make_run_keeps_a_sample_edited_in_the_browser(cli: CliRunner, tmp_path: Path) -> None:
    """`load --only-new` (what make run does) adds missing samples and leaves the rest."""
    assert cli.invoke(main, ["load", str(SAMPLES[0])]).exit_code == 0
    edited = tmp_path / "edited.yaml"  # as if uploaded again in the browser, with a new title
    data = yaml.safe_load(SAMPLES[0].read_text(encoding="utf-8"))
    data["title"] = "Edited by the moderator"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli.invoke(main, ["load", str(edited)]).exit_code == 0

    result = cli.invoke(main, ["load", "--only-new", *map(str, SAMPLES)])

    assert result.exit_code == 0, result.output
    assert result.output.count("created workshop") == len(SAMPLES) - 1
    assert f"kept workshop {data['slug']}" in result.output
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with engine.connect() as connection:
        title = connection.execute(
            text("SELECT title FROM workshop WHERE slug = :slug"), {"slug": data["slug"]}
        ).scalar()
    engine.dispose()
    assert "Edited by the moderator" in str(title)


def test_dump_of_an_unknown_slug_fails_clearly(cli: CliRunner) -> None:
    result = cli.invoke(main, ["dump", "no-such-workshop"])
    assert result.exit_code != 0 and "no-such-workshop" in result.output


def test_first_admin_is_created_once_with_a_generated_password(cli: CliRunner) -> None:
    first = cli.invoke(main, ["ensure-admin"])
    assert first.exit_code == 0 and "password:" in first.output
    second = cli.invoke(main, ["ensure-admin"])
    assert second.exit_code == 0 and second.output == ""


def test_first_admin_from_the_environment(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACILITATOR_ADMIN_EMAIL", "Chair@Example.org")
    monkeypatch.setenv("FACILITATOR_ADMIN_PASSWORD", "a long enough password")
    result = cli.invoke(main, ["ensure-admin"])
    assert "chair@example.org" in result.output and "password:" not in result.output


def test_create_user(cli: CliRunner) -> None:
    ok = cli.invoke(
        main,
        ["create-user", "mod@example.org", "--name", "Mod"],
        env={"FACILITATOR_NEW_PASSWORD": "long enough password"},
    )
    assert ok.exit_code == 0, ok.output
    again = cli.invoke(
        main,
        ["create-user", "mod@example.org"],
        env={"FACILITATOR_NEW_PASSWORD": "long enough password"},
    )
    assert again.exit_code != 0 and "exists already" in again.output
    weak = cli.invoke(
        main, ["create-user", "x@example.org"], env={"FACILITATOR_NEW_PASSWORD": "short"}
    )
    assert weak.exit_code != 0 and "10 characters" in weak.output


def test_check_stops_after_a_hundred_problems(tmp_path: Path) -> None:
    bad = tmp_path / "many.yaml"
    source = SAMPLES[0].read_text(encoding="utf-8")
    bad.write_text(source + "".join(f"unknown_{i}: x\n" for i in range(5000)), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 101
    assert lines[-1] == f"{bad}: and 4900 more problems"


def test_set_password_ends_every_login(cli: CliRunner, tmp_path: Path) -> None:
    env = {"FACILITATOR_NEW_PASSWORD": "long enough password"}
    assert cli.invoke(main, ["create-user", "mod@example.org"], env=env).exit_code == 0
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")

    def token() -> str:
        with engine.connect() as connection:
            return str(connection.scalar(text("SELECT session_token FROM user_account")))

    before = token()
    changed = cli.invoke(
        main,
        ["set-password", "MOD@example.org"],
        env={"FACILITATOR_NEW_PASSWORD": "another long one"},
    )
    assert changed.exit_code == 0, changed.output
    assert "logged out everywhere" in changed.output
    assert token() != before
    weak = cli.invoke(
        main, ["set-password", "mod@example.org"], env={"FACILITATOR_NEW_PASSWORD": "short"}
    )
    assert weak.exit_code != 0 and "10 characters" in weak.output
    unknown = cli.invoke(
        main,
        ["set-password", "nobody@example.org"],
        env={"FACILITATOR_NEW_PASSWORD": "long enough pw"},
    )
    assert unknown.exit_code != 0 and "no account" in unknown.output
    engine.dispose()
