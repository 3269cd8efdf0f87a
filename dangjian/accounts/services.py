"""Sign-in with lockout, role assignment and personal API tokens."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from dangjian.accounts.models import (
    ROLE_SCOPE,
    ApiToken,
    CodePurpose,
    LoginFailure,
    PersonKind,
    Role,
    RoleAssignment,
    User,
    VerificationCode,
    hash_token,
)
from dangjian.accounts.permissions import (
    forget_grants,
    governs_person,
    grants_of,
    is_platform_admin_user,
    is_station_admin_of,
)
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.core.services import save_audited
from dangjian.core.sms import SmsError, send_sms
from dangjian.core.throttle import throttle_hit

logger = logging.getLogger(__name__)


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


def officer_roles_follow(
    *,
    actor: Any,
    organization: Any,
    wanted: Mapping[int, str],
    leaving: Iterable[int],
    people: Mapping[int, User],
) -> None:
    """After a renewal (换届): each person of `wanted` holds the organisation's officer role given
    (书记 or 委员), the people `leaving` its committee lose theirs; other officer roles stay. Through
    `role_grant` / `role_revoke`, so each change is authorised and audited."""
    missing = dict(wanted)
    leaving = set(leaving)
    held = RoleAssignment.objects.filter(
        organization=organization, role__in=(Role.ORG_SECRETARY, Role.ORG_OFFICER)
    ).select_related("user", "station")
    for assignment in held:
        if missing.get(assignment.user_id) == assignment.role:
            del missing[assignment.user_id]
        elif assignment.user_id in wanted or assignment.user_id in leaving:
            role_revoke(actor=actor, assignment=assignment)
    for user_id, role in missing.items():
        role_grant(
            actor=actor,
            user=people[user_id],
            role=role,
            station=organization.station,
            organization=organization,
        )


TOKEN_PREFIX = "djp_"


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the secret is returned once and only its hash is stored."""
    if not user.has_perm("accounts.manage_tokens"):
        raise PermissionDenied
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
    """A temporary password given by someone who governs the person (people management)."""
    if not governs_person(actor, person):
        raise PermissionDenied
    return _issue_temporary_password(person=person, actor=actor, action="accounts.person.reset_password")


def password_reset_for_member(*, person: User, actor: Any) -> str:
    """A temporary password given from the member's record: by whoever governs the person, or by the
    secretary or an officer of the person's organisation when the person holds no role at all
    (`accounts.reset_member_password`)."""
    if not actor.has_perm("accounts.reset_member_password", person):
        raise PermissionDenied
    action = (
        "accounts.person.reset_password"
        if governs_person(actor, person)
        else "accounts.person.reset_password_officer"
    )
    return _issue_temporary_password(person=person, actor=actor, action=action)


def _issue_temporary_password(*, person: User, actor: Any, action: str) -> str:
    """The shared mechanics: a temporary password, shown once to whoever gave it, must be changed at the
    next sign-in and stops working after `TEMPORARY_PASSWORD_HOURS`; the person's lockouts are lifted,
    their tokens end with the old password, and they are told in their inbox."""
    password = temporary_password()
    with transaction.atomic():
        person.set_password(password)
        person.must_change_password = True
        person.password_expires_at = timezone.now() + timedelta(hours=TEMPORARY_PASSWORD_HOURS)
        person.save(update_fields=["password", "must_change_password", "password_expires_at"])
        _clear_lockouts(person)
        _revoke_all_tokens(person, reason="reset")
        record_event(actor=actor, action=action, target=person, station=person.home_station)
        notify(
            recipients=[person],
            title="您的登录密码已被重置",
            body=f"{getattr(actor, 'display_name', '管理员')}为您设置了临时密码。如非您本人申请，请联系所在党组织或站点管理员。",
            url=reverse("accounts:password_change"),
            station=person.home_station,
        )
    return password


def _clear_lockouts(person: User) -> None:
    LoginFailure.objects.filter(username__in=[account_key(person.pk), person.username.lower()]).delete()


def password_reset_completed(*, user: User, channel: str) -> None:
    """After the person chose a new password through an e-mailed link or a text-message code: the
    temporary-password flags clear, lockouts lift, old tokens end, and the reset is audited."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(must_change_password=False, password_expires_at=None)
        user.must_change_password, user.password_expires_at = False, None
        _clear_lockouts(user)
        _revoke_all_tokens(user, reason=f"reset_{channel}")
        record_event(
            actor=user, action=f"accounts.password.reset_{channel}", target=user, station=user.home_station
        )


PASSWORD_RESETS_PER_IP_PER_HOUR = 10
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = 3


def password_reset_allowed(*, email: str, ip: str) -> bool:
    """May another reset e-mail be asked for now? Counted per IP and per address whether or not an
    account uses the address, so the answer tells nothing about it."""
    if not throttle_hit(f"pwreset:ip:{ip}", limit=PASSWORD_RESETS_PER_IP_PER_HOUR, window_seconds=3600):
        return False
    address = (email or "").strip().casefold()
    return throttle_hit(
        f"pwreset:email:{address}", limit=PASSWORD_RESETS_PER_ADDRESS_PER_HOUR, window_seconds=3600
    )


def landing_url(user: Any) -> str:
    """Where a person lands after signing in: people with roles, and party members, on their work page
    (工作台); everyone else on the platform's home."""
    if grants_of(user) or getattr(user, "person_kind", "") == PersonKind.MEMBER:
        return reverse("portal:workpage")
    return reverse("portal:home")


# ---------------------------------------------------------------- text-message codes (短信验证码)

SMS_CODE_MINUTES = 5
SMS_CODE_MAX_ATTEMPTS = 5
SMS_RESEND_SECONDS = 60  # one code per mobile per minute
SMS_PER_MOBILE_PER_DAY = 10
SMS_PER_IP_PER_HOUR = 20
SMS_CHECKS_PER_IP_PER_HOUR = 30


class CodeRefused(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def _code_hash(mobile: str, purpose: str, code: str) -> str:
    """A keyed hash (HMAC with SECRET_KEY): a copy of the table gives no code, not even by trying all
    million, without the key."""
    return salted_hmac(
        "dangjian.accounts.sms-code", f"{purpose}:{mobile}:{code}", algorithm="sha256"
    ).hexdigest()


def _user_for_mobile(mobile: str) -> User | None:
    return User.objects.filter(mobile=mobile, is_active=True).order_by("id").first() if mobile else None


def sms_code_request(*, mobile: str, purpose: str, ip: str) -> None:
    """Send a six-digit code to `mobile` if an active account uses that number. The answer is the same
    whether or not one does (nothing tells a stranger which numbers are registered); throttled per IP
    and per mobile, counted in the database."""
    label = CodePurpose(purpose).label
    if not throttle_hit(f"sms:ip:{ip}", limit=SMS_PER_IP_PER_HOUR, window_seconds=3600):
        raise CodeRefused("获取验证码过于频繁，请一小时后再试", code="throttled")
    if not throttle_hit(f"sms:mobile:{mobile}", limit=1, window_seconds=SMS_RESEND_SECONDS):
        raise CodeRefused(f"验证码已发送，请 {SMS_RESEND_SECONDS} 秒后再重新获取", code="too_soon")
    if not throttle_hit(f"sms:mobile-day:{mobile}", limit=SMS_PER_MOBILE_PER_DAY, window_seconds=86400):
        raise CodeRefused("该手机号今天获取验证码的次数已达上限，请明天再试", code="throttled")
    user = _user_for_mobile(mobile)
    if user is None:
        return
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        VerificationCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True).update(
            expires_at=now
        )
        VerificationCode.objects.create(
            mobile=mobile,
            purpose=purpose,
            code_hash=_code_hash(mobile, purpose, code),
            created_at=now,
            expires_at=now + timedelta(minutes=SMS_CODE_MINUTES),
        )
        record_event(
            actor=None,
            action="accounts.sms_code.send",
            target=user,
            station=user.home_station,
            data={"purpose": purpose},
        )
        text = f"您正在{label}，验证码 {code}，{SMS_CODE_MINUTES} 分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。"
        transaction.on_commit(lambda: _send_code(mobile, text), robust=True)


def _send_code(mobile: str, text: str) -> None:
    try:
        send_sms(mobile=mobile, text=text)
    except SmsError:
        logger.exception("SMS gateway refused a verification code")


def _use_code(
    *, mobile: str, purpose: str, code: str, ip: str, before_use: Callable[[User], None] | None = None
) -> User:
    """The account whose mobile received this code. Each try counts against the code (at most
    `SMS_CODE_MAX_ATTEMPTS`) and against the IP; the comparison takes the same time whatever the digits;
    `before_use(user)` may refuse (ValidationError) and then the code stays usable."""
    if not throttle_hit(f"sms-check:ip:{ip}", limit=SMS_CHECKS_PER_IP_PER_HOUR, window_seconds=3600):
        raise CodeRefused("验证次数过多，请一小时后再试", code="throttled")
    now = timezone.now()
    with transaction.atomic():
        row = (
            VerificationCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .filter(attempts__lt=SMS_CODE_MAX_ATTEMPTS)
            .order_by("-created_at", "-id")
            .first()
        )
        if row is not None:
            VerificationCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
            row.attempts += 1
    matched = row is not None and constant_time_compare(row.code_hash, _code_hash(mobile, purpose, code))
    if row is None:
        raise CodeRefused("验证码无效或已过期，请重新获取", code="invalid")
    if not matched:
        left = SMS_CODE_MAX_ATTEMPTS - row.attempts
        if left <= 0:
            raise CodeRefused("验证码错误次数过多，已失效，请重新获取", code="invalid")
        raise CodeRefused(f"验证码错误，还可尝试 {left} 次", code="wrong_code")
    user = _user_for_mobile(mobile)
    if user is None:
        raise CodeRefused("验证码无效或已过期，请重新获取", code="invalid")
    if before_use is not None:
        before_use(user)
    if not VerificationCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise CodeRefused("验证码无效或已过期，请重新获取", code="invalid")  # used by a parallel request
    return user


def sms_sign_in(*, mobile: str, code: str, ip: str) -> User:
    """Sign in with a code sent to the account's mobile (no password needed)."""

    def refuse_temporary_password(user: User) -> None:
        if user.must_change_password:  # the forced change asks for the temporary password
            raise CodeRefused(
                "您的账号有一个尚未修改的临时密码：请用临时密码登录并设置新密码，或用短信验证码重置密码",
                code="temporary_password",
            )

    user = _use_code(
        mobile=mobile, purpose=CodePurpose.LOGIN, code=code, ip=ip, before_use=refuse_temporary_password
    )
    with transaction.atomic():
        _clear_lockouts(user)
        record_event(actor=user, action="accounts.login.sms", target=user, station=user.home_station)
    return user


def sms_password_reset(*, mobile: str, code: str, password: str, ip: str) -> User:
    """Choose a new password with a code sent to the account's mobile. A password the rules refuse is a
    form error and leaves the code usable for a second try."""

    def set_new_password(user: User) -> None:
        password_validation.validate_password(password, user)

    user = _use_code(mobile=mobile, purpose=CodePurpose.RESET, code=code, ip=ip, before_use=set_new_password)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        password_reset_completed(user=user, channel="sms")
    return user
