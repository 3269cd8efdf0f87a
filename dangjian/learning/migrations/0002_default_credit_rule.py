from django.db import migrations

from dangjian.learning.defaults import ensure_default_rule


def forwards(apps, schema_editor):
    ensure_default_rule(
        apps.get_model("learning", "CreditRule"),
        apps.get_model("learning", "CreditBracket"),
        apps.get_model("learning", "RoleTarget"),
        apps.get_model("learning", "PointRuleRow"),
    )


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
