"""Signing in and out, the user's profile, and the language of the pages."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from marshmallow import Schema, fields, validate

from ..config import LOCALES
from ..services.errors import ValidationError
from ..services.sign_in import SignInRefused, TooManyAttempts
from .forms_input import load_form
from .session import _, platform, sign_in_as, signed_in

auth = Blueprint("auth", __name__)


class SignInForm(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=150))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    next = fields.String(load_default="")


class ProfileForm(Schema):
    display_name = fields.String(load_default="", validate=validate.Length(max=200))
    email = fields.String(load_default="", validate=validate.Length(max=320))
    locale = fields.String(required=True, validate=validate.OneOf(LOCALES))
    notify_email = fields.Boolean(load_default=False)


class PasswordForm(Schema):
    current_password = fields.String(required=True)
    password = fields.String(required=True, validate=validate.Length(min=8, max=1000))


@auth.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", next=_safe_next(request.args.get("next")))
    values, errors = load_form(SignInForm())
    if errors:
        return render_template("auth/login.html", error=_("Enter your user name and password."),
                               name=request.form.get("name", ""), next=_safe_next(request.form.get("next"))), 422
    try:
        actor = platform().sign_in.sign_in(values["name"], values["password"], request.remote_addr or "?")
    except TooManyAttempts as exc:
        return render_template("auth/login.html", error=_("Too many failed attempts. Try again in {minutes} min.",
                                                          minutes=max(1, exc.retry_after // 60)),
                               name=values["name"], next=_safe_next(values["next"])), 429
    except SignInRefused:
        return render_template("auth/login.html", error=_("Unknown user name or wrong password."),
                               name=values["name"], next=_safe_next(values["next"])), 401
    sign_in_as(actor.name)
    return redirect(_safe_next(values["next"]) or url_for("inbox.inbox"))


@auth.post("/logout")
def logout():
    """Sign out, everywhere: a copy of this session cookie stops working too."""
    if g.get("user") is not None:
        platform().accounts.end_sessions(g.user.name)
    session.clear()
    return redirect(url_for("auth.login"))


@auth.route("/profile", methods=["GET", "POST"])
@signed_in
def profile():
    errors: dict = {}
    if request.method == "POST":
        values, errors = load_form(ProfileForm())
        if not errors:
            try:
                platform().accounts.update_profile(g.user.name, values["display_name"], values["email"],
                                                   values["locale"], values["notify_email"])
                flash(_("Profile saved."), "success")
                return redirect(url_for("auth.profile"))
            except ValidationError as exc:
                errors = exc.errors
    return render_template("auth/profile.html", errors=errors, form=request.form if errors else None), \
        (422 if errors else 200)


@auth.post("/profile/password")
@signed_in
def change_password():
    values, errors = load_form(PasswordForm())
    if not errors:
        try:
            platform().accounts.change_password(g.user.name, values["current_password"], values["password"])
            sign_in_as(g.user.name)                      # this session goes on; the others end
            flash(_("Password changed."), "success")
            return redirect(url_for("auth.profile"))
        except ValidationError as exc:
            errors = exc.errors
    return render_template("auth/profile.html", password_errors=errors), 422


@auth.post("/language")
def language():
    """Switch the language (signed-in users: saved in their profile)."""
    locale = request.form.get("locale")
    if locale in LOCALES:
        session["locale"] = locale
        if g.get("user") is not None:
            platform().accounts.update_profile(g.user.name, locale=locale)
    return redirect(_safe_next(request.form.get("next")) or url_for("inbox.inbox"))


def _safe_next(target: str | None) -> str:
    """Only paths of this site (no open redirect to another host)."""
    if not target:
        return ""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return ""
    return target
