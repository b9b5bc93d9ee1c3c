"""The inbox: tasks a user may work on, filtered by process, due date, text and the fields of
the record each task's form works on; with counts per view and the user's saved views."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..entities.labels import translate
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import Actor, resolve_actor
from .entity_registry import EntityRegistry, Schema
from .errors import NotFound, ValidationError
from .human_task import SORTS, HumanTaskService, Task, task_from_row
from .records import may
from .task_record_filters import readable_entities as _readable
from .task_record_filters import record_conditions as _record_conditions

VIEWS = ("mine", "group", "team")
DUE_WINDOWS = ("overdue", "today", "week", "none")
MAX_PER_PAGE = 200
BADGE_LIMIT = 99          # a view's badge counts up to 99, then shows "99+"
PAGES_AHEAD = 5           # the total counts up to five pages past the current one ("of 250+")


@dataclass(frozen=True)
class InboxQuery:
    view: str = "mine"
    process_key: str | None = None
    text: str | None = None
    due: str | None = None
    record_filters: Mapping[str, str] = field(default_factory=dict)   # "amount__gt" -> "10000"
    sort: str = "due"
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class RecordSummary:
    entity: str
    id: int
    label: str            # the entity's label
    title: str            # number and title field, e.g. "PO-2026-00001 · Acme"


@dataclass(frozen=True)
class InboxRow:
    task: Task
    process_name: str
    record: RecordSummary | None
    overdue: bool


@dataclass(frozen=True)
class InboxPage:
    """``total`` and ``counts`` are capped so that a page costs the same however many tasks are
    open: ``more``/``counts_more`` say that there are more than the number shown."""
    rows: list[InboxRow]
    total: int
    counts: dict[str, int]
    query: InboxQuery
    more: bool = False
    counts_more: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FilterField:
    entity: str
    entity_label: str
    name: str
    label: str
    type: str
    options: list[tuple[str, str]]


class InboxService:
    def __init__(self, uow: UnitOfWork, registry: EntityRegistry, clock: Callable[[], dt.datetime],
                 tasks: HumanTaskService):
        self.uow = uow
        self.tasks = tasks
        self.registry = registry
        self.clock = clock

    def page(self, user: str, query: InboxQuery, locale: str = "en") -> InboxPage:
        if query.view not in VIEWS:
            raise ValidationError({"view": [f"one of {', '.join(VIEWS)}"]})
        if query.sort not in SORTS:
            raise ValidationError({"sort": [f"one of {', '.join(SORTS)}"]})
        if query.due is not None and query.due not in DUE_WINDOWS:
            raise ValidationError({"due": [f"one of {', '.join(DUE_WINDOWS)}"]})
        if query.page < 1 or not 1 <= query.per_page <= MAX_PER_PAGE:
            raise ValidationError({"page": [f"page >= 1 and 1 <= per_page <= {MAX_PER_PAGE}"]})
        now = self.clock()
        with self.uow.read() as tx:
            actor = _actor(tx, user)
            schema = self.registry.schema(tx)
            readable = _readable(schema, actor)
            records = _record_conditions(schema, readable, query.record_filters) if query.record_filters else None
            total_limit = (query.page - 1 + PAGES_AHEAD) * query.per_page
            rows, total = tx.tasks.search(
                user=actor.name, groups=actor.groups, see_everything=actor.is_admin, scope=query.view,
                process_key=query.process_key or None, text=query.text or None,
                due_before=_due_before(query.due, now), without_due=query.due == "none", sort=query.sort,
                offset=(query.page - 1) * query.per_page, limit=query.per_page, records=records,
                count_limit=total_limit)
            counts = {view: tx.tasks.count(user=actor.name, groups=actor.groups, see_everything=actor.is_admin,
                                           scope=view, limit=BADGE_LIMIT) for view in VIEWS}
            names = {row.key: row.name for row in tx.deployments.latest_definitions()}
            summaries = _summaries(tx, schema, [(r.record_entity, r.record_id) for r in rows
                                                if r.record_entity in readable], locale, actor)
        return InboxPage([InboxRow(task_from_row(row), names.get(row.process_key, row.process_key),
                                   summaries.get((row.record_entity, row.record_id)),
                                   row.due_at is not None and row.due_at < now) for row in rows],
                         min(total, total_limit), {view: min(count, BADGE_LIMIT) for view, count in counts.items()},
                         query, more=total > total_limit,
                         counts_more=frozenset(view for view, count in counts.items() if count > BADGE_LIMIT))

    def row(self, user: str, task_id: str, locale: str = "en") -> InboxRow:
        """One task as the inbox lists it (after claiming it, say)."""
        task = self.tasks.task(task_id, user)
        with self.uow.read() as tx:
            schema = self.registry.schema(tx)
            definition = tx.deployments.latest_definition(task.process_key)
            row = tx.tasks.get(uuid.UUID(task.id))
            assert row is not None
            actor = _actor(tx, user)
            bound = row.record_entity in _readable(schema, actor)
            summary = _summaries(tx, schema, [(row.record_entity, row.record_id)] if bound else [], locale,
                                 actor).get((row.record_entity, row.record_id))
        return InboxRow(task, definition.name if definition else task.process_key, summary,
                        task.due is not None and task.due < self.clock())

    def filter_fields(self, user: str, locale: str = "en") -> list[FilterField]:
        """Fields of the entities tasks are bound to (and the user may read), to filter the inbox by."""
        with self.uow.read() as tx:
            schema = self.registry.schema(tx)
            bound = tx.tasks.bound_entities() & _readable(schema, _actor(tx, user))
        found = []
        for name in sorted(bound):
            entity = schema.catalog.get(name)
            if entity is None:
                continue
            for item in entity.columns:
                if item.type in ("json", "file"):
                    continue
                found.append(FilterField(name, translate(entity.label, locale), item.name,
                                         translate(item.label, locale), item.type,
                                         [(o.value, translate(o.label, locale)) for o in item.options]))
        return found

    # -- saved views -------------------------------------------------------------------------------
    def saved_views(self, user: str) -> list[dict[str, Any]]:
        with self.uow.read() as tx:
            return [{"id": r.id, "name": r.name, "query": r.query} for r in tx.saved_views.of(user)]

    def save_view(self, user: str, name: str, query: str) -> None:
        name = name.strip()
        if not 1 <= len(name) <= 100:
            raise ValidationError({"name": ["a name of 1 to 100 characters"]})
        if len(query) > 2000 or any(c in query for c in "\r\n\t<>\"'"):
            raise ValidationError({"query": ["a query string of at most 2000 characters"]})
        with self.uow.write() as tx:
            _actor(tx, user)
            tx.saved_views.save(user, name, query.lstrip("?"), self.clock())

    def delete_view(self, user: str, view_id: int) -> None:
        with self.uow.write() as tx:
            if not tx.saved_views.delete(user, view_id):
                raise NotFound(f"no saved view {view_id}")


def _actor(tx: Transaction, user: str) -> Actor:
    actor = resolve_actor(tx, user)
    assert actor is not None
    return actor


def _due_before(window: str | None, now: dt.datetime) -> dt.datetime | None:
    if window == "overdue":
        return now
    if window == "today":
        return dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=now.tzinfo)
    if window == "week":
        return now + dt.timedelta(days=7)
    return None


def _summaries(tx: Transaction, schema: Schema, pairs: list[tuple[str, int]], locale: str, actor: Actor
               ) -> dict[tuple[str, int], RecordSummary]:
    """Number and title of each record, the title of a referenced record when the title field
    is a reference (an order titled by its supplier shows the supplier's name)."""
    by_entity: dict[str, set[int]] = {}
    for bound, record_id in pairs:
        by_entity.setdefault(bound, set()).add(record_id)
    found = {}
    for entity_name, ids in by_entity.items():
        entity = schema.catalog.get(entity_name)
        table = schema.tables.get(entity_name)
        if entity is None or table is None:
            continue
        title = entity.field(entity.title) if entity.title else None
        columns = [c for c in ("number", title.name if title else None) if c and c in table.c]
        rows = tx.records.values(table, ids, columns)
        titles = _referenced_titles(tx, schema, title, [getattr(r, title.name) for r in rows.values()], actor) \
            if title is not None and title.type == "reference" else {}
        for record_id, row in rows.items():
            parts = [str(row.number)] if "number" in columns and row.number else []
            if title is not None:
                value = getattr(row, title.name)
                shown = titles.get(value, value) if title.type == "reference" else value
                if shown not in (None, ""):
                    parts.append(str(shown))
            found[(entity_name, record_id)] = RecordSummary(entity_name, record_id, translate(entity.label, locale),
                                                     " · ".join(parts) or f"#{record_id}")
    return found


def _referenced_titles(tx: Transaction, schema: Schema, item, ids: list, actor: Actor) -> dict[int, Any]:
    target = schema.catalog.get(item.to or "")
    table = schema.tables.get(item.to or "")
    if target is None or table is None or not target.title or target.title not in table.c or \
            not may(actor, target, "read"):
        return {}
    return {record_id: getattr(row, target.title)
            for record_id, row in tx.records.values(table, [i for i in ids if i is not None],
                                                    [target.title]).items()}
