"""Approved and checked-in bookings of one venue never overlap, guaranteed by the database.

PostgreSQL: an exclusion constraint (btree_gist, for the `=` on the venue inside a GiST index) over
(venue =, tstzrange(starts_at, ends_at, '[)') &&) for the rows that hold the slot. A booking that ends
at 10:00 and one that starts at 10:00 do not overlap ('[)': the end is not part of the range).
SQLite has no such constraint: there the services serialise bookings of a venue inside an IMMEDIATE
transaction (settings: `transaction_mode="IMMEDIATE"`), so this operation does nothing."""

from django.db import migrations

CONSTRAINT = "venues_reservation_no_overlap"
PG_UP = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE venues_reservation ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (venue_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status IN ('approved', 'checked_in'));
"""
PG_DOWN = f"ALTER TABLE venues_reservation DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


def _on_postgresql(sql):  # noqa: ANN001, ANN202
    def apply(apps, schema_editor):  # noqa: ANN001, ANN202
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(PG_UP), _on_postgresql(PG_DOWN))]
