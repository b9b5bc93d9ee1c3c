"""What a BPMN file says, independent of how it is written: namespace prefixes, attribute order,
indentation and self-closing tags differ between tools, the meaning must not."""

from __future__ import annotations

from collections import Counter

from lxml import etree

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def semantics(xml: str | bytes) -> Counter:
    """Every element as (its place, tag, attributes, text); places are named by the nearest
    ancestor with an id, so that reordered siblings compare equal."""
    root = etree.fromstring(xml.encode() if isinstance(xml, str) else xml)
    found: Counter = Counter()
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue                                   # comments, processing instructions
        found[(_place(node), node.tag, _attributes(node), (node.text or "").strip())] += 1
    return found


def _place(node: etree._Element) -> str:
    path = []
    parent = node.getparent()
    while parent is not None:
        if parent.get("id"):
            path.append(parent.get("id"))
            break
        path.append(etree.QName(parent).localname)
        parent = parent.getparent()
    return "/".join(reversed(path))


def _attributes(node: etree._Element) -> tuple:
    attributes = []
    for name, value in node.attrib.items():
        if name == XSI_TYPE and ":" in value:          # a QName: compare by namespace, not prefix
            prefix, local = value.split(":", 1)
            value = f"{{{node.nsmap.get(prefix, prefix)}}}{local}"
        attributes.append((name, value))
    return tuple(sorted(attributes))
