from django.db import migrations

from dangjian.news.defaults import ensure_default_columns


def add_columns(apps, schema_editor):  # noqa: ANN001, ANN201
    ensure_default_columns(apps.get_model("news", "Column"))


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(add_columns, migrations.RunPython.noop)]
