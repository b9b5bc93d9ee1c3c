"""Users and groups for administrators (the CLI does the same: weft users/groups)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import Schema, fields, validate

from ..services.errors import Conflict, UnknownGroup, ValidationError
from .forms_input import load_form
from .session import _, admin_only, platform

admin = Blueprint("admin", __name__, url_prefix="/admin")


class NewUserForm(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=150))
    email = fields.String(load_default="", validate=validate.Length(max=320))
    password = fields.String(required=True, validate=validate.Length(min=8, max=1000))


class GroupForm(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=150))


@admin.get("/users")
@admin_only
def users():
    weft = platform()
    return render_template("admin/users.html", users=weft.accounts.users(), groups=weft.accounts.groups(),
                           errors={}, form={})


@admin.post("/users")
@admin_only
def add_user():
    weft = platform()
    values, errors = load_form(NewUserForm())
    if not errors:
        try:
            weft.accounts.add_user(values["name"], values["password"], values["email"] or None,
                                   request.form.getlist("groups"))
            flash(_("User {name} added.", name=values["name"]), "success")
            return redirect(url_for("admin.users"))
        except (ValidationError, Conflict, UnknownGroup) as exc:
            errors = getattr(exc, "errors", None) or {"name": [str(exc)]}
    return render_template("admin/users.html", users=weft.accounts.users(), groups=weft.accounts.groups(),
                           errors=errors, form=request.form), 422


@admin.post("/users/<name>")
@admin_only
def update_user(name: str):
    weft = platform()
    weft.accounts.set_groups(name, request.form.getlist("groups"))
    weft.accounts.set_active(name, request.form.get("active") == "true")
    password = request.form.get("password", "")
    if password:
        try:
            weft.accounts.change_password(name, None, password)
        except ValidationError as exc:
            flash("; ".join(m for messages in exc.errors.values() for m in messages), "warning")
            return redirect(url_for("admin.users"))
    flash(_("User {name} saved.", name=name), "success")
    return redirect(url_for("admin.users"))


@admin.post("/groups")
@admin_only
def add_group():
    values, errors = load_form(GroupForm())
    if errors:
        flash(_("A group needs a name."), "warning")
    else:
        try:
            platform().accounts.add_group(values["name"])
            flash(_("Group {name} added.", name=values["name"]), "success")
        except (ValidationError, Conflict) as exc:
            flash(str(exc), "warning")
    return redirect(url_for("admin.users"))
