"""Writes tests/conformance/models/*.bpmn, one small process per construct, from the ``models()`` of every
module in tests/conformance/constructs/: marker script tasks (``m_…``) make the execution trace that
tests/conformance/expected/*.yaml states. Models in models/ that no module writes are hand-written (for
example collaborations with pools); the generator leaves them alone.
Run ``.venv/bin/python -m tests.conformance.generate`` after changing a model."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from tests.conformance import constructs

MODELS = Path(__file__).parent / "models"


def models() -> dict[str, str]:
    found: dict[str, str] = {}
    for module in pkgutil.iter_modules(constructs.__path__):
        for name, xml in importlib.import_module(f"{constructs.__name__}.{module.name}").models().items():
            if name in found:
                raise SystemExit(f"{module.name}: model {name} is written by another module too")
            found[name] = xml
    return found


def main() -> None:
    MODELS.mkdir(exist_ok=True)
    for name, xml in sorted(models().items()):
        (MODELS / f"{name}.bpmn").write_text(xml + "\n")
        print(f"tests/conformance/models/{name}.bpmn")


if __name__ == "__main__":
    main()
