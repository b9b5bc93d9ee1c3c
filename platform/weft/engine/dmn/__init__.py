"""DMN decision tables: parsing, FEEL unary tests and simple expressions, hit policies."""

from .evaluation import DecisionError, evaluate_decision, map_decision_result
from .model import Decision
from .parsing import parse_dmn

__all__ = ["Decision", "DecisionError", "evaluate_decision", "map_decision_result", "parse_dmn"]
