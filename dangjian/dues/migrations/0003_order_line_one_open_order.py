"""An order's months through `OrderLine`, whose partial unique constraint keeps each month in at most one open
(pending) order. Existing rows are copied; where the old code had let several pending orders hold one month,
the earliest keeps it and each later one is closed (已关闭), so no month can be paid twice."""

import django.db.models.deletion
from django.db import migrations, models


def copy_order_lines(apps, schema_editor):
    PaymentOrder = apps.get_model("dues", "PaymentOrder")
    OrderLine = apps.get_model("dues", "OrderLine")
    Through = PaymentOrder.lines.through
    months: dict[int, list[int]] = {}
    for order_id, line_id in Through.objects.values_list("paymentorder_id", "duesline_id").order_by("id"):
        months.setdefault(order_id, []).append(line_id)
    claimed: set[int] = set()
    rows, superseded = [], []
    for order in PaymentOrder.objects.order_by("created_at", "id").only("id", "status", "station_id"):
        line_ids = months.get(order.id, [])
        is_open = order.status == "pending"
        if is_open and claimed.intersection(line_ids):
            superseded.append(order.id)
            is_open = False
        if is_open:
            claimed.update(line_ids)
        rows += [OrderLine(order_id=order.id, line_id=line_id, station_id=order.station_id, open=is_open)
                 for line_id in line_ids]
    OrderLine.objects.bulk_create(rows, batch_size=1000)
    if superseded:
        PaymentOrder.objects.filter(id__in=superseded).update(status="closed")


def copy_back(apps, schema_editor):
    PaymentOrder = apps.get_model("dues", "PaymentOrder")
    OrderLine = apps.get_model("dues", "OrderLine")
    Through = PaymentOrder.lines.through
    Through.objects.bulk_create(
        [Through(paymentorder_id=order_id, duesline_id=line_id)
         for order_id, line_id in OrderLine.objects.values_list("order_id", "line_id")],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dues", "0002_national_rule_2008"),
        ("stations", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrderLine",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("open", models.BooleanField(default=True, verbose_name="待支付")),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="dues.duesline",
                        verbose_name="缴纳月份",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="order_lines",
                        to="dues.paymentorder",
                        verbose_name="支付订单",
                    ),
                ),
                (
                    "station",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="stations.station",
                        verbose_name="站点",
                    ),
                ),
            ],
            options={
                "verbose_name": "支付订单月份",
                "verbose_name_plural": "支付订单月份",
            },
        ),
        migrations.RunPython(copy_order_lines, copy_back),
        migrations.RemoveField(model_name="paymentorder", name="lines"),
        migrations.AddField(
            model_name="paymentorder",
            name="lines",
            field=models.ManyToManyField(
                related_name="orders", through="dues.OrderLine", to="dues.duesline", verbose_name="缴纳月份"
            ),
        ),
        migrations.AddConstraint(
            model_name="orderline",
            constraint=models.UniqueConstraint(fields=("order", "line"), name="dues_order_line_unique"),
        ),
        migrations.AddConstraint(
            model_name="orderline",
            constraint=models.UniqueConstraint(
                condition=models.Q(("open", True)), fields=("line",), name="dues_order_line_one_open"
            ),
        ),
    ]
