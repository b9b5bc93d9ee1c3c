"""The ``weft`` command line (DESIGN §2). Every command honours ``WEFT_DATABASE_URL``; errors
go to stderr, one line per problem, with exit code 1."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .config import Settings
from .embedding import Weft
from .engine.errors import DeploymentError
from .errors import WeftError
from .services.errors import ValidationError


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DeploymentError as exc:
            _fail([str(problem) for problem in exc.problems])
        except ValidationError as exc:
            _fail([f"{field}: {message}" for field, messages in exc.errors.items() for message in messages])
        except WeftError as exc:
            _fail([str(exc)])

    return wrapper


def _open() -> Weft:
    return Weft.open(Settings.from_env().database_url)


@click.group()
def main() -> None:
    """Weft: a low-code business-process platform."""


@main.command()
@reports_errors
def init() -> None:
    """Create or upgrade the database schema."""
    with _open() as weft:
        click.echo(f"database ready: {weft.database.url.render_as_string(hide_password=True)}")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--user", help="Record the deployment as made by this user.")
@click.option("--dry-run", is_flag=True, help="Modules: check everything, print the schema changes and DDL, "
                                               "apply nothing.")
@click.option("--force", "force", multiple=True, metavar="ENTITY[.FIELD]",
              help="Modules: accept this destructive schema change (repeatable).")
@reports_errors
def deploy(paths: tuple[str, ...], user: str | None, dry_run: bool, force: tuple[str, ...]) -> None:
    """Deploy .bpmn/.dmn files or folders, or modules: a .weftpkg, a plugins/<m> folder, a
    project folder holding plugins/, or a module name (plugins/<m> + forms/<m> + processes/<m>)."""
    from .packages.locate import locate_modules

    located = [locate_modules(path) for path in paths]
    if all(found is None for found in located):
        if dry_run or force:
            raise click.UsageError("--dry-run and --force apply to modules")
        deployment = weft_deploy(paths, user)
        for process in deployment.processes:
            state = "new version" if process.created else "unchanged"
            click.echo(f"{process.key} version {process.version} ({state})")
        return
    if any(found is None for found in located):
        raise click.UsageError("deploy modules and plain BPMN/DMN files in separate commands")
    with _open() as weft:
        modules = [module for found in located for module in found or []]
        for deployment in weft.deploy_modules(modules, user, force, dry_run):
            for line in describe_module_deployment(deployment):
                click.echo(line)
    if dry_run:
        click.echo("dry run: nothing was applied")


def weft_deploy(paths: tuple[str, ...], user: str | None):
    with _open() as weft:
        return weft.deploy(list(paths) if len(paths) > 1 else paths[0], user=user)


def describe_module_deployment(deployment) -> list[str]:
    state = "unchanged" if deployment.unchanged else f"deployment version {deployment.version}"
    lines = [f"{deployment.module} {deployment.module_version}: {state}"]
    lines += [f"  change: {change}" for change in deployment.changes]
    lines += [f"  process {p.key} version {p.version} ({'new version' if p.created else 'unchanged'})"
              for p in deployment.processes]
    if deployment.dry_run:
        lines += [f"  ddl: {' '.join(statement.split())}" for statement in deployment.statements]
    return lines


@main.group()
def package() -> None:
    """Module packages (.weftpkg)."""


@package.command("build")
@click.argument("module")
@click.option("-o", "--output", "output", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write <module>-<version>.weftpkg into.")
@click.option("--root", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Project folder holding plugins/, forms/ and processes/.")
@reports_errors
def package_build(module: str, output: str, root: str) -> None:
    """Build MODULE's package from plugins/MODULE, forms/MODULE and processes/MODULE."""
    from .packages.archive import write_package

    target = write_package(Path(root), module, Path(output))
    click.echo(str(target))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@reports_errors
def run(host: str, port: int) -> None:
    """Serve the web UI and REST API."""
    from .app import create_app

    settings = Settings.from_env()
    app = create_app(settings)
    if settings.scheduler == "inprocess":
        from .scheduler import start_in_process

        start_in_process(app.extensions["weft"])
        click.echo("in-process scheduler started (WEFT_SCHEDULER=off to leave jobs to 'weft worker')")
    click.echo(f"Weft on http://{host}:{port}  (REST API: /api/v1, spec: /api/v1/openapi.json)")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@main.command()
@click.option("--poll", default=0.5, show_default=True, type=float, help="Seconds to wait when idle.")
@click.option("--once", is_flag=True, help="Run what is due now, then exit.")
@reports_errors
def worker(poll: float, once: bool) -> None:
    """Run timers, asynchronous tasks and mail delivery (several workers may run at once)."""
    import logging

    from .scheduler import run_once, work

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    with _open() as weft:
        if once:
            click.echo(f"{run_once(weft)} jobs run")
            return
        click.echo(f"worker polling every {poll:g} s; stop with Ctrl+C")
        work(weft, poll)


@main.command()
@click.option("--processes", default="processes", show_default=True, type=click.Path(file_okay=False))
@reports_errors
def demo(processes: str) -> None:
    """Set up demo users and deploy every module under ``processes/`` (idempotent)."""
    from .demo import DEMO_PASSWORD, install_demo

    with _open() as weft:
        for line in install_demo(weft, Path(processes)):
            click.echo(line)
    click.echo(f"demo users share the password {DEMO_PASSWORD!r}")


def _pairs(values: tuple[str, ...], option: str) -> dict[str, object]:
    """``name=value`` options; values are read as JSON when they parse (numbers, true, …)."""
    import json

    result: dict[str, object] = {}
    for item in values:
        name, separator, text = item.partition("=")
        if not separator or not name:
            raise ValidationError({option: [f"expected name=value, got {item!r}"]})
        try:
            result[name] = json.loads(text)
        except ValueError:
            result[name] = text
    return result


@main.command()
@click.argument("name")
@click.option("--correlate", "correlation", multiple=True, help="name=value a waiting instance must match.")
@click.option("--var", "variables", multiple=True, help="name=value handed to the instance.")
@reports_errors
def message(name: str, correlation: tuple[str, ...], variables: tuple[str, ...]) -> None:
    """Deliver message NAME; prints the instances it reached or started."""
    with _open() as weft:
        for instance_id in weft.correlate(name, _pairs(correlation, "--correlate"), _pairs(variables, "--var")):
            click.echo(instance_id)


@main.command("signal")
@click.argument("name")
@click.option("--var", "variables", multiple=True, help="name=value handed to every instance.")
@reports_errors
def signal_command(name: str, variables: tuple[str, ...]) -> None:
    """Broadcast signal NAME; prints the instances it reached or started."""
    with _open() as weft:
        for instance_id in weft.signal(name, _pairs(variables, "--var")):
            click.echo(instance_id)


@main.command()
@click.argument("instance_id")
@click.option("--var", "variables", multiple=True, help="name=value set before the failed element runs again.")
@reports_errors
def retry(instance_id: str, variables: tuple[str, ...]) -> None:
    """Resolve the incidents of INSTANCE_ID and run its failed elements again."""
    with _open() as weft:
        click.echo(f"{instance_id}: {weft.retry(instance_id, _pairs(variables, '--var')).state}")


@main.group()
def users() -> None:
    """Manage users."""


@users.command("add")
@click.argument("name")
@click.option("--password", help="At least 8 characters.")
@click.option("--email")
@click.option("--groups", default="", help="Comma-separated group names.")
@reports_errors
def users_add(name: str, password: str | None, email: str | None, groups: str) -> None:
    with _open() as weft:
        user = weft.add_user(name, password, email, [g for g in groups.split(",") if g.strip()])
        click.echo(f"user {user.name} added" + (f" to {', '.join(user.groups)}" if user.groups else ""))


@users.command("list")
@reports_errors
def users_list() -> None:
    with _open() as weft:
        for user in weft.accounts.users():
            click.echo(f"{user.name}\t{user.email or '-'}\t{','.join(user.groups) or '-'}")


@main.group()
def groups() -> None:
    """Manage groups."""


@groups.command("add")
@click.argument("name")
@reports_errors
def groups_add(name: str) -> None:
    with _open() as weft:
        click.echo(f"group {weft.add_group(name)} added")


@groups.command("add-member")
@click.argument("group")
@click.argument("user")
@reports_errors
def groups_add_member(group: str, user: str) -> None:
    with _open() as weft:
        weft.add_group_member(group, user)
        click.echo(f"{user} is a member of {group}")


@main.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.argument("user")
@click.option("--label", help="What the token is for.")
@reports_errors
def token_create(user: str, label: str | None) -> None:
    """Print a new bearer token for USER (it is stored only as a hash)."""
    with _open() as weft:
        click.echo(weft.create_token(user, label))


@main.command("test")
@click.argument("paths", nargs=-1)
@click.option("--root", default=".", show_default=True, type=click.Path(file_okay=False),
              help="The project whose modules the scenarios belong to.")
@reports_errors
def test_command(paths: tuple[str, ...], root: str) -> None:
    """Run scenario files (processes/<module>/scenarios/*.yaml) in a throw-away database: a file,
    a folder, a module name, or every module when no path is given."""
    from .scenarios.selection import run_selected

    failed = 0
    for line, passed in run_selected(Path(root), paths):
        click.echo(line, err=not passed)
        failed += not passed
    if failed:
        sys.exit(1)
