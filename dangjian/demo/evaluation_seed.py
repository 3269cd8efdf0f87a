"""Demo service evaluation (DB3212/T 1124 §10.1.1, §10.2, §5.2): every station's service items — 每月党课
讲座, 阵地开放, 党建指导员接待日 — with a year of deliveries (most on time, some late, some missed, the next
two months planned); a year of satisfaction answers after activities, bookings, tours and services; one
questionnaire (投票问卷) with its ballots; and two rectifications at the first branch — one closed with its
evidence, one in progress — so the indicators, the trend charts, HQ's comparison and the public
accountability page show real figures.

Written directly (seed data is not a user's action), in bulk. Deterministic (a fixed random seed).
"""

from __future__ import annotations

import io
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from dangjian.accounts.models import PersonKind, Role, RoleAssignment, User
from dangjian.demo.generators import RANDOM_SEED
from dangjian.evaluation.models import (
    Ballot,
    BallotChoice,
    OccasionKind,
    OccurrenceStatus,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Rectification,
    RectificationNote,
    RectificationSource,
    RectificationStatus,
    Recurrence,
    SatisfactionAnswer,
    SatisfactionInvitation,
    ServiceItem,
    ServiceKind,
    ServiceOccurrence,
)
from dangjian.stations.models import Station

DAYS_BACK, DAYS_AHEAD = 365, 60
SCORES = (5, 5, 5, 4, 4, 4, 4, 3, 3, 2)  # a realistic spread: about 70% satisfied
COMMENTS = (
    "讲解员讲解细致，收获很大",
    "场地干净整洁，设备齐全",
    "希望周末多开放一些时间",
    "党课内容贴近实际，很受启发",
    "预约流程方便，签到快捷",
    "空调温度偏低，建议调整",
    "",
    "",
)


@dataclass(frozen=True)
class ItemSpec:
    title: str
    kind: str
    promise: str
    recurrence: str
    weekday: int | None
    day_of_month: int | None
    at: time
    window: int
    late_share: float
    missed_share: float


ITEMS = (
    ItemSpec(
        "每月一次党课讲座",
        ServiceKind.LECTURE,
        "每月 15 日 14:30 在讲堂开讲，面向楼宇党员群众",
        Recurrence.MONTHLY,
        None,
        15,
        time(14, 30),
        15,
        0.10,
        0.05,
    ),
    ItemSpec(
        "阵地开放（周一）",
        ServiceKind.OPENING,
        "党群服务中心每周一 9:00 准时开放",
        Recurrence.WEEKLY,
        0,
        None,
        time(9, 0),
        10,
        0.06,
        0.02,
    ),
    ItemSpec(
        "党建指导员接待日",
        ServiceKind.RECEPTION,
        "每周三 9:30 党建指导员现场接待、答疑解惑",
        Recurrence.WEEKLY,
        2,
        None,
        time(9, 30),
        15,
        0.12,
        0.06,
    ),
)


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _holders(role: str) -> dict[int, User]:
    found: dict[int, User] = {}
    for grant in RoleAssignment.objects.filter(role=role).select_related("user").order_by("id"):
        found.setdefault(grant.station_id, grant.user)
    return found


def _people_by_station() -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    kinds = (PersonKind.MEMBER, PersonKind.STAFF, PersonKind.WORKER)
    for user in User.objects.filter(person_kind__in=kinds, home_station__isnull=False).order_by("id"):
        found[user.home_station_id].append(user)  # type: ignore[index]
    return found


def _scheduled_days(spec: ItemSpec, first: date, last: date) -> list[date]:
    from dangjian.evaluation.schedules import planned_days

    return list(
        planned_days(
            recurrence=spec.recurrence,
            weekday=spec.weekday,
            day_of_month=spec.day_of_month,
            first=first,
            last=last,
        )
    )


def _items(station: Station, today: date, rng: random.Random, deliverer: User | None) -> int:
    first = today - timedelta(days=DAYS_BACK)
    now = timezone.now()
    made = 0
    for spec in ITEMS:
        item = ServiceItem.objects.create(
            station=station,
            title=spec.title,
            kind=spec.kind,
            promise=spec.promise,
            recurrence=spec.recurrence,
            weekday=spec.weekday,
            day_of_month=spec.day_of_month,
            at_time=spec.at,
            window_minutes=spec.window,
            starts_on=first,
        )
        rows = []
        for day in _scheduled_days(spec, first, today + timedelta(days=DAYS_AHEAD)):
            scheduled = _aware(day, spec.at)
            row = ServiceOccurrence(
                item=item,
                station=station,
                scheduled_at=scheduled,
                window_ends_at=scheduled + timedelta(minutes=spec.window),
            )
            if row.window_ends_at < now:
                _deliver(row, spec, rng, deliverer)
            rows.append(row)
        ServiceOccurrence.objects.bulk_create(rows)
        made += 1 + len(rows)
    return made


def _deliver(row: ServiceOccurrence, spec: ItemSpec, rng: random.Random, deliverer: User | None) -> None:
    draw = rng.random()
    if draw < spec.missed_share:
        row.status = OccurrenceStatus.MISSED
        return
    late = draw < spec.missed_share + spec.late_share
    offset = timedelta(
        minutes=rng.randint(spec.window + 10, spec.window + 60) if late else rng.randint(-5, spec.window)
    )
    row.status, row.delivered_at, row.on_time = (
        OccurrenceStatus.DELIVERED,
        row.scheduled_at + offset,
        not late,
    )
    row.delivered_by = deliverer
    if late:
        row.note = rng.choice(("主讲人临时调整，推迟开始", "钥匙交接延误", "设备调试耗时"))


def _answers(station: Station, people: list[User], today: date, rng: random.Random) -> int:
    if not people:
        return 0
    kinds = list(OccasionKind.values)
    invitations = []
    for n in range(48):  # about four a month
        day = today - timedelta(days=rng.randint(1, DAYS_BACK))
        kind = kinds[n % len(kinds)]
        invitations.append(
            SatisfactionInvitation(
                station=station,
                person=people[n % len(people)],
                occasion_kind=kind,
                occasion_id=900_000 + station.pk * 1000 + n,  # demo occasions: never a real row's id
                occasion_title=_title(kind, station),
                occurred_at=_aware(day, time(15, 0)),
            )
        )
    SatisfactionInvitation.objects.bulk_create(invitations)
    answers = []
    for invitation in invitations[:-6]:  # the last ones are still waiting (待评价)
        answered_at = invitation.occurred_at + timedelta(hours=rng.randint(2, 40))
        invitation.answered_at = answered_at
        answers.append(
            SatisfactionAnswer(
                invitation=invitation,
                station=station,
                occasion_kind=invitation.occasion_kind,
                score=rng.choice(SCORES),
                comment=rng.choice(COMMENTS),
                answered_at=answered_at,
            )
        )
    SatisfactionInvitation.objects.bulk_update(invitations, ["answered_at"])
    SatisfactionAnswer.objects.bulk_create(answers)
    return len(invitations) + len(answers)


def _title(kind: str, station: Station) -> str:
    titles: dict[str, str] = {
        OccasionKind.ACTIVITY: "学习贯彻党的二十届三中全会精神主题党日",
        OccasionKind.BOOKING: f"{station.name}书吧：青年理论学习小组读书会",
        OccasionKind.TOUR: f"参观{station.name}（泰州华信软件科技有限公司党支部）",
        OccasionKind.SERVICE: "党建指导员接待日",
    }
    return titles[kind]


def _questionnaire(
    station: Station, author: User, voters: list[User], today: date, rng: random.Random
) -> int:
    found = Questionnaire.objects.create(
        station=station,
        title="关于党群服务中心周末开放时间调整的征求意见",
        description="为方便楼宇白领参加活动，拟将党群服务中心周六开放时间延长至 20:00，请各位党员群众发表意见。",
        opens_at=_aware(today - timedelta(days=20), time(9)),
        closes_at=_aware(today - timedelta(days=6), time(18)),
        created_by=author,
    )
    agree = Question.objects.create(
        questionnaire=found, text="您是否同意周六延长开放时间？", kind=QuestionKind.SINGLE, position=0
    )
    wish = Question.objects.create(
        questionnaire=found, text="您希望增加哪些服务？", kind=QuestionKind.MULTIPLE, position=1
    )
    Question.objects.create(questionnaire=found, text="其他意见和建议", kind=QuestionKind.TEXT, position=2)
    agree_options = Option.objects.bulk_create(
        Option(question=agree, text=text, position=i) for i, text in enumerate(("同意", "不同意", "无所谓"))
    )
    wish_options = Option.objects.bulk_create(
        Option(question=wish, text=text, position=i)
        for i, text in enumerate(("党课讲座", "法律咨询", "心理疏导", "亲子阅读"))
    )
    ballots = Ballot.objects.bulk_create(
        Ballot(questionnaire=found, voter=person, cast_at=found.opens_at + timedelta(hours=3 * i))
        for i, person in enumerate(voters[:24])
    )
    choices = []
    for ballot in ballots:
        choices.append(
            BallotChoice(ballot=ballot, option=agree_options[0 if rng.random() < 0.7 else rng.choice((1, 2))])
        )
        choices += [
            BallotChoice(ballot=ballot, option=o) for o in rng.sample(wish_options, rng.randint(1, 2))
        ]
    BallotChoice.objects.bulk_create(choices)
    return 1 + len(ballots)


def _evidence() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="PNG")
    return ContentFile(out.getvalue(), name="evidence.png")


def _rectifications(station: Station, admin: User, owner: User, verifier: User, today: date) -> int:
    closed = Rectification.objects.create(
        station=station,
        title="党建指导员接待日准时开始",
        problem="上一季度党建指导员接待日多次推迟开始，服务时间准确率低于 95% 的目标。",
        source=RectificationSource.INDICATOR,
        indicator="punctuality",
        owner=owner,
        verifier=verifier,
        deadline=today - timedelta(days=20),
        status=RectificationStatus.CLOSED,
        created_by=admin,
        evidence_text="接待日改由两名指导员轮值，提前 15 分钟到岗；近 8 次接待全部按时开始。",
        closed_at=_aware(today - timedelta(days=24), time(16)),
    )
    closed.evidence_file.save("evidence.png", _evidence(), save=True)
    _timeline(
        closed,
        admin,
        owner,
        verifier,
        today - timedelta(days=70),
        [
            ("站点管理员", RectificationStatus.OPEN, "根据第三季度服务评价指标制定整改措施"),
            ("整改责任人", RectificationStatus.IN_PROGRESS, "开始整改：调整指导员值班安排"),
            ("整改责任人", RectificationStatus.IN_PROGRESS, "已排出轮值表，并在党群服务中心公示"),
            ("整改责任人", RectificationStatus.PENDING_VERIFICATION, "提交验证：近 8 次接待全部按时开始"),
            ("验证人", RectificationStatus.CLOSED, "验证通过，整改办结：抽查接待记录属实"),
        ],
    )
    open_one = Rectification.objects.create(
        station=station,
        title="周末阵地开放时间落实到位",
        problem="群众反映周六上午党群服务中心开门偏晚，满意度评价中有多条相关意见。",
        source=RectificationSource.ANALYSIS,
        owner=owner,
        verifier=verifier,
        deadline=today + timedelta(days=25),
        status=RectificationStatus.IN_PROGRESS,
        created_by=admin,
    )
    _timeline(
        open_one,
        admin,
        owner,
        verifier,
        today - timedelta(days=10),
        [
            ("站点管理员", RectificationStatus.OPEN, "分析满意度评价意见，制定整改措施"),
            ("整改责任人", RectificationStatus.IN_PROGRESS, "开始整改：与物业协商提前开门"),
            ("整改责任人", RectificationStatus.IN_PROGRESS, "已与物业签订周末开门协议，试运行两周"),
        ],
    )
    return 2


def _timeline(
    measure: Rectification,
    admin: User,
    owner: User,
    verifier: User,
    start: date,
    lines: list[tuple[str, str, str]],
) -> None:
    authors = {"站点管理员": admin, "整改责任人": owner, "验证人": verifier}
    RectificationNote.objects.bulk_create(
        RectificationNote(
            rectification=measure,
            author=authors[role],
            role_title=role,
            status=status,
            text=text,
            at=_aware(start + timedelta(days=9 * i), time(10)),
        )
        for i, (role, status, text) in enumerate(lines)
    )


def create_evaluation(today: date | None = None) -> int:
    """Service items with a year of deliveries, satisfaction answers, a questionnaire with ballots and two
    rectifications; returns how many rows were made (0 when there are no stations or it already ran)."""
    today = today or timezone.localdate()
    stations = list(Station.objects.order_by("kind", "id"))
    if not stations or ServiceItem.objects.exists():
        return 0
    rng = random.Random(f"{RANDOM_SEED}-evaluation")
    admins, workers, guides = _holders(Role.STATION_ADMIN), _holders(Role.WORKER), _holders(Role.GUIDE)
    instructors = _holders(Role.INSTRUCTOR)
    people = _people_by_station()
    made = 0
    for station in stations:
        made += _items(station, today, rng, workers.get(station.pk) or guides.get(station.pk))
        made += _answers(station, people.get(station.pk, []), today, rng)
    branch = next((s for s in stations if s.kind != "hq" and s.pk in admins), None)
    if branch is not None:
        admin = admins[branch.pk]
        made += _questionnaire(branch, admin, people.get(branch.pk, []), today, rng)
        owner = workers.get(branch.pk) or guides.get(branch.pk)
        verifier = instructors.get(branch.pk) or admin
        if owner is not None and owner.pk != verifier.pk:
            made += _rectifications(branch, admin, owner, verifier, today)
    return made
