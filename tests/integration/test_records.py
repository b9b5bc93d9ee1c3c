"""Records of deployed entities: every field type stored, validated and read back; formulas,
naming series, history, optimistic locking, permissions, filters and sorting."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import threading

import pytest

from weft.services.errors import Conflict, NotAllowed, NotFound, ValidationError
from weft.services.record_store import StaleRecord


@pytest.fixture
def lab(weft, project):
    weft.deploy(project / "plugins" / "lab")
    weft.add_user("pam", groups=["purchaser"])
    weft.add_user("max", groups=["purchase_manager"])
    weft.add_user("eve")
    return weft


@pytest.fixture
def acme(lab):
    return lab.records.create("supplier", {"name": "Acme", "email": "sales@acme.test", "phone": "+31 20 123 4567",
                                           "rating": 4, "notes": "Preferred"}, user="max")


def test_every_field_type_is_stored_and_read_back(lab, acme, clock):
    quote = base64.b64encode(b"%PDF-1.4 quote").decode()
    order = lab.records.create("purchase_order", {
        "supplier": acme["id"], "deliver_by": "2026-02-01T08:30:00+01:00", "discount": "2.5",
        "quote": {"name": "quote.pdf", "content_type": "application/pdf", "content_base64": quote},
        "details": {"incoterm": "DAP", "lots": [1, 2]}, "description": "Long\ntext", "urgent": True,
        "contact": "buyer@lab.test", "contact_phone": "+1 (555) 010-0200",
        "lines": [{"item": "Bolt", "quantity": 10, "price": "0.15"}, {"item": "Nut", "quantity": "5", "price": 1}],
    }, user="pam")
    assert order["number"] == "PO-2026-00001" and order["version"] == 1
    assert order["supplier"] == acme["id"]
    assert order["order_date"] == dt.date(2026, 1, 5)                              # default: today
    assert order["deliver_by"] == dt.datetime(2026, 2, 1, 7, 30, tzinfo=dt.UTC)
    assert order["status"] == "draft"                                               # choice default
    assert order["discount"] == decimal.Decimal("2.50")
    assert order["buyer"] == "pam"                                                  # default: current_user
    assert order["quote"]["name"] == "quote.pdf" and order["quote"]["size"] == len(b"%PDF-1.4 quote")
    assert order["details"] == {"incoterm": "DAP", "lots": [1, 2]}
    assert order["urgent"] is True and order["description"] == "Long\ntext"
    assert [(r["item"], r["quantity"], r["amount"]) for r in order["lines"]] == [
        ("Bolt", 10, decimal.Decimal("1.50")), ("Nut", 5, decimal.Decimal("5.00"))]
    assert order["total"] == decimal.Decimal("6.50") and order["quantity"] == 15     # computed
    assert order["created_by"] == "pam" and order["created_at"] == clock.now
    assert lab.records.attachment("purchase_order", order["id"], "quote", user="pam") == (
        "quote.pdf", "application/pdf", b"%PDF-1.4 quote")
    assert lab.records.get("purchase_order", order["id"]) == order


@pytest.mark.parametrize("values, field, words", [
    ({"supplier": 999}, "supplier", "no supplier 999"),
    ({"status": "lost"}, "status", "Must be one of"),
    ({"contact": "not-an-email"}, "contact", "email"),
    ({"contact_phone": "call me"}, "contact_phone", "not a phone number"),
    ({"buyer": "nobody"}, "buyer", "no user 'nobody'"),
    ({"discount": "12345.5"}, "discount", None),
    ({"deliver_by": "1 February"}, "deliver_by", "datetime"),
    ({"order_date": "05.01.2026"}, "order_date", "date"),
    ({"urgent": "perhaps"}, "urgent", "boolean"),
    ({"total": 5}, "total", "read-only field"),
    ({"colour": "red"}, "colour", "Unknown field"),
    ({"quote": {"name": "x", "content_base64": "***"}}, "quote", "not base64"),
    ({"quote": 4242}, "quote", "accepted only as the field's current file"),
    ({"lines": [{"item": "Bolt", "quantity": 1}]}, "lines[0].price", "Missing data"),
    ({"lines": [{"item": "Bolt", "quantity": "x", "price": 1}]}, "lines[0].quantity", "integer"),
])
def test_invalid_values_are_refused_per_field_and_change_nothing(lab, acme, values, field, words):
    with pytest.raises(ValidationError) as caught:
        lab.records.create("purchase_order", {"supplier": acme["id"], **values}, user="pam")
    assert field in caught.value.errors, caught.value.errors
    if words:
        assert any(words.lower() in m.lower() for m in caught.value.errors[field]), caught.value.errors
    assert lab.records.search("purchase_order").total == 0


def test_required_fields_and_unique_values(lab, acme):
    with pytest.raises(ValidationError) as caught:
        lab.records.create("purchase_order", {}, user="pam")
    assert caught.value.errors == {"supplier": ["Missing data for required field."]}
    with pytest.raises(ValidationError) as caught:
        lab.records.create("supplier", {"name": "Acme"})
    assert caught.value.errors == {"name": [f"'Acme' is already used by supplier {acme['id']}"]}
    other = lab.records.create("supplier", {"name": "Other"})
    with pytest.raises(ValidationError, match="already used"):
        lab.records.update("supplier", other["id"], {"name": "Acme"})
    assert lab.records.update("supplier", acme["id"], {"name": "Acme", "rating": 1})["rating"] == 1


def test_updates_keep_history_and_a_version(lab, acme, clock):
    order = lab.records.create("purchase_order", {"supplier": acme["id"],
                                                  "lines": [{"item": "Bolt", "quantity": 1, "price": 2}]}, user="pam")
    clock.advance(minutes=5)
    line_id = order["lines"][0]["id"]
    changed = lab.records.update("purchase_order", order["id"], {
        "version": 1, "urgent": True, "lines": [{"id": line_id, "item": "Bolt", "quantity": 3, "price": 2},
                                                {"item": "Washer", "quantity": 1, "price": "0.5"}]}, user="max")
    assert changed["version"] == 2 and changed["total"] == decimal.Decimal("6.50")
    assert changed["lines"][0]["id"] == line_id and changed["updated_by"] == "max"
    same = lab.records.update("purchase_order", order["id"], {"urgent": True}, user="max")
    assert same["version"] == 2                                        # nothing changed: no new version
    with pytest.raises(StaleRecord, match="is at version 2, not 1"):
        lab.records.update("purchase_order", order["id"], {"version": 1, "urgent": False}, user="max")
    history = lab.records.history("purchase_order", order["id"], user="max")
    assert [(h["version"], h["action"], h["changed_by"]) for h in history] == [(1, "create", "pam"),
                                                                               (2, "update", "max")]
    update = history[1]["changes"]
    assert update["urgent"] == [False, True]
    assert update["total"] == ["2.00", "6.50"]
    assert update["lines"][0][0] == {"item": "Bolt", "quantity": 1, "price": "2.00", "amount": "2.00"}
    assert len(update["lines"][1]) == 2
    assert history[1]["changed_at"] == clock.now


def test_concurrent_updates_of_one_version_let_exactly_one_win(lab, acme):
    barrier = threading.Barrier(2)
    outcomes = []

    def update(value):
        barrier.wait()
        try:
            lab.records.update("supplier", acme["id"], {"version": 1, "rating": value}, user="max")
            outcomes.append("ok")
        except StaleRecord:
            outcomes.append("stale")

    threads = [threading.Thread(target=update, args=(value,)) for value in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "stale"]
    assert lab.records.get("supplier", acme["id"])["version"] == 2


def test_naming_series_never_repeat_under_concurrent_creation(lab, acme):
    numbers, errors = [], []
    barrier = threading.Barrier(4)

    def create_many():
        barrier.wait()
        for _ in range(10):
            try:
                numbers.append(lab.records.create("purchase_order", {"supplier": acme["id"]}, user="pam")["number"])
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=create_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"PO-2026-{n:05d}" for n in range(1, 41)]


def test_a_new_year_starts_a_new_series(lab, acme, clock):
    assert lab.records.create("purchase_order", {"supplier": acme["id"]})["number"] == "PO-2026-00001"
    clock.now = dt.datetime(2027, 1, 1, 0, 0, 1, tzinfo=dt.UTC)
    assert lab.records.create("purchase_order", {"supplier": acme["id"]})["number"] == "PO-2027-00001"


def test_permissions_per_role_are_enforced_on_every_call(lab, acme):
    order = lab.records.create("purchase_order", {"supplier": acme["id"]}, user="pam")
    assert lab.records.get("purchase_order", order["id"], user="max")["id"] == order["id"]
    with pytest.raises(NotAllowed, match="eve may not read purchase_order"):
        lab.records.get("purchase_order", order["id"], user="eve")
    with pytest.raises(NotAllowed):
        lab.records.search("purchase_order", user="eve")
    with pytest.raises(NotAllowed, match="max may not create purchase_order"):
        lab.records.create("purchase_order", {"supplier": acme["id"]}, user="max")
    with pytest.raises(NotAllowed, match="pam may not delete"):
        lab.records.delete("purchase_order", order["id"], user="pam")
    with pytest.raises(NotAllowed, match="pam may not create supplier"):
        lab.records.create("supplier", {"name": "Other"}, user="pam")
    with pytest.raises(NotAllowed):
        lab.records.history("purchase_order", order["id"], user="eve")
    assert [e.name for e, _actions in lab.records.entities(user="eve")] == []
    assert dict((e.name, actions) for e, actions in lab.records.entities(user="pam")) == {
        "purchase_order": ["read", "create", "update"], "supplier": ["read"]}
    lab.records.delete("purchase_order", order["id"], user="max")
    with pytest.raises(NotFound):
        lab.records.get("purchase_order", order["id"], user="max")
    assert lab.records.history("purchase_order", order["id"], user="max")[-1]["action"] == "delete"


def test_child_row_entities_are_reached_through_their_parent(lab):
    with pytest.raises(NotFound, match="part of purchase_order.lines"):
        lab.records.search("purchase_order_line")
    with pytest.raises(NotFound, match="no entity 'ghost'"):
        lab.records.search("ghost")


def test_a_referred_record_cannot_be_deleted(lab, acme):
    lab.records.create("purchase_order", {"supplier": acme["id"]})
    with pytest.raises(Conflict, match="referred to by 1 purchase_order"):
        lab.records.delete("supplier", acme["id"], user="max")


def test_filters_sorting_and_paging(lab):
    for name, rating, active in [("Delta", 2, True), ("alpha", 5, False), ("Charlie", 3, True), ("Bravo", None, True)]:
        lab.records.create("supplier", {"name": name, "rating": rating, "active": active})

    def names(**query):
        sort = query.pop("sort", "name")
        page, per_page = query.pop("page", 1), query.pop("per_page", 50)
        found = lab.records.search("supplier", {k: str(v) for k, v in query.items()}, sort, page, per_page)
        return [r["name"] for r in found.records], found.total

    assert names(rating__gte=3) == (["Charlie", "alpha"], 2)
    assert names(rating=2) == (["Delta"], 1)
    assert names(rating__isnull="true") == (["Bravo"], 1)
    assert names(active="false") == (["alpha"], 1)
    assert names(name__contains="AR") == (["Charlie"], 1)
    assert names(name__contains="%") == ([], 0)
    assert names(name__in="Delta,Bravo") == (["Bravo", "Delta"], 2)
    assert names(rating__ne=2, sort="-rating") == (["alpha", "Charlie"], 2)
    assert names(per_page=2, page=2) == (["Delta", "alpha"], 4)
    with pytest.raises(ValidationError) as caught:
        lab.records.search("supplier", {"colour": "red", "rating__gt": "many", "name__like": "x"})
    assert set(caught.value.errors) == {"colour", "rating__gt", "name__like"}
    with pytest.raises(ValidationError, match="cannot sort supplier by 'colour'"):
        lab.records.search("supplier", sort="colour")


def test_a_file_of_another_record_cannot_be_taken_by_its_id(lab, acme):
    secret = lab.records.create("purchase_order", {"supplier": acme["id"], "quote": {
        "name": "secret.pdf", "content_base64": base64.b64encode(b"secret").decode()}}, user="pam")
    attachment_id = secret["quote"]["id"]
    with pytest.raises(ValidationError) as caught:
        lab.records.create("purchase_order", {"supplier": acme["id"], "quote": attachment_id}, user="pam")
    assert "accepted only as the field's current file" in caught.value.errors["quote"][0]
    # sending a record's own file back unchanged is fine
    same = lab.records.update("purchase_order", secret["id"], {"quote": attachment_id, "urgent": True}, user="pam")
    assert same["quote"]["id"] == attachment_id and same["version"] == 2


def test_deleted_ids_are_never_given_again(lab):
    first = lab.records.create("supplier", {"name": "Old"})
    lab.records.delete("supplier", first["id"])
    second = lab.records.create("supplier", {"name": "New"})
    assert second["id"] != first["id"]
    assert [h["action"] for h in lab.records.history("supplier", second["id"])] == ["create"]


def test_filters_on_system_fields_and_refused_operators(lab, acme, clock):
    clock.advance(days=1)
    later = lab.records.create("supplier", {"name": "Later"})

    def ids(**query):
        return [r["id"] for r in lab.records.search("supplier", query, sort="id").records]

    assert ids(created_at__gte="2026-01-06T00:00:00+00:00") == [later["id"]]
    assert ids(version="1") == [acme["id"], later["id"]]
    assert ids(created_by__isnull="true") == [later["id"]]
    with pytest.raises(ValidationError) as caught:
        lab.records.search("supplier", {"rating__contains": "1", "active__gt": "true", "created_at": "yesterday"})
    assert caught.value.errors["rating__contains"] == ["contains does not apply to a integer field"]
    assert caught.value.errors["active__gt"] == ["gt does not apply to a boolean field"]
    assert "created_at" in caught.value.errors
    with pytest.raises(ValidationError, match="does not apply to a json field"):
        lab.records.search("purchase_order", {"details": "x"})
    with pytest.raises(ValidationError, match="page >= 1"):
        lab.records.search("supplier", page=0)
