"""The built browser assets: `asset("live/console.js")` in templates gives the hashed URL.

`make assets` (static/build.mjs, esbuild) writes static/dist/ with content-hashed
files and manifest.json (entry -> hashed file). A hashed name changes whenever its content
does, so browsers may keep those files for a year without asking again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask, current_app, request, url_for
from flask_compress import Compress
from werkzeug.wrappers import Response

MANIFEST = "manifest.json"
EXTENSION_KEY = "facilitator.assets"
IMMUTABLE = "public, max-age=31536000, immutable"
# esbuild's [hash]: 8 characters of base32, before the extension(s): console-X44MSMWP.js(.map)
HASHED_NAME = re.compile(r"-[A-Z0-9]{8}\.[a-z0-9.]+$")


class MissingAssets(RuntimeError):
    """The manifest is not there: the assets were not built."""


def read_manifest(static_folder: Path) -> dict[str, str]:
    path = static_folder / MANIFEST
    try:
        manifest: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as missing:
        raise MissingAssets(f"{path} is missing: run `make assets` to build them") from missing
    return manifest


def manifest_of(app: Flask) -> dict[str, str]:
    """Read once per app, at the first page that needs it: an app that serves no page
    (the CLI, the socket tests) starts without built assets."""
    manifest: dict[str, str] | None = app.extensions.get(EXTENSION_KEY)
    if manifest is None:
        if app.static_folder is None:
            raise MissingAssets("the app has no static folder")
        manifest = app.extensions[EXTENSION_KEY] = read_manifest(Path(app.static_folder))
    return manifest


def asset(entry: str) -> str:
    """The URL of the built file of `entry`, a source path under static/ ("live/console.js")."""
    return url_for("static", filename=manifest_of(current_app)[entry])


def cache_hashed_files(response: Response) -> Response:
    if (
        request.endpoint == "static"
        and response.status_code == 200
        and HASHED_NAME.search(request.path)
    ):
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def init_assets(app: Flask) -> None:
    """`asset()` for templates, a year of caching for hashed files, compressed responses.

    Compression is Flask-Compress on every response rather than files compressed at build
    time: the HTML pages (the largest part of a phone's first load) are made per request
    anyway, and a hashed file is compressed once per browser, which keeps it for a year.
    """
    app.add_template_global(asset)
    app.after_request(cache_hashed_files)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],
    )
    Compress(app)
