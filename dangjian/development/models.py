"""The member-development pipeline (发展党员): candidates, the people assigned to them, a record per step
done, the activists' evaluations and thought reports, and the reminders sent.

Personal data is isolated like `members.MemberProfile`: every model carries a `station` FK (always the
candidate's organisation's station, set by the services) and its default manager is a django-scopes
`ScopedManager`; `all_objects` is for services only. The citizen ID number is stored only as Fernet
ciphertext, keyed hash and masked form (`dangjian.core.crypto`). The steps and their rules are data in
`dangjian.development.rules`; a `StepRecord.step` is a step key of that data.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopedManager

from dangjian.core.models import TimeStampedModel
from dangjian.core.storage import private_storage
from dangjian.development.rules import RULES_2014
from dangjian.members.models import ETHNICITY_CHOICES, HAN, Education, Gender

STEP_CHOICES = [(step.key, f"第{step.number}步 {step.title}") for step in RULES_2014.steps]
STAGE_CHOICES = [(stage.number, stage.title) for stage in RULES_2014.stages]


class CandidateStatus(models.TextChoices):
    ACTIVE = "active", "培养中"
    REFUSED = "refused", "未予发展"
    WITHDRAWN = "withdrawn", "本人撤回"
    FULL_MEMBER = "full_member", "已转为正式党员"


class PersonRole(models.TextChoices):
    CONTACT = "contact", "培养联系人"
    INTRODUCER = "introducer", "入党介绍人"


class ReportKind(models.TextChoices):
    EVALUATION = "evaluation", "半年考察"
    THOUGHT_REPORT = "thought_report", "思想汇报"


class Candidate(TimeStampedModel):  # type: ignore[django-manager-missing]
    """An applicant for party membership from a resident unit, with or without an account."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党支部",
        on_delete=models.PROTECT,
        related_name="development_candidates",
    )
    resident_unit = models.ForeignKey(
        "stations.ResidentUnit",
        verbose_name="工作单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="平台账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_applications",
    )
    name = models.CharField("姓名", max_length=30)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=2, choices=ETHNICITY_CHOICES, default=HAN)
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=24, choices=Education.choices)
    job_title = models.CharField("职务/岗位", max_length=60, blank=True)
    phone = models.CharField("手机号码", max_length=11)
    id_number_encrypted = models.TextField("公民身份号码（密文）", editable=False)
    id_number_hash = models.CharField("公民身份号码（检索摘要）", max_length=64, editable=False)
    id_number_masked = models.CharField("公民身份号码", max_length=18, editable=False)
    applied_on = models.DateField("递交入党申请书日期")
    stage = models.PositiveSmallIntegerField("当前阶段", choices=STAGE_CHOICES, default=1)
    status = models.CharField(
        "状态", max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.ACTIVE
    )
    special_approval = models.BooleanField(
        "特殊情况延长审批", default=False, help_text="上级党委因特殊情况延长审批时间，最长不超过六个月"
    )
    closed_note = models.CharField("终止原因", max_length=300, blank=True)

    objects: ClassVar[models.Manager[Candidate]] = ScopedManager(station="station")  # type: ignore[assignment]
    all_objects: ClassVar[models.Manager[Candidate]] = models.Manager()

    class Meta:
        verbose_name = "发展对象档案"
        verbose_name_plural = "发展对象档案"
        ordering = ["organization_id", "applied_on", "id"]
        indexes = [
            models.Index(fields=["station", "organization"], name="candidate_station_org"),
            models.Index(fields=["id_number_hash"], name="candidate_id_hash"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(status="active"),
                name="candidate_one_active_per_person",
                violation_error_message="该公民身份号码已有一份培养中的入党申请",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    def get_absolute_url(self) -> str:
        return reverse("development:detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == CandidateStatus.ACTIVE

    @property
    def takes_steps(self) -> bool:
        """Steps may still be recorded: while active, and the archiving after the full membership."""
        return self.status in (CandidateStatus.ACTIVE, CandidateStatus.FULL_MEMBER)


class CandidatePerson(TimeStampedModel):  # type: ignore[django-manager-missing]
    """A full member assigned to a candidate: 培养联系人 (one or two) or 入党介绍人 (two)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="people")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="党员", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("身份", max_length=16, choices=PersonRole.choices)

    objects: ClassVar[models.Manager[CandidatePerson]] = ScopedManager(station="station")  # type: ignore[assignment]
    all_objects: ClassVar[models.Manager[CandidatePerson]] = models.Manager()

    class Meta:
        verbose_name = "培养联系人与入党介绍人"
        verbose_name_plural = verbose_name
        ordering = ["candidate_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "user", "role"], name="candidate_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.user.display_name}"


class StepRecord(TimeStampedModel):  # type: ignore[django-manager-missing]
    """One step done: its date, who was responsible, a note, and the figures some steps need (the
    branch meeting's vote, the training's days and hours, the public notice's period)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="records")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    step = models.CharField("步骤", max_length=24, choices=STEP_CHOICES)
    done_on = models.DateField("办理日期")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("情况说明", max_length=500, blank=True)
    entitled = models.PositiveIntegerField("应到会有表决权人数", null=True, blank=True)
    present = models.PositiveIntegerField("实到会有表决权人数", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成人数", null=True, blank=True)
    training_days = models.PositiveIntegerField("培训天数", null=True, blank=True)
    training_hours = models.PositiveIntegerField("培训学时", null=True, blank=True)
    notice_from = models.DateField("公示开始日期", null=True, blank=True)
    notice_until = models.DateField("公示结束日期", null=True, blank=True)
    meeting = models.ForeignKey(
        "activities.Activity",
        verbose_name="支部党员大会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="表决人数取自该次支部党员大会的台账",
    )
    training_course = models.ForeignKey(
        "learning.Course",
        verbose_name="集中培训课程",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="在学习教育中指派并完成的培训课程",
    )

    objects: ClassVar[models.Manager[StepRecord]] = ScopedManager(station="station")  # type: ignore[assignment]
    all_objects: ClassVar[models.Manager[StepRecord]] = models.Manager()

    class Meta:
        verbose_name = "发展步骤记录"
        verbose_name_plural = verbose_name
        ordering = ["candidate_id", "done_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "step"], name="step_record_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()}（{self.done_on:%Y-%m-%d}）"


class Report(TimeStampedModel):  # type: ignore[django-manager-missing]
    """A half-year evaluation written by a contact person, or a quarterly thought report received."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="reports")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=ReportKind.choices)
    number = models.PositiveSmallIntegerField("期次")
    filed_on = models.DateField("日期")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填写人", on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField("内容", max_length=2000)

    objects: ClassVar[models.Manager[Report]] = ScopedManager(station="station")  # type: ignore[assignment]
    all_objects: ClassVar[models.Manager[Report]] = models.Manager()

    class Meta:
        verbose_name = "考察与思想汇报"
        verbose_name_plural = verbose_name
        ordering = ["candidate_id", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "kind", "number"], name="report_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}次{self.get_kind_display()}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", "到期前提醒"
    AFTER = "after", "逾期提醒"


class Reminder(models.Model):  # type: ignore[django-manager-missing]
    """One reminder sent (the beat task sends each subject's reminder of each kind once)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="reminders")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=40)  # a step key, or "evaluation:2" / "thought_report:3"
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Reminder]] = ScopedManager(station="station")  # type: ignore[assignment]
    all_objects: ClassVar[models.Manager[Reminder]] = models.Manager()

    class Meta:
        verbose_name = "到期提醒"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["candidate", "subject", "kind"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.kind}"


# ---------------------------------------------------------------- documents (档案)


def signed_document_path(instance: StepDocument, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"development/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class StepDocument(TimeStampedModel):  # type: ignore[django-manager-missing]
    """A step's standard document uploaded back signed (签字、盖章后的扫描件或照片): PDF, image or Word,
    its type proved by its bytes. A later upload of the same document keeps the earlier one."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="documents")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    step = models.CharField("步骤", max_length=24, choices=STEP_CHOICES)
    title = models.CharField("材料名称", max_length=40)
    file = models.FileField("签字材料", upload_to=signed_document_path, storage=private_storage)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[models.Manager[StepDocument]] = ScopedManager(station="station")  # type: ignore[assignment]
    all_objects: ClassVar[models.Manager[StepDocument]] = models.Manager()

    class Meta:
        verbose_name = "签字材料"
        verbose_name_plural = verbose_name
        ordering = ["candidate_id", "step", "title", "-created_at"]
        indexes = [models.Index(fields=["candidate", "step"], name="step_document_candidate")]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.title}"
