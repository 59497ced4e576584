"""Settings: defaults, overridden by FACILITATOR_* environment variables."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

PREFIX = "FACILITATOR_"
ASYNC_MODES = ("eventlet", "gevent", "threading")
LANGUAGES = ("en", "fr", "es", "pt", "ko")

# Keys that tutorials and generators hand out; a production server must not run on them.
KNOWN_WEAK_KEYS = frozenset(
    {"", "dev", "development", "secret", "secret-key", "changeme", "change-me", "test", "key"}
)
MIN_PRODUCTION_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration cannot run the app (e.g. a weak production secret)."""


def default_instance_path() -> Path:
    return Path(os.environ.get(PREFIX + "INSTANCE_PATH", Path.cwd() / "instance")).resolve()


def sqlite_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'facilitator.db'}"


def development_secret_key(instance_path: Path) -> str:
    """Generate the key once and keep it, so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key + "\n")
    key_file.chmod(0o600)
    return key


def check_production_key(key: str | None) -> str:
    if key is None or key.strip().lower() in KNOWN_WEAK_KEYS:
        raise ConfigError(
            "FACILITATOR_SECRET_KEY is missing or a known weak value; "
            "set a random key of at least 32 characters in production."
        )
    if len(key) < MIN_PRODUCTION_KEY_LENGTH:
        raise ConfigError(
            f"FACILITATOR_SECRET_KEY is too short ({len(key)} characters); "
            f"use at least {MIN_PRODUCTION_KEY_LENGTH} random characters in production."
        )
    return key


def ping_interval(value: str | None) -> int:
    try:
        seconds = int(value or 25)
    except ValueError:
        raise ConfigError(f"FACILITATOR_PING_INTERVAL_SECONDS is not a number: {value!r}") from None
    if not 1 <= seconds <= 300:
        raise ConfigError("FACILITATOR_PING_INTERVAL_SECONDS must be between 1 and 300")
    return seconds


def bounded_int(name: str, value: str | None, default: int, low: int, high: int) -> int:
    """A whole number setting within [low, high]; anything else stops the app with its name."""
    try:
        number = int(value) if value not in (None, "") else default
    except ValueError:
        raise ConfigError(f"{PREFIX}{name} is not a whole number: {value!r}") from None
    if not low <= number <= high:
        raise ConfigError(f"{PREFIX}{name} must be between {low} and {high}, not {number}")
    return number


def rate(name: str, value: str | None, default: str) -> str:
    """A rate in the `limits` notation ("20 per second", "100/minute")."""
    from limits import parse  # only here: the settings module imports nothing heavy

    text = value or default
    try:
        parse(text)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name} is not a rate like '20 per second': {text!r}") from None
    return text


def load_config(
    environ: Mapping[str, str] | None = None, instance_path: Path | None = None
) -> dict[str, Any]:
    """Build the Flask config from the environment; refuse what cannot run safely."""
    env = os.environ if environ is None else environ
    instance = instance_path or default_instance_path()

    def get(name: str, default: str | None = None) -> str | None:
        return env.get(PREFIX + name, default)

    mode = get("ENV", "development") or "development"
    async_mode = get("ASYNC_MODE", "eventlet") or "eventlet"
    if async_mode not in ASYNC_MODES:
        raise ConfigError(
            f"FACILITATOR_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, not {async_mode!r}."
        )
    key = get("SECRET_KEY")
    if mode == "production":
        key = check_production_key(key)
    elif not key:
        key = development_secret_key(instance)

    return {
        "ENV_NAME": mode,
        "SECRET_KEY": key,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": get("DATABASE_URL") or sqlite_url(instance),
        "ASYNC_MODE": async_mode,
        "MESSAGE_QUEUE": get("MESSAGE_QUEUE") or None,
        # Workers of one deployment share a channel; another deployment on the same
        # Redis needs its own.
        "MESSAGE_QUEUE_CHANNEL": get("MESSAGE_QUEUE_CHANNEL") or "facilitator",
        "PUBLIC_URL": get("PUBLIC_URL") or None,
        "SESSIONS_DIR": get("SESSIONS_DIR") or None,
        "LANGUAGES": LANGUAGES,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # agenda files are refused past 1 MiB anyway
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": mode == "production",
        "REMEMBER_COOKIE_SECURE": mode == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # "Keep me logged in" lasts this long (Flask-Login's default is a year).
        "REMEMBER_COOKIE_DURATION": timedelta(
            days=bounded_int("REMEMBER_DAYS", get("REMEMBER_DAYS"), 14, 1, 365)
        ),
        "WTF_CSRF_TIME_LIMIT": None,  # a moderator's tab stays open all day
        # One process counts in memory (facilitator/ratelimits.py); several share Redis.
        "RATELIMIT_STORAGE_URI": get("RATELIMIT_STORAGE_URI", "swept-memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Per account, from any number of addresses: past the free failures each wrong
        # password doubles the wait (1, 2, 4… seconds), never beyond the maximum.
        "LOGIN_FREE_FAILURES": bounded_int(
            "LOGIN_FREE_FAILURES", get("LOGIN_FREE_FAILURES"), 5, 1, 1000
        ),
        "LOGIN_MAX_DELAY_SECONDS": bounded_int(
            "LOGIN_MAX_DELAY_SECONDS", get("LOGIN_MAX_DELAY_SECONDS"), 300, 1, 86400
        ),
        # For the whole server: past it, no code is looked up until the window passes.
        "WRONG_JOIN_CODE_RATE": rate(
            "WRONG_JOIN_CODE_RATE", get("WRONG_JOIN_CODE_RATE"), "20 per second"
        ),
        "PARTICIPANT_EVENT_RATE": get("PARTICIPANT_EVENT_RATE", "60/minute"),
        # Per participant, each its own budget and refusal (questions/limits.py).
        "ANSWER_RATE": rate("ANSWER_RATE", get("ANSWER_RATE"), "30/minute"),
        "QA_QUESTION_RATE": rate("QA_QUESTION_RATE", get("QA_QUESTION_RATE"), "5/minute"),
        "QA_VOTE_RATE": rate("QA_VOTE_RATE", get("QA_VOTE_RATE"), "60/minute"),
        # The breakout boards' (breakouts/board_events.py): card writes; dots and ratings.
        "BOARD_CARD_RATE": rate("BOARD_CARD_RATE", get("BOARD_CARD_RATE"), "30/minute"),
        "BOARD_VOTE_RATE": rate("BOARD_VOTE_RATE", get("BOARD_VOTE_RATE"), "60/minute"),
        # Per address: a whole venue may share one, so these only stop floods; the
        # 2^40 join codes are what make guessing hopeless.
        "JOIN_RATE_LIMIT": get("JOIN_RATE_LIMIT", "600 per minute"),
        "JOIN_PAGE_RATE_LIMIT": get("JOIN_PAGE_RATE_LIMIT", "1200 per minute"),
        "INVITATION_MAX_AGE_SECONDS": int(get("INVITATION_MAX_AGE_SECONDS", "604800") or 604800),
        # Group commit of batched mutations (answers, votes: realtime/batches.py): how long
        # the first waits for others to come along, and how many go in one transaction.
        "BATCH_WINDOW_MS": bounded_int("BATCH_WINDOW_MS", get("BATCH_WINDOW_MS"), 3, 0, 1000),
        "BATCH_MOST": bounded_int("BATCH_MOST", get("BATCH_MOST"), 200, 1, 10000),
        # Engine.IO's heartbeat; shorten it behind a proxy that closes quieter connections.
        "PING_INTERVAL_SECONDS": ping_interval(get("PING_INTERVAL_SECONDS")),
    }
