"""Seed data: users, records (``@key`` references, dated back) and instances, each file once; a
bad record is named with its file and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from weft.packages.seed import parse_seed
from weft.services.errors import ValidationError


def seed(data, path="plugins/lab/seed/demo.yaml"):
    parsed, problems = parse_seed(data, path)
    assert problems == []
    return parsed


@pytest.fixture
def lab(weft, project):
    weft.deploy(project / "plugins" / "lab")
    return weft


def test_a_seed_file_loads_once_with_references_and_dates(lab):
    lab.add_user("max", groups=["purchaser"])
    demo = seed({
        "users": [{"name": "pam", "groups": ["purchaser"], "display_name": "Pam"},
                  {"name": "max", "groups": ["purchase_manager"]}],
        "records": [{"entity": "supplier", "key": "acme", "values": {"name": "Acme"}},
                    {"entity": "purchase_order", "created_at": "2026-01-02", "values": {
                        "supplier": "@acme", "lines": [{"item": "Bolt", "quantity": 4, "price": "2.50"}]}}]})
    said = list(lab.seeds.load("lab", [demo], "demo-pass"))
    assert said == ["user pam added (purchaser)", "1 supplier records", "1 purchase_order records",
                    "lab: seed demo.yaml loaded"]
    assert set(lab.accounts.user("max").groups) == {"purchaser", "purchase_manager"}     # groups added, none lost
    assert lab.accounts.authenticate_password("pam", "demo-pass") is not None
    [order] = lab.records.search("purchase_order").records
    acme = lab.records.search("supplier").records[0]
    assert order["supplier"] == acme["id"] and order["created_at"] == dt.datetime(2026, 1, 2, 9, 0, tzinfo=dt.UTC)
    assert [h["source"] for h in lab.records.history("purchase_order", order["id"])] == ["seed/lab"]
    assert list(lab.seeds.load("lab", [demo], "demo-pass")) == []                         # once per file


def test_a_bad_record_names_its_file_and_writes_nothing(lab):
    broken = seed({"records": [{"entity": "supplier", "key": "acme", "values": {"name": "Acme"}},
                               {"entity": "supplier", "key": "nameless", "values": {"rating": 3}}]})
    with pytest.raises(ValidationError) as caught:
        list(lab.seeds.load("lab", [broken], None))
    assert "plugins/lab/seed/demo.yaml: supplier nameless" in str(caught.value)
    assert list(caught.value.errors) == ["name"]
    assert lab.records.search("supplier").total == 0
    fixed = seed({"records": [{"entity": "supplier", "key": "acme", "values": {"name": "Acme"}}]})
    assert list(lab.seeds.load("lab", [fixed], None))[-1] == "lab: seed demo.yaml loaded"   # not marked as loaded before
