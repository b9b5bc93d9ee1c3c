"""BPMN/DMN execution on SpiffWorkflow: parsing, running, pruning, state, sandbox.

Nothing here touches a database or a web framework; ``services`` persist what it produces.
"""

from .compiler import CompiledDeployment, DeployedLookup, build_model, compile_deployment
from .errors import DeploymentError, Problem, ProcessError, ScriptError
from .history import HistoryEntry
from .human_task import UserTaskInfo
from .model import CompiledProcess, ProcessModel, Resource
from .model_cache import ModelCache
from .runner import ProcessRunner, Step, TaskNotReady
from .sandbox import Sandbox

__all__ = [
    "CompiledDeployment", "CompiledProcess", "DeployedLookup", "DeploymentError", "HistoryEntry", "ModelCache", "Problem", "ProcessError",
    "ProcessModel", "ProcessRunner", "Resource", "Sandbox", "ScriptError", "Step", "TaskNotReady",
    "UserTaskInfo", "build_model", "compile_deployment",
]
