"""The modules' own scenario files (``processes/<m>/scenarios/*.yaml``) pass: each runs the way
``weft test`` runs it, in a throw-away database with the modules' seed data."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from weft.packages.locate import locate_modules
from weft.packages.module import load_module
from weft.scenarios.runner import ScenarioRunner

MODULES = locate_modules(ROOT, ROOT) or []
SCENARIOS = [(files.name, scenario) for files in MODULES for scenario in load_module(files).scenarios]


@pytest.fixture(scope="module")
def runner():
    with ScenarioRunner(MODULES) as shared:              # one deployed template per set of modules
        yield shared


def test_every_module_has_scenarios():
    assert {module for module, _scenario in SCENARIOS} >= {"crm", "procurement", "claims", "manufacturing"}


@pytest.mark.parametrize(("module", "scenario"), SCENARIOS, ids=[s.file for _m, s in SCENARIOS])
def test_scenario(runner, module, scenario):
    result = runner.run(module, scenario)
    assert result.failures == []
