"""Alembic environment for the platform's own tables (run by ``schema.upgrade``)."""

from alembic import context

from weft.persistence.tables import Base, UtcDateTime


def render_item(type_, obj, autogen_context):
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_object(obj, name, type_, reflected, compare_to):
    """Entity tables (ent_*) belong to modules, not to these migrations."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    table_name = name if type_ == "table" else getattr(table, "name", "")
    return not (table_name or "").startswith("ent_")


config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
