"""The 1+N structure (DB3212/T 1124 §4.3–§4.7, §7.2): one HQ station, N branch stations, the buildings
each serves, their floors, grids and resident units, and the surrounding places that share them."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.core.models import TimeStampedModel
from dangjian.core.validators import normalize_uscc, validate_mobile, validate_uscc


class StationKind(models.TextChoices):
    HQ = "hq", "总站"
    BRANCH = "branch", "分站"


class Station(TimeStampedModel):
    kind = models.CharField("类型", max_length=8, choices=StationKind.choices, default=StationKind.BRANCH)
    code = models.SlugField("站点代码", max_length=40, unique=True, help_text="用于网址，如 hailing-wanda")
    name = models.CharField("名称", max_length=80, unique=True)
    address = models.CharField("地址", max_length=200)
    opening_hours = models.CharField("开放时间", max_length=120, blank=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    photo = models.ImageField("照片", upload_to="stations/", blank=True)
    intro = models.TextField("简介", blank=True)
    # §4.5: a large branch opens its resources to surrounding buildings, communities and streets.
    open_to_surroundings = models.BooleanField("大型分站：向周边开放", default=False)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "站点"
        verbose_name_plural = "站点"
        ordering = ["sort_order", "id"]
        constraints = [
            # §4.3 "1+N": exactly one HQ station; a partial unique index enforces it in the database.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="hq"),
                name="station_single_hq",
                violation_error_message="平台只能有一个总站",
            ),
            models.CheckConstraint(condition=Q(kind__in=["hq", "branch"]), name="station_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_hq(self) -> bool:
        return self.kind == StationKind.HQ

    @property
    def station(self) -> Station:
        """Lets permission predicates treat a station like any station-owned object."""
        return self

    def get_absolute_url(self) -> str:
        return reverse("portal:station", kwargs={"code": self.code})


class Building(TimeStampedModel):
    station = models.ForeignKey(
        Station, verbose_name="所属站点", on_delete=models.PROTECT, related_name="buildings"
    )
    name = models.CharField("楼宇名称", max_length=80)
    address = models.CharField("地址", max_length=200)
    operator = models.CharField("运营管理单位", max_length=120, blank=True)
    floors_above = models.PositiveSmallIntegerField("地上层数", default=1)
    floors_below = models.PositiveSmallIntegerField("地下层数", default=0)
    intro = models.TextField("简介", blank=True)
    has_own_space = models.BooleanField(
        "有独立党群活动场所", default=True, help_text="§6.1：无独立场所的楼宇可共享其他单位党群服务中心"
    )

    class Meta:
        verbose_name = "楼宇"
        verbose_name_plural = "楼宇"
        ordering = ["station_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"],
                name="building_unique_name",
                violation_error_message="本站点已有同名楼宇",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:building", kwargs={"pk": self.pk})


class Floor(models.Model):
    building = models.ForeignKey(
        Building, verbose_name="楼宇", on_delete=models.CASCADE, related_name="floors"
    )
    number = models.SmallIntegerField("楼层", help_text="负数为地下层")

    class Meta:
        verbose_name = "楼层"
        verbose_name_plural = "楼层"
        ordering = ["building_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="floor_unique_number")]

    def __str__(self) -> str:
        return f"{self.building.name} {self.label}"

    @property
    def label(self) -> str:
        return f"B{-self.number}" if self.number < 0 else f"{self.number}F"

    @property
    def station_id(self) -> int:
        return self.building.station_id


class PlaceKind(models.TextChoices):
    STREET = "street", "街道"
    COMMUNITY = "community", "社区"
    BUILDING = "building", "周边楼宇"


class Place(TimeStampedModel):
    """§4.7 片区共享: surrounding streets, communities and buildings whose people use the platform."""

    kind = models.CharField("类型", max_length=12, choices=PlaceKind.choices)
    name = models.CharField("名称", max_length=80)
    parent = models.ForeignKey(
        "self",
        verbose_name="所属街道",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    station = models.ForeignKey(
        Station, verbose_name="服务站点", on_delete=models.PROTECT, related_name="places"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "周边片区"
        verbose_name_plural = "周边片区"
        ordering = ["station_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "kind", "name"],
                name="place_unique_name",
                violation_error_message="本站点已登记同名片区",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class GridArea(TimeStampedModel):
    """§7.2 网格化管理: resident units grouped by building and floors; leaders are role assignments."""

    station = models.ForeignKey(Station, verbose_name="站点", on_delete=models.PROTECT, related_name="grids")
    building = models.ForeignKey(
        Building, verbose_name="楼宇", on_delete=models.PROTECT, related_name="grids"
    )
    name = models.CharField("网格名称", max_length=60)
    floors = models.ManyToManyField(Floor, verbose_name="覆盖楼层", blank=True, related_name="grids")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["building_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "name"],
                name="grid_unique_name",
                violation_error_message="本楼宇已有同名网格",
            )
        ]

    def __str__(self) -> str:
        return f"{self.building.name} · {self.name}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.station_id = self.building.station_id
        super().save(*args, **kwargs)


class Industry(models.TextChoices):
    IT = "it", "信息技术"
    FINANCE = "finance", "金融保险"
    LAW = "law", "法律服务"
    CONSULTING = "consulting", "咨询服务"
    TRADE = "trade", "商贸物流"
    MEDICINE = "medicine", "医药健康"
    MANUFACTURING = "manufacturing", "制造研发"
    CULTURE = "culture", "文化传媒"
    EDUCATION = "education", "教育培训"
    REALESTATE = "realestate", "建筑地产"
    SOCIAL = "social", "社会组织"
    OTHER = "other", "其他"


class ResidentUnit(TimeStampedModel):
    """入驻单位: a company or social organisation renting space in a building."""

    station = models.ForeignKey(Station, verbose_name="站点", on_delete=models.PROTECT, related_name="units")
    building = models.ForeignKey(
        Building, verbose_name="楼宇", on_delete=models.PROTECT, related_name="units"
    )
    floor = models.ForeignKey(
        Floor, verbose_name="楼层", null=True, blank=True, on_delete=models.SET_NULL, related_name="units"
    )
    room = models.CharField("房间号", max_length=20, blank=True)
    name = models.CharField("单位名称", max_length=120)
    uscc = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        error_messages={"unique": "该统一社会信用代码已登记为其他入驻单位"},
    )
    industry = models.CharField("行业", max_length=16, choices=Industry.choices, default=Industry.OTHER)
    headcount = models.PositiveIntegerField("从业人数", default=0)
    party_member_count = models.PositiveIntegerField("党员人数", default=0)
    grid = models.ForeignKey(
        GridArea,
        verbose_name="所属网格",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
    )
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_mobile])
    has_party_org = models.BooleanField("已建立党组织", default=False)
    moved_in_on = models.DateField("入驻日期", default=date.today)
    is_active = models.BooleanField("在驻", default=True)

    class Meta:
        verbose_name = "入驻单位"
        verbose_name_plural = "入驻单位"
        ordering = ["building_id", "floor__number", "room", "id"]
        indexes = [
            models.Index(fields=["station", "building"], name="unit_station_building"),
            models.Index(fields=["station", "industry"], name="unit_station_industry"),
            models.Index(fields=["grid"], name="unit_grid"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.uscc = normalize_uscc(self.uscc)
        self.station_id = self.building.station_id
        super().save(*args, **kwargs)
