"""Finding instances by every criterion of the admin console (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from tests.support.bpmn import chain, end, process_xml, start, user
from weft import ValidationError
from weft.services.instance_query import InstanceQuery


@pytest.fixture
def found(weft, bpmn_file, clock):
    """Six instances of two processes and versions, started by different people on different days."""
    weft.add_user("anna")
    weft.add_user("mike")
    path = bpmn_file(process_xml("order", [start(), user("check"), end()], chain("start", "check", "end")), "o.bpmn")
    weft.deploy(path)
    weft.deploy(bpmn_file(process_xml("claim", [start(), user("assess"), end()], chain("start", "assess", "end")),
                          "c.bpmn"))
    ids = {}
    ids["o1"] = weft.start("order", {"amount": 42, "customer": "Acme", "vip": True}, "ORD-1", user="anna").id
    clock.advance(days=1)
    ids["o2"] = weft.start("order", {"amount": "42", "price": decimal.Decimal("12.50")}, "ORD-2", user="mike").id
    path.write_text(process_xml("order", [start(), user("check"), user("ship"), end()],
                                chain("start", "check", "ship", "end")))
    weft.deploy(path)
    clock.advance(days=1)
    ids["o3"] = weft.start("order", {"amount": 42.0, "due": dt.date(2026, 3, 1), "vip": False}, "ORD-3").id
    ids["c1"] = weft.start("claim", {"customer": "Acme corp", "note": None}, "CLM-1", user="anna").id
    weft.complete(weft.tasks(instance_id=ids["c1"])[0].id)
    ids["o4"] = weft.start("order", {"amount": 7}, user="anna").id
    weft.suspend(ids["o4"])
    return ids


def names(weft, found, **criteria) -> set[str]:
    instances, total = weft.instances.instances(query=InstanceQuery(**criteria))
    by_id = {value: key for key, value in found.items()}
    assert total == len(instances)
    return {by_id[i.id] for i in instances}


def test_search_by_process_version_state_business_key_and_starter(weft, found):
    assert names(weft, found, process_key="order") == {"o1", "o2", "o3", "o4"}
    assert names(weft, found, process_key="order", version=1) == {"o1", "o2"}
    assert names(weft, found, version=2) == {"o3", "o4"}
    assert names(weft, found, state="completed") == {"c1"}
    assert names(weft, found, suspended=True) == {"o4"}
    assert names(weft, found, business_key="ORD-2") == {"o2"}
    assert names(weft, found, started_by="anna") == {"o1", "c1", "o4"}


def test_search_by_start_date_range(weft, found):
    day = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    assert names(weft, found, started_from=day + dt.timedelta(days=1)) == {"o2", "o3", "c1", "o4"}
    assert names(weft, found, started_to=day + dt.timedelta(days=1)) == {"o1"}
    assert names(weft, found, started_from=day + dt.timedelta(hours=12),
                 started_to=day + dt.timedelta(days=1, hours=12)) == {"o2"}


def test_search_by_variable_value(weft, found):
    assert names(weft, found, variable="amount", value="42") == {"o1", "o2", "o3"}     # 42, "42" and 42.0
    assert names(weft, found, variable="amount", value='"42"') == {"o2"}              # only the text
    assert names(weft, found, variable="customer", value="Acme") == {"o1"}            # equality, not prefix
    assert names(weft, found, variable="vip", value="true") == {"o1"}
    assert names(weft, found, variable="vip", value="false") == {"o3"}
    assert names(weft, found, variable="price", value="12.50") == {"o2"}              # a decimal
    assert names(weft, found, variable="due", value="2026-03-01") == {"o3"}           # a date
    assert names(weft, found, variable="note", value="null") == {"c1"}
    assert names(weft, found, variable="vip") == {"o1", "o3"}                        # has the variable
    assert names(weft, found, variable="amount", value="42", started_by="anna") == {"o1"}


def test_bad_criteria_name_the_field(weft, found):
    for criteria, field in [({"state": "sleeping"}, "state"), ({"version": 0}, "version"),
                            ({"variable": "1x", "value": "1"}, "variable"), ({"value": "1"}, "variable"),
                            ({"started_from": dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
                              "started_to": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}, "started_to")]:
        with pytest.raises(ValidationError) as invalid:
            weft.instances.instances(query=InstanceQuery(**criteria))
        assert list(invalid.value.errors) == [field], criteria


def test_users_who_are_not_administrators_find_only_their_own(weft, found):
    instances, total = weft.instances.instances(query=InstanceQuery(variable="amount", value="42"), user="mike")
    assert total == 1 and instances[0].id == found["o2"]
