"""Typed settings, built once from ``WEFT_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SettingsError

DEFAULT_DATABASE_URL = "sqlite:///instance/weft.db"
SCHEDULER_MODES = ("inprocess", "off")
LOCALES = ("en", "ru")
# node_modules of the checkout (platform/weft/config.py -> the repository root).
DEFAULT_ASSETS_DIR = Path(__file__).resolve().parents[2] / "node_modules"


@dataclass(frozen=True)
class MailSettings:
    host: str = "localhost"
    port: int = 25
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    sender: str = "weft@localhost"
    # When set, outgoing mail is written to this folder instead of being sent (development).
    file_sink: str | None = None


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str | None = None
    scheduler: str = "inprocess"
    locale: str = "en"
    mail: MailSettings = field(default_factory=MailSettings)
    # Hosts the http.request connector may reach (exact names, or *.example.com); none by default.
    http_allowed_hosts: tuple[str, ...] = ()
    # CPU seconds a script or expression may use before it is stopped.
    script_cpu_seconds: float = 2.0
    # Where npm installed the browser packages (bpmn-js, htmx).
    assets_dir: str = str(DEFAULT_ASSETS_DIR)
    # How people reach the web UI (links in notification emails).
    base_url: str = "http://127.0.0.1:5000"
    # Send the session cookie over HTTPS only (set it in production behind TLS).
    secure_cookies: bool = False
    # The project folder (plugins/, forms/, processes/) whose scenario files analysts simulate.
    project_root: str = "."

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        scheduler = env.get("WEFT_SCHEDULER", "inprocess")
        if scheduler not in SCHEDULER_MODES:
            raise SettingsError(f"WEFT_SCHEDULER: expected one of {', '.join(SCHEDULER_MODES)}, got {scheduler!r}")
        locale = env.get("WEFT_LOCALE", "en")
        if locale not in LOCALES:
            raise SettingsError(f"WEFT_LOCALE: expected one of {', '.join(LOCALES)}, got {locale!r}")
        return cls(
            database_url=normalise_database_url(env.get("WEFT_DATABASE_URL") or DEFAULT_DATABASE_URL),
            secret_key=env.get("WEFT_SECRET_KEY") or None,
            scheduler=scheduler,
            locale=locale,
            mail=_mail_settings(env),
            http_allowed_hosts=tuple(h.strip() for h in env.get("WEFT_HTTP_ALLOWED_HOSTS", "").split(",") if h.strip()),
            script_cpu_seconds=_positive_float(env, "WEFT_SCRIPT_CPU_SECONDS", 2.0),
            assets_dir=env.get("WEFT_ASSETS_DIR") or str(DEFAULT_ASSETS_DIR),
            base_url=env.get("WEFT_BASE_URL") or "http://127.0.0.1:5000",
            secure_cookies=_flag(env, "WEFT_SECURE_COOKIES"),
            project_root=env.get("WEFT_PROJECT_ROOT") or ".",
        )


def _mail_settings(env: Mapping[str, str]) -> MailSettings:
    port_text = env.get("WEFT_MAIL_PORT", "25")
    try:
        port = int(port_text)
    except ValueError:
        raise SettingsError(f"WEFT_MAIL_PORT: expected an integer, got {port_text!r}") from None
    return MailSettings(
        host=env.get("WEFT_MAIL_HOST", "localhost"),
        port=port,
        username=env.get("WEFT_MAIL_USERNAME") or None,
        password=env.get("WEFT_MAIL_PASSWORD") or None,
        use_tls=_flag(env, "WEFT_MAIL_USE_TLS"),
        sender=env.get("WEFT_MAIL_SENDER", "weft@localhost"),
        file_sink=env.get("WEFT_MAIL_FILE_SINK") or None,
    )


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name}: expected a number, got {text!r}") from None
    if value <= 0:
        raise SettingsError(f"{name}: must be positive, got {text!r}")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name}: expected true or false, got {value!r}")


def normalise_database_url(url: str) -> str:
    """Pick the driver Weft ships with when a URL names only the database kind."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://"):]
    return url
