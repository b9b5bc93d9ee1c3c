"""Seed files (``plugins/<m>/seed/*.yaml``): what parses, and every mistake named by file and key."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from tests.conftest import ROOT
from weft.packages.seed import parse_seed

PATH = "plugins/crm/seed/demo.yaml"


def problems_of(data):
    _seed, problems = parse_seed(data, PATH)
    return {p.key: p.message for p in problems}


def test_a_seed_file_parses_users_records_and_instances():
    seed, problems = parse_seed({
        "users": [{"name": "sara", "groups": ["sales_rep"], "email": "sara@example.com"}],
        "records": [{"entity": "organization", "key": "acme", "values": {"name": "Acme"}},
                    {"entity": "deal", "created_at": dt.date(2026, 5, 4), "values": {"organization": "@acme"}},
                    {"entity": "deal", "created_at": "2026-05-04T16:30:00+02:00", "values": {}}],
        "instances": [{"process": "lead_to_deal", "user": "sara", "data": {"x": 1},
                       "steps": [{"task": "qualify_lead", "user": "sara", "data": {"q": "ok"}}]}]}, PATH)
    assert problems == []
    assert seed.users[0].groups == ("sales_rep",)
    assert [r.key for r in seed.records] == ["acme", None, None]
    assert seed.records[1].created_at == dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)       # a date: that morning
    assert seed.records[2].created_at == dt.datetime(2026, 5, 4, 14, 30, tzinfo=dt.UTC)
    assert seed.instances[0].steps[0].task == "qualify_lead"


@pytest.mark.parametrize(("data", "key", "words"), [
    (["users"], "", "a mapping of users, records and instances"),
    ({"people": []}, "people", "unknown key"),
    ({"users": {"sara": {}}}, "users", "is a list"),
    ({"users": [{"groups": ["x"]}]}, "users[0]", "a user is"),
    ({"users": [{"name": "sara", "groups": "sales_rep"}]}, "users[0].groups", "list of group names"),
    ({"records": [{"entity": "deal"}]}, "records[0]", "a record is"),
    ({"records": [{"entity": "deal", "values": {}, "key": "Bad Key"}]}, "records[0].key", "a key is a name"),
    ({"records": [{"entity": "deal", "values": {}, "owner": "sara"}]}, "records[0].owner", "unknown key"),
    ({"records": [{"entity": "deal", "values": {}, "created_at": "last May"}]}, "records[0].created_at",
     "date or date-time"),
    ({"records": [{"entity": "a", "key": "k", "values": {}}, {"entity": "b", "key": "k", "values": {}}]}, "records",
     "given twice"),
    ({"instances": [{"process": "p"}]}, "instances[0]", "an instance is"),
    ({"instances": [{"process": "p", "user": "u", "steps": [{"task": "t"}]}]}, "instances[0].steps[0]",
     "a step is"),
    ({"instances": [{"process": "p", "user": "u", "data": [1]}]}, "instances[0].data", "a mapping"),
])
def test_a_malformed_seed_names_the_key(data, key, words):
    found = problems_of(data)
    assert key in found and words in found[key], found


def test_a_seed_with_problems_is_not_returned_and_problems_name_the_file():
    seed, problems = parse_seed({"records": [{"entity": "deal"}]}, PATH)
    assert seed is None and [str(p) for p in problems] == [f"{PATH} [records[0]]: a record is {{entity, values, key}}"]


@pytest.mark.parametrize("path", sorted(ROOT.glob("plugins/*/seed/*.yaml")), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_shipped_seed_files_parse(path):
    _seed, problems = parse_seed(yaml.safe_load(path.read_text()), str(path))
    assert problems == []
