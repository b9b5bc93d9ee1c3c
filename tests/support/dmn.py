"""Writing DMN decision tables for tests."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

DMN = "https://www.omg.org/spec/DMN/20191111/MODEL/"


def table(decision_id, inputs, outputs, rules, hit_policy="UNIQUE", aggregation=None, required=(), name=None,
          output_values=None):
    """``inputs``: expressions; ``outputs``: names; ``rules``: (input entries, output entries) pairs."""
    policy = f' hitPolicy="{hit_policy}"' + (f' aggregation="{aggregation}"' if aggregation else "")
    requirements = "".join(f'<informationRequirement id="req_{decision_id}_{r}"><requiredDecision href="#{r}"/>'
                           f"</informationRequirement>" for r in required)
    input_xml = "".join(f'<input id="{decision_id}_in{i}"><inputExpression id="{decision_id}_ie{i}">'
                        f"<text>{escape(expr)}</text></inputExpression></input>" for i, expr in enumerate(inputs))
    output_xml = ""
    for i, out in enumerate(outputs):
        values = ""
        if output_values and out in output_values:
            values = f"<outputValues><text>{escape(output_values[out])}</text></outputValues>"
        output_xml += f'<output id="{decision_id}_out{i}" name="{out}">{values}</output>'
    rule_xml = ""
    for n, (entries, results) in enumerate(rules):
        rule_xml += f'<rule id="{decision_id}_r{n}">' + "".join(
            f'<inputEntry id="{decision_id}_r{n}_i{i}"><text>{escape(e)}</text></inputEntry>'
            for i, e in enumerate(entries)) + "".join(
            f'<outputEntry id="{decision_id}_r{n}_o{i}"><text>{escape(o)}</text></outputEntry>'
            for i, o in enumerate(results)) + "</rule>"
    name_attr = f" name={quoteattr(name)}" if name else ""
    return (f'<decision id="{decision_id}"{name_attr}>{requirements}<decisionTable id="{decision_id}_t"{policy}>'
            f"{input_xml}{output_xml}{rule_xml}</decisionTable></decision>")


def dmn(*decisions) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><definitions xmlns="{DMN}" id="defs" name="d" '
            f'namespace="http://weft.test">{"".join(decisions)}</definitions>')
