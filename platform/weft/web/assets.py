"""Browser packages installed by npm (never committed): served read-only from ``node_modules``,
and the bundles ``npm run build`` makes from them (the modeler) in ``web/build``."""

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


# What `npm run build` writes (make install): esbuild bundles of npm packages with Weft's own code.
BUILD_DIR = Path(__file__).resolve().parent / "build"


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


@assets.get("/build/<path:path>")
def build(path: str):
    if not BUILD_DIR.is_dir():
        abort(404, description="the modeler bundle is missing: run `make install` (npm run build)")
    # Rebuilt in place: browsers revalidate (ETag) rather than keep a stale bundle.
    return send_from_directory(BUILD_DIR, path, max_age=0)
