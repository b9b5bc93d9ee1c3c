"""``http.request``: an HTTP call to an allowed host, with a timeout and a size limit."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from ..engine.connectors import ConnectorContext, ConnectorError

DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 60.0
MAX_RESPONSE_BYTES = 5 * 1024 * 1024
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}


class HttpRequest:
    """Only hosts in ``WEFT_HTTP_ALLOWED_HOSTS`` (exact names, or ``*.example.com``) are reachable;
    redirects elsewhere are refused."""

    def __init__(self, allowed_hosts: tuple[str, ...]):
        self.allowed_hosts = tuple(host.lower() for host in allowed_hosts)

    def allowed(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            return False
        for pattern in self.allowed_hosts:
            if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
                return True
        return False

    def __call__(self, params: dict[str, Any], context: ConnectorContext) -> dict[str, Any]:
        url = str(params.get("url") or "")
        if not self.allowed(url):
            raise ConnectorError(f"http.request: {url!r} is not an allowed host "
                                 "(WEFT_HTTP_ALLOWED_HOSTS lists the reachable ones)")
        method = str(params.get("method") or "GET").upper()
        if method not in METHODS:
            raise ConnectorError(f"http.request: unsupported method {method!r}")
        timeout = min(float(params.get("timeout") or DEFAULT_TIMEOUT), MAX_TIMEOUT)
        headers = {str(k): str(v) for k, v in (params.get("headers") or {}).items()}
        data = None
        if params.get("json") is not None:
            data = json.dumps(params["json"]).encode()
            headers.setdefault("Content-Type", "application/json")
        elif params.get("body") is not None:
            data = str(params["body"]).encode()
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        opener = urllib.request.build_opener(_CheckedRedirects(self))
        try:
            with opener.open(request, timeout=timeout) as response:
                return _result(response.status, dict(response.headers), response.read(MAX_RESPONSE_BYTES + 1))
        except urllib.error.HTTPError as exc:
            return _result(exc.code, dict(exc.headers or {}), exc.read(MAX_RESPONSE_BYTES + 1))
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ConnectorError(f"http.request: {method} {url} failed: {getattr(exc, 'reason', exc)}") from None


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, connector: HttpRequest):
        super().__init__()
        self.connector = connector

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not self.connector.allowed(newurl):
            raise ConnectorError(f"http.request: redirect to {newurl!r}, which is not an allowed host")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _result(status: int, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    if len(body) > MAX_RESPONSE_BYTES:
        raise ConnectorError(f"http.request: response larger than {MAX_RESPONSE_BYTES} bytes")
    text = body.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    return {"status_code": status, "headers": headers, "body": text, "json": parsed}
