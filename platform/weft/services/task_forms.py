"""Forms of user tasks: what a task shows (rendered form with values) and what completing it
writes (the bound record's fields, and process variables), inside the completion's transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from ..engine.expressions import is_juel, to_python
from ..engine.sandbox import Sandbox
from ..engine.state_codec import StateCodec
from ..forms.definition import FormDefinition
from ..forms.rendering import render
from ..forms.validation import FormInvalid, evaluate_conditions, validate_submission
from ..persistence.unit_of_work import Transaction
from .actor import resolve_actor
from .entity_registry import EntityRegistry
from .errors import Conflict, NotAllowed, ValidationError
from .record_store import RecordNotFound, RecordStore
from .record_values import json_value
from .records import may


class TaskForms:
    def __init__(self, registry: EntityRegistry, clock: Callable[[], dt.datetime], sandbox: Sandbox,
                 codec: StateCodec):
        self.registry = registry
        self.clock = clock
        self.sandbox = sandbox
        self.codec = codec

    def form(self, tx: Transaction, form_key: str | None) -> FormDefinition | None:
        return self.registry.form(tx, form_key) if form_key else None

    def bindings(self, tx: Transaction, tasks, variables: dict[str, Any]) -> dict[uuid.UUID, tuple[str, int]]:
        """The record each new task's form works on, when its variable already names one (so
        the inbox can filter tasks by the record's fields)."""
        found = {}
        for task in tasks:
            form = self.form(tx, task.form_key)
            if form is None or form.record_entity is None or form.record_variable is None:
                continue
            value = variables.get(form.record_variable)
            if _is_id(value):
                found[task.id] = (form.record_entity, value)
            elif (parent := self._parent_record(tx, form, variables)) is not None:
                found[task.id] = parent
        return found

    def _parent_record(self, tx: Transaction, form: FormDefinition, variables: dict[str, Any]) -> tuple[str, int] | None:
        """For a form that creates its record: the record a reference field starts from
        (``{field: deal, default: ${deal_id}}``), so the inbox shows which deal a new quote is for."""
        entity = self.registry.schema(tx).catalog.get(form.record_entity) if form.record_entity else None
        if entity is None:
            return None
        defaults = self.defaults(form, variables)
        for item in form.fields:
            definition = entity.field(item.name) if item.bound else None
            if definition is not None and definition.type == "reference" and _is_id(defaults.get(item.name)):
                return definition.to, defaults[item.name]
        return None

    def submit(self, tx: Transaction, task, data: dict[str, Any], user: str | None) -> dict[str, Any]:
        """Validate ``data`` against the task's form, write the record's fields, and return the
        variables for the instance. Tasks without a (deployed) form pass ``data`` through."""
        form = self.form(tx, task.form_key)
        if form is None:
            return data
        return self.submit_form(tx, form, data, user, self._variables(tx, task.instance_id),
                                f"{task.process_key}/{task.instance_id}/{task.element_id}")

    def submit_form(self, tx: Transaction, form: FormDefinition, data: dict[str, Any], user: str | None,
                    variables: dict[str, Any], source: str) -> dict[str, Any]:
        """Validate ``data`` against ``form`` given the instance's ``variables``; create or update
        the bound record (with the user's entity permissions); the variables to hand on. A new
        record starts from the form's defaults for its fields (``default: ${po_id}``)."""
        schema = self.registry.schema(tx)
        store = RecordStore(tx, schema, self.clock, self.sandbox)
        record_id, record = self._record(store, form, variables)
        defaults = self.defaults(form, variables)
        preset = {item.name: defaults[item.name] for item in form.fields
                  if item.bound and item.name in defaults} if record_id is None else {}
        try:
            submission = validate_submission(form, schema.catalog, data, {**preset, **variables, **record},
                                             self.sandbox)
        except FormInvalid as exc:
            raise ValidationError(exc.errors, f"invalid data for form {form.key}") from None
        self._check_variables(tx, schema, form, submission.variables)
        result = dict(submission.variables)
        if form.record_entity is not None and form.record_variable is not None:
            entity = schema.entity(form.record_entity)
            actor = resolve_actor(tx, user)
            if record_id is None:
                self._check(actor, entity, "create")
                result[form.record_variable] = store.create(entity.name, {**preset, **submission.record}, user,
                                                            source)
            elif submission.record:
                self._check(actor, entity, "update")
                store.update(entity.name, record_id, submission.record, user, source=source)
        return result

    def conditions(self, tx: Transaction, form: FormDefinition, data: dict[str, Any],
                   variables: dict[str, Any]) -> dict[str, Any]:
        """Which fields and sections are visible and required for the values typed so far."""
        schema = self.registry.schema(tx)
        try:
            _record_id, record = self._record(RecordStore(tx, schema, self.clock, self.sandbox), form, variables)
        except Conflict:
            record = {}
        return evaluate_conditions(form, schema.catalog, data, {**variables, **record}, self.sandbox)

    @staticmethod
    def _check_variables(tx: Transaction, schema, form: FormDefinition, variables: dict[str, Any]) -> None:
        """Variable fields naming records or users name existing ones."""
        errors = {}
        for item in form.fields:
            value, definition = variables.get(item.name), item.variable
            if value is None or definition is None:
                continue
            if definition.type == "reference":
                table = schema.tables.get(definition.to or "")
                if table is None or not tx.records.existing_ids(table, [value]):
                    errors[item.name] = [f"no {definition.to} {value}"]
            elif definition.type == "user" and tx.accounts.user(value) is None:
                errors[item.name] = [f"no user {value!r}"]
        if errors:
            raise ValidationError(errors, f"invalid data for form {form.key}")

    @staticmethod
    def _check(actor, entity, action: str) -> None:
        """Forms write records with the entity's permissions of the user completing the task
        (the record id comes from a variable, which whoever started the instance could set)."""
        if not may(actor, entity, action):
            raise NotAllowed(f"{actor.name if actor else 'nobody'} may not {action} {entity.name} records, "
                             "which this task's form writes")

    def view(self, tx: Transaction, task, locale: str, user: str | None = None) -> dict[str, Any] | None:
        """The task's form to draw, with the current values of its fields (record fields only
        for users who may read the entity)."""
        form = self.form(tx, task.form_key)
        if form is None:
            return None
        return self.render(tx, form, self._variables(tx, task.instance_id), locale, user)

    def render(self, tx: Transaction, form: FormDefinition, variables: dict[str, Any], locale: str,
               user: str | None) -> dict[str, Any]:
        schema = self.registry.schema(tx)
        record: dict[str, Any] = {}
        entity = schema.catalog.get(form.record_entity or "")
        if entity is not None and may(resolve_actor(tx, user), entity, "read"):
            try:
                _record_id, record = self._record(RecordStore(tx, schema, self.clock, self.sandbox), form, variables)
            except Conflict:
                record = {}
        defaults = self.defaults(form, variables)
        values = {}
        for item in form.fields:
            value = (record if item.bound else variables).get(item.name)
            values[item.name] = defaults.get(item.name) if value is None and not (item.bound and record) else value
        return render(form, schema.catalog, locale, json_value(values))

    def defaults(self, form: FormDefinition, variables: dict[str, Any]) -> dict[str, Any]:
        """Fields' ``default``: a value, or an expression over the instance's variables (``${po_id}``)."""
        found = {}
        for item in form.fields:
            if isinstance(item.default, str) and is_juel(item.default):
                try:
                    found[item.name] = self.sandbox.evaluate(to_python(item.default), dict(variables))
                except Exception:  # noqa: BLE001 - a default that cannot be worked out stays empty
                    continue
            elif item.default is not None:
                found[item.name] = item.default
        return found

    def task_conditions(self, tx: Transaction, task, data: dict[str, Any]) -> dict[str, Any]:
        form = self.form(tx, task.form_key)
        if form is None:
            return {"sections": [], "fields": {}}
        return self.conditions(tx, form, data, self._variables(tx, task.instance_id))

    def _variables(self, tx: Transaction, instance_id: uuid.UUID) -> dict[str, Any]:
        row = tx.instances.get(instance_id)
        return dict(self.codec.from_plain(row.variables or {})) if row is not None else {}

    @staticmethod
    def _record(store: RecordStore, form: FormDefinition, variables: dict[str, Any]
                ) -> tuple[int | None, dict[str, Any]]:
        if form.record_entity is None or form.record_variable is None:
            return None, {}
        value = variables.get(form.record_variable)
        if value is None:
            return None, {}
        try:
            record_id = int(value)
            return record_id, store.read(form.record_entity, record_id)
        except (TypeError, ValueError):
            raise Conflict(f"variable {form.record_variable!r} holds {value!r}, not a {form.record_entity} id") \
                from None
        except RecordNotFound:
            raise Conflict(f"the {form.record_entity} {value} of this task's form no longer exists") from None


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
