"""The modules in a browser, as their demo users work them: ``demo`` deploys the named modules
(and what they require) with their seed data, demo users sign in with the demo password."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from weft.demo import DEMO_PASSWORD
from weft.packages.locate import locate_modules
from weft.packages.module import load_module


@pytest.fixture
def demo(weft):
    def install(*names: str) -> None:
        modules = [m for m in locate_modules(ROOT) or [] if m.name in names]
        weft.deploy_modules(modules, user=None)          # as the system, like `weft demo`
        for files in modules:
            list(weft.seeds.load(files.name, load_module(files).seeds, DEMO_PASSWORD))
    return install
