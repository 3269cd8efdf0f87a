"""Excel import of member records (DB3212/T 1124 §6.3 党员管理): every row is checked, and either all
rows are imported in one transaction or none, with a per-row Chinese report ("第 12 行：…").

Checks per row: required cells, choice values, dates, mobile format, ID-number checksum and its birth
date and gender code, the date order rules, the organisation (exists by name and is managed by the
importer), the work unit; across rows: the same ID number or mobile twice in the file; against the
database: an ID number already registered, a mobile already used by someone else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scope

from dangjian.accounts.models import PersonKind, User
from dangjian.accounts.permissions import role_holder_ids
from dangjian.core.audit import record_event
from dangjian.members.excel import COLUMNS, SheetRow, read_rows
from dangjian.members.models import (
    ETHNICITY_CHOICES,
    Category,
    DuesCategory,
    Education,
    Gender,
    MemberProfile,
    MemberStatus,
)
from dangjian.members.selectors import manageable_organizations
from dangjian.members.services import account_link_refusal, facts_of, new_member_user, set_id_number
from dangjian.members.validation import (
    PersonInput,
    clean_text,
    member_problems,
    parse_bool,
    parse_choice,
    parse_date,
    parse_id_number,
)
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import ResidentUnit

BATCH = 500
MAX_REPORTED_ERRORS = 500
T = TypeVar("T")
HEADER_OF = {column.key: column.header for column in COLUMNS}
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
TEXT_LIMITS = {"real_name": 40, "job_title": 60, "affiliation_organization": 160}
CHOICES: dict[str, Any] = {
    "gender": Gender.choices,
    "ethnicity": ETHNICITY_CHOICES,
    "category": Category.choices,
    "education": Education.choices,
    "status": MemberStatus.choices,
    "dues_category": DuesCategory.choices,
}
DEFAULTS: dict[str, Any] = {"status": MemberStatus.NORMAL, "dues_category": DuesCategory.EMPLOYED}
DATES = ("birth_date", "admitted_on", "full_member_on")


class ImportRejected(Exception):
    """Some rows are wrong; nothing was imported. `errors` are the report lines, in row order."""

    def __init__(self, errors: list[str], *, total: int) -> None:
        super().__init__(f"{total} errors")
        self.errors = errors[:MAX_REPORTED_ERRORS]
        self.total = total


@dataclass
class ImportedRow:
    number: int
    person: PersonInput
    profile: MemberProfile
    user: User | None = None  # an existing account to attach the profile to


@dataclass
class Report:
    lines: list[tuple[int, str]] = field(default_factory=list)

    def add(self, number: int, message: str) -> None:
        self.lines.append((number, message))

    def text(self) -> list[str]:
        return [
            f"第 {number} 行：{message}" for number, message in sorted(self.lines, key=lambda line: line[0])
        ]


@dataclass(frozen=True)
class Lookups:
    """Organisations and work units named in the file, read once for all rows."""

    organizations: dict[str, PartyOrganization]  # the importer's, by name
    known_organization_names: set[str]  # every organisation of the platform named in the file
    units: dict[tuple[int, str], ResidentUnit]  # by (station id, name)

    @classmethod
    def load(cls, actor: Any, rows: list[SheetRow]) -> Lookups:
        org_names = {clean_text(row.values.get("organization")) for row in rows} - {""}
        unit_names = {clean_text(row.values.get("resident_unit")) for row in rows} - {""}
        organizations = {org.name: org for org in manageable_organizations(actor).filter(name__in=org_names)}
        known = set(PartyOrganization.objects.filter(name__in=org_names).values_list("name", flat=True))
        station_ids = {org.station_id for org in organizations.values()}
        units = ResidentUnit.objects.filter(name__in=unit_names, station_id__in=station_ids).order_by("-id")
        return cls(organizations, known, {(unit.station_id, unit.name): unit for unit in units})


def import_members(*, actor: Any, data: bytes) -> int:
    """Import every row of an uploaded workbook or nothing; return the number imported. Raises a
    ValidationError for a wrong file and `ImportRejected` with the per-row report for wrong rows."""
    rows = read_rows(data)
    if not rows:
        raise ValidationError("表中没有党员数据（第 2 行示例会被跳过）", code="empty")
    lookups = Lookups.load(actor, rows)
    report = Report()
    parsed = [item for item in (parse_row(row, lookups, report) for row in rows) if item is not None]
    check_duplicates_in_file(parsed, report)
    check_against_database(parsed, report, actor=actor)
    if report.lines:
        raise ImportRejected(report.text(), total=len(report.lines))
    try:
        save_rows(parsed, actor=actor)
    except IntegrityError as exc:
        raise ValidationError(
            "导入过程中数据被他人修改（如同一号码刚被登记），未导入任何数据，请重新上传", code="conflict"
        ) from exc
    return len(parsed)


# ---------------------------------------------------------------- one row


def parse_row(row: SheetRow, lookups: Lookups, report: Report) -> ImportedRow | None:
    """The row as an unsaved profile and person, or None after adding its problems to `report`."""
    problems: list[str] = []
    values = {key: _parse_cell(key, row.values.get(key), problems) for key in HEADER_OF}
    organization = _organization(values["organization"], lookups, problems)
    unit = _unit(values["resident_unit"], organization, lookups, problems)
    if problems or organization is None:
        for message in problems:
            report.add(row.number, message)
        return None
    profile = MemberProfile(
        organization=organization,
        station_id=organization.station_id,
        resident_unit=unit,
        hardship=values["hardship"],
        **{key: values[key] for key in (*CHOICES, *DATES, "job_title", "affiliation_organization")},
    )
    person = PersonInput(
        real_name=values["real_name"], mobile=values["mobile"], id_number=values["id_number"]
    )
    row_problems = member_problems(facts_of(profile, person), timezone.localdate())
    for problem in row_problems:
        report.add(row.number, problem.message)
    if row_problems:
        return None
    set_id_number(profile, person.id_number)
    return ImportedRow(row.number, person, profile)


def _parse_cell(key: str, raw: Any, problems: list[str]) -> Any:
    label = HEADER_OF[key]
    text = clean_text(raw)
    if not text:
        if key in REQUIRED:
            problems.append(f"{label}不能为空")
        return False if key == "hardship" else DEFAULTS.get(key, None if key in DATES else "")
    try:
        return _CELL_PARSERS.get(key, _text_parser)(key, raw, label)
    except ValidationError as error:
        problems.append(error.messages[0])
        return None


def _text_parser(key: str, raw: Any, label: str) -> str:
    text = clean_text(raw)
    limit = TEXT_LIMITS.get(key)
    if limit and len(text) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字")
    return text


_CELL_PARSERS: dict[str, Callable[[str, Any, str], Any]] = {
    **{key: (lambda key, raw, label: parse_choice(raw, CHOICES[key], label)) for key in CHOICES},
    **{key: (lambda key, raw, label: parse_date(raw, label)) for key in DATES},
    "id_number": lambda key, raw, label: parse_id_number(raw),
    "hardship": lambda key, raw, label: parse_bool(raw, label),
}


def _organization(name: str | None, lookups: Lookups, problems: list[str]) -> PartyOrganization | None:
    if not name:
        return None
    organization = lookups.organizations.get(name)
    if organization is None:
        if name in lookups.known_organization_names:
            problems.append(f"党组织“{name[:40]}”不在您的管理范围内")
        else:
            problems.append(f"党组织“{name[:40]}”不存在，请填写平台已登记的党组织全称")
    return organization


def _unit(
    name: str | None, organization: PartyOrganization | None, lookups: Lookups, problems: list[str]
) -> ResidentUnit | None:
    if not name or organization is None:
        return None
    unit = lookups.units.get((organization.station_id, name))
    if unit is None:
        problems.append(f"工作单位“{name[:40]}”不是该党组织所在站点已登记的入驻单位")
    return unit


# ---------------------------------------------------------------- across rows and against the database


def check_duplicates_in_file(rows: list[ImportedRow], report: Report) -> None:
    first_by_hash: dict[str, int] = {}
    first_by_mobile: dict[str, int] = {}
    for row in rows:
        for seen, key, label in (
            (first_by_hash, row.profile.id_number_hash, "公民身份号码"),
            (first_by_mobile, row.person.mobile, "手机号码"),
        ):
            if key in seen:
                report.add(row.number, f"{label}与第 {seen[key]} 行重复")
            else:
                seen[key] = row.number


def chunks(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def check_against_database(rows: list[ImportedRow], report: Report, *, actor: Any) -> None:
    """ID numbers already registered (looked up by keyed hash through `all_objects`: uniqueness spans
    every station) and mobiles already used. An existing account is linked, unchanged, only where
    `services.account_link_refusal` allows it (the same rule as the form); any other row is refused."""
    by_hash = {row.profile.id_number_hash: row for row in rows}
    for batch in chunks(by_hash):
        for taken in MemberProfile.all_objects.filter(id_number_hash__in=batch).values_list(
            "id_number_hash", flat=True
        ):
            report.add(by_hash[taken].number, "公民身份号码已登记在其他党员名下")
    by_mobile = {row.person.mobile: row for row in rows}
    for user in _accounts_using(list(by_mobile)):
        row = by_mobile.get(user.mobile or "") or by_mobile[user.username]
        _attach_or_refuse(row, user, report, actor=actor)


def _accounts_using(mobiles: list[str]) -> Iterator[User]:
    """The accounts logging in with these mobiles, each marked with whether it has a member record and
    whether it holds any role (two queries per batch)."""
    for batch in chunks(mobiles):
        users = list(User.objects.filter(Q(mobile__in=batch) | Q(username__in=batch)))
        with_profile = set(MemberProfile.all_objects.filter(user__in=users).values_list("user_id", flat=True))
        with_roles = role_holder_ids(users)
        for user in users:
            user.has_member_profile = user.pk in with_profile  # type: ignore[attr-defined]
            user.has_roles = user.pk in with_roles  # type: ignore[attr-defined]
            yield user


IMPORT_REFUSALS = {
    "mobile_has_profile": "手机号码对应的人员已有党员信息",
    "mobile_taken": "手机号码已被其他用户使用",
    "account_not_linkable": (
        "手机号码已注册平台账号，且该账号担任平台角色、属于其他站点或已停用，导入时不能关联"
    ),
}


def _attach_or_refuse(row: ImportedRow, user: User, report: Report, *, actor: Any) -> None:
    refusal = account_link_refusal(
        user,
        actor=actor,
        real_name=row.person.real_name,
        station_id=row.profile.station_id,
        has_profile=user.has_member_profile,  # type: ignore[attr-defined]
        has_roles=user.has_roles,  # type: ignore[attr-defined]
    )
    if refusal is None and row.user is not None and row.user.pk != user.pk:
        refusal = ("", "mobile_taken")  # the mobile is one account's, the username another's
    if refusal is not None:
        report.add(row.number, IMPORT_REFUSALS[refusal[1]])
    else:
        row.user = user


# ---------------------------------------------------------------- saving


def save_rows(rows: list[ImportedRow], *, actor: Any) -> None:
    """Create the accounts and profiles in bulk, in one transaction, with one audit record per station."""
    with transaction.atomic():
        users = _save_people(rows)
        profiles = []
        for row, user in zip(rows, users, strict=True):
            row.profile.user = user
            profiles.append(row.profile)
        station_ids = sorted({profile.station_id for profile in profiles})
        with scope(station=station_ids):
            MemberProfile.objects.bulk_create(profiles, batch_size=BATCH)
        _audit_import(profiles, actor=actor)


def _save_people(rows: list[ImportedRow]) -> list[User]:
    """Each row's account: a linked existing one as it is (an import never changes an existing
    account), or a new one created with an unusable password."""
    people = []
    fresh = []
    for row in rows:
        user = row.user
        if user is None:
            user = new_member_user(row.person, station_id=row.profile.station_id)
            user.person_kind = PersonKind.MEMBER
            user.organization = row.profile.organization
            user.resident_unit = row.profile.resident_unit
            fresh.append(user)
        people.append(user)
    created = User.objects.bulk_create(fresh, batch_size=BATCH)
    if any(user.pk is None for user in created):  # databases that cannot return ids from a bulk insert
        ids = dict(
            User.objects.filter(username__in=[u.username for u in fresh]).values_list("username", "pk")
        )
        for user in created:
            user.pk = ids[user.username]
    return people


def _audit_import(profiles: list[MemberProfile], *, actor: Any) -> None:
    by_station: dict[int, list[MemberProfile]] = defaultdict(list)
    for profile in profiles:
        by_station[profile.station_id].append(profile)
    for station_profiles in by_station.values():
        record_event(
            actor=actor,
            action="members.import",
            station=station_profiles[0].station,
            data={
                "rows": len(station_profiles),
                "organizations": sorted({p.organization.name for p in station_profiles}),
                "profiles": [p.pk for p in station_profiles],
            },
        )
