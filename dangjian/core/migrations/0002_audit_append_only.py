"""Make the audit table append-only in the database itself, not only in the ORM (dangjian/core/db_guards.py)."""

from django.db import migrations

from dangjian.core.db_guards import refuse_changes


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        refuse_changes(
            "core_auditevent",
            function="core_auditevent_append_only",
            pg_trigger="core_auditevent_no_change",
            sqlite_trigger="core_auditevent_no_update",
            message="core_auditevent is append-only",
        )
    ]
