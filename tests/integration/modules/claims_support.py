"""Shared set-up for the claims module's tests: CRM clients, policies, handlers and the steps of
claims_handling, driven through the embedding API."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import ROOT
from tests.support.process_steps import do, mails, open_tasks, task  # noqa: F401 - the module tests import them from here
from weft.packages.locate import locate_modules

ROLES = {"clara": ["claims_clerk"], "hank": ["claims_handler"], "holly": ["claims_handler"],
         "susan": ["claims_supervisor"], "eric": ["claims_expert"], "carl": ["claims_accountant"]}


@pytest.fixture(name="claims")
def claims_fixture(weft, clock):
    clock.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    weft.deploy_modules([m for m in locate_modules(ROOT) if m.name in ("crm", "claims")])
    for name, groups in ROLES.items():
        weft.add_user(name, email=f"{name}@insurer.example", groups=groups)
    nordwind = weft.records.create("organization", {"name": "Nordwind Logistics GmbH", "email": "info@nordwind.example"})
    jana = weft.records.create("contact", {"first_name": "Jana", "last_name": "Berg", "organization": nordwind["id"],
                                           "email": "jana.berg@nordwind.example"})
    policy = weft.records.create("policy", {
        "insured": "Nordwind Logistics GmbH", "policyholder": nordwind["id"], "contact": jana["id"],
        "product": "business_package", "valid_from": "2026-01-01", "valid_to": "2026-12-31", "premium": "18400",
        "deductible": "250", "coverages": [
            {"claim_type": "property", "limit": "50000", "deductible": "500"},
            {"claim_type": "liability", "limit": "100000"}]})
    expired = weft.records.create("policy", {
        "insured": "Nordwind Logistics GmbH", "policyholder": nordwind["id"], "product": "motor_fleet",
        "valid_from": "2025-01-01", "valid_to": "2025-12-31", "status": "expired",
        "coverages": [{"claim_type": "auto", "limit": "20000", "deductible": "1000"}]})
    weft.records.create("claim_handler", {"user": "hank", "level": "adjuster", "authority_limit": "5000"})
    weft.records.create("claim_handler", {"user": "holly", "level": "senior_adjuster", "authority_limit": "25000"})
    weft.fixtures = {"nordwind": nordwind["id"], "policy": policy["id"], "policy_number": policy["number"],
                     "expired": expired["id"]}
    return weft


def report(weft, amount="3200", claim_type="property", policy=None, **extra):
    values = {"policy": policy or weft.fixtures["policy"], "claim_type": claim_type,
              "subject": "Burst pipe in the Hamburg depot", "incident_date": "2026-02-27",
              "description": "A frozen pipe burst over the weekend and flooded the office wing.",
              "claimed_amount": amount, "reporter_name": "Jana Berg", "reporter_email": "jana.berg@nordwind.example",
              "intake_channel": "phone", **extra}
    return weft.starts.start("claims_handling", values, "clara")


def claim_of(weft, instance_id):
    return weft.records.get("claim", weft.instance(instance_id).variables["claim_id"])


def triaged(weft, instance_id, severity="minor"):
    return do(weft, instance_id, "triage", "clara", {"severity": severity, "coverage_decision": "covered"})


def assessed(weft, instance_id, handler, damage="3000", recommendation="pay", **extra):
    return do(weft, instance_id, "assess_claim", handler, {
        "findings": "Water damage to floor and drywall in the office wing", "cause": "water",
        "assessed_damage": damage, "recommendation": recommendation, **extra})


def appeal_window_passes(weft, clock):
    clock.advance(days=30, seconds=1)
    weft.fire_due_timers()
