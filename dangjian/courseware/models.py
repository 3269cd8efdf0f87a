"""The courseware library (课件分享, DB3212/T 1124 §6.3; issue 11 §6).

A `Courseware` is one shared teaching material of a station: title, description, tags and how widely it is
shared once reviewed (the station, or the whole platform: 1+N, one row visible at every station). Its
files are `CoursewareVersion`s: the first upload and every replacement, each reviewed before readers get
it (core/workflow.py: the item's ReviewStatus and each version's RevisionState, as articles do). Readers
always get `live_version`; a newer version under review changes nothing for them until approved.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import TimeStampedModel
from dangjian.core.uploads import KIND_LABELS, FileKind, human_size
from dangjian.core.workflow import ReviewStatus, RevisionState


def courseware_storage() -> Storage:
    """settings.STORAGES["courseware"]: a private local folder by default, object storage by settings
    (docs/courseware.md); a callable keeps the choice out of migrations."""
    return storages["courseware"]


def version_path(instance: CoursewareVersion, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"courseware/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def person_or_none(label: str) -> models.ForeignKey:  # type: ignore[type-arg]
    """A person who did a step of the review, once someone has."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class Sharing(models.TextChoices):
    STATION = "station", "本站点共享"
    PLATFORM = "platform", "全平台共享"


class Tag(models.Model):
    name = models.CharField("标签", max_length=20, unique=True)

    class Meta:
        verbose_name = "课件标签"
        verbose_name_plural = "课件标签"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Courseware(TimeStampedModel):
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="coursewares"
    )
    title = models.CharField("标题", max_length=120)
    description = models.TextField("简介", max_length=2000, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name="标签", blank=True, related_name="coursewares")
    sharing = models.CharField("共享范围", max_length=10, choices=Sharing.choices, default=Sharing.STATION)
    status = models.CharField("状态", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    live_version = models.ForeignKey(
        "CoursewareVersion",
        verbose_name="在用版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    download_count = models.PositiveIntegerField("下载次数", default=0)
    published_at = models.DateTimeField("首次发布时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "课件"
        verbose_name_plural = "课件"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "sharing", "station"], name="courseware_visible"),
            models.Index(fields=["station", "status"], name="courseware_station_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courseware:detail", kwargs={"pk": self.pk})

    def get_manage_url(self) -> str:
        return reverse("courseware:manage_detail", kwargs={"pk": self.pk})


class CoursewareVersion(models.Model):
    courseware = models.ForeignKey(Courseware, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("版本号")
    file = models.FileField("文件", storage=courseware_storage, upload_to=version_path, max_length=200)
    name = models.CharField("文件名", max_length=120)
    kind = models.CharField(
        "类型", max_length=8, choices=[(k.value, label) for k, label in KIND_LABELS.items()]
    )
    content_type = models.CharField("内容类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    state = models.CharField(
        "审核状态", max_length=12, choices=RevisionState.choices, default=RevisionState.DRAFT
    )
    note = models.CharField("版本说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    submitted_by = person_or_none("提交人")
    reviewed_by = person_or_none("审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "课件版本"
        verbose_name_plural = "课件版本"
        ordering = ["courseware_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["courseware", "number"], name="courseware_version_number"),
            # at most one version of an item is being worked on (drafted, under review or returned)
            models.UniqueConstraint(
                fields=["courseware"],
                condition=Q(state__in=["draft", "submitted", "returned"]),
                name="courseware_one_open_version",
            ),
        ]
        indexes = [models.Index(fields=["uploaded_by"], name="courseware_version_uploader")]

    def __str__(self) -> str:
        return f"{self.courseware_id} v{self.number}"

    @property
    def file_kind(self) -> FileKind:
        return FileKind(self.kind)

    @property
    def size_label(self) -> str:
        return human_size(self.size)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_VERSION_STATES


OPEN_VERSION_STATES = (RevisionState.DRAFT, RevisionState.SUBMITTED, RevisionState.RETURNED)
# kinds read in the page (PDF.js, epub.js) rather than shown by the browser itself or downloaded
READABLE_KINDS = (FileKind.PDF, FileKind.EPUB)
