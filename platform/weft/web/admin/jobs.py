"""Timers and jobs: what is due when, what keeps failing, what ran out of retries."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import Schema, fields, validate

from ...services.errors import Conflict, NotFound
from ...services.job_admin import KINDS
from ..forms_input import load_form
from ..session import _, admin_only, platform
from .blueprint import admin

PER_PAGE = 50


class JobArgs(Schema):
    kind = fields.String(load_default="", validate=validate.OneOf(["", *KINDS], error=f"one of {', '.join(KINDS)}"))
    failing = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


@admin.get("/jobs")
@admin_only
def jobs():
    args, errors = load_form(JobArgs(), {k: v for k, v in request.args.items() if v != ""})
    args = args or {"kind": "", "failing": False, "page": 1}
    overview = platform().job_admin.overview(args["kind"] or None, args["failing"], args["page"], PER_PAGE,
                                             g.actor.name)
    return render_template("admin/jobs.html", overview=overview, errors=errors, kinds=KINDS, page=args["page"],
                           pages=max(1, (overview.total + PER_PAGE - 1) // PER_PAGE)), 422 if errors else 200


@admin.post("/jobs/<int:job_id>/run")
@admin_only
def run_job(job_id: int):
    try:
        platform().job_admin.run_now(job_id, g.actor.name)
    except (NotFound, Conflict) as exc:           # not found: it ran meanwhile (jobs go once done)
        flash(_("Not done: {reason}", reason=str(exc)), "warning")
        return redirect(url_for("admin.jobs"))
    flash(_("The job is due now; the scheduler takes it up within a poll interval."), "success")
    return redirect(url_for("admin.jobs"))
