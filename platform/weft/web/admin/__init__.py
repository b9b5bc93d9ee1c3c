"""The admin console: instances (search, operations, variables, migration), processes and
their versions, deployments and uploads, timers and jobs, users, groups, roles and API tokens,
and the audit log of everything administrators do."""

from . import audit, deployments, instances, jobs, users  # noqa: F401 - they register their routes
from .blueprint import admin

__all__ = ["admin"]
