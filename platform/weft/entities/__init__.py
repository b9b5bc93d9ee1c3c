"""Entities as data: definitions, checks, schema evolution plans, validation, formulas.

Nothing here touches a database; ``persistence.entity_schema`` and ``persistence.records``
turn these into tables and rows.
"""

from .catalog import Catalog, check_catalog
from .definition import EntityDefinition, FieldDefinition, parse_entity
from .errors import DefinitionError, DefinitionProblem
from .evolution import Change, plan

__all__ = ["Catalog", "Change", "DefinitionError", "DefinitionProblem", "EntityDefinition", "FieldDefinition",
           "check_catalog", "parse_entity", "plan"]
