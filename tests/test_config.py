"""Settings from the environment, and what production refuses."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from facilitator.config import ConfigError, load_config


def test_development_generates_a_key_once_and_keeps_it(tmp_path: Path) -> None:
    first = load_config({}, tmp_path)["SECRET_KEY"]
    second = load_config({}, tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # not readable by others


@pytest.mark.parametrize("key", [None, "", "dev", "changeme", "secret", "short-but-random-1"])
def test_production_refuses_a_missing_or_weak_key(tmp_path: Path, key: str | None) -> None:
    env = {"FACILITATOR_ENV": "production"}
    if key is not None:
        env["FACILITATOR_SECRET_KEY"] = key
    with pytest.raises(ConfigError, match="FACILITATOR_SECRET_KEY"):
        load_config(env, tmp_path)
    assert not (tmp_path / "secret_key").exists()  # no silent fallback to a generated key


def test_production_accepts_a_strong_key(tmp_path: Path) -> None:
    key = "k" * 8 + "3f9a0c1d2e4b5a6978c1d2e3f4a5b6c7d8"
    config = load_config({"FACILITATOR_ENV": "production", "FACILITATOR_SECRET_KEY": key}, tmp_path)
    assert config["SECRET_KEY"] == key
    assert config["SESSION_COOKIE_SECURE"] is True


def test_defaults(tmp_path: Path) -> None:
    config = load_config({}, tmp_path)
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'facilitator.db'}"
    assert config["ASYNC_MODE"] == "eventlet"
    assert config["MESSAGE_QUEUE"] is None


def test_environment_overrides(tmp_path: Path) -> None:
    config = load_config(
        {
            "FACILITATOR_DATABASE_URL": "postgresql+psycopg2://u@h/db",
            "FACILITATOR_ASYNC_MODE": "gevent",
            "FACILITATOR_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
        },
        tmp_path,
    )
    assert config["DATABASE_URL"] == "postgresql+psycopg2://u@h/db"
    assert config["ASYNC_MODE"] == "gevent"
    assert config["MESSAGE_QUEUE"] == "redis://127.0.0.1:6379/0"


def test_unknown_async_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ASYNC_MODE"):
        load_config({"FACILITATOR_ASYNC_MODE": "asyncio"}, tmp_path)


def test_the_heartbeat_is_25_seconds_unless_set(tmp_path: Path) -> None:
    assert load_config({}, tmp_path)["PING_INTERVAL_SECONDS"] == 25
    shorter = load_config({"FACILITATOR_PING_INTERVAL_SECONDS": "10"}, tmp_path)
    assert shorter["PING_INTERVAL_SECONDS"] == 10


@pytest.mark.parametrize("value", ["0", "301", "soon", "2.5"])
def test_a_heartbeat_out_of_range_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="PING_INTERVAL_SECONDS"):
        load_config({"FACILITATOR_PING_INTERVAL_SECONDS": value}, tmp_path)


# --- cookies (issue 9, finding 2) -----------------------------------------------------


def test_cookies_are_same_site_and_remembered_two_weeks(tmp_path: Path) -> None:
    config = load_config({}, tmp_path)
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["REMEMBER_COOKIE_DURATION"] == timedelta(days=14)
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["REMEMBER_COOKIE_SECURE"] is False


def test_production_cookies_are_secure(tmp_path: Path) -> None:
    env = {"FACILITATOR_ENV": "production", "FACILITATOR_SECRET_KEY": "k" * 40}
    config = load_config(env, tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True


def test_the_remember_duration_is_a_setting(tmp_path: Path) -> None:
    config = load_config({"FACILITATOR_REMEMBER_DAYS": "3"}, tmp_path)
    assert config["REMEMBER_COOKIE_DURATION"] == timedelta(days=3)


@pytest.mark.parametrize("value", ["0", "366", "-1", "two", "1.5"])
def test_a_remember_duration_out_of_range_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="FACILITATOR_REMEMBER_DAYS"):
        load_config({"FACILITATOR_REMEMBER_DAYS": value}, tmp_path)
