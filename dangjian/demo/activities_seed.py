"""Demo organisation life (组织生活, DB3212/T 1124 §6.3, §7.3, §7.4; 中国共产党支部工作条例（试行）).

For five demo organisations (the demo secretary's among them), from 1 January (of last year while the
current year is young) to a month ahead:
- the annual work plan filed in January with its planned activities, and one theme a month;
- 三会一课 and the yearly meetings at the branch-rule frequencies (主题党日, 支委会 and 党小组会 monthly, 支部党员大会
  and 党课 quarterly, 组织生活会 and 民主评议党员 in January), plus 联学共建 with alliance partners, 志愿服务, 讲座 and
  参观 — with Taizhou titles;
- registrations and check-ins (attendance) of the members; a full public lecture ahead with a waiting list
  and an open offer held for the demo member; leave requests (pending for the demo secretary, decided);
- records (台账) for most past activities — summary, minutes, attendance, for 支部党员大会 the quorum and the
  resolutions; a few activities ended more than seven days ago without one;
- one organisation (江苏银行泰州分行机关支部) falling short in the last completed quarter (its 支委会 and 党小组会
  skipped, so fewer than three activities with records);
- invitations (活动邀约) of the joint activities ahead, answered and silent;
- a joint meeting (联席会议, §7.4) convened by the supervising unit this year, held, with decisions (done, in
  progress, open) and one planned later in the year.

Written directly in bulk (seed data is not a user's action), deterministic for a given day apart from the
random check-in tokens. Runs once: nothing is written when activities exist already.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangjian.accounts.models import PersonKind, Role, RoleAssignment, User
from dangjian.activities.life_rules import SHANGHAI
from dangjian.activities.models import (
    Activity,
    ActivityRecord,
    ActivityStatus,
    ActivityType,
    AnnualPlan,
    Attendance,
    Audience,
    CheckInMethod,
    DecisionStatus,
    EntitledSource,
    Invitation,
    InvitationStatus,
    InviteeKind,
    JointDecision,
    JointMeeting,
    JointMeetingInvitee,
    JointMeetingStatus,
    LeaveRequest,
    LeaveStatus,
    MonthlyTheme,
    PlannedActivity,
    RecordResolution,
    Registration,
    RegistrationStatus,
)
from dangjian.demo.generators import RANDOM_SEED
from dangjian.organizations.models import Alliance, PartyOrganization
from dangjian.stations.models import ResidentUnit, Station, StationKind
from dangjian.venues.models import HOLDING_STATUSES, Reservation, ReservationStatus, Venue

DEMO_ORGANIZATION = "中共泰州华信软件科技有限公司支部委员会"
PARTNER = "万达广场楼宇联合党支部"
SHORT = "中共江苏银行泰州分行机关支部委员会"  # falls short in the last completed quarter
ORGANIZATIONS = (
    DEMO_ORGANIZATION,
    PARTNER,
    SHORT,
    "医药城科创大厦联合党支部",
    "凤城河商务大厦联合党支部",
)
DEMO_MEMBER = "member"
DAYS_AHEAD = 35
RECORD_FLAG_DAYS = 7

THEMES = {
    1: "学习贯彻党的二十届三中全会精神",
    2: "弘扬新时代“泰州精神”，凝心聚力开新局",
    3: "学雷锋志愿服务月",
    4: "缅怀革命先烈，传承红色基因",
    5: "弘扬劳模精神，争当岗位先锋",
    6: "严守纪律规矩，加强作风建设",
    7: "庆祝中国共产党成立纪念日",
    8: "铸牢国防意识，开展双拥共建",
    9: "深化楼宇党建联学共建",
    10: "践行“两新”组织社会责任",
    11: "学习宪法，增强法治观念",
    12: "总结提升，迎接年度述职评议",
}
# (day of month, start hour, hours) per regular type; the quarter ones in the quarter's given month.
REGULAR = {
    ActivityType.COMMITTEE_MEETING: (5, 16, 1.5),
    ActivityType.THEME_DAY: (15, 14, 2.5),
    ActivityType.GROUP_MEETING: (21, 17, 1),
}
QUARTERLY = {  # per type (month within the quarter 0–2, day, hour, hours)
    ActivityType.GENERAL_MEETING: (0, 10, 15, 2),
    ActivityType.PARTY_LECTURE: (1, 25, 14, 2),
}
YEARLY = {  # January
    ActivityType.LIFE_MEETING: (18, 9, 3),
    ActivityType.MEMBER_REVIEW: (23, 14, 2),
}
TITLES = {
    ActivityType.COMMITTEE_MEETING: ("{month}月支部委员会：研究{topic}", "支部委员会（{month}月）"),
    ActivityType.GROUP_MEETING: ("党小组会：{theme}学习交流", "{month}月党小组集中学习"),
    ActivityType.GENERAL_MEETING: ("{quarter}季度支部党员大会", "支部党员大会：审议{topic}"),
    ActivityType.PARTY_LECTURE: ("书记讲党课：{theme}", "专题党课：“{theme}”"),
    ActivityType.LIFE_MEETING: ("{year}年度组织生活会",),
    ActivityType.MEMBER_REVIEW: ("{year}年度民主评议党员",),
}
THEME_DAY_TITLES = {
    1: "学习贯彻党的二十届三中全会精神主题党日",
    2: "“新春送温暖”走访慰问主题党日",
    3: "学雷锋进社区志愿服务主题党日",
    4: "泰州市烈士陵园清明祭扫主题党日",
    5: "“致敬劳动者”走进生产一线主题党日",
    6: "观看警示教育片、重温入党誓词主题党日",
    7: "“七一”重温入党誓词主题党日",
    8: "走进泰州军分区双拥共建主题党日",
    9: "海陵区楼宇党建联学共建主题党日",
    10: "参观泰州解放纪念馆主题党日",
    11: "“宪法进楼宇”法治宣传主题党日",
    12: "年终总结暨先锋党员评选主题党日",
}
TOPICS = (
    "发展党员工作",
    "党费收缴使用情况",
    "季度工作计划",
    "入党积极分子培养考察",
    "楼宇党建阵地建设",
    "志愿服务项目安排",
    "“三会一课”落实情况",
    "党员积分管理",
)
EXTRAS = (  # (month, type, title, audience, capacity, location)
    (
        3,
        ActivityType.VOLUNTEER,
        "“学雷锋·楼宇先锋”进社区志愿服务",
        Audience.STATION,
        30,
        "鼓楼社区党群服务中心",
    ),
    (
        4,
        ActivityType.VISIT,
        "参观泰州市海陵区廉政教育基地",
        Audience.ORGANIZATION,
        40,
        "泰州市海陵区廉政教育基地",
    ),
    (5, ActivityType.LECTURE, "“两新”组织党务工作者能力提升讲座", Audience.ALL_STATIONS, 80, "海陵先锋讲堂"),
    (
        7,
        ActivityType.VISIT,
        "走进泰州梅兰芳纪念馆：传承红色文化",
        Audience.ORGANIZATION,
        40,
        "泰州梅兰芳纪念馆",
    ),
    (9, ActivityType.VOLUNTEER, "凤城河畔环境整治党员志愿服务", Audience.PUBLIC, 50, "凤城河风景区"),
    (10, ActivityType.LECTURE, "数字经济与楼宇企业高质量发展讲座", Audience.PUBLIC, 100, "海陵先锋讲堂"),
    (11, ActivityType.OTHER, "楼宇党员“微心愿”认领活动", Audience.STATION, None, "万达广场党群综合馆"),
)
SUMMARIES: dict[str, str] = {
    ActivityType.THEME_DAY: "围绕当月主题集中学习，开展交流研讨，党员结合岗位谈体会、找差距、明方向。",
    ActivityType.COMMITTEE_MEETING: "支委会研究{topic}，明确责任分工和完成时限。",
    ActivityType.GROUP_MEETING: "党小组集中学习，逐一交流学习心得，收集党员意见建议。",
    ActivityType.GENERAL_MEETING: "支部党员大会听取支部工作报告，审议{topic}，进行表决。",
    ActivityType.PARTY_LECTURE: "支部书记围绕主题讲授党课，结合楼宇企业实际阐释精神要义。",
    ActivityType.LIFE_MEETING: "召开年度组织生活会，开展批评和自我批评，逐条制定整改措施。",
    ActivityType.MEMBER_REVIEW: "开展民主评议党员，个人自评、党员互评、民主测评，评定等次。",
}
OTHER_SUMMARY = "活动按计划开展，党员群众参与积极，取得良好效果。"
RESOLUTIONS = ("通过支部季度工作报告", "同意确定两名同志为入党积极分子", "通过党费使用计划")


@dataclass
class Org:
    organization: PartyOrganization
    station: Station
    secretary: User
    members: list[User]


@dataclass
class Seeder:
    today: date
    now: datetime
    rng: random.Random
    orgs: list[Org]
    activities: list[Activity] = field(default_factory=list)
    organizers: dict[int, list[PartyOrganization]] = field(default_factory=dict)  # id(activity) → orgs
    audience_people: dict[int, list[User]] = field(default_factory=dict)
    short_quarter: set[int] = field(default_factory=set)  # id(activity) of the short organisation's quarter
    joint_ahead: Activity | None = None
    full_lecture: Activity | None = None


def create_activities(today: date | None = None) -> int:
    """The demo organisation life (see the module); returns how many activities were made."""
    if Activity.objects.exists():
        return 0
    today = today or timezone.localdate()
    orgs = _orgs()
    if not orgs:
        return 0
    seeder = Seeder(
        today=today, now=timezone.now(), rng=random.Random(f"{RANDOM_SEED}-activities"), orgs=orgs
    )
    first = date(today.year if today.month >= 10 else today.year - 1, 1, 1)
    last = today + timedelta(days=DAYS_AHEAD)
    _plans_and_themes(seeder, first, last)
    _regular_activities(seeder, first, last)
    _extra_activities(seeder, first, last)
    _save_activities(seeder)
    _venue_bookings(seeder)
    _registrations_and_attendance(seeder)
    _waiting_list(seeder)
    _records(seeder)
    _leave_requests(seeder)
    _invitations(seeder)
    _joint_meetings(seeder)
    return len(seeder.activities)


def _orgs() -> list[Org]:
    found = {
        o.name: o for o in PartyOrganization.objects.filter(name__in=ORGANIZATIONS).select_related("station")
    }
    members: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        organization__in=found.values(), person_kind=PersonKind.MEMBER, is_active=True
    ).order_by("id"):
        members[user.organization_id].append(user)  # type: ignore[index]
    secretaries = {
        grant.organization_id: grant.user
        for grant in RoleAssignment.objects.filter(role=Role.ORG_SECRETARY, organization__in=found.values())
        .select_related("user")
        .order_by("-id")
    }
    orgs = []
    for name in ORGANIZATIONS:
        organization = found.get(name)
        if organization is None:
            continue
        people = members.get(organization.pk, [])
        secretary = (
            secretaries.get(organization.pk) or organization.secretary or (people[0] if people else None)
        )
        if secretary is None:
            continue
        orgs.append(Org(organization, organization.station, secretary, people or [secretary]))
    return orgs


def at(day: date, hour: float) -> datetime:
    whole = int(hour)
    return datetime.combine(day, time(whole, int((hour - whole) * 60)), tzinfo=SHANGHAI)


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return months


def _short_quarter(today: date) -> tuple[int, int]:
    """(year, quarter) of the last completed quarter."""
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


# ---------------------------------------------------------------- plans and themes


def _plans_and_themes(seeder: Seeder, first: date, last: date) -> None:
    themes, plans = [], []
    for org in seeder.orgs:
        for month in _months(first, last):
            if month > seeder.today.replace(day=1) and org.organization.name != DEMO_ORGANIZATION:
                continue  # next month's theme is set by the demo organisation only so far
            themes.append(
                MonthlyTheme(
                    organization=org.organization,
                    station=org.station,
                    month=month,
                    theme=THEMES[month.month],
                    set_by=org.secretary,
                )
            )
        for year in range(first.year, last.year + 1):
            filed = at(date(year, 1, 8 + seeder.rng.randint(0, 12)), 10)
            if filed.date() > seeder.today:
                continue
            plans.append(
                AnnualPlan(
                    organization=org.organization,
                    station=org.station,
                    year=year,
                    note=f"{year}年度{org.organization.name}党建工作计划：落实“三会一课”，每月一个主题，"
                    "每季度不少于3次活动并建立台账。",
                    submitted_at=filed,
                    submitted_by=org.secretary,
                )
            )
    MonthlyTheme.objects.bulk_create(themes)
    AnnualPlan.objects.bulk_create(plans)
    planned = []
    for plan in AnnualPlan.objects.filter(organization__in=[o.organization for o in seeder.orgs]):
        for number in range(1, 13):
            planned.append(
                PlannedActivity(
                    plan=plan,
                    month=number,
                    activity_type=ActivityType.THEME_DAY,
                    title=THEME_DAY_TITLES[number],
                )
            )
            if number % 3 == 1:
                planned.append(
                    PlannedActivity(
                        plan=plan,
                        month=number,
                        activity_type=ActivityType.GENERAL_MEETING,
                        title="支部党员大会",
                    )
                )
            if number % 3 == 2:
                planned.append(
                    PlannedActivity(
                        plan=plan, month=number, activity_type=ActivityType.PARTY_LECTURE, title="书记讲党课"
                    )
                )
        planned.append(
            PlannedActivity(
                plan=plan, month=1, activity_type=ActivityType.LIFE_MEETING, title="年度组织生活会"
            )
        )
    PlannedActivity.objects.bulk_create(planned)


# ---------------------------------------------------------------- activities


def _add(
    seeder: Seeder,
    org: Org,
    activity_type: str,
    title: str,
    starts_at: datetime,
    hours: float,
    *,
    partners: tuple[PartyOrganization, ...] = (),
    audience: str = Audience.ORGANIZATION,
    capacity: int | None = None,
    location: str = "",
    description: str = "",
    status: str | None = None,
) -> Activity:
    ends_at = starts_at + timedelta(hours=hours)
    month = timezone.localtime(starts_at).month
    activity = Activity(
        station=org.station,
        activity_type=activity_type,
        theme=THEMES[month],
        title=title[:120],
        description=description
        or f"<p>{THEMES[month]}。请本支部党员准时参加，因故不能参加的请提前请假。</p>",
        starts_at=starts_at,
        ends_at=ends_at,
        location_text=location or "支部党员活动室",
        capacity=capacity,
        audience=audience,
        counts_for_life=activity_type not in (ActivityType.LECTURE,) or audience == Audience.ORGANIZATION,
        status=status or (ActivityStatus.PUBLISHED),
        created_by=org.secretary,
        published_at=None if status == ActivityStatus.DRAFT else starts_at - timedelta(days=7),
    )
    seeder.activities.append(activity)
    seeder.organizers[id(activity)] = [org.organization, *partners]
    seeder.audience_people[id(activity)] = list(org.members)
    return activity


def _regular_activities(seeder: Seeder, first: date, last: date) -> None:
    short_year, short_quarter = _short_quarter(seeder.today)
    for index, org in enumerate(seeder.orgs):
        for month in _months(first, last):
            quarter = (month.month - 1) // 3 + 1
            short = org.organization.name == SHORT and (month.year, quarter) == (short_year, short_quarter)
            values = {"month": month.month, "year": month.year, "quarter": "一二三四"[quarter - 1]}
            values["theme"] = THEMES[month.month]
            for activity_type, (day, hour, hours) in REGULAR.items():
                if short and activity_type != ActivityType.THEME_DAY:
                    continue  # the short quarter: the committee and group meetings were not held
                values["topic"] = TOPICS[(month.month + index) % len(TOPICS)]
                title = seeder.rng.choice(TITLES.get(activity_type, ("",))).format(**values)
                if activity_type == ActivityType.THEME_DAY:
                    title = THEME_DAY_TITLES[month.month]
                made = _add(
                    seeder, org, activity_type, title, at(_weekday(month, day + index % 3), hour), hours
                )
                if short:
                    seeder.short_quarter.add(id(made))
            for activity_type, (offset, day, hour, hours) in QUARTERLY.items():
                if (month.month - 1) % 3 == offset and not (
                    short and activity_type == ActivityType.PARTY_LECTURE
                ):
                    values["topic"] = TOPICS[(month.month + index + 3) % len(TOPICS)]
                    title = seeder.rng.choice(TITLES[activity_type]).format(**values)
                    made = _add(seeder, org, activity_type, title, at(_weekday(month, day), hour), hours)
                    if short:
                        seeder.short_quarter.add(id(made))
            if month.month == 1:
                for activity_type, (day, hour, hours) in YEARLY.items():
                    title = TITLES[activity_type][0].format(year=month.year - 1)
                    _add(seeder, org, activity_type, title, at(_weekday(month, day), hour), hours)


def _weekday(month: date, day: int) -> date:
    found = month.replace(day=min(day, 28))
    while found.weekday() > 4:
        found += timedelta(days=1)
    return found


def _extra_activities(seeder: Seeder, first: date, last: date) -> None:
    by_name = {o.organization.name: o for o in seeder.orgs}
    demo, partner = by_name.get(DEMO_ORGANIZATION), by_name.get(PARTNER)
    short_year, short_quarter = _short_quarter(seeder.today)
    for n, org in enumerate(seeder.orgs):
        for month_index, month in enumerate(_months(first, last)):
            if org.organization.name == SHORT and (month.year, (month.month - 1) // 3 + 1) == (
                short_year,
                short_quarter,
            ):
                continue
            for number, activity_type, title, audience, capacity, location in EXTRAS:
                if number == month.month and (month_index + n) % 2 == 0:
                    _add(
                        seeder, org, activity_type, title, at(_weekday(month, 26), 9.5), 2.5,
                        audience=audience, capacity=capacity, location=location,
                    )  # fmt: skip
    if demo is None or partner is None:
        return
    # 联学共建 with the alliance partner every other month, one ahead with invitations
    for month in _months(first, last)[1::2]:
        _add(
            seeder, demo, ActivityType.JOINT_BUILDING, "海陵区楼宇党建联学共建：万达商圈支部共学互促",
            at(_weekday(month, 12), 14.5), 2, partners=(partner.organization,), audience=Audience.STATION,
            capacity=60, location="万达广场党群综合馆",
        )  # fmt: skip
    ahead = seeder.today + timedelta(days=9)
    seeder.joint_ahead = _add(
        seeder, demo, ActivityType.JOINT_BUILDING, "“红色商圈”党建联盟联学共建暨志愿服务启动仪式",
        at(_weekday(ahead, ahead.day), 14), 2.5, partners=(partner.organization,), audience=Audience.STATION,
        capacity=80, location="万达广场党群综合馆",
    )  # fmt: skip
    soon = seeder.today + timedelta(days=5)
    seeder.full_lecture = _add(
        seeder, demo, ActivityType.LECTURE, "“新质生产力与楼宇经济”专题讲座（名额有限）",
        at(_weekday(soon, soon.day), 19), 1.5, audience=Audience.PUBLIC, capacity=12, location="万达职工书吧",
    )  # fmt: skip
    later = seeder.today + timedelta(days=14)
    _add(
        seeder, demo, ActivityType.VISIT, "参观泰州市城市规划展示馆（筹备中）", at(_weekday(later, later.day), 9),
        3, status=ActivityStatus.DRAFT, location="泰州市城市规划展示馆",
    )  # fmt: skip
    cancelled = _add(
        seeder, demo, ActivityType.VOLUNTEER, "稻河古街区文明劝导志愿服务", at(_weekday(later, later.day), 15),
        2, status=ActivityStatus.CANCELLED, audience=Audience.STATION,
    )  # fmt: skip
    cancelled.cancelled_at, cancelled.cancel_reason = (
        seeder.now - timedelta(days=1),
        "当天有大到暴雨，活动取消",
    )


def _save_activities(seeder: Seeder) -> None:
    for activity in seeder.activities:
        if (
            activity.status == ActivityStatus.PUBLISHED
            and activity.published_at
            and activity.published_at > seeder.now
        ):
            activity.published_at = seeder.now - timedelta(days=1)
    Activity.objects.bulk_create(seeder.activities)
    through = Activity.organizers.through
    through.objects.bulk_create(
        [
            through(activity_id=activity.pk, partyorganization_id=organization.pk)
            for activity in seeder.activities
            for organization in seeder.organizers[id(activity)]
        ]
    )


def _venue_bookings(seeder: Seeder) -> None:
    """The joint activity and the full lecture ahead book their venue (活动预约场地), where it is free."""
    for activity in (seeder.joint_ahead, seeder.full_lecture):
        if activity is None:
            continue
        venue = Venue.objects.filter(station_id=activity.station_id, name=activity.location_text).first()
        if venue is None:
            continue
        busy = Reservation.objects.filter(
            venue=venue,
            status__in=HOLDING_STATUSES,
            starts_at__lt=activity.ends_at,
            ends_at__gt=activity.starts_at,
        ).exists()
        if busy:
            continue
        booking = Reservation.objects.create(
            station_id=activity.station_id,
            venue=venue,
            holder=activity.created_by,
            purpose=activity.title,
            head_count=min(activity.capacity or venue.capacity, venue.capacity),
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            status=ReservationStatus.APPROVED,
            decided_at=seeder.now - timedelta(days=2),
            decision_reason="活动场地预约",
        )
        Activity.objects.filter(pk=activity.pk).update(reservation=booking)
        activity.reservation = booking


# ---------------------------------------------------------------- registrations, attendance, records


def _registrations_and_attendance(seeder: Seeder) -> None:
    registrations, attendances = [], []
    for activity in seeder.activities:
        if activity.status != ActivityStatus.PUBLISHED or activity == seeder.full_lecture:
            continue
        people = seeder.audience_people[id(activity)]
        if activity.audience == Audience.ORGANIZATION and activity.capacity is None:
            # 三会一课: the members are expected; most check in, a few registered beforehand
            registering = people[: max(1, len(people) // 2)]
        else:
            registering = people
        if activity.capacity is not None:
            registering = registering[: activity.capacity]
        past = activity.ends_at <= seeder.now
        for person in registering:
            registrations.append(
                Registration(
                    activity=activity,
                    person=person,
                    station_id=activity.station_id,
                    status=RegistrationStatus.REGISTERED,
                    confirmed_at=activity.starts_at - timedelta(days=seeder.rng.randint(1, 6)),
                )
            )
        if past:
            for person in people:
                if seeder.rng.random() < 0.85:
                    attendances.append(
                        Attendance(
                            activity=activity,
                            person=person,
                            station_id=activity.station_id,
                            method=seeder.rng.choice(
                                (CheckInMethod.QR, CheckInMethod.QR, CheckInMethod.CODE, CheckInMethod.SEARCH)
                            ),
                            checked_in_at=activity.starts_at - timedelta(minutes=seeder.rng.randint(0, 20)),
                            recorded_by=person,
                        )
                    )
    Registration.objects.bulk_create(registrations)
    Attendance.objects.bulk_create(attendances)


def _waiting_list(seeder: Seeder) -> None:
    """The full public lecture ahead: 12 seats taken, a seat offered to the demo member (held 24 hours) and
    three people waiting behind."""
    lecture = seeder.full_lecture
    if lecture is None or lecture.capacity is None:
        return
    member = User.objects.filter(username=DEMO_MEMBER).first()
    people = [p for org in seeder.orgs for p in org.members if p != member]
    takers, waiting = (
        people[: lecture.capacity - (member is not None)],
        people[lecture.capacity : lecture.capacity + 3],
    )
    rows = [
        Registration(
            activity=lecture,
            person=person,
            station_id=lecture.station_id,
            status=RegistrationStatus.REGISTERED,
            confirmed_at=seeder.now - timedelta(days=2, minutes=i),
        )
        for i, person in enumerate(takers)
    ]
    if member is not None:
        rows.append(
            Registration(
                activity=lecture,
                person=member,
                station_id=lecture.station_id,
                status=RegistrationStatus.OFFERED,
                queued_at=seeder.now - timedelta(days=1, hours=3),
                offered_at=seeder.now - timedelta(hours=2),
                offer_expires_at=seeder.now + timedelta(hours=22),
            )
        )
    rows += [
        Registration(
            activity=lecture,
            person=person,
            station_id=lecture.station_id,
            status=RegistrationStatus.WAITING,
            queued_at=seeder.now - timedelta(hours=20 - i),
        )
        for i, person in enumerate(waiting)
    ]
    Registration.objects.bulk_create(rows)


def _records(seeder: Seeder) -> None:
    """A record for most activities that have ended: all but a few of those ended more than seven days
    ago (flagged), and about half of those ended in the last week."""
    present: dict[int, int] = defaultdict(int)
    for activity_id in Attendance.objects.filter(activity__in=seeder.activities).values_list(
        "activity_id", flat=True
    ):
        present[activity_id] += 1
    ended = [a for a in seeder.activities if a.status == ActivityStatus.PUBLISHED and a.ends_at <= seeder.now]
    # the short organisation filed only two records in its short quarter (fewer than three, §7.3)
    short = sorted((a for a in ended if id(a) in seeder.short_quarter), key=lambda a: a.starts_at)
    flag_before = seeder.now - timedelta(days=RECORD_FLAG_DAYS)
    overdue = [a for a in ended if a.ends_at < flag_before]
    recent = sorted(
        (a for a in overdue if a.ends_at > flag_before - timedelta(days=60)), key=lambda a: a.ends_at
    )
    missing = {a.pk for a in recent[-3:]} | {a.pk for a in short[2:]}  # never recorded
    records, finished = [], []
    org_of = {o.organization.pk: o for o in seeder.orgs}
    for activity in ended:
        if activity.pk in missing or (activity.ends_at >= flag_before and seeder.rng.random() < 0.5):
            continue
        lead = org_of[seeder.organizers[id(activity)][0].pk]
        topic = TOPICS[activity.pk % len(TOPICS)]
        summary = SUMMARIES.get(activity.activity_type, OTHER_SUMMARY).format(topic=topic)
        general = activity.activity_type == ActivityType.GENERAL_MEETING
        records.append(
            ActivityRecord(
                activity=activity,
                station_id=activity.station_id,
                summary=summary,
                minutes=f"<p>主持人：{lead.secretary.real_name}</p><p>{summary}</p>",
                present_count=present[activity.pk],
                entitled_count=len(lead.members) if general else None,
                entitled_source=EntitledSource.TYPED if general else "",
                filed_at=min(activity.ends_at + timedelta(days=seeder.rng.randint(0, 4)), seeder.now),
                filed_by=lead.secretary,
            )
        )
        finished.append(activity.pk)
    ActivityRecord.objects.bulk_create(records)
    Activity.objects.filter(pk__in=finished).update(status=ActivityStatus.FINISHED)
    for activity in seeder.activities:
        if activity.pk in finished:
            activity.status = ActivityStatus.FINISHED
    RecordResolution.objects.bulk_create(
        [
            RecordResolution(record=record, position=i + 1, text=text)
            for record in records
            if record.entitled_count is not None
            for i, text in enumerate(RESOLUTIONS)
        ]
    )


def _leave_requests(seeder: Seeder) -> None:
    """Members of the organisers who could not come: pending ones ahead (for the secretaries), decided
    ones behind."""
    rows = []
    for org in seeder.orgs:
        if len(org.members) < 3:
            continue
        mine = [
            a
            for a in seeder.activities
            if seeder.organizers[id(a)][0] == org.organization and a.audience == Audience.ORGANIZATION
        ]
        ahead = [a for a in mine if a.status == ActivityStatus.PUBLISHED and a.ends_at > seeder.now][:2]
        behind = [a for a in mine if a.ends_at <= seeder.now][-3:]
        people = [p for p in org.members if p != org.secretary]
        for n, activity in enumerate(ahead):
            rows.append(
                _leave(activity, people[n % len(people)], org, "出差在外，无法参加", LeaveStatus.PENDING)
            )
        for n, activity in enumerate(behind):
            status = LeaveStatus.REJECTED if n == 0 else LeaveStatus.APPROVED
            reason = ("公司年审加班", "家中老人住院陪护", "外出参加业务培训")[n]
            leave = _leave(activity, people[(n + 2) % len(people)], org, reason, status)
            leave.decided_by, leave.decided_at = org.secretary, activity.starts_at - timedelta(hours=6)
            leave.decision_note = (
                "请调整工作安排参加会议" if status == LeaveStatus.REJECTED else "同意，请会后补学"
            )
            rows.append(leave)
    LeaveRequest.objects.bulk_create(rows)


def _leave(activity: Activity, person: User, org: Org, reason: str, status: str) -> LeaveRequest:
    return LeaveRequest(
        activity=activity,
        person=person,
        organization=org.organization,
        station_id=activity.station_id,
        reason=reason,
        status=status,
    )


# ---------------------------------------------------------------- invitations and the joint meeting


def _invitations(seeder: Seeder) -> None:
    """The joint activity ahead invites the partner (accepted), an alliance (declined), a resident unit
    (silent) and a person (silent)."""
    activity = seeder.joint_ahead
    if activity is None:
        return
    demo = seeder.orgs[0]
    by_name = {o.organization.name: o for o in seeder.orgs}
    rows = []
    partner = by_name.get(PARTNER)
    sent = seeder.now - timedelta(days=2)
    if partner is not None:
        rows.append(
            Invitation(
                activity=activity, station_id=activity.station_id, kind=InviteeKind.ORGANIZATION,
                organization=partner.organization, note="诚邀贵支部党员共同参加", sent_by=demo.secretary,
                sent_at=sent, status=InvitationStatus.ACCEPTED, head_count=12, answer_note="12名党员参加",
                answered_by=partner.secretary, answered_at=sent + timedelta(hours=5),
            )
        )  # fmt: skip
    alliance = Alliance.objects.exclude(station_id=activity.station_id).order_by("id").first()
    if alliance is not None:
        rows.append(
            Invitation(
                activity=activity, station_id=activity.station_id, kind=InviteeKind.ALLIANCE, alliance=alliance,
                sent_by=demo.secretary, sent_at=sent, status=InvitationStatus.DECLINED,
                answer_note="当天联盟另有安排，下次一定参加", answered_at=sent + timedelta(days=1),
            )
        )  # fmt: skip
    unit = ResidentUnit.objects.filter(building__station_id=activity.station_id).order_by("id").first()
    if unit is not None:
        rows.append(
            Invitation(
                activity=activity, station_id=activity.station_id, kind=InviteeKind.UNIT, unit=unit,
                note="欢迎企业职工群众参加", sent_by=demo.secretary, sent_at=sent,
            )
        )  # fmt: skip
    guest = next((p for o in seeder.orgs[2:] for p in o.members), None)
    if guest is not None:
        rows.append(
            Invitation(
                activity=activity, station_id=activity.station_id, kind=InviteeKind.PERSON, person=guest,
                note="特邀作交流发言", sent_by=demo.secretary, sent_at=sent,
            )
        )  # fmt: skip
    Invitation.objects.bulk_create(rows)


def _joint_meetings(seeder: Seeder) -> None:
    """§7.4: the supervising unit's joint meeting this year (held, with decisions), and one planned."""
    hq = Station.objects.filter(kind=StationKind.HQ).first()
    grant = (
        RoleAssignment.objects.filter(role=Role.PLATFORM_ADMIN).select_related("user").order_by("id").first()
    )
    if hq is None or grant is None:
        return
    convener = grant.user
    year = seeder.today.year
    held_on = min(date(year, 4, 16), seeder.today - timedelta(days=20))
    if held_on.year != year:
        held_on = seeder.today - timedelta(days=1)
    held = JointMeeting.objects.create(
        station=hq,
        title=f"{year}年度海陵区楼宇党建工作联席会议（上半年）",
        starts_at=at(held_on, 14.5),
        location="海陵区党群服务中心凤城议事沙龙",
        agenda="<ol><li>通报楼宇党建工作进展</li><li>各党组织交流组织生活开展情况</li>"
        "<li>研究楼宇党建联学共建和阵地共享事项</li></ol>",
        minutes="<p>会议听取了各楼宇党组织工作汇报，研究了联学共建、阵地共享和党员志愿服务等事项，形成议定事项三项。</p>",
        status=JointMeetingStatus.HELD,
        convened_by=convener,
        held_at=at(held_on, 17),
    )
    planned_on = date(year, 11, 20) if seeder.today < date(year, 11, 1) else seeder.today + timedelta(days=20)
    planned = JointMeeting.objects.create(
        station=hq,
        title=f"{year}年度海陵区楼宇党建工作联席会议（下半年）",
        starts_at=at(planned_on, 14.5),
        location="海陵区党群服务中心凤城议事沙龙",
        agenda="<ol><li>年度组织生活达标情况通报</li><li>议定事项落实情况</li><li>研究下一年度工作计划</li></ol>",
        status=JointMeetingStatus.PLANNED,
        convened_by=convener,
    )
    for meeting in (held, planned):
        JointMeetingInvitee.objects.bulk_create(
            [
                JointMeetingInvitee(
                    meeting=meeting,
                    organization=org.organization,
                    representative=org.secretary,
                    attended=meeting is held and org.organization.name != SHORT,
                )
                for org in seeder.orgs
            ]
        )
    owners = [org.secretary for org in seeder.orgs]
    decisions = (
        ("各楼宇党组织共享党员活动阵地，建立预约共用机制", owners[0], held_on + timedelta(days=30), DecisionStatus.DONE,
         "已在平台开放场所预约，五个党组织共用"),
        ("每季度至少开展一次跨楼宇联学共建活动", owners[1 % len(owners)], date(year, 12, 31), DecisionStatus.IN_PROGRESS,
         "已开展三次，第四季度活动筹备中"),
        ("落实组织生活台账规范，活动结束7日内提交台账", owners[2 % len(owners)], seeder.today + timedelta(days=15),
         DecisionStatus.OPEN, ""),
    )  # fmt: skip
    JointDecision.objects.bulk_create(
        [
            JointDecision(
                meeting=held,
                content=content,
                owner=owner,
                due_on=due,
                status=status,
                follow_up=follow_up,
                done_at=at(due, 10) if status == DecisionStatus.DONE else None,
            )
            for content, owner, due, status, follow_up in decisions
        ]
    )


__all__ = ["create_activities"]
