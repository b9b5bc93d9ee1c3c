"""Camunda-style ``${…}`` expressions."""

from __future__ import annotations

import pytest

from weft.engine.expressions import to_python
from weft.engine.sandbox import Sandbox


@pytest.mark.parametrize(("expression", "variables", "expected"), [
    ("${approved}", {"approved": True}, True),
    ("${!approved}", {"approved": True}, False),
    ("${amount > 1000 && x == 'a'}", {"amount": 1500, "x": "a"}, True),
    ("${amount > 1000 || vip}", {"amount": 10, "vip": False}, False),
    ("${a ne b}", {"a": 1, "b": 2}, True),
    ("${a eq b and c lt 3}", {"a": 1, "b": 1, "c": 2}, True),
    ("${empty items}", {"items": []}, True),
    ("${not empty items}", {"items": [1]}, True),
    ("${x != null}", {"x": 0}, True),
    ("${total div 2}", {"total": 5}, 2.5),
    ("${flag == true}", {"flag": True}, True),
    ("${name == '!'}", {"name": "!"}, True),
    ("amount > 5", {"amount": 6}, True),
    ("Order ${number} for ${who}", {"number": 7, "who": "Ann"}, "Order 7 for Ann"),
])
def test_expressions_evaluate_like_camunda(expression, variables, expected):
    assert Sandbox().evaluate(to_python(expression), variables) == expected
