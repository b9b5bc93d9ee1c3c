"""File downloads for the web UI and the REST API: safe headers for any file name."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response


def attachment_response(name: str, content_type: str, content: bytes) -> Response:
    """The file as a download: an ASCII ``filename`` and the real one as ``filename*`` (RFC 6266),
    never shown inline (``nosniff``), whatever its declared type."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = "".join(c for c in ascii_name if c.isalnum() or c in "._- ").strip() or "file"
    encoded = quote(name or "file", safe="")
    return Response(content, mimetype=content_type if "/" in content_type else "application/octet-stream",
                    headers={"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}",
                             "X-Content-Type-Options": "nosniff"})
