"""Tables that refuse changes in the database itself, not only in the ORM (the audit log, the funding
ledger): a migration operation installing the triggers.

PostgreSQL: a row trigger refuses UPDATE and DELETE (TRUNCATE, which flushes test databases and serves
maintenance, fires no row trigger). SQLite: a trigger refuses UPDATE; DELETE stays possible so that test
databases can be flushed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations


def _run(sql_by_vendor: dict[str, str]) -> Callable[[Any, Any], None]:
    def apply(apps: Any, schema_editor: Any) -> None:
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)

    return apply


def refuse_changes(
    table: str, *, function: str, pg_trigger: str, sqlite_trigger: str, message: str
) -> migrations.RunPython:
    """The operation that makes `table`'s rows unchangeable (named triggers, so it can be reversed)."""
    pg_up = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {pg_trigger} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    pg_down = f"DROP TRIGGER IF EXISTS {pg_trigger} ON {table};\nDROP FUNCTION IF EXISTS {function}();"
    sqlite_up = f"CREATE TRIGGER {sqlite_trigger} BEFORE UPDATE ON {table}\nBEGIN SELECT RAISE(ABORT, '{message}'); END;"
    sqlite_down = f"DROP TRIGGER IF EXISTS {sqlite_trigger};"
    return migrations.RunPython(
        _run({"postgresql": pg_up, "sqlite": sqlite_up}), _run({"postgresql": pg_down, "sqlite": sqlite_down})
    )
