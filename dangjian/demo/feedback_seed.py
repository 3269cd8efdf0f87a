"""Demo feedback (DB3212/T 1124 §10.1.2): a year of complaints, suggestions, praise and questions at every
station, through all five channels (入驻单位, 周边楼宇·街道·社区, 投诉箱, 意见簿, 互联网反馈), handled the
whole way: most closed with a reply, complaints decided valid or invalid, many rated by their submitters;
a few reopened after "问题解决了吗？" and closed again; this week's still open, some of them overdue and
escalated to the station admin or HQ. Each item has its timeline.

Written directly in bulk (seed data is not a user's action); deterministic (a seeded random generator and
tracking codes drawn from it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import PersonKind, Role, RoleAssignment, User
from dangjian.demo.generators import RANDOM_SEED
from dangjian.feedback import rules
from dangjian.feedback.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Channel,
    Escalation,
    EventAction,
    Feedback,
    FeedbackContact,
    FeedbackEvent,
    Kind,
    Resolution,
    Status,
    Validity,
)
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import ResidentUnit, Station

MONTHS = 12
PER_MONTH = (4, 9)  # items per station and month
CHANNEL_WEIGHTS = {
    Channel.ONLINE: 35,
    Channel.UNIT: 25,
    Channel.SURROUNDINGS: 18,
    Channel.BOX: 12,
    Channel.BOOK: 10,
}
KIND_WEIGHTS = {Kind.COMPLAINT: 28, Kind.SUGGESTION: 34, Kind.PRAISE: 16, Kind.CONSULTATION: 22}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高梁郑罗宋谢唐韩曹许邓冯"
TITLES = ("先生", "女士")

# (title, content, reply) by kind: what people in the buildings of 海陵区 write and are told.
TEXTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    Kind.COMPLAINT: (
        (
            "党群服务中心周末经常不开门",
            "上周六下午两点到三楼党群服务中心想借书，门是锁着的，门口的开放时间写的是周六 9:00–17:00。",
            "经核实，当天值班人员临时参加社区防汛演练未安排替班。已调整周末双人值班，并在门口公示值班电话。",
        ),
        (
            "会议室预约审核太慢",
            "我们支部提前五天在平台上预约了二楼沙龙，到前一天还没有审核结果，只好改到公司会议室。",
            "已向讲解员核实，审核提醒被遗漏。现已设置两个工作日内必审，超时自动提醒站点管理员。",
        ),
        (
            "书吧空调温度太低",
            "书吧空调常年开在 20 度左右，坐半小时就冷，老年读者意见很大。",
            "已请物业将书吧空调设定为 26 度，并在书吧入口备了几条薄毯供读者取用。",
        ),
        (
            "电子屏播放声音太大影响办公",
            "一楼大厅电子显示屏午休时间也在播放宣传片，声音很大，楼上办公室都能听见。",
            "已将午休时段（12:00–13:30）设为静音播放，其余时段音量调低。",
        ),
        (
            "活动报名后没有收到通知",
            "报名了“学习二十届三中全会精神”专题党课，平台显示报名成功，但一直没有收到时间地点的通知。",
            "系统短信通道当天故障，已逐一电话通知报名党员，并在平台消息中补发了通知。",
        ),
        (
            "停车位被活动车辆长期占用",
            "党建活动期间外来车辆把写字楼地面临时停车位都占满了，来办事的客户没地方停。",
            "已与物业协商，活动车辆统一停放到地下二层 B 区，地面车位保留给办事群众。",
        ),
    ),
    Kind.SUGGESTION: (
        (
            "建议书吧增加少儿读物",
            "周末很多家长带孩子来书吧，希望能增加一些适合小学生的红色故事绘本。",
            "感谢建议，已采购《红色经典故事绘本》等 120 册少儿读物，设立亲子阅读角。",
        ),
        (
            "建议开设午间微党课",
            "写字楼白领工作忙，晚上很难参加学习，建议每周三中午安排 30 分钟的微党课。",
            "已从下月起每周三 12:15–12:45 在二楼讲堂开设“午间微党课”，欢迎报名。",
        ),
        (
            "希望增加夜间开放时段",
            "互联网公司加班多，能否每周有一两天党群服务中心开放到晚上九点？",
            "自本月起每周二、周四开放至 21:00，并安排志愿者值守。",
        ),
        (
            "建议在平台上公示活动照片",
            "参加了活动后想找当天的照片，建议活动结束后在平台上公布活动纪实。",
            "已要求活动结束后三个工作日内在“活动纪实”栏目发布图文，欢迎关注。",
        ),
        (
            "建议组织入驻企业联谊",
            "楼里企业很多但彼此不熟悉，建议以党建联盟为纽带组织一次企业联谊和资源对接会。",
            "已纳入党建联盟下季度计划，拟在凤城河畔组织“楼宇企业资源对接会”。",
        ),
        (
            "自习区插座太少",
            "书吧自习区只有两个插座，带电脑来的人经常抢不到，建议增加。",
            "已请物业在自习区加装 12 个带 USB 的插座。",
        ),
    ),
    Kind.PRAISE: (
        (
            "感谢讲解员的耐心讲解",
            "带公司新员工参观党建馆，讲解员讲得生动细致，大家很受教育，特此表扬。",
            "感谢您的肯定，我们会继续做好参观讲解服务，欢迎再来。",
        ),
        (
            "为党务工作者点赞",
            "我们小微企业不懂怎么成立党支部，站里的党务工作者上门指导了三次，帮我们顺利成立了联合党支部。",
            "感谢表扬，指导企业党建是我们的本职工作，有问题随时联系。",
        ),
        (
            "志愿服务很暖心",
            "下雨天在门口看到志愿者给来办事的老人撑伞，还帮忙取号，非常暖心。",
            "已将您的表扬转达给“红色楼宇”志愿服务队，谢谢您的鼓励。",
        ),
    ),
    Kind.CONSULTATION: (
        (
            "流动党员怎么转接组织关系",
            "我是从外地来泰州工作的党员，组织关系还在老家，请问怎么转到楼宇联合党支部？",
            "可通过全国党员管理信息系统发起转接，也可携带介绍信到站点，党务工作者会全程协助办理。",
        ),
        (
            "场地是否可以预约用于企业培训",
            "想借用党群服务中心讲堂开展公司内部业务培训，是否可以预约？",
            "讲堂优先用于党建活动，非党建用途可在空闲时段预约，须提前三天申请并说明内容。",
        ),
        (
            "党费标准怎么计算",
            "今年工资调整了，党费应该按什么基数交？",
            "按税后月工资收入（扣除个人缴纳的五险一金）确定基数和比例，可在平台“党费”页面查看测算。",
        ),
        (
            "入党积极分子培训什么时候开班",
            "我已经递交入党申请书半年了，想知道积极分子培训班什么时候开班。",
            "今年第二期入党积极分子培训班预计下月中旬开班，党支部会提前通知您报名。",
        ),
    ),
}
INVALID_REASONS = (
    "反映的是写字楼物业收费问题，不属于站点服务事项，已告知向物业公司反映",
    "经现场核实，反映的情况与事实不符",
    "重复投诉，已在另一条反馈中一并办理",
)
REOPEN_REASONS = (
    "修好没几天又出现同样的问题",
    "答复说会公示值班电话，但门口还是没有",
    "这个周末还是没有开门",
)
RATING_COMMENTS = {
    5: ("答复很及时，问题解决了", "态度很好，谢谢", "办得快，点赞"),
    4: ("基本满意，希望继续保持", "解决了，就是等的时间长了点"),
    3: ("一般，希望下次更快一些",),
    2: ("答复有点敷衍",),
    1: ("问题没有真正解决",),
}


@dataclass
class Seeder:
    today: date
    rng: random.Random
    handlers: dict[int, list[User]]
    admins: dict[int, list[User]]
    people: list[User]
    organizations: dict[int, list[PartyOrganization]]
    units: dict[int, list[ResidentUnit]]
    codes: set[str] = field(default_factory=set)
    feedback: list[Feedback] = field(default_factory=list)
    contacts: list[FeedbackContact] = field(default_factory=list)
    steps: dict[int, list[tuple[str, User | None, str, datetime]]] = field(default_factory=dict)

    def code(self) -> str:
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def moment(self, day: date, hour: int | None = None) -> datetime:
        hour = hour if hour is not None else self.rng.randint(8, 20)
        local = datetime.combine(day, time(hour, self.rng.randint(0, 59)))
        return timezone.make_aware(local, timezone.get_default_timezone())

    def pick(self, weights: dict[Any, int]) -> Any:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]


def create_feedback(today: date | None = None) -> int:
    """A year of feedback at every active station; returns how many items were made."""
    today = today or timezone.localdate()
    stations = list(Station.objects.filter(is_active=True).order_by("id"))
    if not stations:
        return 0
    seeder = Seeder(
        today=today,
        rng=random.Random(f"{RANDOM_SEED}-feedback"),
        handlers=_holders(Role.WORKER, Role.GUIDE, Role.STATION_ADMIN),
        admins=_holders(Role.STATION_ADMIN),
        people=list(
            User.objects.filter(
                person_kind__in=(PersonKind.MEMBER, PersonKind.RESIDENT, PersonKind.STAFF)
            ).order_by("id")[:200]
        ),
        organizations=_by_station(PartyOrganization.objects.filter(is_active=True)),
        units=_by_station(ResidentUnit.objects.filter(is_active=True)),
    )
    for station in stations:
        for month in range(MONTHS, -1, -1):
            for _ in range(seeder.rng.randint(*PER_MONTH)):
                offset = month * 30 + seeder.rng.randint(0, 29)
                if offset <= 0 or (month == 0 and offset > 29):
                    offset = seeder.rng.randint(0, 6)
                _one(seeder, station, today - timedelta(days=offset))
    _save(seeder)
    return len(seeder.feedback)


def _holders(*roles: str) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {}
    for assignment in RoleAssignment.objects.filter(role__in=roles).select_related("user").order_by("id"):
        people = found.setdefault(assignment.station_id, [])
        if assignment.user not in people:
            people.append(assignment.user)
    return found


def _by_station(queryset: Any) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for row in queryset.order_by("id"):
        found.setdefault(row.station_id, []).append(row)
    return found


def _one(seeder: Seeder, station: Station, received_on: date) -> None:
    rng = seeder.rng
    kind = seeder.pick(KIND_WEIGHTS)
    channel = seeder.pick(CHANNEL_WEIGHTS)
    title, content, reply = rng.choice(TEXTS[kind])
    handlers = seeder.handlers.get(station.pk) or seeder.admins.get(station.pk) or []
    handler = rng.choice(handlers) if handlers else None
    paper = channel in (Channel.BOX, Channel.BOOK)
    submitter = None if paper or rng.random() < 0.45 or not seeder.people else rng.choice(seeder.people)
    received_at = seeder.moment(received_on)
    units = seeder.units.get(station.pk) or []
    organizations = seeder.organizations.get(station.pk) or []
    item = Feedback(
        station=station,
        channel=channel,
        kind=kind,
        title=title,
        content=content,
        submitter=submitter,
        entered_by=handler if paper else None,
        tracking_code=seeder.code(),
        received_at=received_at,
        created_at=received_at,
        due_on=rules.due_date(kind, received_on),
        unit=rng.choice(units) if channel == Channel.UNIT and units else None,
        organization=rng.choice(organizations)
        if kind == Kind.COMPLAINT and organizations and rng.random() < 0.5
        else None,
    )
    first = EventAction.ENTER if paper else EventAction.SUBMIT
    seeder.steps[id(item)] = [(first, submitter or (handler if paper else None), "", received_at)]
    _handle(seeder, item, handler, reply)
    seeder.feedback.append(item)
    if not paper or rng.random() < 0.4:
        name = rng.choice(SURNAMES) + rng.choice(TITLES)
        phone = f"1{rng.choice('35789')}{rng.randint(100000000, 999999999)}"
        seeder.contacts.append(FeedbackContact(feedback=item, station=station, name=name, phone=phone))


def _step(seeder: Seeder, item: Feedback, action: str, actor: User | None, note: str, at: datetime) -> None:
    seeder.steps[id(item)].append((action, actor, note, at))


def _handle(seeder: Seeder, item: Feedback, handler: User | None, reply: str) -> None:
    """Move the item as far as its age allows: a week-old one is still open (some overdue), older ones
    replied and mostly closed; some rated, a few reopened and closed again."""
    rng, age = seeder.rng, (seeder.today - timezone.localtime(item.received_at).date()).days
    if handler is None:
        return
    at = item.received_at + timedelta(hours=rng.randint(1, 20))
    item.assignee, item.status = handler, Status.ASSIGNED
    _step(seeder, item, EventAction.ASSIGN, handler, "已分派承办人办理", at)
    if age <= 12 and rng.random() < 0.55:
        _leave_open(seeder, item, handler, at)
        return
    at += timedelta(hours=rng.randint(1, 30))
    item.status = Status.IN_PROGRESS
    _step(seeder, item, EventAction.START, handler, "承办人正在办理", at)
    at += timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6))
    item.status, item.reply, item.replied_at, item.replied_by = Status.REPLIED, reply, at, handler
    _step(seeder, item, EventAction.REPLY, handler, reply, at)
    if item.kind == Kind.COMPLAINT:
        _decide(seeder, item, handler, at)
    if age <= 10 and rng.random() < 0.5:
        return
    _close(seeder, item, handler, at + timedelta(days=1))
    if item.kind == Kind.COMPLAINT and item.validity == Validity.VALID and rng.random() < 0.12 and age > 30:
        _reopen_and_close(seeder, item, handler)


def _leave_open(seeder: Seeder, item: Feedback, handler: User, at: datetime) -> None:
    if seeder.rng.random() < 0.5:
        item.status = Status.IN_PROGRESS
        _step(seeder, item, EventAction.START, handler, "承办人正在办理", at + timedelta(hours=2))
    if item.due_on < seeder.today:
        item.escalation, item.escalated_station_at = (
            Escalation.STATION,
            seeder.moment(item.due_on + timedelta(days=1), 9),
        )
        _step(
            seeder,
            item,
            EventAction.ESCALATE_STATION,
            None,
            "已超过答复期限，已提醒站点管理员督办",
            item.escalated_station_at,
        )
        hq_day = item.due_on + timedelta(days=1 + rules.HQ_ESCALATION_DAYS)
        if hq_day <= seeder.today:
            item.escalation, item.escalated_hq_at = Escalation.HQ, seeder.moment(hq_day, 9)
            _step(
                seeder,
                item,
                EventAction.ESCALATE_HQ,
                None,
                "逾期仍未答复，已报总站督办",
                item.escalated_hq_at,
            )


def _decide(seeder: Seeder, item: Feedback, handler: User, at: datetime) -> None:
    if seeder.rng.random() < 0.2:
        item.validity, item.validity_reason = Validity.INVALID, seeder.rng.choice(INVALID_REASONS)
        note = f"认定为无效投诉：{item.validity_reason}"
    else:
        item.validity, note = Validity.VALID, "认定为有效投诉"
    item.validity_decided_at = at
    _step(seeder, item, EventAction.DECIDE, handler, note, at)


def _close(seeder: Seeder, item: Feedback, handler: User, at: datetime) -> None:
    rng = seeder.rng
    invalid = item.validity == Validity.INVALID
    item.resolution = Resolution.UNRESOLVED if invalid or rng.random() < 0.08 else Resolution.RESOLVED
    item.status, item.closed_at = Status.CLOSED, at
    _step(seeder, item, EventAction.CLOSE, handler, f"办结：{item.get_resolution_display()}", at)
    if rng.random() < 0.6:
        rating = (
            rng.choice((5, 5, 5, 4, 4, 3, 2))
            if item.resolution == Resolution.RESOLVED
            else rng.choice((3, 2, 1))
        )
        item.rating, item.rating_comment = rating, rng.choice(RATING_COMMENTS[rating])
        item.rated_at = at + timedelta(hours=rng.randint(2, 48))
        _step(
            seeder,
            item,
            EventAction.RATE,
            item.submitter,
            f"{rating} 分：{item.rating_comment}",
            item.rated_at,
        )
    if item.resolution == Resolution.RESOLVED and rng.random() < 0.3:
        item.confirmed_solved_at = at + timedelta(days=1)
        _step(
            seeder,
            item,
            EventAction.CONFIRM,
            item.submitter,
            "提交人确认问题已解决",
            item.confirmed_solved_at,
        )


def _reopen_and_close(seeder: Seeder, item: Feedback, handler: User) -> None:
    """ "问题解决了吗？" — 未解决: reopened, handled again and closed as resolved."""
    rng = seeder.rng
    assert item.closed_at is not None
    reopened = item.closed_at + timedelta(days=rng.randint(1, 4))
    item.confirmed_solved_at = None
    seeder.steps[id(item)] = [s for s in seeder.steps[id(item)] if s[0] != EventAction.CONFIRM]
    _step(seeder, item, EventAction.REOPEN, item.submitter, rng.choice(REOPEN_REASONS), reopened)
    item.reopen_count = 1
    second_reply = "再次核实后已彻底整改，并安排专人每周检查，感谢您的监督。"
    replied = reopened + timedelta(days=1)
    item.reply, item.replied_at = second_reply, replied
    _step(seeder, item, EventAction.REPLY, handler, second_reply, replied)
    item.resolution, item.closed_at = Resolution.RESOLVED, replied + timedelta(hours=3)
    _step(seeder, item, EventAction.CLOSE, handler, "办结：已解决", item.closed_at)
    item.rating, item.rating_comment, item.rated_at = (
        4,
        "第二次办理很认真，问题解决了",
        item.closed_at + timedelta(days=1),
    )
    _step(seeder, item, EventAction.RATE, item.submitter, "4 分：第二次办理很认真，问题解决了", item.rated_at)


def _save(seeder: Seeder) -> None:
    Feedback.objects.bulk_create(seeder.feedback, batch_size=500)
    with scopes_disabled():
        FeedbackContact.objects.bulk_create(seeder.contacts, batch_size=500)
    events = [
        FeedbackEvent(feedback=item, action=action, actor=actor, note=note, at=at)
        for item in seeder.feedback
        for action, actor, note, at in seeder.steps[id(item)]
    ]
    FeedbackEvent.objects.bulk_create(events, batch_size=1000)
