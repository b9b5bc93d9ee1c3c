"""Event parsers that produce Weft's timer, message and signal definitions."""

from __future__ import annotations

from SpiffWorkflow.bpmn.parser.event_parsers import (
    BoundaryEventParser,
    EndEventParser,
    EventDefinitionParser,
    IntermediateCatchEventParser,
    IntermediateThrowEventParser,
    ReceiveTaskParser,
    SendTaskParser,
    StartEventParser,
)
from SpiffWorkflow.bpmn.parser.util import first
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from .camunda_io import extensions, input_output, properties
from .events import Outgoing, WeftCycle, WeftDuration, WeftMessage, WeftSignal, WeftTimeDate

CORRELATION_PREFIX = "correlation."


class WeftEventDefinitions(EventDefinitionParser):
    """Timer values, message and signal names, and what a throwing element sends."""

    def parse_timer_event(self, event):
        name = self.node.get("id")
        description = self.get_event_description(event)
        for tag, definition in (("timeDate", WeftTimeDate), ("timeDuration", WeftDuration),
                                ("timeCycle", WeftCycle)):
            value = first(self._xpath(event, f"./bpmn:{tag}"))
            if value is not None:
                if not (value.text or "").strip():
                    raise ValidationException(f"empty {tag} in timer", node=self.node, file_name=self.filename)
                return definition(name, value.text.strip(), description=description)
        raise ValidationException("timer has no timeDate, timeDuration or timeCycle", node=self.node,
                                  file_name=self.filename)

    def parse_message_event(self, message_event):
        name = self._referenced_name(message_event.get("messageRef"), self.process_parser.parser.messages, "message")
        return WeftMessage(name, outgoing=self.outgoing(), description=self.get_event_description(message_event))

    def parse_signal_event(self, signal_event):
        name = self._referenced_name(signal_event.get("signalRef"), self.process_parser.parser.signals, "signal")
        return WeftSignal(name, outgoing=self.outgoing(), description=self.get_event_description(signal_event))

    def _referenced_name(self, ref: str | None, defined: dict, kind: str) -> str:
        """The name of the referenced message or signal (its id when unnamed); without a
        reference, the element's own name."""
        if ref is None:
            return self.node.get("name") or self.node.get("id")
        if ref not in defined:
            raise ValidationException(f"{kind} {ref!r} is not defined", node=self.node, file_name=self.filename)
        return defined[ref] or ref

    def outgoing(self) -> Outgoing:
        io = input_output(extensions(self.node))
        correlation = tuple((key[len(CORRELATION_PREFIX):], value) for key, value in properties(self.node).items()
                            if key.startswith(CORRELATION_PREFIX))
        return Outgoing(io.inputs, correlation)


class WeftStartEventParser(WeftEventDefinitions, StartEventParser):
    def create_task(self):
        return StartEventParser.create_task(self)


class WeftEndEventParser(WeftEventDefinitions, EndEventParser):
    def create_task(self):
        return EndEventParser.create_task(self)


class WeftIntermediateCatchEventParser(WeftEventDefinitions, IntermediateCatchEventParser):
    def create_task(self):
        return IntermediateCatchEventParser.create_task(self)


class WeftIntermediateThrowEventParser(WeftEventDefinitions, IntermediateThrowEventParser):
    def create_task(self):
        return IntermediateThrowEventParser.create_task(self)


class WeftBoundaryEventParser(WeftEventDefinitions, BoundaryEventParser):
    def create_task(self):
        return BoundaryEventParser.create_task(self)


class WeftSendTaskParser(WeftEventDefinitions, SendTaskParser):
    def create_task(self):
        return SendTaskParser.create_task(self)


class WeftReceiveTaskParser(WeftEventDefinitions, ReceiveTaskParser):
    def create_task(self):
        return ReceiveTaskParser.create_task(self)
