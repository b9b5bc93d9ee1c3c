"""The instance page: the diagram with the path taken, current and failed elements; the
timeline of what happened (who, when, which data changed); variables for those allowed."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for

from ..downloads import attachment_response
from ..services.errors import ValidationError
from .session import _, platform, signed_in

instances = Blueprint("instances", __name__)


@instances.get("/instances/<instance_id>")
@signed_in
def instance_page(instance_id: str):
    weft = platform()
    view = weft.instance_views.view(instance_id, g.actor.name)
    return render_template("instances/page.html", view=view,
                           comments=weft.collaboration.comments(instance_id, g.actor.name),
                           files=weft.collaboration.files(instance_id, g.actor.name))


@instances.get("/instances/<instance_id>/diagram.bpmn")
@signed_in
def diagram(instance_id: str):
    xml = platform().instance_views.diagram(instance_id, g.actor.name)
    return Response(xml, mimetype="application/xml", headers={"X-Content-Type-Options": "nosniff",
                                                               "Cache-Control": "private, max-age=300"})


@instances.get("/instances/<instance_id>/files/<int:file_id>")
@signed_in
def download(instance_id: str, file_id: int):
    name, content_type, content = platform().collaboration.file(instance_id, file_id, g.actor.name)
    return attachment_response(name, content_type, content)


@instances.post("/instances/<instance_id>/comments")
@signed_in
def comment(instance_id: str):
    try:
        platform().collaboration.add_comment(instance_id, g.actor.name, request.form.get("text", ""))
    except ValidationError:
        flash(_("Write a comment first."), "warning")
    return redirect(url_for("instances.instance_page", instance_id=instance_id) + "#comments")

