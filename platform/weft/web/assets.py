"""Browser packages installed by npm (never committed): served read-only from ``node_modules``."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

assets = Blueprint("assets", __name__)

# package name in URLs -> folder inside node_modules that may be served
PACKAGES = {
    "htmx": "htmx.org/dist",
    "bpmn-js": "bpmn-js/dist",
    "chart.js": "chart.js/dist",
}


def node_modules() -> Path:
    return Path(current_app.extensions["weft_settings"].assets_dir)


@assets.get("/vendor/<package>/<path:path>")
def vendor(package: str, path: str):
    folder = PACKAGES.get(package)
    if folder is None:
        abort(404)
    root = node_modules() / folder
    if not root.is_dir():
        abort(404, description=f"browser assets missing: run `make install` (npm ci) to get {package}")
    return send_from_directory(root, path, max_age=24 * 3600)
