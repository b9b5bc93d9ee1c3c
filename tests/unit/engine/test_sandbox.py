"""The script sandbox: what analysts may do, and a catalogue of known Python sandbox escapes."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from weft.engine.errors import ScriptError
from weft.engine.sandbox import Sandbox

ESCAPES = {
    "subclasses via tuple": "x = ().__class__.__base__.__subclasses__()",
    "subclasses via mro": "x = ''.__class__.__mro__[1].__subclasses__()",
    "mro method": "x = str.mro()",
    "function globals": "def f(): pass\nx = f.__globals__",
    "lambda globals": "x = (lambda: 0).__globals__",
    "code object": "x = (lambda: 0).__code__",
    "builtins name": "x = __builtins__",
    "import builtin": "x = __import__('os')",
    "import os": "import os",
    "import subprocess": "import subprocess",
    "from os import": "from os import system",
    "import sys": "import sys",
    "relative import": "from . import anything",
    "star import": "from math import *",
    "private module member": "from json import _default_encoder",
    "module internals via json": "import json\nx = json.codecs",
    "module dunder dict": "import math\nx = math.__dict__",
    "open": "open('/etc/passwd')",
    "eval": "eval('1')",
    "exec": "exec('x = 1')",
    "compile": "compile('1', 'f', 'eval')",
    "getattr": "getattr(1, '__class__')",
    "vars": "vars()",
    "globals": "globals()",
    "type": "type(1)",
    "object": "object.__subclasses__()",
    "str format attribute walk": "x = '{0.__class__}'.format(1)",
    "format_map": "x = '{a}'.format_map({'a': 1})",
    "generator frame": "g = (i for i in [1])\nx = g.gi_frame",
    "generator code": "g = (i for i in [1])\nx = g.gi_code",
    "frame globals": "g = (i for i in [1])\nx = g.gi_frame.f_globals",
    "traceback frame": "try:\n    1/0\nexcept Exception as e:\n    x = e.__traceback__.tb_frame",
    "class definition": "class A: pass",
    "dunder function name": "def __init__(): pass",
    "dunder argument": "def f(__x): pass",
    "async code": "async def f(): pass",
    "breakpoint": "breakpoint()",
    "input": "input()",
    "memoryview": "memoryview(b'x')",
    "super": "super()",
    "help": "help()",
    "datetime module internals": "import datetime\nx = datetime.sys",
    "decimal context mutation": "import decimal\ndecimal.getcontext().prec = 1",
    "re module internals": "import re\nx = re._compile",
    "exception class walk": "x = ValueError.__subclasses__()",
    "print to file": "print('x', file=open('/tmp/x', 'w'))",
}


@pytest.mark.parametrize("name", list(ESCAPES))
def test_known_escapes_are_blocked(name):
    with pytest.raises((ScriptError, NameError, ImportError, AttributeError, TypeError)):
        Sandbox().execute(ESCAPES[name], {})


def test_catalogue_has_at_least_thirty_escapes():
    assert len(ESCAPES) >= 30


def test_scripts_read_and_write_variables():
    result = Sandbox().execute("total = sum(line['qty'] * line['price'] for line in lines)\ndel temp",
                               {"lines": [{"qty": 2, "price": 5}, {"qty": 1, "price": 3}], "temp": 1})
    assert result == {"lines": [{"qty": 2, "price": 5}, {"qty": 1, "price": 3}], "total": 13}


def test_a_script_may_set_a_variable_to_none():
    result = Sandbox().execute("owner = None\nreceipt_id = None", {"receipt_id": 7})
    assert result == {"owner": None, "receipt_id": None}


def test_whitelisted_modules_work():
    result = Sandbox().execute(
        "import datetime, decimal, math, re, json\n"
        "from datetime import timedelta\n"
        "due = start + timedelta(days=2)\n"
        "amount = decimal.Decimal('1.10') * 3\n"
        "root = math.sqrt(16)\n"
        "code = re.sub(r'\\D', '', 'PO-123')\n"
        "text = json.dumps({'a': 1})\n",
        {"start": dt.date(2026, 1, 1)})
    assert result["due"] == dt.date(2026, 1, 3)
    assert result["amount"] == decimal.Decimal("3.30")
    assert (result["root"], result["code"], result["text"]) == (4.0, "123", '{"a": 1}')
    assert "datetime" not in result and "timedelta" not in result


def test_functions_defined_in_scripts_do_not_become_variables():
    result = Sandbox().execute("def double(v):\n    return v * 2\nx = double(4)", {})
    assert result == {"x": 8}


def test_trusted_script_functions_are_available_but_not_stored():
    sandbox = Sandbox({"vat": lambda amount: amount * 0.2})
    assert sandbox.execute("tax = vat(net)", {"net": 100}) == {"net": 100, "tax": 20.0}
    assert sandbox.evaluate("vat(50) > 5", {}) is True


def test_syntax_errors_name_the_line():
    with pytest.raises(ScriptError) as caught:
        Sandbox().execute("x = 1\ny = (", {})
    assert caught.value.line == 2


def test_compiled_code_is_cached():
    sandbox = Sandbox()
    assert sandbox.compile("a + 1", "eval") is sandbox.compile("a + 1", "eval")


EXHAUSTION = {
    "endless loop": "while True:\n    pass",
    "endless loop swallowing errors": "while True:\n    try:\n        x = 1\n    except Exception:\n        pass",
    "bare except": "try:\n    x = 1\nexcept:\n    pass",
    "growing list": "items = []\nwhile True:\n    items.append('x' * 100_000)",
    "huge repetition": "x = 'a' * 10**9",
    "huge list repetition": "x = [0] * 10**9",
    "augmented repetition": "x = 'ab'\nx *= 10**9",
    "huge power": "x = 10 ** 10 ** 6",
    "huge shift": "x = 1 << 10**9",
    "huge product": "x = 10**50000 * 10**60000",
    "percent width": "x = '%999999999d' % 1",
    "percent star width": "x = '%*d' % (10**9, 1)",
    "format spec width": "x = f'{1:>999999999}'",
    "computed format spec": "n = 10**9\nx = f'{1:>{n}}'",
    "huge range sum": "x = sum(range(10**12))",
    "padding": "x = 'x'.ljust(10**9)",
    "zfill": "x = '1'.zfill(10**9)",
    "replace explosion": "s = 'x' * 100_000\nx = s.replace('x', s)",
    "join explosion": "sep = 'x' * 100_000\nx = sep.join(['a'] * 100_000)",
    "endless iterator": "x = list(iter(int, 1))",
    "deep recursion": "def f(n):\n    return f(n + 1)\nf(0)",
    "checked helper misuse": "x = _checked_method('a', '__class__')",
}


@pytest.mark.parametrize("name", list(EXHAUSTION))
def test_resource_exhaustion_is_stopped(name):
    sandbox = Sandbox(cpu_seconds=0.5)
    with pytest.raises((ScriptError, TypeError)):
        sandbox.execute(EXHAUSTION[name], {})


def test_reasonable_sizes_still_work():
    result = Sandbox().execute("x = 'ab' * 1000\ny = 2 ** 64\nz = list(range(10_000))\n"
                               "w = '%05d' % 42\nv = f'{3.14159:.2f}'\nu = ', '.join(['a', 'b'])\n"
                               "t = 'PO'.ljust(6, '-')\ns = 'a-b'.replace('-', '+')", {})
    assert (len(result["x"]), result["y"], len(result["z"]), result["w"], result["v"], result["u"], result["t"],
            result["s"]) == (2000, 2**64, 10_000, "00042", "3.14", "a, b", "PO----", "a+b")


def test_regular_expressions_run_with_the_time_limit():
    result = Sandbox().execute("import re\nok = bool(re.match(r'^PO-\\d+$', code))\n"
                               "parts = re.compile(r'-').split(code)", {"code": "PO-123"})
    assert result["ok"] is True and result["parts"] == ["PO", "123"]
