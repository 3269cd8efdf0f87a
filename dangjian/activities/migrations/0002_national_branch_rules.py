from django.db import migrations

from dangjian.activities.defaults import ensure_default_rules


def create_rules(apps, schema_editor):
    ensure_default_rules(
        apps.get_model("activities", "LifeRuleSet"), apps.get_model("activities", "LifeRequirement")
    )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
