"""Deployments and account changes write audit entries in their own transactions."""

from __future__ import annotations

import pytest

from tests.support.bpmn import chain, end, process_xml, start, user
from weft.persistence.audit import AuditFilter
from weft.services.errors import NotAllowed


def actions(weft, **where) -> list[tuple]:
    entries, _total = weft.audit.entries(AuditFilter(**where))
    return [(e.actor, e.action, e.target_kind, e.target_id, e.details) for e in reversed(entries)]


def test_deployments_are_audited_unless_nothing_changed(weft, bpmn_file, project):
    weft.add_group("analyst")
    weft.add_user("anna", groups=["analyst"])
    path = bpmn_file(process_xml("p", [start(), user("a"), end()], chain("start", "a", "end")))
    first = weft.deploy(path, user="anna")
    weft.deploy(path, user="anna")                                  # unchanged: not stored, not audited
    weft.deploy(project / "plugins" / "lab")
    [plain, module] = actions(weft, action="deployment.deploy")
    assert plain == ("anna", "deployment.deploy", "deployment", str(first.id),
                     {"name": "process", "version": 1, "processes": [{"key": "p", "version": 1, "created": True}]})
    assert module[0] is None and module[4]["module"] == "lab" and module[4]["changes"]


def test_account_changes_are_audited_and_need_an_administrator(weft):
    weft.add_group("admin")
    weft.add_user("root", groups=["admin"])
    weft.add_user("emma")
    weft.accounts.add_group("sales", by="root")
    weft.accounts.add_member("sales", "emma", by="root")
    weft.account_admin.update_user("emma", ["sales"], False, "new-password", by="root")
    token = weft.accounts.create_token("emma", "ci", by="root")
    weft.account_admin.revoke_token(1, by="root")
    assert weft.accounts.authenticate_token(token) is None
    by_root = actions(weft, actor="root")
    assert [a[1] for a in by_root] == ["group.add", "group.add_member", "user.update", "token.create", "token.revoke"]
    assert by_root[2][4] == {"active": [True, False], "password": "reset"}
    assert token not in str(by_root) and "new-password" not in str(by_root)
    assert [a[1] for a in actions(weft, target_kind="user")] == ["user.add", "user.add", "user.update"]
    weft.add_user("eve")
    for attempt in (lambda: weft.accounts.add_group("x", by="eve"),
                    lambda: weft.accounts.create_token("root", by="eve"),
                    lambda: weft.account_admin.update_user("root", [], True, by="eve")):
        with pytest.raises(NotAllowed):
            attempt()
