from django.db import migrations

from dangjian.dues.defaults import ensure_default_rule


def create_rule(apps, schema_editor):
    ensure_default_rule(apps.get_model("dues", "DuesRule"), apps.get_model("dues", "DuesBracket"))


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]

    operations = [migrations.RunPython(create_rule, migrations.RunPython.noop)]
