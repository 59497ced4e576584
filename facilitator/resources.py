"""Where the templates and the built browser assets are: inside the installed package
(a wheel puts them there), or at the top of a source checkout (the brief's layout)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent


def resource_dir(packaged: str, checkout: str) -> Path:
    """`packaged` inside the installed package if it is there, else `checkout` in the tree."""
    inside = PACKAGE / packaged
    return inside if inside.is_dir() else CHECKOUT / checkout


def templates_dir() -> Path:
    return resource_dir("templates", "templates")


def static_dir() -> Path:
    """The built, hashed assets (`make assets`), not the sources beside them in static/."""
    return resource_dir("static", "static/dist")
