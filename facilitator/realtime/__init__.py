"""The realtime channel: rooms, who is connected, sequenced broadcasts, idempotent mutations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def init_realtime(app: Flask) -> None:
    from facilitator.extensions import db, socketio
    from facilitator.live import events as live_events
    from facilitator.participation import events as participation_events
    from facilitator.realtime import handlers, pings, render, session
    from facilitator.realtime.board import make_board
    from facilitator.realtime.connections import connections
    from facilitator.realtime.limits import SenderLimits
    from facilitator.realtime.presence import notifier

    def disconnect(sid: str) -> Any:
        return socketio.server.disconnect(sid, namespace="/")

    handlers.runtime = handlers.Runtime(
        render=render.render,
        limits=SenderLimits(
            app.config.get("MESSAGE_QUEUE"),
            participant=app.config["PARTICIPANT_EVENT_RATE"],
        ),
        after_commit=lambda events: render.after_commit(events, disconnect),
    )
    pings.install(socketio.server.eio, socketio.start_background_task, socketio.sleep)
    notifier.board = make_board(
        connections, app.config.get("MESSAGE_QUEUE"), app.config["MESSAGE_QUEUE_CHANNEL"]
    )
    socketio.on_event("connect", session.on_connect)
    socketio.on_event("disconnect", session.on_disconnect)
    socketio.on_event("live.sync", session.on_sync)
    socketio.on_event("clock.ping", session.on_ping)
    for spec in [*live_events.MUTATIONS, *participation_events.MUTATIONS]:
        socketio.on_event(spec.event, handlers.handler_for(spec))

    def flush_presence() -> None:
        with app.app_context():
            notifier.flush(db.factory, socketio.emit)

    def start_presence() -> None:
        # Started by the first connection, not here: the CLI builds apps that never serve.
        if not app.config.get("TESTING"):
            notifier.start(socketio.start_background_task, socketio.sleep, flush_presence)

    app.extensions["facilitator.flush_presence"] = flush_presence
    app.extensions["facilitator.start_presence"] = start_presence
