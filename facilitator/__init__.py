"""Facilitator: live co-creation workshops.

This module imports nothing at load time: `facilitator serve` must monkey-patch
the standard library (eventlet, gevent) before Flask or anything else is imported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings from the environment, then `config` on top (tests)."""
    from flask_socketio import SocketIO

    from facilitator import (
        accounts,
        agenda,
        assets,
        errors,
        extensions,
        i18n,
        live,
        ratelimits,
        realtime,
        web,
    )
    from facilitator.breakouts import events as breakout_events
    from facilitator.config import load_config
    from facilitator.live import events as live_events
    from facilitator.participation import events as participation_events
    from facilitator.qa import events as qa_events
    from facilitator.qa import init_qa
    from facilitator.questions import events as question_events
    from facilitator.questions import init_questions
    from facilitator.realtime.contexts import RealtimeApp
    from facilitator.record import events as record_events
    from facilitator.record import init_record
    from facilitator.resources import static_dir, templates_dir

    app = RealtimeApp(  # Flask, with light contexts for socket events
        __name__,
        template_folder=templates_dir(),
        static_folder=static_dir(),
        static_url_path="/static",  # not the built folder's name (dist)
    )
    overrides = dict(config or {})
    environ = dict(os.environ)
    if "SECRET_KEY" in overrides:  # given: nothing to generate into instance/
        environ["FACILITATOR_SECRET_KEY"] = overrides["SECRET_KEY"]
    instance = Path(overrides["INSTANCE_PATH"]) if "INSTANCE_PATH" in overrides else None
    app.config.update(load_config(environ, instance))
    app.config.update(overrides)

    extensions.db.init_app(app)
    extensions.babel.init_app(app, locale_selector=i18n.select_locale)
    extensions.csrf.init_app(app)
    ratelimits.register()  # swept-memory://, the default storage of rate-limit counts
    extensions.limiter.init_app(app)
    ratelimits.init_throttles(app)  # per account and server-wide, in the same store
    accounts.init_accounts(app)
    web.init_web(app)
    assets.init_assets(app)
    errors.init_errors(app)
    agenda.init_agenda(app)
    # One Socket.IO server per app: its rooms, handlers and queue are this app's alone.
    socketio = SocketIO()
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["MESSAGE_QUEUE"],
        channel=app.config["MESSAGE_QUEUE_CHANNEL"],
        max_http_buffer_size=64 * 1024,
        ping_interval=app.config["PING_INTERVAL_SECONDS"],
        # Same origin only, unless the venue serves us behind a public URL.
        cors_allowed_origins=app.config["PUBLIC_URL"],
    )
    # The features that meet the realtime channel: each declares its events in events.py.
    realtime.init_realtime(
        app,
        socketio,
        features=[
            live_events.feature,
            participation_events.feature,
            question_events.feature,
            qa_events.feature,
            record_events.feature,
            breakout_events.feature,
        ],
    )
    live.init_live(app)
    init_qa(app)  # the speakers' links
    init_questions(app)  # the projector's count of answers while results are hidden
    init_record(app)  # notes, review, exports
    web.secure_socket_responses(app)  # last: outside Socket.IO's own WSGI wrapper
    return app
