"""Sign-in with lockout, role assignment and personal API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from dangjian.accounts.models import (
    ROLE_SCOPE,
    ApiToken,
    LoginFailure,
    Role,
    RoleAssignment,
    User,
    hash_token,
)
from dangjian.accounts.permissions import (
    forget_grants,
    governs_person,
    is_platform_admin_user,
    is_station_admin_of,
)
from dangjian.core.audit import record_event
from dangjian.core.services import save_audited
from dangjian.core.throttle import throttle_hit


class LoginRefused(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def account_key(user_id: int) -> str:
    return f"#{user_id}"


def _login_key(username: str) -> str:
    """What the lockout counts against: the account the typed name or mobile resolves to (so a
    username and a mobile share one counter), or the typed name itself when no account matches."""
    typed = (username or "").strip()
    if not typed:
        return ""
    matches = User.objects.filter(Q(username__iexact=typed) | Q(mobile=typed))
    user_id = matches.order_by("id").values_list("id", flat=True).first()
    return account_key(user_id) if user_id is not None else typed.lower()[:150]


def _recent_failures(ip: str, key: str) -> int:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return LoginFailure.objects.filter(ip=ip, username=key, at__gte=since).count()


def is_locked_out(ip: str, username: str) -> bool:
    return _recent_failures(ip, _login_key(username)) >= settings.LOGIN_FAILURE_LIMIT


def sign_in(request: HttpRequest | None, *, ip: str, username: str, password: str) -> User:
    """Check the password unless (IP, account) is locked; count a failure, clear them on success."""
    key = _login_key(username)
    if _recent_failures(ip, key) >= settings.LOGIN_FAILURE_LIMIT:
        raise LoginRefused(
            f"登录失败次数过多，该账号在本设备已被锁定 {settings.LOGIN_LOCKOUT_MINUTES} 分钟，请稍后再试",
            code="locked",
        )
    user = authenticate(request, username=(username or "").strip(), password=password)
    if user is None:
        LoginFailure.objects.create(ip=ip, username=key)
        left = settings.LOGIN_FAILURE_LIMIT - _recent_failures(ip, key)
        if left <= 0:
            record_event(actor=None, action="accounts.login.locked", data={"username": key})
            raise LoginRefused(
                f"用户名或密码错误。失败次数已达上限，{settings.LOGIN_LOCKOUT_MINUTES} 分钟内不能再登录",
                code="locked",
            )
        raise LoginRefused(f"用户名或密码错误，还可尝试 {left} 次", code="invalid")
    if user.password_expires_at is not None and user.password_expires_at <= timezone.now():
        raise LoginRefused("临时密码已过期，请联系管理员或党组织书记重新设置", code="password_expired")
    LoginFailure.objects.filter(ip=ip, username=key).delete()
    record_event(actor=user, action="accounts.login", target=user, station=user.home_station)
    return user  # type: ignore[return-value]


def role_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    station: Any,
    building: Any = None,
    organization: Any = None,
    grid: Any = None,
) -> RoleAssignment:
    if not actor.has_perm("accounts.assign_role", station):
        raise PermissionDenied
    if role == Role.PLATFORM_ADMIN and not is_platform_admin_user(actor):
        raise ValidationError("只有平台管理员可以授予平台管理员角色", code="platform_admin_only")
    _check_scope(role, station=station, building=building, organization=organization, grid=grid)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # serialises grants to one person
        existing = RoleAssignment.objects.filter(
            user=user, role=role, station=station, building=building, organization=organization, grid=grid
        ).first()
        if existing is not None:
            raise ValidationError("此人已有该角色授权", code="duplicate")
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            station=station,
            building=building,
            organization=organization,
            grid=grid,
            granted_by=actor,
        )
        record_event(
            actor=actor,
            action="accounts.role.grant",
            target=assignment,
            station=station,
            data={"user": user.pk, "role": role, "scope": assignment.scope_label},
        )
    forget_grants(user)
    return assignment


def _check_scope(role: str, *, station: Any, building: Any, organization: Any, grid: Any) -> None:
    needed = ROLE_SCOPE.get(Role(role))
    given = {"building": building, "organization": organization, "grid": grid}
    if needed is not None and given[needed] is None:
        label = {"building": "楼宇", "organization": "党组织", "grid": "网格"}[needed]
        raise ValidationError({needed: f"该角色须指定{label}"}, code="scope_missing")
    for name, obj in given.items():
        if obj is not None and name != needed:
            raise ValidationError({name: "该角色不按此范围授权，请留空"}, code="scope_extra")
        if obj is not None and obj.station_id != station.pk:
            raise ValidationError({name: "所选范围不属于该站点"}, code="scope_station")


def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    if not actor.has_perm("accounts.assign_role", assignment.station):
        raise PermissionDenied
    if assignment.user_id == actor.pk and assignment.role in (Role.PLATFORM_ADMIN, Role.STATION_ADMIN):
        raise ValidationError("不能撤销自己的管理员角色", code="self_revoke")
    with transaction.atomic():
        record_event(
            actor=actor,
            action="accounts.role.revoke",
            target=assignment.user,
            station=assignment.station,
            data={"role": assignment.role, "scope": assignment.scope_label},
        )
        assignment.delete()


TOKEN_PREFIX = "djp_"


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the secret is returned once and only its hash is stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写令牌名称，如“手机客户端”"}, code="required")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:60], key_hash=hash_token(raw), prefix=raw[:10])
        record_event(actor=user, action="accounts.token.create", target=token, station=user.home_station)
    return token, raw


def _revoke_all_tokens(user: User, *, reason: str) -> int:
    """A password change, reset or deactivation ends every bearer token: a token must not outlive the
    credentials it was made with."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        record_event(
            actor=None,
            action="accounts.token.revoke_all",
            target=user,
            station=user.home_station,
            data={"count": revoked, "reason": reason},
        )
    return revoked


def token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            record_event(actor=user, action="accounts.token.revoke", target=token, station=user.home_station)


def user_for_token(raw: str) -> User | None:
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def profile_update(*, user: User, before: dict[str, Any]) -> User:
    with transaction.atomic():
        user.full_clean(exclude=["password", "username"])
        user.save()
        changed = {k: [before[k], getattr(user, k)] for k in before if before[k] != getattr(user, k)}
        record_event(
            actor=user, action="accounts.profile.update", target=user, station=user.home_station, data=changed
        )
    return user


def password_changed(*, user: User) -> None:
    """After the person set a new password: the temporary-password flags clear, old tokens end."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(must_change_password=False, password_expires_at=None)
        user.must_change_password, user.password_expires_at = False, None
        _revoke_all_tokens(user, reason="password_change")
        record_event(actor=user, action="accounts.password.change", target=user, station=user.home_station)


REGISTRATIONS_PER_IP_PER_HOUR = 10


def register_person(*, form_user: User, password: str, ip: str) -> User:
    """Self-registration (§4.7). Throttled per IP so the form cannot be used to flood the user table."""
    if not throttle_hit(f"register:{ip}", limit=REGISTRATIONS_PER_IP_PER_HOUR, window_seconds=3600):
        raise ValidationError("注册过于频繁，请一小时后再试", code="throttled")
    form_user.username = form_user.mobile or ""
    form_user.set_password(password)
    try:
        form_user.full_clean(exclude=["password"])
        with transaction.atomic():
            form_user.save()
            record_event(
                actor=form_user, action="accounts.register", target=form_user, station=form_user.home_station
            )
    except (ValidationError, IntegrityError) as exc:
        # The mobile is the username: a clash on either (two sign-ups racing) means it is taken.
        if isinstance(exc, ValidationError) and set(getattr(exc, "error_dict", {None: 0})) - {
            "username",
            "mobile",
        }:
            raise
        raise ValidationError({"mobile": "该手机号已注册，请直接登录"}, code="mobile_taken") from exc
    return form_user


def _authorise_person_change(actor: Any, person: User) -> None:
    """The stored person (their current roles and home station) and the edited one (a new home
    station) must both be governed by the actor."""
    stored = User.objects.get(pk=person.pk)
    if not (governs_person(actor, stored) and governs_person(actor, person)):
        raise PermissionDenied


def person_save(*, person: User, actor: Any, before: dict[str, Any] | None) -> User:
    if before is None:
        if person.home_station is None or not is_station_admin_of(actor, person.home_station):
            raise PermissionDenied
        person.username = person.mobile or f"user-{secrets.token_hex(4)}"
        person.set_unusable_password()
    else:
        _authorise_person_change(actor, person)
    action = "accounts.person.create" if before is None else "accounts.person.update"
    with transaction.atomic():
        saved = save_audited(person, actor=actor, action=action, station=person.home_station, before=before)
        if before is not None and before.get("is_active") and not saved.is_active:
            _revoke_all_tokens(saved, reason="deactivated")
    return saved


def temporary_password() -> str:
    """Meets the password rule (≥ 8 characters, 3 of 4 classes); given to the person once."""
    return f"Dj{secrets.randbelow(10**6):06d}{secrets.choice('#@%&*+')}{secrets.token_hex(2)}"


TEMPORARY_PASSWORD_HOURS = 72


def password_reset_by_admin(*, person: User, actor: Any) -> str:
    """A temporary password, shown once to the admin: it must be changed at the next sign-in and
    stops working after `TEMPORARY_PASSWORD_HOURS`; the person's tokens end with the old password."""
    if not governs_person(actor, person):
        raise PermissionDenied
    password = temporary_password()
    with transaction.atomic():
        person.set_password(password)
        person.must_change_password = True
        person.password_expires_at = timezone.now() + timedelta(hours=TEMPORARY_PASSWORD_HOURS)
        person.save(update_fields=["password", "must_change_password", "password_expires_at"])
        LoginFailure.objects.filter(username__in=[account_key(person.pk), person.username.lower()]).delete()
        _revoke_all_tokens(person, reason="reset")
        record_event(
            actor=actor, action="accounts.person.reset_password", target=person, station=person.home_station
        )
    return password
