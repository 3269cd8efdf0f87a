"""Writes of party organisations, alliances and joint-building agreements; atomic and audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from dangjian.core import cache as page_cache
from dangjian.core.audit import record_event
from dangjian.core.services import authorise_write, save_audited
from dangjian.organizations.models import (
    Alliance,
    CommitteeMember,
    CommitteePosition,
    JointBuildingAgreement,
    PartyOrganization,
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
