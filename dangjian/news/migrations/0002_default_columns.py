from django.db import migrations

DEFAULT_COLUMNS = [
    ("要闻动态", "yaowen", False, 10),
    ("通知公告", "tongzhi", True, 20),
    ("政策文件", "zhengce", False, 30),
    ("学习资料", "xuexi", False, 40),
    ("支部风采", "fengcai", False, 50),
]


def add_columns(apps, schema_editor):  # noqa: ANN001, ANN201
    Column = apps.get_model("news", "Column")
    for name, slug, is_notice, order in DEFAULT_COLUMNS:
        Column.objects.get_or_create(slug=slug, defaults={"name": name, "is_notice": is_notice, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(add_columns, migrations.RunPython.noop)]
