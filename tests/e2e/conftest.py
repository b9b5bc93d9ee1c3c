from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.support.browser import CHROMIUM
from weft.app import create_app
from weft.config import Settings


@pytest.fixture
def app(weft, database_url):
    return create_app(Settings(database_url=database_url, secret_key="test-secret"), weft=weft,
                      test_config={"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def tokens(weft):
    """Users for each role, with a bearer header each."""
    for group in ("admin", "analyst", "managers"):
        weft.add_group(group)
    people = {"root": ["admin"], "anna": ["analyst"], "mike": ["managers"], "mary": ["managers"], "emma": []}
    headers = {}
    for name, groups in people.items():
        weft.add_user(name, "password1", groups=groups)
        headers[name] = {"Authorization": f"Bearer {weft.create_token(name)}"}
    return headers


@pytest.fixture
def server(app):
    """The app served over HTTP on a free port, for a browser."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()
