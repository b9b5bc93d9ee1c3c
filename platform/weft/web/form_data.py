"""Turning a posted HTML form (a rendered form definition) into the data a form submission
validates, and keeping what the user typed to show it again next to the errors."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

from flask import request
from werkzeug.datastructures import FileStorage

ROW_FIELD = re.compile(r"^(?P<table>[a-z][a-z0-9_]*)-(?P<index>\d{1,4})-(?P<column>[a-z][a-z0-9_]*)$")
MAX_ROWS = 500


def submitted(rendered: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, list[str]]]:
    """``(data, typed, errors)``: the values to validate, the raw text to show again, and
    problems found before validation (JSON that does not parse)."""
    data: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    offset = _offset_minutes()
    rows = _rows()
    for section in rendered.get("sections", []):
        for field in section["fields"]:
            if field["readonly"]:
                continue
            name, kind = field["name"], field["type"]
            if kind == "table":
                items = []
                for index, row in enumerate(rows.get(name, [])):
                    item, problems = _row(row, field.get("columns", []), offset)
                    errors.update({f"{name}[{index}].{column}": [problem] for column, problem in problems.items()})
                    if item:
                        items.append(item)
                data[name] = items
                raw[name] = [{k: v for k, v in row.items() if isinstance(v, str)} for row in rows.get(name, [])]
            elif kind == "boolean":
                data[name] = raw[name] = name in request.form
            elif kind == "file":
                upload = request.files.get(name)
                if upload is not None and upload.filename:
                    data[name] = _upload(upload)
            elif name in request.form:
                text = request.form.get(name, "")
                raw[name] = text
                value, problem = _value(kind, text, offset)
                if problem:
                    errors[name] = [problem]
                else:
                    data[name] = value
    return data, raw, errors


def _value(kind: str, text: str, offset: int | None) -> tuple[Any, str | None]:
    text = text.strip() if kind not in ("text", "json") else text
    if text == "":
        return None, None
    if kind == "json":
        try:
            return json.loads(text), None
        except ValueError as exc:
            return None, f"not valid JSON: {exc}"
    if kind == "datetime":
        return _aware(text, offset), None
    return text, None


def _aware(text: str, offset: int | None) -> str:
    """``2026-02-01T10:00`` typed in the browser's zone (``offset`` as JavaScript gives it) as ISO 8601."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text                       # the validation names it
    if moment.tzinfo is None and offset is not None:
        moment = moment.replace(tzinfo=dt.timezone(-dt.timedelta(minutes=offset)))
    return moment.isoformat()


def _offset_minutes() -> int | None:
    try:
        offset = int(request.form.get("_tz_offset", ""))
    except ValueError:
        return None
    return offset if -16 * 60 <= offset <= 16 * 60 else None


def _upload(upload: FileStorage) -> dict[str, str]:
    return {"name": upload.filename or "file", "content_type": upload.mimetype or "application/octet-stream",
            "content_base64": base64.b64encode(upload.read()).decode()}


def _rows() -> dict[str, list[dict[str, Any]]]:
    """``lines-0-item`` fields (and files) as ``{"lines": [{"item": …}, …]}`` in index order."""
    found: dict[str, dict[int, dict[str, Any]]] = {}
    for source in (request.form, request.files):
        for key in source:
            match = ROW_FIELD.match(key)
            if match and int(match["index"]) < MAX_ROWS:
                found.setdefault(match["table"], {}).setdefault(int(match["index"]), {})[match["column"]] = \
                    source.get(key)
    return {table: [rows[i] for i in sorted(rows)] for table, rows in found.items()}


def _row(row: dict[str, Any], columns: list[dict[str, Any]], offset: int | None
         ) -> tuple[dict[str, Any], dict[str, str]]:
    """A child row's values and its problems; an empty new row is dropped. A row with its ``id``
    sends only what the form shows: the fields it does not send keep their values."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for column in columns:
        name = column["name"]
        if column["readonly"] or column["type"] == "table":
            continue
        if column["type"] == "file":
            upload = row.get(name)
            if isinstance(upload, FileStorage) and upload.filename:
                values[name] = _upload(upload)
            continue
        if column["type"] == "boolean":
            values[name] = name in row
            continue
        value, problem = _value(column["type"], row.get(name) or "", offset)
        if problem:
            problems[name] = problem
        elif name in row:                       # sent, maybe emptied
            values[name] = value
    if not problems and not any(v not in (None, False) for v in values.values()):
        return {}, {}
    if str(row.get("id") or "").isdigit():
        values["id"] = int(row["id"])
    return values, problems
