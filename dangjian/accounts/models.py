"""People and their roles (DB3212/T 1124 §5.1, §5.4, §5.5)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dangjian.core.validators import validate_mobile


class PersonKind(models.TextChoices):
    MEMBER = "member", "党员"
    STAFF = "staff", "职工群众"
    RESIDENT = "resident", "周边居民"
    WORKER = "worker", "工作人员"


class PlatformUserManager(UserManager["User"]):
    def get_by_login(self, login: str) -> User:
        """A user by username or by mobile number. Usernames and mobiles share one uniqueness space
        (`User.validate_unique`); should an old row still clash, the username wins."""
        login = (login or "").strip()
        if not login:
            raise self.model.DoesNotExist
        matches = list(self.filter(Q(username=login) | Q(mobile=login))[:2])
        if not matches:
            raise self.model.DoesNotExist
        if len(matches) > 1:
            return next(user for user in matches if user.username == login)
        return matches[0]


class User(AbstractUser):
    real_name = models.CharField("姓名", max_length=40)
    mobile = models.CharField(
        "手机号码", max_length=11, unique=True, null=True, blank=True, validators=[validate_mobile]
    )
    person_kind = models.CharField(
        "人员类别", max_length=12, choices=PersonKind.choices, default=PersonKind.STAFF
    )
    home_station = models.ForeignKey(
        "stations.Station",
        verbose_name="所在站点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resident_unit = models.ForeignKey(
        "stations.ResidentUnit",
        verbose_name="工作单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    place = models.ForeignKey(
        "stations.Place",
        verbose_name="所在社区/街道",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="所在党组织",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )

    # Set when an admin or officer gives a temporary password: the person must choose their own at
    # the next sign-in, and the temporary one stops working at `password_expires_at`.
    must_change_password = models.BooleanField("须修改密码", default=False, editable=False)
    password_expires_at = models.DateTimeField("临时密码失效时间", null=True, blank=True, editable=False)

    objects: ClassVar[PlatformUserManager] = PlatformUserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.real_name or self.username

    def validate_unique(self, exclude: Collection[str] | None = None) -> None:
        """A mobile may not be another account's username, nor a username another's mobile: both are
        typed into the same login box."""
        errors: dict[str, list[str]] = {}
        try:
            super().validate_unique(exclude=exclude)
        except ValidationError as error:
            errors = error.message_dict
        others = User.objects.exclude(pk=self.pk)
        skipped = set(exclude or ())
        if "mobile" not in skipped and self.mobile and others.filter(username=self.mobile).exists():
            errors.setdefault("mobile", []).append("该手机号码已被其他账号用作用户名")
        if "username" not in skipped and self.username and others.filter(mobile=self.username).exists():
            errors.setdefault("username", []).append("该用户名已被其他账号用作手机号码")
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def masked_mobile(self) -> str:
        return f"{self.mobile[:3]}****{self.mobile[-4:]}" if self.mobile else ""


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", "平台管理员（主管单位）"
    STATION_ADMIN = "station_admin", "站点管理员"
    INSTRUCTOR = "instructor", "党建指导员"
    WORKER = "worker", "党务工作者"
    GUIDE = "guide", "讲解员"
    ORG_SECRETARY = "org_secretary", "党组织书记"
    ORG_OFFICER = "org_officer", "党组织委员"
    GRID_LEADER = "grid_leader", "网格长"


# Which scope a role needs besides its station.
ROLE_SCOPE = {
    Role.PLATFORM_ADMIN: None,
    Role.STATION_ADMIN: None,
    Role.INSTRUCTOR: None,
    Role.GUIDE: None,
    Role.WORKER: "building",
    Role.ORG_SECRETARY: "organization",
    Role.ORG_OFFICER: "organization",
    Role.GRID_LEADER: "grid",
}


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    station = models.ForeignKey(
        "stations.Station", verbose_name="站点", on_delete=models.PROTECT, related_name="role_assignments"
    )
    building = models.ForeignKey(
        "stations.Building",
        verbose_name="楼宇",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    organization = models.ForeignKey(
        "organizations.PartyOrganization",
        verbose_name="党组织",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    grid = models.ForeignKey(
        "stations.GridArea",
        verbose_name="网格",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="授权人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField("授权时间", default=timezone.now)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        ordering = ["station_id", "role", "id"]
        indexes = [
            models.Index(fields=["user", "role"], name="role_user_role"),
            models.Index(fields=["station", "role"], name="role_station_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        for obj in (self.grid, self.organization, self.building):
            if obj is not None:
                return str(obj)
        return str(self.station)


class LoginFailure(models.Model):
    """One row per failed login; the lockout counts rows of one (IP, username) in the last 30 minutes."""

    ip = models.GenericIPAddressField()
    username = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["ip", "username", "at"], name="loginfail_key_at")]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip} {self.at:%Y-%m-%d %H:%M}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """Personal bearer token for mobile apps. Only the SHA-256 of the secret is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=12)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CodePurpose(models.TextChoices):
    LOGIN = "login", "短信验证码登录"
    RESET = "reset", "短信验证码重置密码"


class VerificationCode(models.Model):
    """A six-digit code sent by text message to sign in or to choose a new password. Only a keyed hash of
    the code is stored; it ends at `expires_at`, after `MAX_ATTEMPTS` wrong tries, or once used, and a new
    code for the same mobile and purpose ends the older ones."""

    mobile = models.CharField("手机号码", max_length=11)
    purpose = models.CharField("用途", max_length=8, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        indexes = [models.Index(fields=["mobile", "purpose", "-created_at"], name="smscode_mobile_purpose")]

    def __str__(self) -> str:
        return f"{self.mobile[:3]}****{self.mobile[-4:]} · {self.get_purpose_display()}"
