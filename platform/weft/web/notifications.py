"""The bell: unread count (polled by htmx) and the list of notifications."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from .session import platform, signed_in

notifications = Blueprint("notifications", __name__)


@notifications.get("/notifications")
@signed_in
def index():
    return render_template("notifications/index.html", notices=platform().notifications.latest(g.actor.name))


@notifications.get("/notifications/badge")
@signed_in
def badge():
    return render_template("notifications/_badge.html", count=platform().notifications.unread_count(g.actor.name))


@notifications.post("/notifications/read")
@signed_in
def mark_read():
    ids = [int(value) for value in request.form.getlist("id") if value.isdigit()]
    platform().notifications.mark_read(g.actor.name, ids or None)
    target = request.form.get("next", "")
    if target.startswith("/tasks/") and ".." not in target and "//" not in target:
        return redirect(target)
    return redirect(url_for("notifications.index"))
