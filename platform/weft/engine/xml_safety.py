"""Parsing untrusted XML: no DTDs, no entities, no network, bounded size."""

from __future__ import annotations

from lxml import etree

from .errors import Problem

MAX_XML_BYTES = 10 * 1024 * 1024


class UnsafeXml(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def parse_untrusted_xml(content: bytes, filename: str) -> etree._Element:
    """Return the root element, or raise ``UnsafeXml`` naming the file and line.

    DOCTYPE declarations are refused outright: BPMN and DMN never need them, and they are
    the door to entity expansion (billion laughs) and external entities (XXE).
    """
    if len(content) > MAX_XML_BYTES:
        raise UnsafeXml(Problem(filename, f"file is larger than {MAX_XML_BYTES // (1024 * 1024)} MB"))
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise UnsafeXml(Problem(filename, "DOCTYPE and ENTITY declarations are not allowed"))
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_blank_text=False,
    )
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise UnsafeXml(Problem(filename, f"malformed XML: {exc.msg}", line=line)) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeXml(Problem(filename, "DOCTYPE and ENTITY declarations are not allowed"))
    return root
