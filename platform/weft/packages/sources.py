"""Turning what a user points at (files, folders, lists of them) into deployable resources."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..engine.errors import DeploymentError, Problem
from ..engine.model import RESOURCE_SUFFIXES, Resource

MAX_FILES = 2000


@dataclass(frozen=True)
class Source:
    name: str                 # the deployment name (versions are counted per name)
    resources: list[Resource]
    origin: str               # where it came from, for the record


def read_source(source: str | os.PathLike | Sequence[str | os.PathLike]) -> Source:
    """Read a .bpmn/.dmn file, a folder (recursively) or a list of both."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            return Source(path.resolve().name, _folder(path), str(path))
        return Source(_stem(path), [_file(path, path.name)], str(path))
    paths = [Path(item) for item in source]
    resources: list[Resource] = []
    for path in paths:
        resources += _folder(path) if path.is_dir() else [_file(path, path.name)]
    parents = {p.resolve().parent.name if not p.is_dir() else p.resolve().name for p in paths}
    name = parents.pop() if len(parents) == 1 else "deployment"
    return Source(name, resources, ", ".join(str(p) for p in paths))


def _folder(folder: Path) -> list[Resource]:
    if not folder.is_dir():
        raise DeploymentError([Problem(str(folder), "no such file or folder")])
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name.lower().endswith(RESOURCE_SUFFIXES))
    if len(files) > MAX_FILES:
        raise DeploymentError([Problem(str(folder), f"more than {MAX_FILES} BPMN/DMN files")])
    if not files:
        raise DeploymentError([Problem(str(folder), "the folder contains no .bpmn or .dmn file")])
    return [_file(path, path.relative_to(folder).as_posix()) for path in files]


def _file(path: Path, name: str) -> Resource:
    if not path.is_file():
        raise DeploymentError([Problem(str(path), "no such file or folder")])
    if path.is_symlink():
        raise DeploymentError([Problem(str(path), "symbolic links are not deployed")])
    return Resource(name, path.read_bytes())


def _stem(path: Path) -> str:
    name = path.name
    for suffix in RESOURCE_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def from_uploads(files: Iterable[tuple[str, bytes]], name: str | None = None) -> Source:
    """Resources from uploaded (name, content) pairs; names are reduced to their base name."""
    resources = [Resource(os.path.basename(file_name.replace("\\", "/")), content) for file_name, content in files]
    if name is None:
        name = _stem(Path(resources[0].name)) if len(resources) == 1 else "deployment"
    return Source(name, resources, "upload")
