"""Writes of party organisations, alliances and joint-building agreements; atomic and audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.accounts.services import officer_roles_follow
from dangjian.core import cache as page_cache
from dangjian.core.audit import record_event
from dangjian.core.services import authorise_write, save_audited
from dangjian.organizations.models import (
    POSITION_RANK,
    Alliance,
    CommitteeMember,
    CommitteePosition,
    CommitteeTerm,
    JointBuildingAgreement,
    PartyOrganization,
    by_rank,
)


def organization_save(
    *,
    organization: PartyOrganization,
    actor: Any,
    units: Iterable[Any],
    before: Mapping[str, Any] | None = None,
) -> PartyOrganization:
    authorise_write(
        actor,
        organization,
        add="organizations.add_partyorganization",
        change="organizations.change_partyorganization",
        station=organization.station,
    )
    units = list(units)
    if any(unit.station_id != organization.station_id for unit in units):
        raise ValidationError({"units": "只能覆盖本站点楼宇内的入驻单位"}, code="unit_station")
    if organization.parent_id and _creates_cycle(organization):
        raise ValidationError({"parent": "上级组织不能是本组织或其下级组织"}, code="parent_cycle")
    action = "organizations.organization.create" if before is None else "organizations.organization.update"
    saved = save_audited(
        organization,
        actor=actor,
        action=action,
        station=organization.station,
        before=before,
        m2m={"units": units},
    )
    _renew_pages(saved, before=before)
    return saved


def _renew_pages(organization: PartyOrganization, *, before: Mapping[str, Any] | None = None) -> None:
    """Its station's portal and its own pages render afresh once this commits (dangjian/core/cache.py)."""
    page_cache.structure_changed(organization.station.code, before=before, station_id=organization.station_id)
    page_cache.bump(page_cache.organization(organization.pk))


def _creates_cycle(organization: PartyOrganization) -> bool:
    seen: set[int] = set()
    parent = organization.parent
    while parent is not None:
        if parent.pk == organization.pk or parent.pk in seen:
            return True
        seen.add(parent.pk)
        parent = parent.parent
    return False


def committee_member_add(
    *, organization: PartyOrganization, user: Any, position: str, actor: Any
) -> CommitteeMember:
    if not actor.has_perm("organizations.change_committee", organization):
        raise PermissionDenied
    try:
        with transaction.atomic():
            member = CommitteeMember.objects.create(organization=organization, user=user, position=position)
            if position == CommitteePosition.SECRETARY:
                PartyOrganization.objects.filter(pk=organization.pk).update(secretary=user)
            record_event(
                actor=actor,
                action="organizations.committee.add",
                target=organization,
                station=organization.station,
                data={"user": user.pk, "position": position},
            )
            _renew_pages(organization)  # the secretary is named on the station's portal
    except IntegrityError as exc:
        raise ValidationError("此人已是本组织委员", code="duplicate") from exc
    return member


def committee_member_remove(*, member: CommitteeMember, actor: Any) -> None:
    organization = member.organization
    if not actor.has_perm("organizations.change_committee", organization):
        raise PermissionDenied
    with transaction.atomic():
        if organization.secretary_id == member.user_id:
            PartyOrganization.objects.filter(pk=organization.pk).update(secretary=None)
        record_event(
            actor=actor,
            action="organizations.committee.remove",
            target=organization,
            station=organization.station,
            data={"user": member.user_id, "position": member.position},
        )
        member.delete()
        _renew_pages(organization)


def alliance_save(
    *,
    alliance: Alliance,
    actor: Any,
    organizations: Iterable[PartyOrganization],
    before: Mapping[str, Any] | None = None,
) -> Alliance:
    authorise_write(
        actor,
        alliance,
        add="organizations.add_alliance",
        change="organizations.change_alliance",
        station=alliance.station,
    )
    members = list(organizations)
    if alliance.lead_organization_id and alliance.lead_organization not in members:
        members.append(alliance.lead_organization)
    if len(members) < 2:
        raise ValidationError({"organizations": "党建联盟至少需要两个成员党组织"}, code="too_few")
    action = "organizations.alliance.create" if before is None else "organizations.alliance.update"
    return save_audited(
        alliance,
        actor=actor,
        action=action,
        station=alliance.station,
        before=before,
        m2m={"organizations": members},
    )


def agreement_save(
    *,
    agreement: JointBuildingAgreement,
    actor: Any,
    organizations: Iterable[PartyOrganization],
    before: Mapping[str, Any] | None = None,
) -> JointBuildingAgreement:
    authorise_write(
        actor,
        agreement,
        add="organizations.add_jointbuildingagreement",
        change="organizations.change_jointbuildingagreement",
        station=agreement.station,
    )
    parties = list(organizations)
    if len(parties) < 2:
        raise ValidationError({"organizations": "联学共建至少需要两个党组织"}, code="too_few")
    if agreement.valid_until and agreement.valid_until < agreement.signed_on:
        raise ValidationError({"valid_until": "有效期不能早于签订日期"}, code="date_order")
    action = "organizations.agreement.create" if before is None else "organizations.agreement.update"
    return save_audited(
        agreement,
        actor=actor,
        action=action,
        station=agreement.station,
        before=before,
        m2m={"organizations": parties},
    )


# ---------------------------------------------------------------- committee terms (换届)


@dataclass(frozen=True)
class Seat:
    """One member of the new committee."""

    user: Any
    position: str


def committee_term_replace(
    *,
    organization: PartyOrganization,
    actor: Any,
    seats: Iterable[Seat],
    term_start: date,
    term_end: date,
    source_election: Any = None,
) -> CommitteeTerm:
    """Replace the committee and term of `organization` (the superior approved an election's result): the
    old term and its members are kept as a `CommitteeTerm`, the new members, secretary and term written.
    Locks the organisation; refuses a new term that does not follow the old one."""
    if not actor.has_perm("organizations.change_committee", organization):
        raise PermissionDenied
    new_seats = sorted(seats, key=lambda seat: POSITION_RANK.get(seat.position, len(POSITION_RANK)))
    secretaries = [seat for seat in new_seats if seat.position == CommitteePosition.SECRETARY]
    if len(secretaries) != 1:
        raise ValidationError("新一届班子须有且只有一名书记", code="no_secretary")
    if len({seat.user.pk for seat in new_seats}) != len(new_seats):
        raise ValidationError("同一人不能在班子中担任两个职务", code="duplicate")
    if term_end <= term_start:
        raise ValidationError("任期届满日期应晚于任期开始日期", code="term_order")
    with transaction.atomic():
        locked = (
            PartyOrganization.objects.select_for_update(of=("self",))
            .select_related("station", "secretary")
            .get(pk=organization.pk)
        )
        if locked.term_start and term_start < locked.term_start:
            raise ValidationError("新一届任期不能早于本届任期开始日期", code="term_order")
        old = list(CommitteeMember.objects.filter(organization=locked).select_related("user"))
        labels = dict(CommitteePosition.choices)
        snapshot = [
            {
                "user": member.user_id,
                "name": member.user.display_name,
                "position": member.position,
                "position_label": labels.get(member.position, member.position),
            }
            for member in by_rank(old)
        ]
        past = CommitteeTerm.objects.create(
            organization=locked,
            term_start=locked.term_start,
            term_end=locked.term_end,
            ended_on=term_start,
            secretary_name=locked.secretary.display_name if locked.secretary else "",
            members=snapshot,
            source_election=source_election,
        )
        CommitteeMember.objects.filter(organization=locked).delete()
        CommitteeMember.objects.bulk_create(
            CommitteeMember(organization=locked, user=seat.user, position=seat.position) for seat in new_seats
        )
        locked.secretary = secretaries[0].user
        locked.term_start, locked.term_end = term_start, term_end
        locked.save(update_fields=["secretary", "term_start", "term_end", "updated_at"])
        record_event(
            actor=actor,
            action="organizations.term.replace",
            target=locked,
            station=locked.station,
            data={
                "old_term": [str(past.term_start or ""), str(past.term_end or "")],
                "new_term": [str(term_start), str(term_end)],
                "members": [[seat.user.pk, seat.position] for seat in new_seats],
                "at": timezone.now().isoformat(),
            },
        )
        _move_officer_roles(locked, actor, new_seats, previous=[member.user_id for member in old])
        _renew_pages(locked)
    organization.refresh_from_db()
    return past


def _move_officer_roles(
    organization: PartyOrganization, actor: Any, seats: list[Seat], previous: Iterable[int]
) -> None:
    """The organisation's officer roles follow the new committee (书记 for its secretary, 委员 for the
    others); members who left the committee lose theirs, officer roles of anyone else stay."""
    wanted = {
        seat.user.pk: Role.ORG_SECRETARY if seat.position == CommitteePosition.SECRETARY else Role.ORG_OFFICER
        for seat in seats
    }
    officer_roles_follow(
        actor=actor,
        organization=organization,
        wanted=wanted,
        leaving=set(previous) - set(wanted),
        people={seat.user.pk: seat.user for seat in seats},
    )
