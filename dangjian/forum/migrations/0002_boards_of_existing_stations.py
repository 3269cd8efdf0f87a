"""The platform-wide board (HQ's) and a board for every branch station that exists already (new stations get theirs from
`forum.receivers`)."""

from django.db import migrations


def create_boards(apps, schema_editor):
    Board = apps.get_model("forum", "Board")
    Station = apps.get_model("stations", "Station")
    Board.objects.get_or_create(
        is_platform=True,
        defaults={"name": "全区楼宇党建交流区", "description": "全区各站点共同的交流园地", "sort_order": 0},
    )
    for station in Station.objects.exclude(kind="hq"):
        Board.objects.get_or_create(
            station=station,
            defaults={
                "name": f"{station.name}交流区",
                "description": f"{station.name}党员群众交流、问指导员",
                "sort_order": station.sort_order or 100,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]

    operations = [migrations.RunPython(create_boards, migrations.RunPython.noop)]
