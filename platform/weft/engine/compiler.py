"""Turning BPMN/DMN files into executable process models, or into a list of problems."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import XSD_PATH
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException

from .errors import DeploymentError, Problem
from .events import first_start_timer_due, start_events
from .implicit_splits import add_implicit_splits
from .iso8601 import Iso8601Error
from .model import RESOURCE_SUFFIXES, CompiledProcess, ElementInfo, ProcessModel, Resource
from .outline import DocumentOutline, ProcessOutline, outline_document
from .parser import WeftParser
from .xml_safety import UnsafeXml, parse_untrusted_xml

MAX_XSD_PROBLEMS = 20

BundleLookup = Callable[[str], "list[Resource] | None"]


@dataclass(frozen=True)
class DeployedLookup:
    """How a deployment finds what it references but does not contain: the latest deployed
    bundle of a process key, and of the DMN file holding a decision id."""

    process_bundle: BundleLookup
    decision_bundle: BundleLookup


NOTHING_DEPLOYED = DeployedLookup(lambda key: None, lambda decision: None)


@dataclass
class CompiledDeployment:
    processes: list[CompiledProcess]
    decisions: dict[str, Resource]      # decision id -> the DMN file that defines it
    form_keys: list[tuple[str, str, str]] = field(default_factory=list)   # (file, element, formKey)


def compile_deployment(resources: list[Resource], lookup: DeployedLookup = NOTHING_DEPLOYED,
                       connectors: Collection[str] | None = None) -> CompiledDeployment:
    """Validate every file and every executable process; raise ``DeploymentError`` listing
    all problems found, or return the processes with the files each one needs.

    ``connectors``, when given, are the connector ids service tasks may name."""
    problems: list[Problem] = []
    documents = _read_documents(resources, problems)
    if connectors is not None:
        for document in documents.values():
            for element, connector_id in document.outline.connectors:
                if connector_id not in connectors:
                    problems.append(Problem(document.resource.name, f"unknown connector {connector_id!r} "
                                            f"(known: {', '.join(sorted(connectors)) or 'none'})", element))
    by_process, by_decision = _index(documents, problems)
    compiled = []
    troubled = {p.file for p in problems}
    for key, (document, _process) in by_process.items():
        bundle = _bundle(key, by_process, by_decision, documents, lookup, problems)
        if bundle is None or any(r.name in troubled for r in bundle):
            continue
        try:
            model = build_model(key, bundle)
        except DeploymentError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
            continue
        events = start_events(model.spec)
        start_forms = dict(document.outline.form_keys)
        for event in events:
            if event["kind"] == "none":
                event["form"] = start_forms.get(event["element"])
                event["initiator"] = document.outline.initiators.get(event["element"])
        problems.extend(_start_timer_problems(document.resource.name, events))
        compiled.append(CompiledProcess(key, model.name, document.resource, bundle, events))
    if problems:
        raise DeploymentError(problems)
    decisions = {decision: documents[file_name].resource for decision, file_name in by_decision.items()}
    form_keys = [(name, element, key) for name, document in documents.items()
                 for element, key in document.outline.form_keys]
    return CompiledDeployment(compiled, decisions, form_keys)


def build_model(key: str, bundle: list[Resource]) -> ProcessModel:
    """Parse a process and everything it calls into SpiffWorkflow specs."""
    parser = WeftParser()
    elements: dict[str, ElementInfo] = {}
    name = key
    try:
        for resource in bundle:
            root = parse_untrusted_xml(resource.content, resource.name)
            if resource.is_dmn:
                parser.add_dmn_xml(root, filename=resource.name)
                continue
            outline = outline_document(root, resource.name)
            elements.update(outline.elements)
            for process in outline.processes:
                if process.process_id == key:
                    name = process.name
            for info in add_implicit_splits(root):                # several flows out of a task: a gateway
                elements[info.element_id] = info
            parser.add_bpmn_xml(root, filename=resource.name)
        spec = parser.get_spec(key)
        subprocess_specs = parser.get_subprocess_specs(key)
    except UnsafeXml as exc:
        raise DeploymentError([exc.problem]) from None
    except ValidationException as exc:
        raise DeploymentError([_problem_from_validation(exc, _file_of(key, bundle))]) from None
    except (SpiffWorkflowException, KeyError, ValueError, TypeError, AttributeError, IndexError) as exc:
        raise DeploymentError([Problem(_file_of(key, bundle), f"cannot read process {key!r}: {exc!r}")]) from None
    return ProcessModel(key, name, spec, subprocess_specs, elements)


@dataclass(frozen=True)
class _Document:
    resource: Resource
    outline: DocumentOutline


def _read_documents(resources: list[Resource], problems: list[Problem]) -> dict[str, _Document]:
    outlines: dict[str, _Document] = {}
    if not resources:
        problems.append(Problem("(deployment)", "no BPMN or DMN files to deploy"))
    for resource in resources:
        if resource.name in outlines:
            problems.append(Problem(resource.name, "the same file name appears twice in the deployment"))
            continue
        if not resource.name.lower().endswith(RESOURCE_SUFFIXES):
            problems.append(Problem(resource.name, "not a .bpmn or .dmn file"))
            continue
        try:
            root = parse_untrusted_xml(resource.content, resource.name)
        except UnsafeXml as exc:
            problems.append(exc.problem)
            continue
        outline = outline_document(root, resource.name)
        problems.extend(outline.problems)
        if outline.kind == "bpmn" and not outline.problems:
            problems.extend(_schema_problems(root, resource.name))
        outlines[resource.name] = _Document(resource, outline)
    return outlines


def _index(documents: dict[str, _Document], problems: list[Problem]):
    by_process: dict[str, tuple[str, ProcessOutline]] = {}
    by_decision: dict[str, str] = {}
    for name, document in documents.items():
        outline = document.outline
        for process in outline.processes:
            if process.process_id in by_process:
                other = by_process[process.process_id][0]
                problems.append(Problem(name, f"process id {process.process_id!r} is also defined in {other}",
                                        process.process_id))
            elif process.executable:
                by_process[process.process_id] = (name, process)
        for decision in outline.decisions:
            if decision in by_decision:
                problems.append(Problem(name, f"decision id {decision!r} is also defined in {by_decision[decision]}",
                                        decision))
            by_decision.setdefault(decision, name)
    return ({key: (documents[file_name], process) for key, (file_name, process) in by_process.items()},
            by_decision)


def _bundle(key, by_process, by_decision, documents, lookup: DeployedLookup, problems) -> list[Resource] | None:
    """The files process ``key`` needs: its own, those of processes it calls, DMN files it uses."""
    files: dict[str, Resource] = {}
    external: dict[tuple[str, str], Resource] = {}
    ok = True
    pending, seen = [key], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        document, process = by_process[current]
        files[document.resource.name] = document.resource
        file_name = document.resource.name
        for element, called in process.calls:
            if called in by_process:
                pending.append(called)
            elif (deployed := lookup.process_bundle(called)) is not None:
                external.update({(r.name, r.checksum): r for r in deployed})
            else:
                ok = False
                problems.append(Problem(file_name, f"calls unknown process {called!r}", element))
        for element, decision in process.decisions:
            if decision in by_decision:
                dmn = documents[by_decision[decision]].resource
                files[dmn.name] = dmn
            elif (deployed := lookup.decision_bundle(decision)) is not None:
                external.update({(r.name, r.checksum): r for r in deployed})
            else:
                ok = False
                problems.append(Problem(file_name, f"uses unknown decision {decision!r}", element))
    if not ok:
        return None
    return list(files.values()) + [r for r in external.values() if r.name not in files]


_schema_lock = threading.Lock()
_schema: etree.XMLSchema | None = None


def _bpmn_schema() -> etree.XMLSchema:
    global _schema
    with _schema_lock:
        if _schema is None:
            parser = etree.XMLParser(no_network=True, resolve_entities=False)
            _schema = etree.XMLSchema(etree.parse(XSD_PATH, parser))
        return _schema


def _schema_problems(root: etree._Element, filename: str) -> list[Problem]:
    schema = _bpmn_schema()
    document = copy.deepcopy(root)
    # bpmn-js writes correlation retrieval expressions in a form the XSD rejects (as SpiffWorkflow notes).
    for expression in document.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}formalExpression"):
        parent = expression.getparent()
        if parent is not None and etree.QName(parent).localname == "correlationPropertyRetrievalExpression":
            expression.tag = "{http://www.omg.org/spec/BPMN/20100524/MODEL}messagePath"
    if schema.validate(document):
        return []
    return [Problem(filename, f"not valid BPMN 2.0: {error.message}", line=error.line)
            for error in list(schema.error_log)[:MAX_XSD_PROBLEMS]]


def _start_timer_problems(file_name: str, events: list[dict]) -> list[Problem]:
    import datetime as dt

    problems = []
    for event in events:
        if event["kind"] == "timer":
            try:
                first_start_timer_due(event, dt.datetime.now(dt.UTC))
            except Iso8601Error as exc:
                problems.append(Problem(file_name, str(exc), event["element"]))
    return problems


def _problem_from_validation(exc: ValidationException, default_file: str) -> Problem:
    message = str(exc.args[0]) if exc.args else "invalid process"
    line = exc.line_number if isinstance(exc.line_number, int) and exc.line_number > 0 else None
    return Problem(exc.file_name or default_file, message, exc.id or None, line)


def _file_of(key: str, bundle: list[Resource]) -> str:
    return bundle[0].name if bundle else key
