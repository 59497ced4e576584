"""Extension objects, created unbound and bound to an app in create_app."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from facilitator.database import make_engine, make_session_factory


class Database:
    """The engine and session factory of one app, plus a session per request."""

    def __init__(self) -> None:
        self._engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None

    def init_app(self, app: Flask) -> None:
        self._engine = make_engine(app.config["DATABASE_URL"])
        self._factory = make_session_factory(self._engine)
        app.extensions["facilitator.db"] = self
        app.teardown_appcontext(self._close_request_session)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("Database is not bound to an app")
        return self._engine

    @property
    def factory(self) -> sessionmaker[Session]:
        if self._factory is None:
            raise RuntimeError("Database is not bound to an app")
        return self._factory

    @property
    def session(self) -> Session:
        """The request's session; routes commit it themselves (commit at the edge)."""
        if "db_session" not in g:
            g.db_session = self.factory()
        session: Session = g.db_session
        return session

    @staticmethod
    def _close_request_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()
socketio = SocketIO()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
