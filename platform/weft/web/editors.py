"""Editing a deployed module's forms and entities in the browser (analysts and administrators):
the YAML in a textarea, a live preview (the form as the inbox draws it; the schema changes an
entity edit causes), and a deploy of the module with that file replaced."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from marshmallow import Schema, fields, validate

from ..engine import DeploymentError
from ..packages.module import MAX_YAML_BYTES
from ..services.editors import EntityPreview
from ..services.errors import Conflict
from .forms_input import load_form
from .session import _, analyst_only, platform

editors = Blueprint("editors", __name__, url_prefix="/editor")
KINDS = {"forms": "form", "entities": "entity"}
ROUTE = "/<any(forms, entities):kinds>/<module>/<name>"


class SourceForm(Schema):
    source = fields.String(required=True, validate=validate.Length(max=MAX_YAML_BYTES))
    force = fields.List(fields.String(validate=validate.Regexp(r"^[a-z0-9_.]{1,200}$")), load_default=list)


class DeployForm(SourceForm):
    base_version = fields.Integer(required=True, validate=validate.Range(min=0))


@editors.get("")
@analyst_only
def index():
    return render_template("editor/index.html", modules=platform().editors.editable(g.actor.name))


@editors.get(ROUTE)
@analyst_only
def page(kinds: str, module: str, name: str):
    weft = platform()
    edited = weft.editors.file(KINDS[kinds], module, name, g.actor.name)
    preview = weft.editors.preview_form(module, name, edited.text, g.actor.name, g.locale) if kinds == "forms" \
        else None
    return render_template("editor/page.html", edited=edited, text=edited.text, base_version=edited.version,
                           preview=preview, problems=[], conflict=None, refused=False)


@editors.post(f"{ROUTE}/preview")
@analyst_only
def preview(kinds: str, module: str, name: str):
    values = _posted(SourceForm())
    editor = platform().editors
    if kinds == "forms":
        shown = editor.preview_form(module, name, values["source"], g.actor.name, g.locale)
    else:
        shown = editor.preview_entity(module, name, values["source"], g.actor.name, values["force"])
    return render_template("editor/_preview.html", kind=KINDS[kinds], preview=shown)


@editors.post(ROUTE)
@analyst_only
def deploy(kinds: str, module: str, name: str):
    values = _posted(DeployForm())
    editor = platform().editors
    try:
        result = editor.deploy(KINDS[kinds], module, name, values["source"], g.actor.name, values["base_version"],
                               values["force"])
    except DeploymentError as exc:
        return _not_deployed(kinds, module, name, values, exc.problems), 422
    except Conflict as exc:
        return _not_deployed(kinds, module, name, values, [], str(exc)), 409
    flash(_("Deployed module {module}, version {version}.", module=module, version=result.version), "success")
    return redirect(url_for("editors.page", kinds=kinds, module=module, name=name))


def _not_deployed(kinds: str, module: str, name: str, values: dict, problems: list, conflict: str | None = None):
    """The editor again, with the text as typed and why it was not deployed: the problems (for an
    entity, its refused changes with their force boxes) or the conflict."""
    editor = platform().editors
    if kinds == "forms":
        shown = editor.preview_form(module, name, values["source"], g.actor.name, g.locale)
    else:
        shown = None if conflict else EntityPreview.refused_by(problems, values["force"])
    return render_template("editor/page.html", edited=editor.file(KINDS[kinds], module, name, g.actor.name),
                           text=values["source"], base_version=values["base_version"], preview=shown,
                           problems=problems if kinds == "forms" else [], conflict=conflict, refused=True)


def _posted(schema: Schema) -> dict:
    values, errors = load_form(schema, {**request.form.to_dict(), "force": request.form.getlist("force")})
    if errors:
        abort(400, description="; ".join(f"{field}: {' '.join(map(str, messages))}"
                                         for field, messages in errors.items()))
    return values
