# One pending correction request per field of a member record (security probe finding 11b).

from django.db import migrations, models
from django.utils import timezone


def close_duplicate_pending_requests(apps, schema_editor):
    """Before the constraint: of several pending requests for the same field of the same record, keep
    the oldest open and close the others as rejected duplicates."""
    ProfileCorrection = apps.get_model("members", "ProfileCorrection")
    seen = set()
    duplicates = []
    for pk, profile_id, field in (
        ProfileCorrection.objects.filter(status="pending")
        .order_by("profile_id", "field", "created_at", "id")
        .values_list("pk", "profile_id", "field")
    ):
        if (profile_id, field) in seen:
            duplicates.append(pk)
        else:
            seen.add((profile_id, field))
    if duplicates:
        ProfileCorrection.objects.filter(pk__in=duplicates).update(
            status="rejected",
            decided_at=timezone.now(),
            decision_note="重复的更正申请，已合并到同一项目最早的待确认申请",
            new_value_encrypted="",
        )


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(close_duplicate_pending_requests, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="profilecorrection",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")),
                fields=("profile", "field"),
                name="correction_one_pending_per_field",
                violation_error_message="该项目已有一条待确认的更正申请",
            ),
        ),
    ]
