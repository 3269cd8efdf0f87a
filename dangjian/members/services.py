"""Writes of party-member records (DB3212/T 1124 §6.3 党员管理; §5.1 formal affiliation recorded, never
moved) and the audited reading of a full ID number.

Every function checks the actor's permission, validates with `dangjian.members.validation`, writes in
one transaction with an `AuditEvent`, and notifies on commit. The plain ID number exists only in memory:
it is stored as ciphertext + keyed hash + masked form, and audit data carries only the masked form.

Services read through `MemberProfile.all_objects` in two cases only, both documented where they happen:
the ID-number uniqueness check (it must see every station) and re-reading under a lock a row the caller
already found inside its scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.accounts.models import PersonKind, User
from dangjian.accounts.permissions import OFFICER_ROLES, holds_any_role, role_holders
from dangjian.core.audit import record_event, snapshot
from dangjian.core.crypto import decrypt, encrypt, keyed_hash, mask_id_number
from dangjian.core.notifications import notify
from dangjian.core.services import CONFLICT_MESSAGE, editable_field_names
from dangjian.members.corrections import SPECS, shown_value
from dangjian.members.identity import adult_check_problem, may_see_birth_date
from dangjian.members.models import (
    CorrectableField,
    CorrectionStatus,
    MemberProfile,
    ProfileCorrection,
)
from dangjian.members.validation import MemberFacts, PersonInput, as_validation_error, member_problems

DUPLICATE_ID_MESSAGE = "该公民身份号码已登记在其他党员名下，请核对后重新输入"
MOBILE_TAKEN_MESSAGE = "该手机号码已被其他用户使用"
MOBILE_HAS_PROFILE_MESSAGE = "该手机号码对应的人员已有党员信息，请在花名册中查找并编辑"
MOBILE_NAME_MISMATCH_MESSAGE = "该手机号码已注册，且姓名与填写的不一致"
ACCOUNT_NOT_LINKABLE_MESSAGE = (
    "该手机号码已注册平台账号，且该账号担任平台角色、属于其他站点或已停用，登记党员时不能关联；"
    "请核对手机号码，或请本人联系所在站点管理员"
)
PENDING_EXISTS_MESSAGE = "该项目已有一条待确认的更正申请，请等待所在党组织处理后再提交"
REVEAL_REFUSAL = "您无权查看完整的公民身份号码"


def facts_of(profile: MemberProfile, person: PersonInput) -> MemberFacts:
    return MemberFacts(
        mobile=person.mobile,
        id_number=person.id_number,
        gender=profile.gender,
        birth_date=profile.birth_date,
        category=profile.category,
        admitted_on=profile.admitted_on,
        full_member_on=profile.full_member_on,
    )


def set_id_number(profile: MemberProfile, plain: str) -> None:
    """Store a (validated, normalised) ID number the only way it is ever stored."""
    profile.id_number_encrypted = encrypt(plain)
    profile.id_number_hash = keyed_hash(plain)
    profile.id_number_masked = mask_id_number(plain)


def id_number_taken(id_hash: str, *, exclude_pk: int | None = None) -> bool:
    """True if another record holds this number. Uses `all_objects`: a number is unique across every
    station, so the check must see rows the actor's scope hides (it reveals only a yes/no)."""
    holders = MemberProfile.all_objects.filter(id_number_hash=id_hash)
    return (holders if exclude_pk is None else holders.exclude(pk=exclude_pk)).exists()


def profile_snapshot(profile: MemberProfile) -> dict[str, Any]:
    """The audited state of a record: its editable fields, the person's name and mobile, the masked ID."""
    data = snapshot(profile, fields=editable_field_names(profile))
    user = profile.user if profile.user_id else None
    data.update(
        real_name=user.real_name if user else "",
        mobile=user.mobile if user else "",
        id_number=profile.id_number_masked,
    )
    return data


# ---------------------------------------------------------------- create and edit


def member_create(*, actor: Any, profile: MemberProfile, person: PersonInput) -> MemberProfile:
    """Register a member: a new account for the person (username = mobile, password unusable until they
    reset it), or an existing account that `account_link_refusal` allows — and then that account is
    linked as it is: registering a member never changes an existing account's name, mobile, home
    station, organisation, person kind or anything else of it (a member form must not rename or move
    someone else's account, such as an HQ admin's whose mobile and name a secretary typed)."""
    if not person.id_number:
        raise ValidationError({"id_number": "请填写公民身份号码"}, code="required")
    return _save_member(actor=actor, profile=profile, person=person, before=None)


def member_update(
    *, actor: Any, profile: MemberProfile, person: PersonInput, before: Mapping[str, Any] | None
) -> MemberProfile:
    """Edit a member's record; `before` is `profile_snapshot` taken before the changes were applied."""
    stored = MemberProfile.all_objects.select_related("organization").get(pk=profile.pk)  # found in scope
    if not actor.has_perm("members.change_profile", stored):
        raise PermissionDenied
    if not may_see_birth_date(actor, stored):  # sees the birth year only (dangjian.members.identity)
        refusal = adult_check_problem(
            birth_date=profile.birth_date,
            admitted_on=profile.admitted_on,
            stored_admitted_on=stored.admitted_on,
        )
        if refusal is not None:
            raise refusal
    kept_number = "" if person.id_number else decrypt(stored.id_number_encrypted)
    return _save_member(
        actor=actor,
        profile=profile,
        person=person,
        before=before or profile_snapshot(stored),
        kept_number=kept_number,
    )


def _save_member(
    *,
    actor: Any,
    profile: MemberProfile,
    person: PersonInput,
    before: Mapping[str, Any] | None,
    kept_number: str = "",
) -> MemberProfile:
    """Validate and save; `kept_number` is the stored number an edit keeps, checked (in memory only)
    against the possibly changed birth date and gender."""
    if profile.organization_id is None:
        raise ValidationError({"organization": "请选择所在党组织"}, code="required")
    if not actor.has_perm("members.manage_for", profile.organization):
        raise ValidationError({"organization": "您不能管理该党组织的党员"}, code="forbidden")
    checked = replace(person, id_number=person.id_number or kept_number)
    problems = member_problems(facts_of(profile, checked), timezone.localdate())
    if problems:
        raise as_validation_error(problems)
    profile.station_id = profile.organization.station_id
    if person.id_number:
        set_id_number(profile, person.id_number)
    try:
        with transaction.atomic():
            if id_number_taken(profile.id_number_hash, exclude_pk=profile.pk):
                raise ValidationError({"id_number": DUPLICATE_ID_MESSAGE}, code="duplicate")
            profile.user = _save_person(profile, person, actor=actor, creating=before is None)
            profile.full_clean(validate_unique=False)
            profile.save()
            _audit_save(profile, actor=actor, before=before)
    except IntegrityError as exc:
        raise ValidationError(CONFLICT_MESSAGE, code="conflict") from exc
    return profile


def _audit_save(profile: MemberProfile, *, actor: Any, before: Mapping[str, Any] | None) -> None:
    after = profile_snapshot(profile)
    if before is None:
        action, data = "members.profile.create", {"created": after}
    else:
        changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        action, data = "members.profile.update", {"changed": changed}
    record_event(actor=actor, action=action, target=profile, station=profile.station, data=data)


def _mobile_holder(mobile: str, *, exclude_pk: int | None = None) -> User | None:
    """The account that already logs in with this number (as mobile or as username), if any."""
    holders = User.objects.filter(Q(mobile=mobile) | Q(username=mobile))
    return (holders if exclude_pk is None else holders.exclude(pk=exclude_pk)).first()


def _save_person(profile: MemberProfile, person: PersonInput, *, actor: Any, creating: bool) -> User:
    if creating:
        existing = _person_for_new_member(person, profile, actor=actor)
        if existing is not None:
            return existing  # linked as it is: nothing of an existing account is changed here
        user = new_member_user(person, station_id=profile.station_id)
    else:
        user = profile.user
        if person.mobile != user.mobile and _mobile_holder(person.mobile, exclude_pk=user.pk):
            raise ValidationError({"mobile": MOBILE_TAKEN_MESSAGE}, code="mobile_taken")
    user.real_name = person.real_name
    user.mobile = person.mobile
    user.person_kind = PersonKind.MEMBER
    user.organization_id = profile.organization_id
    user.resident_unit_id = profile.resident_unit_id or user.resident_unit_id
    user.home_station_id = user.home_station_id or profile.station_id
    user.save()
    return user


def account_link_refusal(
    user: User, *, actor: Any, real_name: str, station_id: int, has_profile: bool, has_roles: bool
) -> tuple[str, str] | None:
    """Why an existing account that logs in with the typed mobile may not become a new member's account
    — `(message, code)` — or None if it may. The safe rule, shared by the form and the Excel import:
    the account bears the typed real name, has no member record yet, and is either the actor's own (a
    secretary registering herself: she is the person, so she confirms) or an active, ordinary account
    — no role of any kind anywhere, not staff or superuser — whose home station is the station of the
    member's organisation. Such an account is linked unchanged; any other is refused, never rewritten."""
    if has_profile:
        return MOBILE_HAS_PROFILE_MESSAGE, "mobile_has_profile"
    if user.real_name != real_name:
        return MOBILE_NAME_MISMATCH_MESSAGE, "mobile_taken"
    if user.pk == getattr(actor, "pk", None):
        return None
    if (
        has_roles
        or user.is_staff
        or user.is_superuser
        or not user.is_active
        or user.home_station_id != station_id
    ):
        return ACCOUNT_NOT_LINKABLE_MESSAGE, "account_not_linkable"
    return None


def _person_for_new_member(person: PersonInput, profile: MemberProfile, *, actor: Any) -> User | None:
    """The existing account that logs in with this mobile if `account_link_refusal` lets it be linked,
    None if there is none (a new account is made); a ValidationError on the mobile otherwise."""
    holder = _mobile_holder(person.mobile)
    if holder is None:
        return None
    refusal = account_link_refusal(
        holder,
        actor=actor,
        real_name=person.real_name,
        station_id=profile.station_id,
        has_profile=MemberProfile.all_objects.filter(user=holder).exists(),
        has_roles=holds_any_role(holder),
    )
    if refusal is not None:
        message, code = refusal
        raise ValidationError({"mobile": ValidationError(message, code=code)})
    return holder


def new_member_user(person: PersonInput, *, station_id: int | None) -> User:
    user = User(
        username=person.mobile, real_name=person.real_name, mobile=person.mobile, home_station_id=station_id
    )
    user.set_unusable_password()
    return user


# ---------------------------------------------------------------- the full ID number


def reveal_id_number(*, actor: Any, profile: MemberProfile, channel: str = "page") -> str:
    """The plain number for someone entitled to it (the member, the organisation's secretary, station
    admins, HQ/platform admins). Every call is audited as `members.id_number.reveal`."""
    if not actor.has_perm("members.reveal_id_number", profile):
        raise PermissionDenied(REVEAL_REFUSAL)
    record_event(
        actor=actor,
        action="members.id_number.reveal",
        target=profile,
        station=profile.station,
        data={"channel": channel, "id_number": profile.id_number_masked},
    )
    return decrypt(profile.id_number_encrypted)


def record_export(
    *, actor: Any, profiles: list[MemberProfile], unmasked: bool, filters: Mapping[str, Any]
) -> None:
    """Audit an Excel export of the roster; an unmasked one is a separate action. The event is filed
    under the rows' station when they all belong to one, so that station's admins see it."""
    action = "members.export.unmasked" if unmasked else "members.export"
    stations = {profile.station_id for profile in profiles}
    station = profiles[0].station if len(stations) == 1 else None
    data = {"rows": len(profiles), "filters": dict(filters)}
    if unmasked:
        data["revealed"] = sum(1 for profile in profiles if getattr(profile, "revealable", False))
    record_event(actor=actor, action=action, station=station, data=data)


# ---------------------------------------------------------------- correction requests


def correction_request(
    *, actor: Any, profile: MemberProfile, field: str, new_value: str, reason: str
) -> ProfileCorrection:
    """A member asks to correct one field of their own record; the organisation's officers are told.
    One pending request per field (`correction_one_pending_per_field`): another while one is open is
    refused with code `pending_exists` — checked first, and enforced by the database when two arrive
    at once."""
    if profile.user_id != actor.pk:
        raise PermissionDenied("只能申请更正本人的信息")
    spec = SPECS.get(field)
    if spec is None:
        raise ValidationError({"field": "请选择要更正的项目"}, code="field")
    value = spec.parse(new_value)
    is_id = field == CorrectableField.ID_NUMBER
    correction = ProfileCorrection(
        profile=profile,
        station_id=profile.station_id,
        field=field,
        old_value=spec.show(profile),
        new_value=mask_id_number(value) if is_id else shown_value(field, value),
        new_value_encrypted=encrypt(value) if is_id else "",
        reason=reason.strip(),
        requested_by=actor,
    )
    pending_exists = ValidationError(
        {"field": ValidationError(PENDING_EXISTS_MESSAGE, code="pending_exists")}
    )
    try:
        with transaction.atomic():
            if _pending_request_exists(profile, field):
                raise pending_exists
            correction.save()
            record_event(
                actor=actor,
                action="members.correction.request",
                target=correction,
                station=profile.station,
                data={"field": field, "old": correction.old_value, "new": correction.new_value},
            )
            notify(
                recipients=organization_officers(profile.organization_id),
                title=f"{profile.name}申请更正党员信息（{correction.get_field_display()}）",
                url="/manage/members/corrections/",
                station=profile.station,
            )
    except IntegrityError as exc:  # a concurrent identical request won the race
        if _pending_request_exists(profile, field):
            raise pending_exists from exc
        raise ValidationError(CONFLICT_MESSAGE, code="conflict") from exc
    return correction


def _pending_request_exists(profile: MemberProfile, field: str) -> bool:
    """Is a request for this field of this record open? (`all_objects`: keyed by the caller's own record.)"""
    return ProfileCorrection.all_objects.filter(
        profile_id=profile.pk, field=field, status=CorrectionStatus.PENDING
    ).exists()


def organization_officers(organization_id: int) -> list[User]:
    return list(role_holders(*OFFICER_ROLES, organization_id=organization_id))


def _locked_pending(correction: ProfileCorrection, actor: Any) -> ProfileCorrection:
    """Re-read the request under a lock (the caller found it inside its scope) and check it is open."""
    stored = (
        ProfileCorrection.all_objects.select_for_update(of=("self",))
        .select_related("profile__organization", "profile__user", "profile__station")
        .get(pk=correction.pk)
    )
    if not actor.has_perm("members.decide_correction", stored):
        raise PermissionDenied("只有本组织书记、委员或站点管理员可以处理更正申请")
    if stored.status != CorrectionStatus.PENDING:
        raise ValidationError(f"该申请已{stored.get_status_display()}，不能重复处理", code="wrong_state")
    return stored


def correction_accept(*, actor: Any, correction: ProfileCorrection, note: str = "") -> ProfileCorrection:
    """Apply the requested change through the same validation as the edit form, then close the request."""
    with transaction.atomic():
        stored = _locked_pending(correction, actor)
        profile = stored.profile
        before = profile_snapshot(profile)
        spec = SPECS[stored.field]
        value = (
            decrypt(stored.new_value_encrypted)
            if stored.new_value_encrypted
            else spec.parse(stored.new_value)
        )
        person = spec.apply(profile, PersonInput(profile.user.real_name, profile.user.mobile or ""), value)
        member_update(actor=actor, profile=profile, person=person, before=before)
        _close(stored, actor=actor, status=CorrectionStatus.ACCEPTED, note=note)
    return stored


def correction_reject(*, actor: Any, correction: ProfileCorrection, note: str) -> ProfileCorrection:
    if not note.strip():
        raise ValidationError("请填写不采纳的理由", code="required")
    with transaction.atomic():
        stored = _locked_pending(correction, actor)
        _close(stored, actor=actor, status=CorrectionStatus.REJECTED, note=note)
    return stored


def _close(correction: ProfileCorrection, *, actor: Any, status: str, note: str) -> None:
    correction.status = status
    correction.decided_by = actor
    correction.decided_at = timezone.now()
    correction.decision_note = note.strip()[:300]
    correction.new_value_encrypted = ""  # the requested number now lives on the profile, or nowhere
    correction.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "new_value_encrypted",
            "updated_at",
        ]
    )
    verb = "accept" if status == CorrectionStatus.ACCEPTED else "reject"
    record_event(
        actor=actor,
        action=f"members.correction.{verb}",
        target=correction,
        station=correction.profile.station,
        data={"field": correction.field, "new": correction.new_value, "note": correction.decision_note},
    )
    notify(
        recipients=[correction.profile.user],
        title=f"您的党员信息更正申请（{correction.get_field_display()}）{correction.get_status_display()}",
        body=correction.decision_note,
        url="/me/member/",
        station=correction.profile.station,
    )
