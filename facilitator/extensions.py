"""Extension objects, created unbound and bound to an app in create_app."""

from __future__ import annotations

from flask import Flask, current_app, g, has_app_context
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from facilitator.database import make_engine, make_session_factory


class Database:
    """The engine and session factory of each app, plus a session per request.

    Each app keeps its own in `app.extensions`; inside an app context `db` answers for
    that app, so two apps in one process never share a database by accident. Outside
    any app context (a test's teardown), it answers for the app bound last.
    """

    KEY = "facilitator.db"

    def __init__(self) -> None:
        self._last: tuple[Engine, sessionmaker[Session]] | None = None

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        self._last = (engine, make_session_factory(engine))
        app.extensions[self.KEY] = self._last
        app.teardown_appcontext(self._close_request_session)

    def _bound(self) -> tuple[Engine, sessionmaker[Session]]:
        if has_app_context() and self.KEY in current_app.extensions:
            bound: tuple[Engine, sessionmaker[Session]] = current_app.extensions[self.KEY]
            return bound
        if self._last is None:
            raise RuntimeError("Database is not bound to an app")
        return self._last

    @property
    def engine(self) -> Engine:
        return self._bound()[0]

    @property
    def factory(self) -> sessionmaker[Session]:
        return self._bound()[1]

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
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
