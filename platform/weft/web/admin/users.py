"""Users, groups (roles) and API tokens (the CLI does the same: weft users/groups/token)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import Schema, fields, validate

from ..forms_input import load_form
from ..session import _, admin_only, platform
from .blueprint import REFUSALS, act, admin, refusal, refuse


class NewUserForm(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=150))
    email = fields.String(load_default="", validate=validate.Length(max=320))
    password = fields.String(required=True, validate=validate.Length(min=8, max=1000))


class UserForm(Schema):
    active = fields.String(load_default="")
    password = fields.String(load_default="", validate=validate.Length(max=1000))


class GroupForm(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=150))


class TokenForm(Schema):
    user = fields.String(required=True, validate=validate.Length(min=1, max=150))
    label = fields.String(load_default="", validate=validate.Length(max=200))


def _page(errors=None, form=None, status: int = 200, token: str | None = None):
    directory = platform().account_admin.directory(g.actor.name)
    return render_template("admin/users.html", directory=directory, errors=errors or {}, form=form or {},
                           new_token=token), status


@admin.get("/users")
@admin_only
def users():
    return _page()


@admin.post("/users")
@admin_only
def add_user():
    values, errors = load_form(NewUserForm())
    if not errors:
        try:
            platform().accounts.add_user(values["name"], values["password"], values["email"] or None,
                                         request.form.getlist("groups"), by=g.actor.name)
            flash(_("User {name} added.", name=values["name"]), "success")
            return redirect(url_for("admin.users"))
        except REFUSALS as exc:
            errors = getattr(exc, "errors", None) or {"name": [str(exc)]}
    return _page(errors, request.form, 422)


@admin.post("/users/<name>")
@admin_only
def update_user(name: str):
    values, errors = load_form(UserForm())
    if errors:
        return refuse(errors, url_for("admin.users"))
    return act(lambda: platform().account_admin.update_user(
        name, request.form.getlist("groups"), values["active"] == "true", values["password"] or None,
        by=g.actor.name), _("User {name} saved.", name=name), url_for("admin.users"))


@admin.post("/groups")
@admin_only
def add_group():
    values, errors = load_form(GroupForm())
    if errors:
        flash(_("A group needs a name."), "warning")
        return redirect(url_for("admin.users"))
    return act(lambda: platform().accounts.add_group(values["name"], by=g.actor.name),
               _("Group {name} added.", name=values["name"]), url_for("admin.users"))


@admin.post("/tokens")
@admin_only
def create_token():
    values, errors = load_form(TokenForm())
    if errors:
        return refuse(errors, url_for("admin.users") + "#tokens")
    try:
        token = platform().accounts.create_token(values["user"], values["label"] or None, by=g.actor.name)
    except REFUSALS as exc:
        return refuse({"user": [refusal(exc)]}, url_for("admin.users") + "#tokens")
    page, status = _page(token=token)
    return page, status, {"Cache-Control": "no-store"}


@admin.post("/tokens/<int:token_id>/revoke")
@admin_only
def revoke_token(token_id: int):
    return act(lambda: platform().account_admin.revoke_token(token_id, by=g.actor.name),
               _("Token revoked."), url_for("admin.users") + "#tokens")
