"""Administrators' instance operations: migrating to another version, editing variables, and
the audit log every operation writes (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from tests.support.bpmn import boundary_timer, chain, end, flow, gateway, process_xml, script, start, user
from weft import ValidationError
from weft.persistence.audit import AuditFilter
from weft.services.errors import Conflict, NotAllowed
from weft.services.instance_admin import MigrationNotPossible


def two_versions(weft, bpmn_file, first: str, second: str) -> None:
    path = bpmn_file(first, "flow.bpmn")
    weft.deploy(path)
    path.write_text(second)
    assert weft.deploy(path).processes[0].version == 2


V1 = process_xml("flow", [start(), user("review"), boundary_timer("remind", "review", "PT1H"), user("chase"),
                          end()], chain("start", "review", "end") + [flow("remind", "chase"), flow("chase", "end")])
V2 = process_xml("flow", [start(), user("review"), boundary_timer("remind", "review", "PT1H"), user("chase"),
                          script("score", "score = amount * 2"), user("sign"), end()],
                 chain("start", "review", "score", "sign", "end") + [flow("remind", "chase"), flow("chase", "end")])


def test_a_migrated_instance_continues_on_the_new_versions_path(weft, bpmn_file):
    weft.add_group("admin")
    weft.add_user("root", groups=["admin"])
    path = bpmn_file(V1, "flow.bpmn")
    weft.deploy(path)
    instance = weft.start("flow", {"amount": 21}, business_key="B-7")
    path.write_text(V2)
    weft.deploy(path)
    migrated = weft.migrate(instance.id, 2, user="root")
    assert migrated.version == 2 and migrated.active_elements == ["review"]
    assert migrated.variables == {"amount": 21} and migrated.business_key == "B-7"
    [review] = weft.tasks(instance_id=instance.id)
    after = weft.complete(review.id, {"ok": True})
    assert after.active_elements == ["sign"] and after.variables["score"] == 42      # the new path
    history = [h["element_id"] for h in weft.instance(instance.id).history]
    assert history[:2] == ["start", "review"] and "score" in history                  # history kept
    [entry] = weft.audit.entries(AuditFilter(action="instance.migrate"))[0]
    assert entry.actor == "root" and entry.target_id == instance.id
    assert entry.details["from_version"] == 1 and entry.details["to_version"] == 2


def test_timers_survive_a_migration_and_fire_on_the_new_version(weft, bpmn_file, clock):
    path = bpmn_file(V1, "flow.bpmn")
    weft.deploy(path)
    instance = weft.start("flow", {"amount": 1})
    path.write_text(process_xml("flow", [start(), user("review"), boundary_timer("remind", "review", "PT1H"),
                                         user("escalate"), end()],
                                chain("start", "review", "end") + [flow("remind", "escalate"),
                                                                   flow("escalate", "end")]))
    weft.deploy(path)
    weft.migrate(instance.id, 2)
    clock.advance(hours=2)
    assert weft.fire_due_timers() == 1
    assert weft.instance(instance.id).active_elements == ["escalate"]       # the new version's path


def test_migration_is_refused_naming_the_element_that_no_longer_exists(weft, bpmn_file):
    v2 = process_xml("flow", [start(), user("approve"), end()], chain("start", "approve", "end"))
    path = bpmn_file(V1, "flow.bpmn")
    weft.deploy(path)
    instance = weft.start("flow", {"amount": 1})
    path.write_text(v2)
    weft.deploy(path)
    with pytest.raises(MigrationNotPossible) as refused:
        weft.migrate(instance.id, 2)
    assert "element review no longer exists in version 2" in str(refused.value)
    assert "element remind no longer exists in version 2" in str(refused.value)
    stored = weft.instance(instance.id)
    assert stored.version == 1 and stored.active_elements == ["review"]       # nothing changed
    assert weft.audit.entries(AuditFilter(action="instance.migrate"))[1] == 0


def test_migration_checks_who_asks_and_what_version(weft, bpmn_file):
    weft.add_user("emma")
    two_versions(weft, bpmn_file, V1, V2)
    instance = weft.start("flow", {"amount": 1}, user="emma")
    with pytest.raises(NotAllowed):
        weft.migrate(instance.id, 1, user="emma")
    with pytest.raises(Conflict, match="already on version 2"):
        weft.migrate(instance.id, 2)
    with pytest.raises(ValidationError) as invalid:
        weft.migrate(instance.id, 7)
    assert invalid.value.errors == {"version": ["process 'flow' has no version 7"]}


def test_a_parallel_branch_waiting_at_a_join_migrates(weft, bpmn_file):
    def split(after_join: list) -> str:
        nodes = [start(), gateway("fork", "parallel"), user("a"), user("b"), gateway("join", "parallel"),
                 *after_join, end()]
        tail = ["join", *[n.id for n in after_join], "end"]
        return process_xml("flow", nodes, chain("start", "fork") + [flow("fork", "a"), flow("fork", "b"),
                                                                    flow("a", "join"), flow("b", "join")]
                           + chain(*tail))
    path = bpmn_file(split([]), "flow.bpmn")
    weft.deploy(path)
    instance = weft.start("flow")
    weft.complete(next(t for t in weft.tasks(instance_id=instance.id) if t.element_id == "a").id)
    path.write_text(split([user("c")]))
    weft.deploy(path)
    weft.migrate(instance.id, 2)
    [b] = weft.tasks(instance_id=instance.id)
    assert weft.complete(b.id).active_elements == ["c"]


def test_variable_edits_are_audited_with_old_and_new_values(weft, bpmn_file):
    weft.add_group("admin")
    weft.add_user("root", groups=["admin"])
    weft.deploy(bpmn_file(V1, "flow.bpmn"))
    instance = weft.start("flow", {"amount": decimal.Decimal("12.50"), "note": "x", "old": 1})
    edited = weft.set_variables(instance.id, {"amount": decimal.Decimal("99.00"), "due": dt.date(2026, 2, 1)},
                                ["old"], user="root")
    assert edited.variables == {"amount": decimal.Decimal("99.00"), "note": "x", "due": dt.date(2026, 2, 1)}
    [entry] = weft.audit.entries(AuditFilter(target_kind="instance", target_id=instance.id))[0]
    assert entry.action == "instance.variables" and entry.actor == "root"
    changes = entry.details["changes"]
    assert changes["amount"][0]["value"] == "12.50" and changes["amount"][1]["value"] == "99.00"
    assert changes["due"][0] is None and changes["old"] == [1, None] and entry.details["removed"] == ["old"]
    [task] = weft.tasks(instance_id=instance.id)
    assert weft.complete(task.id).variables["amount"] == decimal.Decimal("99.00")     # the process sees it


def test_bad_variable_edits_name_the_field_and_change_nothing(weft, bpmn_file):
    weft.deploy(bpmn_file(V1, "flow.bpmn"))
    instance = weft.start("flow", {"amount": 1})
    with pytest.raises(ValidationError) as invalid:
        weft.set_variables(instance.id, {"1bad": 2})
    assert list(invalid.value.errors) == ["1bad"]
    with pytest.raises(ValidationError) as invalid:
        weft.set_variables(instance.id, remove=["missing"])
    assert invalid.value.errors == {"missing": ["no such variable"]}
    with pytest.raises(ValidationError) as invalid:
        weft.instance_admin.replace_variables(instance.id, ["not", "an", "object"])
    assert list(invalid.value.errors) == ["variables"]
    with pytest.raises(Conflict, match="changed meanwhile"):
        weft.instance_admin.replace_variables(instance.id, {"amount": 2}, revision=0)
    assert weft.instance(instance.id).variables == {"amount": 1}
    assert weft.audit.entries(AuditFilter(target_kind="instance"))[1] == 0


def test_replacing_variables_sets_changed_and_removes_missing_ones(weft, bpmn_file):
    weft.deploy(bpmn_file(V1, "flow.bpmn"))
    instance = weft.start("flow", {"amount": 5, "keep": "k", "drop": True})
    detail = weft.instance_admin.detail(instance.id, None)
    plain = dict(detail.variables_json)
    plain.pop("drop")
    plain["amount"] = 6
    edited = weft.instance_admin.replace_variables(instance.id, plain, detail.revision)
    assert edited.variables == {"amount": 6, "keep": "k"}
    [entry] = weft.audit.entries(AuditFilter(action="instance.variables"))[0]
    assert entry.details == {"changes": {"amount": [5, 6], "drop": [True, None]}, "removed": ["drop"]}


def test_instance_operations_are_audited(weft, bpmn_file):
    weft.add_group("admin")
    weft.add_user("root", groups=["admin"])
    failing = process_xml("fails", [start(), script("boom", "x = 1 / divisor"), user("after"), end()],
                          chain("start", "boom", "after", "end"))
    weft.deploy(bpmn_file(failing, "fails.bpmn"))
    instance = weft.start("fails", {"divisor": 0})
    assert instance.state == "failed"
    weft.suspend(instance.id, user="root")
    weft.suspend(instance.id, user="root")              # already suspended: nothing to record
    weft.resume(instance.id, user="root")
    weft.retry(instance.id, {"divisor": 2}, user="root")
    weft.cancel(instance.id, user="root")
    entries, total = weft.audit.entries(AuditFilter(target_id=instance.id))
    assert [e.action for e in reversed(entries)] == ["instance.suspend", "instance.resume", "instance.retry",
                                                     "instance.cancel"]
    retry = entries[1]
    assert retry.details["variables"] == {"divisor": 2} and retry.details["incidents"][0]["element_id"] == "boom"
    assert weft.audit.entries(AuditFilter(action="instance."), per_page=2)[1] == 4
    weft.add_user("emma")
    with pytest.raises(NotAllowed):
        weft.audit.entries(user="emma")
