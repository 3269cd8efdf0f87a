"""Party-member records (党员管理, DB3212/T 1124 §6.3) and members' own correction requests.

Personal data is isolated (DESIGN.md): both models carry a `station` FK and their default manager is a
django-scopes `ScopedManager`, so a query outside `with scope(station=[...])` / `scopes_disabled()` raises
instead of leaking another station's members. The citizen ID number is never stored in plain text: only
its Fernet ciphertext, its keyed hash (for look-up and uniqueness) and its masked form reach the database.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_scopes import ScopedManager

from dangjian.core.crypto import decrypt
from dangjian.core.models import TimeStampedModel


class Category(models.TextChoices):
    FORMAL = "formal", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "大学本科"
    ASSOCIATE = "associate", "大学专科"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中专"
    HIGH_SCHOOL = "high_school", "高中"
    JUNIOR_OR_BELOW = "junior_or_below", "初中及以下"


class MemberStatus(models.TextChoices):
    NORMAL = "normal", "正常"
    MOBILE = "mobile", "流动"
    TRANSFERRED_OUT = "transferred_out", "转出"
    SUSPENDED = "suspended", "停止党籍"
    DECEASED = "deceased", "去世"


# Members who still belong to the organisation's life (and owe dues): everyone not gone or suspended.
ACTIVE_STATUSES = (MemberStatus.NORMAL, MemberStatus.MOBILE)


class DuesCategory(models.TextChoices):
    """Which branch of the 2008 party-dues rule applies; `MemberProfile.hardship` flags 困难 on top."""

    EMPLOYED = "employed", "在职"
    RETIRED = "retired", "离退休"
    STUDENT = "student", "学生"
    UNEMPLOYED = "unemployed", "失业或低保"
    FARMER = "farmer", "农民"


# GB/T 3304 codes of China's 56 ethnic groups, plus 97 其他.
ETHNICITY_NAMES = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]
ETHNICITY_CHOICES = [(f"{index:02d}", name) for index, name in enumerate(ETHNICITY_NAMES, start=1)]
ETHNICITY_CHOICES.append(("97", "其他"))
HAN = "01"


class MemberProfile(TimeStampedModel):  # type: ignore[django-manager-missing]
    """One party member's record. §5.1: `affiliation_organization` is the organisation holding the
    member's formal relation (组织关系); the platform records it and never moves it. `organization` is the
    platform organisation where the member takes part, and `station` is always that organisation's
    station (set by the service) so the row can be station-scoped.

    Managers: `objects` is scoped (raises unless a scope is active). `all_objects` bypasses the scope and
    is for services only, where a check must see every station (the ID-number uniqueness check, the
    member's own profile looked up by user): never use it to build a list shown to someone.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="member_profile"
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="所在党组织",
        on_delete=models.PROTECT,
        related_name="member_profiles",
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="member_profiles"
    )
    category = models.CharField("党员类别", max_length=16, choices=Category.choices, default=Category.FORMAL)
    admitted_on = models.DateField("入党日期")
    full_member_on = models.DateField("转正日期", null=True, blank=True)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=2, choices=ETHNICITY_CHOICES, default=HAN)
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=24, choices=Education.choices)
    job_title = models.CharField("职务/岗位", max_length=60, blank=True)
    resident_unit = models.ForeignKey(
        "stations.ResidentUnit",
        verbose_name="工作单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_profiles",
    )
    # The citizen ID number (GB 11643) at rest: ciphertext, keyed hash, masked form. Never plain.
    id_number_encrypted = models.TextField("公民身份号码（密文）", editable=False)
    id_number_hash = models.CharField("公民身份号码（检索摘要）", max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField("公民身份号码", max_length=18, editable=False)
    affiliation_organization = models.CharField(
        "组织关系所在党组织",
        max_length=160,
        help_text="§5.1：党员组织隶属关系不变，此处仅作记录",
    )
    status = models.CharField(
        "党籍状态", max_length=16, choices=MemberStatus.choices, default=MemberStatus.NORMAL
    )
    dues_category = models.CharField(
        "党费类别", max_length=12, choices=DuesCategory.choices, default=DuesCategory.EMPLOYED
    )
    hardship = models.BooleanField("生活困难", default=False, help_text="经组织批准可减免党费")

    objects: ClassVar[models.Manager[MemberProfile]] = ScopedManager(station="station")  # type: ignore[assignment]
    all_objects: ClassVar[models.Manager[MemberProfile]] = models.Manager()

    class Meta:
        verbose_name = "党员信息"
        verbose_name_plural = "党员信息"
        ordering = ["organization_id", "id"]
        indexes = [
            models.Index(fields=["station", "organization"], name="member_station_org"),
            models.Index(fields=["organization", "status"], name="member_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True) | Q(full_member_on__gt=F("admitted_on")),
                name="member_full_after_admission",
                violation_error_message="转正日期应晚于入党日期",
            ),
            models.CheckConstraint(
                condition=Q(category="probationary") | Q(full_member_on__isnull=False),
                name="member_formal_has_full_date",
                violation_error_message="正式党员须填写转正日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name}（{self.id_number_masked}）"

    def get_absolute_url(self) -> str:
        return reverse("members:detail", kwargs={"pk": self.pk})

    @property
    def name(self) -> str:
        return self.user.display_name

    @property
    def mobile(self) -> str:
        """The member's mobile is the user's (one number per person, also the login)."""
        return self.user.mobile or ""

    @property
    def is_active_member(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def age_on(self, day: date) -> int:
        return (
            day.year
            - self.birth_date.year
            - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        )

    def reveal_id_number(self) -> str:
        """The plain number. Call only from `services.reveal_id_number`, which checks and audits."""
        return decrypt(self.id_number_encrypted)


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "未采纳"


class CorrectableField(models.TextChoices):
    """What a member may ask to correct on their own record (§6.3 党员管理)."""

    REAL_NAME = "real_name", "姓名"
    GENDER = "gender", "性别"
    ETHNICITY = "ethnicity", "民族"
    BIRTH_DATE = "birth_date", "出生日期"
    ID_NUMBER = "id_number", "公民身份号码"
    EDUCATION = "education", "学历"
    JOB_TITLE = "job_title", "职务/岗位"
    ADMITTED_ON = "admitted_on", "入党日期"
    FULL_MEMBER_ON = "full_member_on", "转正日期"
    AFFILIATION = "affiliation_organization", "组织关系所在党组织"


class ProfileCorrection(TimeStampedModel):
    """A member's request to correct one field of their record; an officer of the organisation accepts
    (the change is applied through the same validation as the edit form) or rejects it.

    For the ID number, `old_value`/`new_value` hold masked forms and the requested number is kept only
    as ciphertext in `new_value_encrypted`."""

    profile = models.ForeignKey(
        MemberProfile, verbose_name="党员", on_delete=models.CASCADE, related_name="corrections"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField("更正项目", max_length=32, choices=CorrectableField.choices)
    old_value = models.CharField("原内容", max_length=160, blank=True)
    new_value = models.CharField("更正为", max_length=160)
    new_value_encrypted = models.TextField(blank=True, editable=False)
    reason = models.CharField("更正理由", max_length=300)
    status = models.CharField(
        "状态", max_length=12, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_note = models.CharField("处理意见", max_length=300, blank=True)

    objects: ClassVar[models.Manager[ProfileCorrection]] = ScopedManager(station="station")  # type: ignore[assignment]
    all_objects: ClassVar[models.Manager[ProfileCorrection]] = models.Manager()

    class Meta:
        verbose_name = "信息更正申请"
        verbose_name_plural = "信息更正申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["station", "status"], name="correction_station_status")]
        constraints = [
            # One open request per field of a record: twenty identical requests are one request.
            models.UniqueConstraint(
                fields=["profile", "field"],
                condition=Q(status="pending"),
                name="correction_one_pending_per_field",
                violation_error_message="该项目已有一条待确认的更正申请",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()}：{self.old_value} → {self.new_value}"
