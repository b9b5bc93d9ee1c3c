"""Deploying what someone uploaded (REST and the admin console): BPMN/DMN files as a plain
deployment, or one module package (``.weftpkg``)."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence

from ..packages.archive import read_package
from ..packages.locate import PACKAGE_SUFFIX
from ..packages.sources import from_uploads
from .deployment import Deployment, DeploymentService
from .errors import ValidationError
from .modules import ModuleService

MAX_UPLOAD_FILES = 200


class UploadService:
    def __init__(self, deployments: DeploymentService, modules: ModuleService):
        self.deployments = deployments
        self.modules = modules

    def deploy(self, files: Sequence[tuple[str, bytes]], user: str | None, name: str | None = None,
               force: Collection[str] = (), dry_run: bool = False) -> Deployment:
        """Deploy uploaded ``(file name, content)`` pairs; ``force`` and ``dry_run`` apply to a
        package's schema changes. Refused (``ValidationError`` on ``file``) for no files, too
        many, or a package mixed with other files."""
        if not files or len(files) > MAX_UPLOAD_FILES:
            raise ValidationError({"file": [f"choose 1 to {MAX_UPLOAD_FILES} files"]})
        packages = [(file_name, content) for file_name, content in files
                    if file_name.lower().endswith(PACKAGE_SUFFIX)]
        if packages:
            if len(files) != 1:
                raise ValidationError({"file": ["a .weftpkg package goes alone, without other files"]})
            file_name, content = packages[0]
            module = read_package(content, os.path.basename(file_name.replace("\\", "/")))
            return self.modules.deploy([module], user, force, dry_run)[0]
        if force or dry_run:
            raise ValidationError({"file": ["dry runs and forced changes apply to module packages (.weftpkg)"]})
        return self.deployments.deploy(from_uploads(files, name), user)
