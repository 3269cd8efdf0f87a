"""Demo 示范引领 (DB3212/T 1124 §9): last year's honours awarded through the whole workflow (推荐 by the
station's admin, 审核 by its instructor, 授予 by HQ), this year's nominations under review, two publicity
records (《泰州日报》 市级, 《新华日报》 省级) and a 现场会 with its attendees and visitors.

Written through the services, so the rules and the audit trail hold; nothing is made twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import OFFICER_ROLES, role_holders
from dangjian.honors import selectors, services
from dangjian.honors.models import EventKind, HonorKind, MediaLevel, Nomination
from dangjian.organizations.models import PartyOrganization

ORGANIZATION_DEEDS = (
    "坚持“支部建在楼上、党员干在一线”，组建楼宇党员先锋岗 6 个，联合驻楼企业开展“红色物业”服务，"
    "全年为企业解决用工、融资等难题 30 余件，带动 3 家非公企业新建党组织。"
)
MEMBER_DEEDS = (
    "扎根楼宇党建一线，牵头成立“海陵楼宇志愿服务队”，全年组织志愿服务 40 余次；"
    "疫情防控和创建全国文明城市中冲锋在前，被驻楼企业职工称为“楼宇贴心人”。"
)
WORKER_DEEDS = (
    "负责分站党务工作五年，规范“三会一课”台账，推动党费收缴、党务公开全部线上办理；"
    "组织主题党日、联学共建活动 20 余场，所在分站党员满意度测评位列全区前列。"
)
CURRENT_DEEDS = "带领党员开展“党建引领楼宇治理”项目，推动驻楼企业共建共享党群服务阵地。"


@dataclass
class Station:
    organization: PartyOrganization
    admin: User
    instructor: User


def _station_with_reviewers() -> Station | None:
    """The first organisation whose station has an admin and an instructor."""
    with scopes_disabled():
        for organization in PartyOrganization.objects.filter(is_active=True).order_by("id"):
            admin = role_holders(Role.STATION_ADMIN, station_id=organization.station_id).first()
            instructor = role_holders(Role.INSTRUCTOR, station_id=organization.station_id).first()
            if admin is not None and instructor is not None:
                return Station(organization, admin, instructor)
    return None


def _award(place: Station, decider: User, kind: str, year: int, nominee: User | None, deeds: str) -> None:
    nomination = services.nomination_create(
        actor=place.admin,
        organization=place.organization,
        data=services.NominationInput(kind=kind, year=year, deeds=deeds, nominee=nominee),
    )
    services.nomination_act(actor=place.admin, nomination=nomination, action="submit")
    services.nomination_act(
        actor=place.instructor, nomination=nomination, action="approve", comment="事迹属实，同意推荐"
    )
    services.nomination_act(
        actor=decider, nomination=nomination, action="award", comment="经总站研究，同意授予"
    )


def _honours(place: Station, decider: User, today: date) -> None:
    last_year = today.year - 1
    _award(place, decider, HonorKind.ORGANIZATION, last_year, None, ORGANIZATION_DEEDS)
    with scopes_disabled():
        member = selectors.eligible_nominees(place.organization, HonorKind.MEMBER).first()
        worker = selectors.eligible_nominees(place.organization, HonorKind.WORKER).first()
    if member is not None:
        _award(place, decider, HonorKind.MEMBER, last_year, member, MEMBER_DEEDS)
    if worker is not None and worker != member:
        _award(place, decider, HonorKind.WORKER, last_year, worker, WORKER_DEEDS)
    current = services.nomination_create(
        actor=place.admin,
        organization=place.organization,
        data=services.NominationInput(kind=HonorKind.ORGANIZATION, year=today.year, deeds=CURRENT_DEEDS),
    )
    services.nomination_act(actor=place.admin, nomination=current, action="submit")


def _publicity(place: Station, today: date) -> None:
    station = place.organization.station
    reports = (
        (
            "泰州日报",
            MediaLevel.CITY,
            "海陵区：楼宇党建共享平台让“红色引擎”驱动楼宇发展",
            "https://www.taizhou.com.cn/",
        ),
        ("新华日报", MediaLevel.PROVINCE, "泰州海陵：楼宇里建起党员的“共享家园”", "https://www.xhby.net/"),
    )
    for offset, (outlet, level, title, link) in enumerate(reports):
        services.publicity_create(
            actor=place.admin,
            station=station,
            data=services.PublicityInput(
                outlet=outlet,
                level=level,
                published_on=max(date(today.year, 1, 1), today - timedelta(days=40 - 20 * offset)),
                title=title,
                link=link,
            ),
        )


def _on_site_meeting(place: Station, today: date) -> None:
    with scopes_disabled():
        officers = list(role_holders(*OFFICER_ROLES, organization_id=place.organization.pk)[:5])
    services.event_create(
        actor=place.admin,
        station=place.organization.station,
        data=services.EventInput(
            kind=EventKind.ON_SITE,
            title="海陵区楼宇党建工作现场推进会",
            held_on=max(date(today.year, 1, 1), today - timedelta(days=30)),
            place=f"{place.organization.station.name}党群服务中心",
            summary="观摩分站阵地建设和“一馆三区”运行情况，交流楼宇党建共享平台使用经验。",
            attendees=(place.admin, place.instructor, *officers),
            visitor_count=18,
            visitors="姜堰区委组织部 组织科\n高港区委组织部 组织科\n泰州医药高新区党工委 党建办",
        ),
    )


def create_honors(today: date | None = None) -> int:
    """The demo 示范引领 records; returns how many honours were awarded (0 without a station that has an
    admin and an instructor, or when they exist already)."""
    today = today or timezone.localdate()
    if Nomination.objects.exists():
        return 0
    place = _station_with_reviewers()
    if place is None:
        return 0
    decider = role_holders(Role.STATION_ADMIN, at_hq=True).exclude(pk__in=[place.admin.pk]).first()
    if decider is None:
        return 0
    _honours(place, decider, today)
    _publicity(place, today)
    _on_site_meeting(place, today)
    return Nomination.objects.filter(status="awarded").count()


__all__ = ["create_honors"]
