"""What the engine knows about deployable files and executable processes."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DMN_NAMESPACES = (
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "https://www.omg.org/spec/DMN/20230324/MODEL/",
)
RESOURCE_SUFFIXES = (".bpmn", ".bpmn20.xml", ".dmn", ".dmn11.xml")


@dataclass(frozen=True)
class Resource:
    """One BPMN or DMN file. ``stored_id`` is set for files already in the database."""

    name: str
    content: bytes
    stored_id: int | None = None

    @cached_property
    def checksum(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def is_dmn(self) -> bool:
        return self.name.lower().endswith((".dmn", ".dmn11.xml"))


@dataclass(frozen=True)
class ElementInfo:
    element_id: str
    name: str | None
    type: str


@dataclass
class CompiledProcess:
    """A process ready to be stored as a definition: the files it needs and their checksum."""

    key: str
    name: str
    resource: Resource
    bundle: list[Resource]
    start_events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def checksum(self) -> str:
        digest = hashlib.sha256(self.key.encode())
        for checksum in sorted({r.checksum for r in self.bundle}):
            digest.update(checksum.encode())
        return digest.hexdigest()


@dataclass
class ProcessModel:
    """A parsed, executable process: the SpiffWorkflow specs plus element metadata.

    Specs are shared by every instance of the definition; ``lock`` serialises execution
    because SpiffWorkflow connects some spec-level callbacks lazily at run time.
    """

    key: str
    name: str
    spec: Any
    subprocess_specs: dict[str, Any]
    elements: dict[str, ElementInfo]
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def element(self, element_id: str) -> ElementInfo:
        return self.elements.get(element_id) or ElementInfo(element_id, None, "unknown")
