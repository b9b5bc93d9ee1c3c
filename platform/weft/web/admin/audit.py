"""The audit log: who did what administrative action, when, to what."""

from __future__ import annotations

import datetime as dt

from flask import g, render_template, request
from marshmallow import Schema, fields, validate

from ...persistence.audit import AuditFilter
from ...services.audit import ACTIONS
from ..forms_input import load_form
from ..session import admin_only, platform
from .blueprint import admin

PER_PAGE = 50
KINDS = ("instance", "deployment", "job", "user", "group", "token")


class AuditArgs(Schema):
    actor = fields.String(load_default="", validate=validate.Length(max=150))
    action = fields.String(load_default="", validate=validate.OneOf(
        ["", *ACTIONS, *{a.split(".")[0] + "." for a in ACTIONS}], error="one of the actions listed"))
    target_kind = fields.String(load_default="", validate=validate.OneOf(["", *KINDS], error=f"one of {', '.join(KINDS)}"))
    target_id = fields.String(load_default="", validate=validate.Length(max=255))
    since = fields.Date(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


@admin.get("/audit")
@admin_only
def audit():
    args, errors = load_form(AuditArgs(), {k: v for k, v in request.args.items() if v != ""})
    entries, total = [], 0
    if not errors:
        since = dt.datetime.combine(args["since"], dt.time(), dt.UTC) if args["since"] else None
        where = AuditFilter(args["actor"] or None, args["action"] or None, args["target_kind"] or None,
                            args["target_id"] or None, since)
        entries, total = platform().audit.entries(where, args["page"], PER_PAGE, g.actor.name)
    page = args.get("page", 1)
    return render_template("admin/audit.html", entries=entries, total=total, errors=errors, page=page,
                           pages=max(1, (total + PER_PAGE - 1) // PER_PAGE), actions=ACTIONS, kinds=KINDS,
                           compact=False), 422 if errors else 200
