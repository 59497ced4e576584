"""The realtime mechanism: connect and identify, validate, idempotency, commit then emit,
audience streams and their seqs, acks, rate limits, coalesced tallies.

It imports no feature: the app factory hands it the features' declarations
(`facilitator/<feature>/events.py`), and it registers their events.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask
    from flask_socketio import SocketIO

    from facilitator.realtime.registry import Feature


def init_realtime(app: Flask, socketio: SocketIO, features: Iterable[Feature]) -> None:
    from facilitator.extensions import db
    from facilitator.realtime import connect, handlers, pings
    from facilitator.realtime.batches import GroupCommit
    from facilitator.realtime.board import make_board
    from facilitator.realtime.connections import Connections
    from facilitator.realtime.frames import FrameGuard
    from facilitator.realtime.kicks import make_kicker
    from facilitator.realtime.limits import SenderLimits
    from facilitator.realtime.registry import Registry
    from facilitator.realtime.runtime import KEY, Realtime

    connections = Connections()
    registry = Registry(features)
    realtime = app.extensions[KEY] = Realtime(
        app=app,
        socketio=socketio,
        factory=db.factory,
        registry=registry,
        connections=connections,
        board=make_board(
            connections, app.config.get("MESSAGE_QUEUE"), app.config["MESSAGE_QUEUE_CHANNEL"]
        ),
        limits=SenderLimits(
            app.config.get("MESSAGE_QUEUE"), participant=app.config["PARTICIPANT_EVENT_RATE"]
        ),
    )
    realtime.batches = GroupCommit(
        realtime,
        window=app.config.get("BATCH_WINDOW_MS", 3) / 1000,
        most=app.config.get("BATCH_MOST", 200),
        sleep=socketio.sleep,
        alone=handlers.apply_alone,
    )
    realtime.kicker = make_kicker(
        app.config.get("MESSAGE_QUEUE"), app.config["MESSAGE_QUEUE_CHANNEL"], realtime.apply_kick
    )
    FrameGuard(socketio.server).install()
    pings.install(socketio.server.eio, socketio.start_background_task, socketio.sleep)
    socketio.on_event("connect", connect.on_connect)
    socketio.on_event("disconnect", connect.on_disconnect)
    socketio.on_event("live.sync", connect.on_sync)
    for mutation in registry.mutations.values():
        socketio.on_event(mutation.event, handlers.handler_for(mutation))
    for query in registry.queries.values():
        socketio.on_event(query.event, handlers.handler_for(query))
