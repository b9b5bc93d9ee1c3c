"""The BPMN/DMN parser: SpiffWorkflow's Camunda parser with Weft's task specs registered."""

from __future__ import annotations

import re

from SpiffWorkflow.bpmn.parser.task_parsers import ConditionalGatewayParser, GatewayParser
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.data_spec import TaskDataReference
from SpiffWorkflow.bpmn.specs.defaults import (
    BoundaryEvent,
    CallActivity,
    EndEvent,
    IntermediateCatchEvent,
    IntermediateThrowEvent,
    ReceiveTask,
    ScriptTask,
    SendTask,
)
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.task_spec import (
    CallActivityParser,
    CamundaTaskParser,
    ScriptTaskParser,
    SubWorkflowParser,
    UserTaskParser,
)

from .camunda_io import CAMUNDA_NS, connector, extensions
from .dmn import parse_dmn
from .event_parsers import (
    WeftBoundaryEventParser,
    WeftEndEventParser,
    WeftIntermediateCatchEventParser,
    WeftIntermediateThrowEventParser,
    WeftReceiveTaskParser,
    WeftSendTaskParser,
    WeftStartEventParser,
)
from .events import WeftStartEvent
from .joins import TokenInclusiveGateway, TokenParallelGateway
from .model import BPMN_NS
from .specs import (
    Assignment,
    CountingLoopTask,
    PassThroughTask,
    WeftBusinessRuleTask,
    WeftParallelMultiInstanceTask,
    WeftSequentialMultiInstanceTask,
    WeftServiceTask,
    WeftUserTask,
)

COLLECTION = re.compile(r"^(?:\$\{\s*)?([A-Za-z_][A-Za-z0-9_]*)(?:\s*\})?$")


def camunda_attribute(node, name: str) -> str | None:
    value = node.get(f"{{{CAMUNDA_NS}}}{name}")
    return value.strip() if value and value.strip() else None


class ActivityParser(TaskParser):
    """What every activity shares: Weft's loop task, and ``camunda:asyncBefore`` (run by the
    job executor, with ``camunda:failedJobRetryTimeCycle`` retries)."""

    STANDARD_LOOP_CLASS = CountingLoopTask

    def create_task(self):
        task = self.build_task()
        task.async_before = (camunda_attribute(self.node, "asyncBefore") or "").lower() == "true"
        block = extensions(self.node)
        cycle = block.findtext(f"{{{CAMUNDA_NS}}}failedJobRetryTimeCycle") if block is not None else None
        task.retry_cycle = cycle.strip() if cycle and cycle.strip() else None
        return task

    def build_task(self):
        return super().create_task()

    def _add_multiinstance_task(self, loop_characteristics):
        """Camunda's ``camunda:collection`` (a variable, plain or as ``${name}``) with
        ``camunda:elementVariable``: one instance per item; what instances set is merged back."""
        collection = camunda_attribute(loop_characteristics, "collection")
        if collection is None:
            return super()._add_multiinstance_task(loop_characteristics)
        match = COLLECTION.match(collection)
        if match is None:
            raise ValidationException(f"camunda:collection {collection!r}: name the variable holding the items, "
                                      "e.g. ${lines}", node=self.node, file_name=self.filename)
        element = camunda_attribute(loop_characteristics, "elementVariable")
        condition = loop_characteristics.findtext(f"{{{BPMN_NS}}}completionCondition")
        original = self.spec.task_specs.pop(self.task.name)  # type: ignore[has-type]
        kind = WeftSequentialMultiInstanceTask if loop_characteristics.get("isSequential") == "true" \
            else WeftParallelMultiInstanceTask
        self.task = kind(self.spec, original.name, task_spec="", cardinality=None,
                         data_input=TaskDataReference(match.group(1)), data_output=None,
                         input_item=TaskDataReference(element) if element else None, output_item=None,
                         condition=condition.strip() if condition and condition.strip() else None)
        self._copy_task_attrs(original, loop_characteristics)


class WeftUserTaskParser(ActivityParser, UserTaskParser):
    def build_task(self):
        return self.spec_class(
            self.spec, self.bpmn_id, form=self.get_form(), assignment=self.get_assignment(),
            **self.bpmn_attributes)

    def get_assignment(self) -> Assignment:
        return Assignment(
            assignee=camunda_attribute(self.node, "assignee"),
            candidate_groups=camunda_attribute(self.node, "candidateGroups"),
            candidate_users=camunda_attribute(self.node, "candidateUsers"),
            due_date=camunda_attribute(self.node, "dueDate"),
            follow_up_date=camunda_attribute(self.node, "followUpDate"),
            priority=camunda_attribute(self.node, "priority"),
        )


class WeftTaskParser(ActivityParser, CamundaTaskParser):
    pass


class WeftScriptTaskParser(ActivityParser, ScriptTaskParser):
    pass


class WeftSubWorkflowParser(ActivityParser, SubWorkflowParser):
    pass


class WeftCallActivityParser(ActivityParser, CallActivityParser):
    pass


class WeftServiceTaskParser(ActivityParser, TaskParser):
    def build_task(self):
        call = connector(self.node)
        expression = camunda_attribute(self.node, "expression")
        if call is None and expression is None:
            self.raise_validation_exception("service task needs a camunda:connector or camunda:expression")
        if call is not None and not call.connector_id:
            self.raise_validation_exception("camunda:connector has no connectorId")
        return WeftServiceTask(self.spec, self.bpmn_id, call=call, expression=expression,
                               result_variable=camunda_attribute(self.node, "resultVariable"),
                               **self.bpmn_attributes)


class WeftBusinessRuleTaskParser(ActivityParser, TaskParser):
    @staticmethod
    def get_decision_ref(node) -> str | None:
        """Used by SpiffWorkflow's parser to list a process's decision dependencies."""
        return camunda_attribute(node, "decisionRef")

    def build_task(self):
        reference = camunda_attribute(self.node, "decisionRef")
        decisions = self.process_parser.parser.decisions
        if reference is None:
            self.raise_validation_exception("business rule task has no camunda:decisionRef")
            raise AssertionError("unreachable")
        if reference not in decisions:
            self.raise_validation_exception(f"unknown decision {reference!r}")
        return WeftBusinessRuleTask(
            self.spec, self.bpmn_id, decision_ref=reference,
            result_variable=camunda_attribute(self.node, "resultVariable"),
            map_decision_result=camunda_attribute(self.node, "mapDecisionResult"),
            decisions=decisions, **self.bpmn_attributes)


class WeftParser(CamundaParser):
    """Reads the Camunda 7 dialect (DESIGN §8) into Weft's task specs."""

    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("userTask"): (WeftUserTaskParser, WeftUserTask),
        full_tag("task"): (WeftTaskParser, PassThroughTask),
        full_tag("manualTask"): (WeftTaskParser, PassThroughTask),
        full_tag("scriptTask"): (WeftScriptTaskParser, ScriptTask),
        full_tag("serviceTask"): (WeftServiceTaskParser, WeftServiceTask),
        full_tag("businessRuleTask"): (WeftBusinessRuleTaskParser, WeftBusinessRuleTask),
        full_tag("subProcess"): (WeftSubWorkflowParser, CallActivity),
        full_tag("callActivity"): (WeftCallActivityParser, CallActivity),
        full_tag("parallelGateway"): (GatewayParser, TokenParallelGateway),
        full_tag("inclusiveGateway"): (ConditionalGatewayParser, TokenInclusiveGateway),
        full_tag("startEvent"): (WeftStartEventParser, WeftStartEvent),
        full_tag("endEvent"): (WeftEndEventParser, EndEvent),
        full_tag("intermediateCatchEvent"): (WeftIntermediateCatchEventParser, IntermediateCatchEvent),
        full_tag("intermediateThrowEvent"): (WeftIntermediateThrowEventParser, IntermediateThrowEvent),
        full_tag("boundaryEvent"): (WeftBoundaryEventParser, BoundaryEvent),
        full_tag("sendTask"): (WeftSendTaskParser, SendTask),
        full_tag("receiveTask"): (WeftReceiveTaskParser, ReceiveTask),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decisions: dict = {}

    def add_dmn_xml(self, node, filename=None):
        decisions, problems = parse_dmn(node, filename or "")
        if problems:
            first = problems[0]
            raise ValidationException(first.message, file_name=filename, id=first.element or "",
                                      line_number=first.line or "")
        self.decisions.update(decisions)
