"""What the HQ cockpit (数据驾驶舱) keeps of its own: the precomputed figures it reads, the yearly goals
HQ sets per station (§5.3 达标建设) and the big screens (党建大屏) of the halls.

A `Figure` is one metric of one station (or, with no station, of the whole platform) for one year, as
the last refresh computed it (`dangjian/dashboards/figures.py`); the cockpit reads these rows, never the
capabilities' tables, so its cost does not grow with the number of stations or what they record."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dangjian.core.models import TimeStampedModel


class Figure(models.Model):
    station = models.ForeignKey(
        "stations.Station", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    key = models.CharField("指标", max_length=40)
    value = models.DecimalField("数值", max_digits=18, decimal_places=4, null=True)
    computed_at = models.DateTimeField("统计时间", default=timezone.now)

    class Meta:
        verbose_name = "统计数据"
        verbose_name_plural = "统计数据"
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "key"],
                condition=Q(station__isnull=False),
                name="figure_station_key",
            ),
            models.UniqueConstraint(
                fields=["year", "key"], condition=Q(station__isnull=True), name="figure_platform_key"
            ),
        ]
        indexes = [models.Index(fields=["year", "key", "value"], name="figure_ranking")]

    def __str__(self) -> str:
        return f"{self.year} {self.key}"


class Goal(TimeStampedModel):
    """HQ's target for one station, year and metric (§5.3: 总站制定目标、考核达标)."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    key = models.CharField("指标", max_length=40)
    target = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设定人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "达标目标"
        verbose_name_plural = "达标目标"
        constraints = [
            models.UniqueConstraint(fields=["station", "year", "key"], name="goal_station_year_key")
        ]
        indexes = [models.Index(fields=["year", "key"], name="goal_year_key")]


class Screen(TimeStampedModel):
    """A big screen (党建大屏) of a hall: drawn at its real resolution and scaled as a whole."""

    name = models.CharField("名称", max_length=60)
    code = models.SlugField("访问代码", max_length=40, unique=True)
    width = models.PositiveIntegerField(
        "宽（像素）", validators=[MinValueValidator(640), MaxValueValidator(15360)]
    )
    height = models.PositiveIntegerField(
        "高（像素）", validators=[MinValueValidator(360), MaxValueValidator(8640)]
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="留空则显示全平台",
    )

    class Meta:
        verbose_name = "党建大屏"
        verbose_name_plural = "党建大屏"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
