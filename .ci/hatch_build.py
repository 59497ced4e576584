"""Hatchling build hook: what a wheel takes from outside the package.

The brief keeps templates/ and static/ at the top of the tree; an installed app
finds them inside the package (facilitator/resources.py). So the wheel maps
templates/ to facilitator/templates and the browser assets to facilitator/static:
the bundle esbuild writes to static/dist/ once `make assets` builds one, else
static/ as served today. A wheel without its assets or compiled translations
would install and then fail on the first page: the build refuses instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class BuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install serves them from the checkout itself
        root = Path(self.root)
        built = root / "static" / "dist"
        static = built if built.is_dir() else root / "static"
        missing = []
        if not (root / "templates" / "base.html").is_file():
            missing.append("the templates")
        if not list(root.glob("facilitator/translations/*/LC_MESSAGES/messages.mo")):
            missing.append("the compiled translations (make compile-translations)")
        if not any(static.rglob("*.js")) or not (
            built.is_dir() or (static / "vendor" / "socket.io.min.js").is_file()
        ):
            missing.append("the browser assets (make assets)")
        if missing:
            raise RuntimeError(f"the wheel would lack {', '.join(missing)}: build them first")
        build_data["force_include"][str(root / "templates")] = "facilitator/templates"
        build_data["force_include"][str(static)] = "facilitator/static"
