"""Time and size limits for analyst code.

Time: a trace function checks the thread's CPU time (and the process's resident memory)
every few dozen lines, and stops the script with ``ScriptLimitExceeded`` — a
``BaseException``, so ``except Exception`` cannot swallow it, and bare ``except:`` is refused
by the checker. Size: the operations that build huge values in one C call (``*``, ``**``,
``<<``, ``%`` formatting, ``range``, padding, ``replace``, ``join``) go through checked
versions that refuse results beyond the limits.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from typing import Any

MAX_ITEMS = 1_000_000            # characters of a string, items of a list, length of a range
MAX_INT_BITS = 100_000           # about 30,000 decimal digits
MAX_MEMORY_GROWTH = 256 * 1024 * 1024
CHECK_EVERY = 32                 # trace events between checks

_state = threading.local()
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class ScriptLimitExceeded(BaseException):
    """A script used more CPU time or memory than allowed (not catchable by the script)."""


def _resident_bytes() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def remaining_seconds() -> float:
    deadline = getattr(_state, "deadline", None)
    if deadline is None:
        return 60.0
    return max(0.001, deadline - time.thread_time())


class limited:
    """Run a block with the CPU-time and memory limits enforced (a class, not a generator:
    this wraps every script and condition, so its own cost matters)."""

    __slots__ = ("cpu_seconds", "deadline", "outer", "previous", "baseline", "counter")

    def __init__(self, cpu_seconds: float):
        self.cpu_seconds = cpu_seconds

    def __enter__(self) -> None:
        self.outer = getattr(_state, "deadline", None)
        deadline = time.thread_time() + self.cpu_seconds
        self.deadline = deadline if self.outer is None else min(deadline, self.outer)
        self.baseline: int | None = -1          # read lazily: most scripts end before the first check
        self.counter = 0
        self.previous = sys.gettrace()
        _state.deadline = self.deadline
        sys.settrace(self._trace)

    def __exit__(self, *exc_info: object) -> None:
        sys.settrace(self.previous)
        _state.deadline = self.outer

    def _trace(self, frame, event, arg):
        self.counter += 1
        if self.counter % CHECK_EVERY == 0:
            self._check()
        return self._trace

    def _check(self) -> None:
        if time.thread_time() > self.deadline:
            raise ScriptLimitExceeded(f"CPU time limit of {self.cpu_seconds:g} s exceeded")
        if self.baseline == -1:
            self.baseline = _resident_bytes()
            return
        if self.baseline is not None:
            resident = _resident_bytes()
            if resident is not None and resident - self.baseline > MAX_MEMORY_GROWTH:
                raise ScriptLimitExceeded(f"memory limit of {MAX_MEMORY_GROWTH // (1024 * 1024)} MB exceeded")


def _too_big(what: str) -> ScriptLimitExceeded:
    return ScriptLimitExceeded(f"{what} would exceed the size limit")


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


def checked_mul(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise _too_big("an integer product")
    else:
        for sequence, count in ((left, right), (right, left)):
            size = _size(sequence)
            if size is not None and isinstance(count, int) and size * count > MAX_ITEMS:
                raise _too_big("a repeated sequence")
    return left * right


def checked_pow(base: Any, exponent: Any) -> Any:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if base.bit_length() * exponent > MAX_INT_BITS:
            raise _too_big("a power")
    return base ** exponent


def checked_lshift(value: Any, shift: Any) -> Any:
    if isinstance(value, int) and isinstance(shift, int) and value and value.bit_length() + shift > MAX_INT_BITS:
        raise _too_big("a shifted integer")
    return value << shift


_PERCENT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def checked_mod(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        for width, precision in _PERCENT_WIDTH.findall(left):
            for number in (width, precision):
                if number == "*" or (number and int(number) > MAX_ITEMS):
                    raise _too_big("a %-formatted string")
    return left % right


def checked_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_ITEMS:
        raise _too_big("a range")
    return result


def checked_iter(*args: Any):
    if len(args) != 1:
        raise TypeError("iter() takes one argument in scripts")
    return iter(args[0])


PADDING = ("ljust", "rjust", "center", "zfill", "expandtabs")
CHECKED_METHOD_NAMES = frozenset(PADDING + ("replace", "join"))


def checked_method(target: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """Padding, ``replace`` and ``join``, refused when their result would be too big."""
    if name not in CHECKED_METHOD_NAMES:
        raise TypeError(f"{name!r} cannot be called this way")
    if isinstance(target, (str, bytes)):
        if name in PADDING and args and isinstance(args[0], int):
            width = args[0] * (len(target) if name == "expandtabs" else 1)
            if width > MAX_ITEMS:
                raise _too_big(f"str.{name}")
        elif name == "replace" and len(args) >= 2:
            old, new = args[0], args[1]
            occurrences = len(target) + 1 if not old else target.count(old)
            if len(target) + occurrences * max(0, len(new) - len(old)) > MAX_ITEMS:
                raise _too_big("str.replace")
        elif name == "join" and args:
            items = list(args[0])
            total = sum(len(item) for item in items if isinstance(item, (str, bytes)))
            if total + len(target) * max(0, len(items) - 1) > MAX_ITEMS:
                raise _too_big("str.join")
            return getattr(target, name)(items)
    return getattr(target, name)(*args, **kwargs)


CHECKED = {
    "_checked_mul": checked_mul, "_checked_pow": checked_pow, "_checked_lshift": checked_lshift,
    "_checked_mod": checked_mod, "_checked_method": checked_method,
}
