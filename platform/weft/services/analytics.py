"""Process analytics for analysts: per process version, instances by state and duration, how
long each element takes (a heatmap on the diagram and the slowest steps), incidents per
element, and the task workload per group and user.

Everything comes from the tables the engine writes anyway (``process_instances``,
``history_events``, ``human_tasks``, ``incidents``): no extra bookkeeping while processes run.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..engine.layout import with_diagram
from ..engine.xml_safety import parse_untrusted_xml
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import ADMIN_GROUP, ANALYST_GROUP, Actor, resolve_actor
from .errors import NotAllowed, NotFound, UnknownProcess

HEAT_LEVELS = 5
INSTANT = 1.0            # seconds: quicker steps (gateways, service calls) get no heat and are no bottleneck
BOTTLENECKS = 10
HISTOGRAM_BARS = 12
# Bar widths of the duration histogram, in seconds: 1 s … 30 days.
NICE_WIDTHS = (1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400, 172800, 604800,
               1209600, 2592000)
DIAGRAM_CACHE = 100


@dataclass(frozen=True)
class Durations:
    """Seconds; ``None`` when nothing was measured."""

    count: int
    average: float | None
    p90: float | None
    max: float | None


@dataclass(frozen=True)
class ElementStats:
    element_id: str
    name: str
    type: str
    executions: int
    average: float | None          # seconds from reaching the element to leaving it
    p90: float | None
    max: float | None
    waiting: int                   # instances holding a token there now
    incidents: int
    open_incidents: int
    heat: int = 0                  # 0 (not measured or instant) … HEAT_LEVELS (the slowest element)


@dataclass(frozen=True)
class Bar:
    start: float                   # seconds
    end: float
    count: int


@dataclass(frozen=True)
class GroupWorkload:
    name: str
    open: int
    unclaimed: int
    overdue: int


@dataclass(frozen=True)
class UserWorkload:
    name: str
    open: int
    overdue: int
    completed: int
    average: float | None          # seconds from a task's creation to its completion


@dataclass(frozen=True)
class ProcessSummary:
    key: str
    name: str
    version: int                   # the latest
    versions: int
    counts: dict[str, int]         # state -> instances, every version
    total: int
    average: float | None          # seconds, completed instances


@dataclass(frozen=True)
class ProcessAnalytics:
    key: str
    name: str
    version: int
    versions: list[int]
    counts: dict[str, int]
    total: int
    suspended: int
    durations: Durations
    histogram: list[Bar]
    elements: list[ElementStats]
    bottlenecks: list[ElementStats]
    groups: list[GroupWorkload]
    users: list[UserWorkload]
    now: dt.datetime


class AnalyticsService:
    def __init__(self, uow: UnitOfWork, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.clock = clock
        self._diagrams: dict[int, tuple[bytes, dict[str, str]]] = {}     # definition id -> file, names

    def processes(self, user: str | None) -> list[ProcessSummary]:
        """Every deployed process (latest version) with its instances per state."""
        with self.uow.read() as tx:
            _require_analyst(resolve_actor(tx, user))
            counts = tx.analytics.counts_by_key()
            averages = tx.analytics.average_durations_by_key()
            return [ProcessSummary(row.key, row.name or row.key, row.version, row.version, counts.get(row.key, {}),
                                   sum(counts.get(row.key, {}).values()), _rounded(averages.get(row.key)))
                    for row in tx.deployments.latest_definitions()]

    def process(self, key: str, version: int | None, user: str | None) -> ProcessAnalytics:
        """Analytics of one version of a process (the latest when ``version`` is ``None``)."""
        now = self.clock()
        with self.uow.read() as tx:
            _require_analyst(resolve_actor(tx, user))
            definition, versions = _version(tx, key, version)
            repository = tx.analytics
            counts, suspended = repository.counts_by_state(definition.id)
            durations = _durations(repository.instance_durations(definition.id))
            width = _bar_width(durations.max)
            bars = repository.instance_histogram(definition.id, width) if width else {}
            names = self._diagram(tx, definition)[1]
            elements = _elements(repository.element_stats(definition.id), repository.waiting_elements(definition.id),
                                 repository.incidents_by_element(definition.id), names)
            groups = [GroupWorkload(**row) for row in repository.group_workload(definition.id, now)]
            users = [UserWorkload(**{**row, "average": _rounded(row["average"])})
                     for row in repository.user_workload(definition.id, now)]
        return ProcessAnalytics(
            key, definition.name or key, definition.version, versions, counts, sum(counts.values()), suspended,
            durations, _histogram(bars, width, durations.max), elements, _bottlenecks(elements),
            sorted(groups, key=lambda g: (-g.open, g.name)), sorted(users, key=lambda u: (-u.open, -u.completed, u.name)),
            now)

    def diagram(self, key: str, version: int | None, user: str | None) -> bytes:
        """The BPMN file of the version (with a generated diagram when it has none)."""
        with self.uow.read() as tx:
            _require_analyst(resolve_actor(tx, user))
            definition, _versions = _version(tx, key, version)
            return self._diagram(tx, definition)[0]

    def _diagram(self, tx: Transaction, definition: Any) -> tuple[bytes, dict[str, str]]:
        cached = self._diagrams.get(definition.id)
        if cached is None:
            [resource] = tx.deployments.resources([definition.resource_id])
            xml = with_diagram(bytes(resource.content), definition.key)
            root = parse_untrusted_xml(xml, resource.name)
            names = {node.get("id"): node.get("name") for node in root.iter() if node.get("id") and node.get("name")}
            cached = self._diagrams[definition.id] = (xml, names)
            while len(self._diagrams) > DIAGRAM_CACHE:
                self._diagrams.pop(next(iter(self._diagrams)))
        return cached


def _require_analyst(actor: Actor | None) -> None:
    if actor is not None and not actor.is_analyst:
        raise NotAllowed(f"process analytics need the {ANALYST_GROUP} or {ADMIN_GROUP} role")


def _version(tx: Transaction, key: str, version: int | None) -> tuple[Any, list[int]]:
    rows = tx.analytics.versions(key)
    if not rows:
        raise UnknownProcess(f"no process with key {key!r} is deployed")
    chosen = rows[-1] if version is None else next((r for r in rows if r.version == version), None)
    if chosen is None:
        raise NotFound(f"process {key!r} has no version {version} (versions {rows[0].version}–{rows[-1].version})")
    return tx.deployments.definition(chosen.id), [r.version for r in rows]


def _rounded(seconds: float | None) -> float | None:
    """Milliseconds are the resolution: both databases agree on them."""
    return None if seconds is None else round(float(seconds), 3)


def _durations(row: dict[str, Any]) -> Durations:
    return Durations(int(row["count"]), _rounded(row["average"]), _rounded(row["p90"]), _rounded(row["max"]))


def _elements(stats: list[dict[str, Any]], waiting: dict[str, int], incidents: dict[str, tuple[int, int]],
              names: dict[str, str]) -> list[ElementStats]:
    measured = {row["element_id"]: row for row in stats}
    slowest = max((float(row["average"] or 0) for row in stats), default=0.0)
    found = []
    for element_id in sorted(set(measured) | set(waiting) | set(incidents)):
        row = measured.get(element_id, {})
        average = _rounded(row.get("average"))
        heat = math.ceil(HEAT_LEVELS * average / slowest) if average and average >= INSTANT else 0
        total, still_open = incidents.get(element_id, (0, 0))
        found.append(ElementStats(element_id, row.get("name") or names.get(element_id) or element_id,
                                  row.get("type") or "", int(row.get("count") or 0), average,
                                  _rounded(row.get("p90")), _rounded(row.get("max")), waiting.get(element_id, 0),
                                  total, still_open, heat))
    return found


def _bottlenecks(elements: list[ElementStats]) -> list[ElementStats]:
    """The slowest steps, and any step where instances wait now or failed."""
    slow = [e for e in elements if (e.average or 0) >= INSTANT or e.waiting or e.incidents]
    return sorted(slow, key=lambda e: (-(e.average or 0), -(e.p90 or 0), -e.waiting, -e.incidents,
                                       e.element_id))[:BOTTLENECKS]


def _bar_width(longest: float | None) -> float | None:
    if longest is None:
        return None
    return next((w for w in NICE_WIDTHS if longest / w < HISTOGRAM_BARS), NICE_WIDTHS[-1] * math.ceil(
        longest / NICE_WIDTHS[-1] / HISTOGRAM_BARS))


def _histogram(bars: dict[int, int], width: float | None, longest: float | None) -> list[Bar]:
    if not width or longest is None:
        return []
    last = int(longest // width)
    counts = [0] * (last + 1)
    for index, count in bars.items():
        counts[min(max(index, 0), last)] += count
    return [Bar(i * width, (i + 1) * width, count) for i, count in enumerate(counts)]
