"""Starting processes from the catalogue (with a start form), and notifications of new,
assigned and overdue tasks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.bpmn import chain, end, process_xml, start, user
from tests.support.modules import module_files
from weft.persistence.tables import mail_outbox
from weft.services.errors import NotAllowed, ValidationError


def leave_module(menu_roles=None):
    process = process_xml("leave", [
        start("start", camunda_formKey="hr/apply"),
        user("decide", "Decide on leave", camunda_candidateGroups="hr_managers", camunda_dueDate="P2D",
             camunda_formKey="hr/decide"),
        end()], chain("start", "decide", "end"), name="Leave request")
    menu = {"process": "leave", "label": {"en": "Ask for leave", "ru": "Отпуск"}}
    if menu_roles:
        menu["roles"] = menu_roles
    return module_files("hr", {
        "plugins/hr/plugin.yaml": {"name": "hr", "version": "1.0.0", "roles": ["staff", "hr_managers"],
                                   "menu": [menu]},
        "plugins/hr/entities/leave.yaml": {
            "name": "leave", "naming": "L-{####}", "title": "reason",
            "fields": {"days": {"type": "integer", "required": True}, "reason": "string",
                       "approved": "boolean"},
            "permissions": {"staff": ["read", "create"], "hr_managers": ["read", "update"]}},
        "forms/hr/apply.yaml": {"name": "apply", "record": {"entity": "leave", "id": "leave_id"},
                                "sections": [{"fields": [{"field": "days"}, {"field": "reason"},
                                                         {"name": "urgent", "type": "boolean"}]}]},
        "forms/hr/decide.yaml": {"name": "decide", "record": {"entity": "leave", "id": "leave_id"},
                                 "sections": [{"fields": [{"field": "days", "readonly": True},
                                                          {"field": "approved"}]}]},
        "processes/hr/leave.bpmn": process,
    })


@pytest.fixture
def hr(weft):
    weft.deploy_modules([leave_module()])
    weft.add_user("ella", email="ella@hr.test", groups=["staff"])
    weft.add_user("hank", email="hank@hr.test", groups=["hr_managers"])
    weft.add_user("hope", groups=["hr_managers"])
    weft.accounts.update_profile("hope", notify_email=False)
    return weft


def test_the_catalogue_offers_menu_processes_with_their_start_form(hr):
    [entry] = hr.starts.catalogue("ella")
    assert (entry.key, entry.name, entry.module, entry.form) == ("leave", "Ask for leave", "hr", "hr/apply")
    assert hr.starts.catalogue("ella", "ru")[0].name == "Отпуск"
    _entry, form = hr.starts.startable("leave", "ella")
    assert [f["name"] for f in form["sections"][0]["fields"]] == ["days", "reason", "urgent"]


def test_a_start_form_is_validated_and_writes_its_record_with_the_start(hr):
    with pytest.raises(ValidationError) as caught:
        hr.starts.start("leave", {"reason": "sun"}, "ella")
    assert caught.value.errors == {"days": ["required"]}
    assert hr.records.search("leave").total == 0 and hr.instances.instances()[1] == 0
    instance = hr.starts.start("leave", {"days": "3", "reason": "sun", "urgent": True}, "ella")
    leave = hr.records.get("leave", instance.variables["leave_id"])
    assert (leave["days"], leave["number"], leave["created_by"]) == (3, "L-0001", "ella")
    assert instance.variables["urgent"] is True and instance.started_by == "ella"
    [task] = hr.tasks(instance_id=instance.id)
    assert task.due == hr.clock() + __import__("datetime").timedelta(days=2)


def test_menu_roles_restrict_who_may_start(weft):
    weft.deploy_modules([leave_module(menu_roles=["staff"])])
    weft.add_user("ella", groups=["staff"])
    weft.add_user("olga")
    assert [e.key for e in weft.starts.catalogue("ella")] == ["leave"]
    assert weft.starts.catalogue("olga") == []
    with pytest.raises(NotAllowed):
        weft.starts.start("leave", {"days": 1}, "olga")


def test_new_assigned_and_overdue_tasks_are_announced(hr, clock):
    instance = hr.starts.start("leave", {"days": 2}, "ella")
    assert hr.notifications.unread_count("hank") == 0            # announced by the background work
    assert hr.run_jobs() >= 1
    for person in ("hank", "hope"):
        [notice] = hr.notifications.latest(person)
        assert (notice.kind, notice.title) == ("group", "New task for your group: Decide on leave")
    assert hr.notifications.latest("ella") == []
    hr.run_jobs()
    assert len(hr.notifications.latest("hank")) == 1             # once only
    [task] = hr.tasks(instance_id=instance.id)
    hr.assign(task.id, "hope", by="hank")
    assert hr.notifications.latest("hope")[0].title == "Task assigned to you: Decide on leave"
    clock.advance(days=3)
    hr.run_jobs()
    assert hr.notifications.latest("hope")[0].title == "Task overdue: Decide on leave"
    assert hr.notifications.latest("hank")[0].kind == "group"    # the overdue task is hope's now
    with hr.database.engine.connect() as conn:
        mails = [(list(r.recipients), r.subject) for r in conn.execute(select(mail_outbox))]
    assert (["hank@hr.test"], "New task for your group: Decide on leave") in mails
    assert not any(r == ["hope@hr.test"] for r, _s in mails)      # hope turned email off (and has none)
    hr.notifications.mark_read("hope")
    assert hr.notifications.unread_count("hope") == 0


def test_notifications_follow_the_users_language(hr):
    hr.accounts.update_profile("hank", locale="ru")
    hr.starts.start("leave", {"days": 1}, "ella")
    hr.run_jobs()
    assert hr.notifications.latest("hank")[0].title == "Новая задача для вашей группы: Decide on leave"
