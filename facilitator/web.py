"""Cross-cutting web concerns: security headers, template helpers, the language switcher."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from babel import Locale
from flask import Blueprint, Flask, abort, current_app, redirect, request, session
from flask_babel import format_date, format_datetime
from markdown_it import MarkdownIt
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Response

from facilitator.i18n import (
    SESSION_KEY,
    current_language,
    format_zoned_time,
    pick_text,
    supported_languages,
    text_language,
    zoned,
)

_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src {connect}",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]
# A host (name or address, and a port) as it may stand in a policy; anything else in
# the Host header is left out rather than let a request write its own policy.
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
HSTS = "max-age=31536000"
# Engine.IO answers these itself, past Flask's after_request.
SOCKET_PATH = "/socket.io/"


def websocket_origins(public_url: str | None, host: str | None) -> list[str]:
    """The ws(s) form of this app's origin: browsers differ on whether 'self' covers it.

    The public URL when the app sits behind one; else the host the browser asked
    for, both schemes (a proxy may terminate TLS without telling us).
    """
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme in ("http", "https") and _HOST.fullmatch(parts.netloc):
            return [("wss://" if parts.scheme == "https" else "ws://") + parts.netloc]
        return []
    if host and _HOST.fullmatch(host):
        return [f"ws://{host}", f"wss://{host}"]
    return []


def content_security_policy(public_url: str | None, host: str | None) -> str:
    connect = " ".join(["'self'", *websocket_origins(public_url, host)])
    return "; ".join(_POLICY).format(connect=connect)


def security_headers(config: Any, host: str | None) -> dict[str, str]:
    """Every response's security headers, for this app's settings and the asked-for host."""
    headers = {
        "Content-Security-Policy": content_security_policy(config.get("PUBLIC_URL"), host),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    if config.get("ENV_NAME") == "production":
        headers["Strict-Transport-Security"] = HSTS
    return headers


# No raw HTML passes through agenda Markdown; links keep markdown-it's safe-URL check.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})

bp = Blueprint("web", __name__)


def set_security_headers(response: Response) -> Response:
    for name, value in security_headers(current_app.config, request.host).items():
        response.headers.setdefault(name, value)
    # Every page holds a token (a form's CSRF token at least, the console its display
    # link): a page says so itself if a cache may keep it.
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def socket_security_headers(app: Flask, wrapped: WSGIApp) -> WSGIApp:
    """WSGI middleware: Engine.IO's handshake and polling answers get the same headers.

    A plain function, not an object with __call__: calling an object recurses on the C
    stack, which every open websocket's green thread keeps (make bench: 60.3 KiB a
    phone with a middleware object, 54.5 without one).
    """
    config = app.config

    def secured(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not str(environ.get("PATH_INFO", "")).startswith(SOCKET_PATH) or (
            str(environ.get("HTTP_UPGRADE", "")).lower() == "websocket"
        ):
            return wrapped(environ, start_response)  # a 101 has no page to protect
        extra = security_headers(config, environ.get("HTTP_HOST"))

        def start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            present = {name.lower() for name, _value in headers}
            added = [(k, v) for k, v in extra.items() if k.lower() not in present]
            return start_response(status, [*headers, *added], *args)

        return wrapped(environ, start)

    return secured


def secure_socket_responses(app: Flask) -> None:
    """Wrap the app once Socket.IO has wrapped it: its answers pass through here last."""
    app.wsgi_app = socket_security_headers(app, app.wsgi_app)  # type: ignore[method-assign,assignment]


def render_markdown(text: str | None) -> Markup:
    return Markup(_markdown.render(text or ""))


def language_name(code: str) -> str:
    """A language's name in that language, e.g. 'français' for fr."""
    try:
        return str(Locale.parse(code.replace("-", "_")).get_display_name() or code)
    except (ValueError, LookupError):
        return code


def country_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        return str(Locale.parse(current_language()).territories.get(code.upper(), code))
    except (ValueError, LookupError):
        return code


def country_flag(code: str | None) -> str:
    """The emoji flag of an ISO 3166-1 alpha-2 code (regional indicator symbols)."""
    if not code or len(code) != 2 or not code.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code.upper())


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only same-site relative paths: no open redirect through ?next=."""
    if not target:
        return fallback
    parts = urlsplit(target)
    # Browsers read "/\\host" as "//host": a backslash anywhere is refused.
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return fallback
    return target


def page_to_show_again(target: str) -> str:
    """`target` if a GET shows it, else the nearest parent path that a GET shows, else "/".

    A page rendered by a POST (a failed upload, a refused form) has a POST-only
    path: sending the browser back there would answer 405.
    """
    adapter = current_app.url_map.bind("localhost")
    asked = urlsplit(target).path
    path = asked
    while path not in ("", "/"):
        try:
            adapter.match(path, method="GET")
        except MethodNotAllowed:
            pass
        except NotFound:
            if path == asked:  # an unknown page: its 404 again, in the new language
                return target
        except HTTPException:  # a redirect (a missing slash): a GET follows it
            return target if path == asked else path
        else:
            return target if path == asked else path
        path = path.rsplit("/", 1)[0]
    return "/"


@bp.post("/language")
def choose_language() -> Response:
    language = request.form.get("language", "")
    if language not in supported_languages():
        abort(400)
    session[SESSION_KEY] = language
    session.permanent = True  # remembered across browser restarts
    referrer = urlsplit(request.referrer or "").path
    return redirect(page_to_show_again(safe_next(request.form.get("next") or referrer)))


def template_globals() -> dict[str, Any]:
    return {
        "ui_languages": supported_languages(),
        "current_language": current_language,
        "language_name": language_name,
        "country_name": country_name,
        "country_flag": country_flag,
        "pick_text": pick_text,
        "text_language": text_language,
        "zoned": zoned,
        "format_zoned_time": format_zoned_time,
        "format_date": format_date,
        "format_datetime": format_datetime,
    }


def init_web(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(set_security_headers)
    app.context_processor(template_globals)
    app.add_template_filter(render_markdown, "markdown")
