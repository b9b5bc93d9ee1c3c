"""The ``weft`` command line, run as a real process against the test database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.bpmn import call, chain, end, process_xml, start
from tests.support.processes import approval
from weft import Weft

WEFT = str(Path(sys.executable).with_name("weft"))


@pytest.fixture
def cli(database_url):
    env = {**os.environ, "WEFT_DATABASE_URL": database_url}

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([WEFT, *args], capture_output=True, text=True, env=env, timeout=120, cwd=cwd)

    run.url = database_url
    return run


def test_init_users_groups_and_tokens(cli):
    assert cli("init").returncode == 0
    assert cli("groups", "add", "managers").returncode == 0
    added = cli("users", "add", "mike", "--password", "secret-pw", "--email", "mike@example.com",
                "--groups", "managers")
    assert added.returncode == 0 and "mike" in added.stdout
    assert cli("users", "add", "emma", "--password", "another-pw").returncode == 0
    listing = cli("users", "list")
    assert listing.stdout.splitlines() == ["emma\t-\t-", "mike\tmike@example.com\tmanagers"]
    assert cli("groups", "add-member", "managers", "emma").returncode == 0
    assert "emma\t-\tmanagers" in cli("users", "list").stdout
    token = cli("token", "create", "mike")
    assert token.returncode == 0 and token.stdout.strip().startswith("weft_")


@pytest.mark.parametrize(("args", "message"), [
    (("users", "add", "x", "--password", "short"), "password: must be at least 8 characters"),
    (("users", "add", "y", "--groups", "ghosts"), "unknown group 'ghosts'"),
    (("groups", "add-member", "nobody", "x"), "unknown group 'nobody'"),
    (("token", "create", "ghost"), "unknown user 'ghost'"),
])
def test_errors_go_to_stderr_with_exit_code_1(cli, args, message):
    result = cli(*args)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_deploy_prints_each_process_and_version(cli, tmp_path):
    path = tmp_path / "approval.bpmn"
    path.write_text(approval())
    first = cli("deploy", str(path))
    assert first.returncode == 0 and first.stdout.strip() == "approval version 1 (new version)"
    assert cli("deploy", str(path)).stdout.strip() == "approval version 1 (unchanged)"
    path.write_text(approval(camunda_priority="90"))
    assert cli("deploy", str(path)).stdout.strip() == "approval version 2 (new version)"


def test_deploy_lists_one_line_per_problem_and_exits_1(cli, tmp_path):
    (tmp_path / "broken.bpmn").write_text("<definitions>")
    (tmp_path / "caller.bpmn").write_text(process_xml("caller", [start(), call("c", "ghost"), end()],
                                                      chain("start", "c", "end")))
    result = cli("deploy", str(tmp_path))
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert any(line.startswith("broken.bpmn:") and "malformed XML" in line for line in lines)
    assert any(line.startswith("caller.bpmn [c]:") and "unknown process 'ghost'" in line for line in lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read() if process.stderr else "server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)        # polling for the listening socket, not for an outcome
    raise AssertionError("server did not start")


def test_run_serves_the_api_over_http(cli, database_url, tmp_path):
    path = tmp_path / "approval.bpmn"
    path.write_text(approval())
    cli("deploy", str(path))
    cli("users", "add", "emma", "--password", "password1")
    token = cli("token", "create", "emma").stdout.strip()
    port = _free_port()
    env = {**os.environ, "WEFT_DATABASE_URL": database_url, "WEFT_SECRET_KEY": "x"}
    server = subprocess.Popen([WEFT, "run", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(port, server)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/process-instances", method="POST",
            data=json.dumps({"process_key": "approval"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
            assert json.load(response)["state"] == "waiting"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            assert b"Weft" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_messages_signals_and_retry_from_the_command_line(cli, tmp_path):
    from tests.support.bpmn import message_catch, message_definition, script

    (tmp_path / "order.bpmn").write_text(process_xml(
        "order", [start(), message_catch("wait", "m_pay"), script("ratio", "r = 1 / paid"), end()],
        chain("start", "wait", "ratio", "end"), definitions_extra=message_definition("m_pay", "payment_received")))
    cli("deploy", str(tmp_path / "order.bpmn"))
    with Weft.open(cli.url) as weft:
        instance = weft.start("order", {"order_id": 9})
    delivered = cli("message", "payment_received", "--correlate", "order_id=9", "--var", "paid=0")
    assert delivered.returncode == 0 and delivered.stdout.strip() == instance.id
    assert cli("message", "payment_received", "--correlate", "order_id=10").returncode == 1
    retried = cli("retry", instance.id, "--var", "paid=2")
    assert retried.returncode == 0 and retried.stdout.strip().endswith("completed")
    assert cli("signal", "nobody_waits").returncode == 0
    assert cli("message", "x", "--var", "novalue").stderr.strip() == "--var: expected name=value, got 'novalue'"


def test_run_fires_timers_with_its_in_process_scheduler(cli, database_url, tmp_path):
    from tests.support.bpmn import timer_catch

    (tmp_path / "wait.bpmn").write_text(process_xml(
        "wait", [start(), timer_catch("pause", duration="PT1S"), end()], chain("start", "pause", "end")))
    cli("deploy", str(tmp_path / "wait.bpmn"))
    with Weft.open(database_url) as weft:
        instance = weft.start("wait")
    port = _free_port()
    env = {**os.environ, "WEFT_DATABASE_URL": database_url, "WEFT_SECRET_KEY": "x", "WEFT_SCHEDULER": "inprocess"}
    server = subprocess.Popen([WEFT, "run", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(port, server)
        with Weft.open(database_url) as weft:
            deadline = time.monotonic() + 30
            while weft.instance(instance.id).state != "completed" and time.monotonic() < deadline:
                time.sleep(0.1)       # polling for the scheduler's work, not for a fixed delay
            assert weft.instance(instance.id).state == "completed"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_modules_build_deploy_dry_run_and_force(cli, project, tmp_path):
    from tests.support.modules import edit_yaml, entity_file

    built = cli("package", "build", "lab", "-o", str(tmp_path / "dist"), cwd=project)
    assert built.returncode == 0, built.stderr
    package = Path(built.stdout.strip())
    assert package == tmp_path / "dist" / "lab-1.0.0.weftpkg" and package.is_file()
    first = cli("deploy", str(package))
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == "lab 1.0.0: deployment version 1"
    assert "  process lab_purchase version 1 (new version)" in first.stdout
    with Weft.open(cli.url) as weft:
        weft.records.create("supplier", {"name": "Acme", "notes": "keep"})
    edit_yaml(entity_file(project, "supplier"), lambda d: d["fields"].pop("notes"))
    refused = cli("deploy", "lab", cwd=project)
    assert refused.returncode == 1
    assert refused.stderr.strip() == ("plugins/lab/entities/supplier.yaml [supplier.notes]: supplier.notes: removing "
                                      "the field would delete its values in 1 rows (deploy with --force "
                                      "supplier.notes to accept)")
    dry = cli("deploy", "plugins/lab", "--dry-run", "--force", "supplier.notes", cwd=project)
    assert dry.returncode == 0, dry.stderr
    assert "  change: drop_column supplier.notes: removed from the definition" in dry.stdout
    assert "  ddl: ALTER TABLE ent_supplier DROP COLUMN notes" in dry.stdout
    assert dry.stdout.strip().endswith("dry run: nothing was applied")
    forced = cli("deploy", "lab", "--force", "supplier.notes", cwd=project)
    assert forced.returncode == 0 and "lab 1.0.0: deployment version 2" in forced.stdout
    assert "unchanged" in cli("deploy", "lab", cwd=project).stdout


def test_package_build_reports_problems(cli, project):
    (project / "plugins" / "lab" / "plugin.yaml").write_text("name: lab\nversion: [1]\n")
    result = cli("package", "build", "lab", cwd=project)
    assert result.returncode == 1
    assert result.stderr.strip() == "plugins/lab/plugin.yaml [version]: the version looks like 1.0.0"
    missing = cli("package", "build", "nothing", cwd=project)
    assert missing.returncode == 1 and "no module 'nothing'" in missing.stderr
