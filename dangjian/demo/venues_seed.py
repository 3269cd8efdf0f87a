"""Demo offline spaces (阵地, DB3212/T 1124 §6.1, §6.2, §5.4.3, §5.5): every station's 一馆三区 (综合馆, 书吧,
沙龙, 讲堂) with opening hours, booking policies and equipment (音响, 话筒, 桌椅, 电子显示屏, 投影); a resident
unit's own party-mass service centre shared with the building that has no space of its own (§6.1); a month
of bookings around today (approved, pending — two of them in conflict —, cancelled, no-show, checked in)
by each station's people; a few faults (one that blocked a venue, repaired); tours by units and
communities; the 六有 checklist, met everywhere but one item at one station; a closed day.

The large branch (凤城河, open to its surroundings) opens its hall and book bar to the surrounding
communities; the demo login `neighbor` lives in one of them and has bookings there.

Written directly (seed data is not a user's action), in bulk. Approved and checked-in bookings of one venue
never overlap (the PostgreSQL exclusion constraint holds): each venue's day has fixed slots and a slot
holds at most one of them. Deterministic apart from the venues' random check-in codes.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import PersonKind, Role, RoleAssignment, User
from dangjian.demo.generators import RANDOM_SEED
from dangjian.stations.models import Building, ResidentUnit, Station
from dangjian.venues.models import (
    BookingAudience,
    ClosedDay,
    Equipment,
    EquipmentKind,
    EquipmentState,
    FaultReport,
    FaultStatus,
    GroupKind,
    OpeningHours,
    Reservation,
    ReservationStatus,
    SixHave,
    SixHaveItem,
    Tour,
    TourStatus,
    Venue,
    VenueKind,
)

DAYS_BACK, DAYS_AHEAD = 15, 15
DEMO_MEMBER, DEMO_NEIGHBOR = "member", "neighbor"
SLOTS = ((time(9), time(11)), (time(14), time(16)), (time(19), time(21)))
BOOKED_SHARE = 0.35  # of a venue's open slots in the month


@dataclass(frozen=True)
class VenueSpec:
    kind: VenueKind
    name: str
    capacity: int
    floor_label: str
    room: str
    description: str
    audience: BookingAudience = BookingAudience.STATION
    needs_approval: bool = True
    building_index: int | None = 0  # which of the station's buildings (None: the station's own premises)


@dataclass(frozen=True)
class StationVenues:
    weekdays: tuple[int, ...]
    opens: time
    closes: time
    venues: tuple[VenueSpec, ...]


HALL, BOOK_BAR, SALON, LECTURE = VenueKind.HALL, VenueKind.BOOK_BAR, VenueKind.SALON, VenueKind.LECTURE
PUBLIC, SURROUNDINGS = BookingAudience.PUBLIC, BookingAudience.SURROUNDINGS
WEEKDAYS, EVERY_DAY, MON_SAT = (0, 1, 2, 3, 4), (0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 4, 5)

STATIONS: dict[str, StationVenues] = {
    "hq": StationVenues(
        WEEKDAYS,
        time(8, 30),
        time(17, 30),
        (
            VenueSpec(
                HALL,
                "海陵区党群服务中心红色综合馆",
                120,
                "1 层",
                "101",
                "全区楼宇党建成果展陈、主题党日和大型活动。",
                building_index=None,
            ),
            VenueSpec(
                BOOK_BAR,
                "初心书吧",
                30,
                "2 层",
                "201",
                "党史学习、理论读物和期刊，可举办读书分享会。",
                PUBLIC,
                False,
                None,
            ),
            VenueSpec(
                SALON,
                "凤城议事沙龙",
                20,
                "2 层",
                "206",
                "小型座谈、议事协商，配投影和话筒。",
                building_index=None,
            ),
            VenueSpec(
                LECTURE,
                "海陵先锋讲堂",
                200,
                "3 层",
                "301",
                "党课、专题讲座和培训，向所有注册用户开放预约。",
                PUBLIC,
                building_index=None,
            ),
        ),
    ),
    "hailing-wanda": StationVenues(
        EVERY_DAY,
        time(9),
        time(21),
        (
            VenueSpec(
                HALL, "万达广场党群综合馆", 100, "3 层", "301", "商圈党建阵地，主题党日、党员志愿服务集合点。"
            ),
            VenueSpec(
                BOOK_BAR,
                "万达职工书吧",
                25,
                "3 层",
                "305",
                "面向楼宇职工的书吧，午休和下班后开放。",
                needs_approval=False,
            ),
            VenueSpec(
                SALON, "商圈议事沙龙", 18, "5 层", "502", "商户、物业和党组织议事协商。", building_index=1
            ),
            VenueSpec(LECTURE, "万达先锋讲堂", 150, "3 层", "310", "党课和职工培训讲座。", PUBLIC),
        ),
    ),
    "taizhou-finance": StationVenues(
        WEEKDAYS,
        time(8, 30),
        time(18),
        (
            VenueSpec(HALL, "金融先锋综合馆", 90, "2 层", "201", "“党建+金融服务”展示和主题党日。"),
            VenueSpec(BOOK_BAR, "金融大厦红色书吧", 20, "2 层", "208", "金融知识和理论读物，午间开放。"),
            VenueSpec(
                SALON,
                "金融青年沙龙",
                16,
                "8 层",
                "806",
                "青年理论学习小组和业务交流。",
                needs_approval=False,
                building_index=1,
            ),
            VenueSpec(LECTURE, "金融党建讲堂", 180, "2 层", "220", "党课、合规和反诈宣讲。"),
        ),
    ),
    "yiyaocheng-kechuang": StationVenues(
        MON_SAT,
        time(8, 30),
        time(20),
        (
            VenueSpec(HALL, "药城党群综合馆", 110, "1 层", "108", "生物医药企业党建成果展示和主题党日。"),
            VenueSpec(
                BOOK_BAR,
                "科创书吧",
                24,
                "1 层",
                "112",
                "科技和政策读物，企业人才交流。",
                needs_approval=False,
            ),
            VenueSpec(SALON, "创新沙龙", 20, "2 层", "203", "“党建+创新”沙龙和项目路演。", building_index=1),
            VenueSpec(LECTURE, "药城先锋讲堂", 160, "1 层", "101", "党课、产业政策宣讲。"),
        ),
    ),
    "fengchenghe": StationVenues(
        EVERY_DAY,
        time(8, 30),
        time(21),
        (
            VenueSpec(
                HALL,
                "凤城河党群综合馆",
                120,
                "1 层",
                "101",
                "大型分站综合馆，向周边街道、社区开放。",
                SURROUNDINGS,
            ),
            VenueSpec(
                BOOK_BAR,
                "凤城河邻里书吧",
                30,
                "1 层",
                "115",
                "向周边社区居民开放的书吧，预约须讲解员审核。",
                SURROUNDINGS,
            ),
            VenueSpec(SALON, "水城议事沙龙", 20, "2 层", "206", "楼宇、社区联席议事。"),
            VenueSpec(
                LECTURE, "凤城河讲堂", 200, "3 层", "301", "党课和市民讲座，向所有注册用户开放。", PUBLIC
            ),
        ),
    ),
}
# §6.1: a unit's own centre, shared with 万达广场金街商务楼 (which has no space of its own).
UNIT_CENTRE = (
    "hailing-wanda",
    "泰州华信软件科技有限公司",
    VenueSpec(
        VenueKind.OTHER,
        "华信软件党群服务中心",
        40,
        "16 层",
        "1602",
        "泰州华信软件科技有限公司自有的党群服务中心，与金街商务楼各单位共享。",
    ),
)

# What each kind of room holds: (kind, name, quantity), the quantity of furniture in sets.
EQUIPMENT: dict[str, tuple[tuple[str, str, int], ...]] = {
    HALL: (
        (EquipmentKind.AUDIO, "专业音响（含功放）", 1),
        (EquipmentKind.MICROPHONE, "无线话筒", 4),
        (EquipmentKind.FURNITURE, "会议桌椅（套）", 60),
        (EquipmentKind.SCREEN, "LED 电子显示屏", 1),
        (EquipmentKind.PROJECTOR, "激光投影仪", 1),
    ),
    BOOK_BAR: (
        (EquipmentKind.FURNITURE, "阅读桌椅（套）", 20),
        (EquipmentKind.SCREEN, "电子阅报屏", 1),
        (EquipmentKind.OTHER, "书架", 8),
    ),
    SALON: (
        (EquipmentKind.FURNITURE, "圆桌座椅（套）", 16),
        (EquipmentKind.PROJECTOR, "投影仪", 1),
        (EquipmentKind.MICROPHONE, "会议话筒", 2),
    ),
    LECTURE: (
        (EquipmentKind.AUDIO, "音响系统", 2),
        (EquipmentKind.MICROPHONE, "无线话筒", 6),
        (EquipmentKind.FURNITURE, "阶梯座椅", 150),
        (EquipmentKind.PROJECTOR, "高清投影仪", 1),
        (EquipmentKind.SCREEN, "电子显示屏", 1),
    ),
    VenueKind.OTHER: (
        (EquipmentKind.FURNITURE, "会议桌椅（套）", 30),
        (EquipmentKind.SCREEN, "电子显示屏", 1),
        (EquipmentKind.MICROPHONE, "话筒", 2),
    ),
}

PURPOSES: dict[str, tuple[str, ...]] = {
    HALL: (
        "支部主题党日",
        "党员志愿服务集合与培训",
        "新党员入党宣誓仪式",
        "楼宇党建联席会议",
        "“两新”组织党建成果展参观",
    ),
    BOOK_BAR: ("读书分享会", "青年理论学习小组", "红色经典诵读", "职工午间读书会", "“学习强国”学习交流"),
    SALON: ("新就业群体座谈", "三会一课·党小组会", "楼宇企业人才沙龙", "网格议事会", "非公企业党建交流"),
    LECTURE: (
        "党课：学习贯彻党的二十届三中全会精神",
        "入党积极分子培训",
        "职工法律讲座",
        "反诈宣传讲座",
        "党风廉政专题党课",
    ),
    VenueKind.OTHER: ("支部委员会会议", "三会一课·支部党员大会", "主题党日"),
}

SIX_HAVE_NOTES = {
    SixHave.SITE: "党群服务中心独立场所，门牌清晰",
    SixHave.FACILITIES: "桌椅、音响、投影、电子显示屏齐全",
    SixHave.SIGN: "楼宇党建标识、指引牌已设置",
    SixHave.FLAG: "党旗、入党誓词墙规范悬挂",
    SixHave.BOOKS: "党报党刊按期订阅，书吧藏书 1,200 册",
    SixHave.RULES: "“三会一课”、阵地管理等制度上墙",
}
MISSING_SIX_HAVE = ("yiyaocheng-kechuang", SixHave.BOOKS, "党报党刊 2025 年度订阅尚未到位，书报架待补充")

TOURS = (
    # station, group, kind, visitors, day offset, hour, status, feedback
    (
        "hailing-wanda",
        "泰州康宁医药科技有限公司党支部",
        GroupKind.UNIT,
        18,
        -6,
        9,
        TourStatus.DONE,
        "讲解细致，商圈党建经验值得学习",
    ),
    (
        "fengchenghe",
        "城东街道凤凰社区党委",
        GroupKind.COMMUNITY,
        25,
        -3,
        14,
        TourStatus.DONE,
        "社区党员代表反映很好，希望常态化组织",
    ),
    ("fengchenghe", "京泰路街道春晖社区居民党员", GroupKind.COMMUNITY, 20, 4, 9, TourStatus.CONFIRMED, ""),
    ("taizhou-finance", "江苏银行泰州分行青年党员", GroupKind.UNIT, 15, 6, 14, TourStatus.CONFIRMED, ""),
    ("hq", "中共泰州市海陵区委两新工委参观团", GroupKind.UNIT, 30, 8, 9, TourStatus.REQUESTED, ""),
    ("yiyaocheng-kechuang", "泰州市第二中学团委", GroupKind.OTHER, 40, 10, 14, TourStatus.REQUESTED, ""),
    ("hailing-wanda", "城中街道稻河社区", GroupKind.COMMUNITY, 12, 2, 14, TourStatus.DECLINED, ""),
)


@dataclass
class Seeder:
    today: date
    rng: random.Random
    stations: dict[str, Station]
    people: dict[int, list[User]]  # station id -> people whose home station it is
    guides: dict[int, User]
    admins: dict[int, User]
    workers: dict[tuple[int, int | None], User]  # (station id, building id) -> worker
    venues: list[Venue]
    taken: set[tuple[int, date, int]]  # (venue, day, slot index) holding a booking

    def at(self, day: date, moment: time) -> datetime:
        return timezone.make_aware(datetime.combine(day, moment))

    def decider(self, station_id: int) -> User | None:
        return self.guides.get(station_id) or self.admins.get(station_id)

    def worker_of(self, venue: Venue) -> User | None:
        return self.workers.get((venue.station_id, venue.building_id)) or next(
            (user for (station, _), user in self.workers.items() if station == venue.station_id), None
        )


def create_venues(today: date | None = None) -> int:
    """Venues, bookings, faults, tours and 六有 of the demo stations; returns how many venues were made."""
    today = today or timezone.localdate()
    stations = {s.code: s for s in Station.objects.filter(code__in=STATIONS)}
    if not stations:
        return 0
    seeder = Seeder(
        today=today,
        rng=random.Random(f"{RANDOM_SEED}-venues"),
        stations=stations,
        people=_people_by_station(),
        guides=_holders(Role.GUIDE),
        admins=_holders(Role.STATION_ADMIN),
        workers=_workers(),
        venues=[],
        taken=set(),
    )
    _venues(seeder)
    _closed_days(seeder)
    _tours(seeder)
    _bookings(seeder)
    _faults(seeder)
    _six_have(seeder)
    return len(seeder.venues)


def _people_by_station() -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    kinds = (PersonKind.MEMBER, PersonKind.STAFF, PersonKind.WORKER)
    for user in User.objects.filter(person_kind__in=kinds, home_station__isnull=False).order_by("id"):
        if user.home_station_id is not None:
            found[user.home_station_id].append(user)
    return found


def _holders(role: str) -> dict[int, User]:
    grants = RoleAssignment.objects.filter(role=role).select_related("user").order_by("id")
    found: dict[int, User] = {}
    for grant in grants:
        found.setdefault(grant.station_id, grant.user)
    return found


def _workers() -> dict[tuple[int, int | None], User]:
    grants = RoleAssignment.objects.filter(role=Role.WORKER).select_related("user").order_by("id")
    found: dict[tuple[int, int | None], User] = {}
    for grant in grants:
        found.setdefault((grant.station_id, grant.building_id), grant.user)
    return found


# ---------------------------------------------------------------- venues, hours, equipment


def _venues(seeder: Seeder) -> None:
    buildings: dict[int, list[Building]] = defaultdict(list)
    for building in Building.objects.order_by("id"):
        buildings[building.station_id].append(building)
    rows: list[tuple[Venue, StationVenues]] = []
    for code, plan in STATIONS.items():
        station = seeder.stations.get(code)
        if station is None:
            continue
        own = buildings[station.pk]
        for spec in plan.venues:
            place = own[spec.building_index] if spec.building_index is not None and own else None
            rows.append((_venue(station, spec, building=place), plan))
    code, unit_name, spec = UNIT_CENTRE
    unit = ResidentUnit.objects.filter(name=unit_name).select_related("building").first()
    if unit is not None and code in seeder.stations:
        centre = _venue(seeder.stations[code], spec, building=unit.building, unit=unit)
        rows.append((centre, STATIONS[code]))
    Venue.objects.bulk_create([venue for venue, _ in rows])
    OpeningHours.objects.bulk_create(
        OpeningHours(venue=venue, weekday=weekday, opens=plan.opens, closes=plan.closes)
        for venue, plan in rows
        for weekday in plan.weekdays
    )
    Equipment.objects.bulk_create(
        Equipment(venue=venue, kind=kind, name=name, quantity=min(quantity, venue.capacity) or 1)
        for venue, _ in rows
        for kind, name, quantity in EQUIPMENT[venue.kind]
    )
    seeder.venues = [venue for venue, _ in rows]
    for venue, plan in rows:
        venue.plan = plan  # type: ignore[attr-defined]


def _venue(station: Station, spec: VenueSpec, *, building: Building | None, unit: Any = None) -> Venue:
    return Venue(
        station=station,
        building=building,
        unit=unit,
        name=spec.name,
        kind=spec.kind,
        capacity=spec.capacity,
        floor_label=spec.floor_label,
        room=spec.room,
        description=spec.description,
        audience=spec.audience,
        needs_approval=spec.needs_approval,
        max_duration_minutes=240 if spec.kind != LECTURE else 300,
        monthly_quota=8 if spec.kind != LECTURE else 4,
    )


def _closed_days(seeder: Seeder) -> None:
    finance = seeder.stations.get("taizhou-finance")
    if finance is not None:
        ClosedDay.objects.create(
            station=finance,
            date=_next_weekday(seeder.today + timedelta(days=10)),
            reason="消防设施年检，全站闭馆",
        )


def _next_weekday(day: date) -> date:
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def _open_slots(seeder: Seeder, venue: Venue, day: date) -> list[int]:
    plan: StationVenues = venue.plan  # type: ignore[attr-defined]
    if day.weekday() not in plan.weekdays:
        return []
    return [
        n
        for n, (start, end) in enumerate(SLOTS)
        if plan.opens <= start and end <= plan.closes and (venue.pk, day, n) not in seeder.taken
    ]


def _closed_on(day: date, station_id: int, closed: set[tuple[int, date]]) -> bool:
    return (station_id, day) in closed


# ---------------------------------------------------------------- tours


def _tours(seeder: Seeder) -> None:
    halls = {v.station_id: v for v in seeder.venues if v.kind == HALL}
    for code, group, kind, visitors, offset, hour, status, feedback in TOURS:
        station = seeder.stations.get(code)
        if station is None:
            continue
        hall = halls[station.pk]
        day = _opening_day(hall, seeder.today + timedelta(days=offset), forward=offset >= 0)
        starts_at = seeder.at(day, time(hour))
        ends_at = starts_at + timedelta(hours=2)
        guide = seeder.decider(station.pk)
        requester = seeder.rng.choice(seeder.people[station.pk])
        booking = None
        if status in (TourStatus.CONFIRMED, TourStatus.DONE):
            booking = Reservation.objects.create(
                station=station,
                venue=hall,
                holder=requester,
                purpose=f"参观接待：{group}",
                head_count=visitors,
                starts_at=starts_at,
                ends_at=ends_at,
                status=ReservationStatus.CHECKED_IN
                if status == TourStatus.DONE
                else ReservationStatus.APPROVED,
                decided_by=guide,
                decided_at=starts_at - timedelta(days=5),
                decision_reason="参观预约确认",
                checked_in_at=starts_at if status == TourStatus.DONE else None,
            )
            seeder.taken.add((hall.pk, day, SLOTS.index((time(hour), time(hour + 2)))))
        Tour.objects.create(
            station=station,
            group_name=group,
            group_kind=kind,
            contact_name=requester.real_name,
            contact_phone=requester.mobile or "0523-86000000",
            visitor_count=visitors,
            starts_at=starts_at,
            ends_at=ends_at,
            venue=hall if booking else None,
            requested_by=requester,
            guide=guide if status != TourStatus.REQUESTED else None,
            status=status,
            reservation=booking,
            actual_count=visitors - seeder.rng.randint(0, 3) if status == TourStatus.DONE else None,
            feedback=feedback,
            decision_reason="当天站点已安排全区党建工作推进会，建议改期"
            if status == TourStatus.DECLINED
            else "",
        )


def _opening_day(venue: Venue, day: date, *, forward: bool) -> date:
    plan: StationVenues = venue.plan  # type: ignore[attr-defined]
    step = timedelta(days=1 if forward else -1)
    while day.weekday() not in plan.weekdays:
        day += step
    return day


# ---------------------------------------------------------------- a month of bookings


def _bookings(seeder: Seeder) -> None:
    closed = set(ClosedDay.objects.filter(venue__isnull=True).values_list("station_id", "date"))
    now = timezone.now()
    rows: list[Reservation] = []
    for venue in seeder.venues:
        people = seeder.people.get(venue.station_id) or []
        if not people:
            continue
        for offset in range(-DAYS_BACK, DAYS_AHEAD + 1):
            day = seeder.today + timedelta(days=offset)
            if _closed_on(day, venue.station_id, closed):
                continue
            for n in _open_slots(seeder, venue, day):
                if seeder.rng.random() >= BOOKED_SHARE:
                    continue
                start, end = SLOTS[n]
                reservation = _booking(seeder, venue, seeder.rng.choice(people), day, start, end, now)
                if reservation.status in (ReservationStatus.APPROVED, ReservationStatus.CHECKED_IN):
                    seeder.taken.add((venue.pk, day, n))
                rows.append(reservation)
    rows += _demo_people_bookings(seeder, now)
    Reservation.objects.bulk_create(rows)


def _booking(
    seeder: Seeder, venue: Venue, holder: User, day: date, start: time, end: time, now: datetime
) -> Reservation:
    starts_at, ends_at = seeder.at(day, start), seeder.at(day, end)
    status = _status(seeder, venue, starts_at, now)
    decided = status not in (ReservationStatus.PENDING,)
    reservation = Reservation(
        station_id=venue.station_id,
        venue=venue,
        holder=holder,
        purpose=seeder.rng.choice(PURPOSES[venue.kind]),
        head_count=min(venue.capacity, seeder.rng.randint(6, max(8, venue.capacity * 2 // 3))),
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        decided_by=seeder.decider(venue.station_id) if decided and venue.needs_approval else None,
        decided_at=starts_at - timedelta(days=seeder.rng.randint(1, 6)) if decided else None,
        decision_reason="" if venue.needs_approval or not decided else "无需审核，自动通过",
    )
    if status == ReservationStatus.CHECKED_IN:
        reservation.checked_in_at = starts_at - timedelta(minutes=seeder.rng.randint(0, 10))
    elif status == ReservationStatus.NO_SHOW:
        reservation.released_at = starts_at + timedelta(minutes=30)
    elif status == ReservationStatus.REJECTED:
        reservation.decision_reason = "当天该场所已安排站点活动，请改约其他时段"
    return reservation


def _status(seeder: Seeder, venue: Venue, starts_at: datetime, now: datetime) -> str:
    roll = seeder.rng.random()
    if starts_at < now:
        if roll < 0.08:
            return ReservationStatus.NO_SHOW
        if roll < 0.16:
            return ReservationStatus.CANCELLED
        return ReservationStatus.CHECKED_IN
    if roll < 0.1:
        return ReservationStatus.CANCELLED
    if venue.needs_approval and roll < 0.35:
        return ReservationStatus.PENDING
    if venue.needs_approval and roll < 0.4:
        return ReservationStatus.REJECTED
    return ReservationStatus.APPROVED


def _demo_people_bookings(seeder: Seeder, now: datetime) -> list[Reservation]:
    """The demo member's and neighbour's own: an upcoming approved booking, a pending request in conflict
    with another person's (the guide's queue shows the conflict), a past no-show and a checked-in one."""
    users = {u.username: u for u in User.objects.filter(username__in=(DEMO_MEMBER, DEMO_NEIGHBOR))}
    rows: list[Reservation] = []
    plans = (
        (DEMO_MEMBER, "hailing-wanda", HALL),
        (DEMO_NEIGHBOR, "fengchenghe", BOOK_BAR),
    )
    for username, code, kind in plans:
        user, station = users.get(username), seeder.stations.get(code)
        if user is None or station is None:
            continue
        venue = next(v for v in seeder.venues if v.station_id == station.pk and v.kind == kind)
        others = [p for p in seeder.people.get(station.pk, []) if p.pk != user.pk] or [user]
        free = _free_slots(seeder, venue, range(2, DAYS_AHEAD + 1), 2)
        past = _free_slots(seeder, venue, range(-DAYS_BACK, -1), 2)
        if len(free) < 2 or len(past) < 2:
            continue
        (approved_day, approved_n), (wanted_day, wanted_n) = free
        for day, n, status in (
            (approved_day, approved_n, ReservationStatus.APPROVED),
            (past[0][0], past[0][1], ReservationStatus.NO_SHOW),
            (past[1][0], past[1][1], ReservationStatus.CHECKED_IN),
        ):
            start, end = SLOTS[n]
            row = _booking(seeder, venue, user, day, start, end, now)
            row.status = status
            row.decided_by = seeder.decider(venue.station_id)
            row.decided_at = row.starts_at - timedelta(days=3)
            row.checked_in_at = row.starts_at if status == ReservationStatus.CHECKED_IN else None
            row.released_at = (
                row.starts_at + timedelta(minutes=30) if status == ReservationStatus.NO_SHOW else None
            )
            row.decision_reason = ""
            seeder.taken.add((venue.pk, day, n))
            rows.append(row)
        start, end = SLOTS[wanted_n]
        for holder, begin in ((user, start), (seeder.rng.choice(others), time(start.hour + 1))):
            row = _booking(seeder, venue, holder, wanted_day, begin, time(end.hour + (begin != start)), now)
            row.status, row.decided_by, row.decided_at, row.decision_reason = (
                ReservationStatus.PENDING,
                None,
                None,
                "",
            )
            rows.append(row)
    return rows


def _free_slots(seeder: Seeder, venue: Venue, offsets: range, count: int) -> list[tuple[date, int]]:
    found = []
    for offset in offsets:
        day = seeder.today + timedelta(days=offset)
        slots = [n for n in _open_slots(seeder, venue, day) if n < 2]  # daytime, so +1 hour stays open
        if slots:
            found.append((day, slots[0]))
        if len(found) == count:
            break
    return found


# ---------------------------------------------------------------- faults


def _faults(seeder: Seeder) -> None:
    by_name = {v.name: v for v in seeder.venues}
    now = timezone.now()
    plans = (
        # venue, equipment kind, description, blocks, status, days ago reported, repair note
        (
            "海陵先锋讲堂",
            EquipmentKind.AUDIO,
            "讲堂音响功放短路跳闸，整场无法扩音，讲座暂停",
            True,
            FaultStatus.REPAIRED,
            9,
            "更换功放电源模块，试音正常",
        ),
        ("万达职工书吧", EquipmentKind.SCREEN, "电子阅报屏花屏，触摸无反应", False, FaultStatus.OPEN, 1, ""),
        (
            "金融青年沙龙",
            EquipmentKind.PROJECTOR,
            "投影仪灯泡亮度不足，画面发暗",
            False,
            FaultStatus.ASSIGNED,
            3,
            "",
        ),
        (
            "凤城河党群综合馆",
            EquipmentKind.MICROPHONE,
            "两只无线话筒电池仓损坏",
            False,
            FaultStatus.REPAIRED,
            12,
            "已更换电池仓盖",
        ),
    )
    rows = []
    for name, kind, description, blocks, status, days_ago, note in plans:
        venue = by_name.get(name)
        if venue is None:
            continue
        equipment = Equipment.objects.filter(venue=venue, kind=kind).first()
        reported_at = now - timedelta(days=days_ago, hours=seeder.rng.randint(1, 6))
        worker = seeder.worker_of(venue) or seeder.admins.get(venue.station_id)
        reporter = seeder.rng.choice(seeder.people.get(venue.station_id) or [worker])
        assigned = status != FaultStatus.OPEN
        rows.append(
            FaultReport(
                station_id=venue.station_id,
                venue=venue,
                equipment=equipment,
                reporter=reporter,
                description=description,
                blocks_venue=blocks,
                status=status,
                assignee=worker if assigned else None,
                reported_at=reported_at,
                assigned_at=reported_at + timedelta(hours=2) if assigned else None,
                repaired_at=reported_at + timedelta(days=1) if status == FaultStatus.REPAIRED else None,
                repair_note=note,
            )
        )
        if equipment is not None and status != FaultStatus.REPAIRED:
            Equipment.objects.filter(pk=equipment.pk).update(state=EquipmentState.FAULTY)
    FaultReport.objects.bulk_create(rows)


# ---------------------------------------------------------------- 六有 (§6.1)


def _six_have(seeder: Seeder) -> None:
    now = timezone.now()
    rows = []
    for code, station in seeder.stations.items():
        checker = next(
            (user for (station_id, _), user in seeder.workers.items() if station_id == station.pk),
            seeder.admins.get(station.pk),
        )
        for item in SixHave.values:
            missing = (code, item) == MISSING_SIX_HAVE[:2]
            rows.append(
                SixHaveItem(
                    station=station,
                    item=item,
                    met=not missing,
                    note=MISSING_SIX_HAVE[2] if missing else SIX_HAVE_NOTES[SixHave(item)],
                    checked_by=checker,
                    checked_at=now - timedelta(days=seeder.rng.randint(3, 40)),
                )
            )
    SixHaveItem.objects.bulk_create(rows)
