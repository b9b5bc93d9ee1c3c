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
        deployed = [result.module for result in weft.deploy_modules(modules, user=None)]   # as the system
        by_name = {files.name: files for files in modules}
        for name in deployed:                            # seeds in the order the modules' requires need
            list(weft.seeds.load(name, load_module(by_name[name]).seeds, DEMO_PASSWORD))
    return install
