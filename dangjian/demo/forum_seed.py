"""Demo data of the forum (互动交流): the platform-wide board and one board per station, with discussions of
the 海陵区 buildings' party work, 问指导员 questions answered by the station's instructor (and some still
open), likes, a pinned notice, a locked topic, and a report waiting for the worker.

Rows are written directly (dated over the last weeks, so the boards look lived in); the counters are then
recounted by the forum's own `refresh_topic`, exactly as the services keep them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangjian.accounts.models import PersonKind, Role, RoleAssignment, User
from dangjian.demo.generators import RANDOM_SEED
from dangjian.forum import services
from dangjian.forum.models import Board, Like, Reply, Report, Topic, TopicKind
from dangjian.stations.models import Station

PLATFORM_TOPICS: list[tuple[str, str, list[str]]] = [
    (
        "【置顶】互动交流区使用须知",
        "欢迎各站点党员、入驻单位职工和周边居民在这里交流楼宇党建工作。\n"
        "1. 请文明发言，不发布广告和与党建无关的信息；\n"
        "2. 向本站党建指导员提问，请在本站交流区选择“问指导员”；\n"
        "3. 发现不当内容可点“举报”，站点党务工作者会及时处理。",
        [],
    ),
    (
        "各楼宇“三会一课”台账怎么整理更规范？",
        "我们支部刚换届，想请教一下大家，支部委员会、党员大会、党小组会和党课的台账，"
        "是按月装订还是按会议类型分册？电子台账和纸质台账要不要同时保留？",
        [
            "我们金融大厦联合党支部是按年度、按会议类型分册装订，电子版每次会后一周内上传平台。",
            "建议会议记录写明应到、实到、请假人员和议题，附签到表和照片，检查时一目了然。",
        ],
    ),
    (
        "分享：凤城河畔的红色教育线路",
        "上周末带支部党员沿凤城河走了一圈，从望海楼到梅兰芳纪念馆再到泰州学政衙署，"
        "一路讲泰州的革命历史和城市变迁，大家都说比在会议室上党课有意思。",
        ["线路能分享一下吗？我们支部下个月也想组织一次。", "梅兰芳纪念馆需要提前预约团体讲解。"],
    ),
]

STATION_TOPICS: list[tuple[str, str, list[str]]] = [
    (
        "书吧周末开放时间能不能延长？",
        "楼里不少年轻职工平时加班，只有周末有空来党群服务中心书吧看书，"
        "现在周六下午五点就关门了，能不能延长到晚上七点？",
        ["赞成，周日也希望能开放半天。", "这个建议已经转给站点了，下个月起试行周六延长开放。"],
    ),
    (
        "主题党日活动征集：大家想去哪里？",
        "七月份的主题党日准备联合楼里几家单位的支部一起开展，"
        "初步想法是参观黄桥战役纪念馆或者去社区开展志愿服务，欢迎大家留言。",
        [
            "去黄桥战役纪念馆吧，很多新党员还没去过。",
            "可以上午参观，下午到鼓楼社区做志愿服务。",
            "支持联学共建。",
        ],
    ),
    (
        "楼宇党员志愿服务队招募",
        "为周边社区老人提供智能手机使用辅导，每周三中午一小时，地点在一楼共享沙龙。"
        "有意向的党员和职工可以在下面报名。",
        ["报名，我周三中午有空。", "我也报名，可以带几位同事一起来。"],
    ),
]

QUESTIONS: list[tuple[str, str, str | None]] = [
    (
        "流动党员组织关系转接要带哪些材料？",
        "我从外地公司调到楼里的单位工作，组织关系还在老家县里，想转到楼宇联合党支部，需要准备什么？",
        "您好，可以先在全国党员管理信息系统里提出转接申请，"
        "同时准备好党员证明材料和原党组织开具的介绍信；转入后请到楼宇联合党支部报到，参加组织生活。"
        "有问题可以到二楼党群服务中心找我。",
    ),
    (
        "党费基数每年什么时候调整？",
        "今年单位调了工资，党费要从哪个月开始按新的基数交？",
        "党费基数一般每年核定一次，按上一年度月平均工资收入计算。"
        "工资调整后，请在下一次核定时如实申报，支部会统一调整；之前的月份不用补交差额。",
    ),
    (
        "入党积极分子的培养联系人可以是其他单位的党员吗？",
        "我们公司只有两名党员，都比较忙，积极分子的培养联系人能不能请楼里其他单位的党员担任？",
        None,
    ),
    (
        "楼宇联合党支部能不能接收非公企业的新员工党员？",
        "我们是一家刚入驻的小微企业，有一位新员工是党员，单位还没有党组织，他的关系应该转到哪里？",
        None,
    ),
]


def create_forum(today: date | None = None) -> int:
    """The boards of the demo stations with their topics; returns how many topics were made."""
    today = today or timezone.localdate()
    rng = random.Random(f"{RANDOM_SEED}-forum")
    stations = list(Station.objects.order_by("sort_order", "id"))
    if not stations:
        return 0
    people = _people_by_station()
    made = _platform(services.platform_board(), people, rng, today)
    for station in stations:
        if station.kind == "hq":
            continue
        board = services.station_board(station)
        made += _station(board, station, people.get(station.pk, []), rng, today)
    return made


def _people_by_station() -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    kinds = (PersonKind.MEMBER, PersonKind.STAFF, PersonKind.WORKER)
    for user in User.objects.filter(person_kind__in=kinds, home_station__isnull=False).order_by("id"):
        if user.home_station_id is not None:
            found[user.home_station_id].append(user)
    return found


def _holders(role: str, station: Station) -> list[User]:
    ids = RoleAssignment.objects.filter(role=role, station=station).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("id"))


def _moment(today: date, days_ago: int, hour: int, rng: random.Random) -> datetime:
    local = datetime.combine(today - timedelta(days=days_ago), time(hour, rng.randrange(0, 60)))
    return timezone.make_aware(local)


def _topic(board: Board, author: User, title: str, body: str, at: datetime, **extra: object) -> Topic:
    return Topic.objects.create(
        board=board,
        station_id=board.station_id,
        author=author,
        title=title,
        body=body,
        created_at=at,
        last_activity_at=at,
        **extra,
    )


def _replies(topic: Topic, texts: list[str], people: list[User], at: datetime, rng: random.Random) -> None:
    for position, body in enumerate(texts):
        author = people[(position + 1) % len(people)]
        Reply.objects.create(
            topic=topic,
            station_id=topic.station_id,
            author=author,
            body=body,
            created_at=at + timedelta(hours=2 + position * 5),
        )
    _likes(topic, people, rng)
    services.refresh_topic(topic.pk)


def _likes(topic: Topic, people: list[User], rng: random.Random) -> None:
    likers = rng.sample(people, k=min(len(people), rng.randrange(1, 6)))
    Like.objects.bulk_create([Like(user=person, topic=topic) for person in likers], ignore_conflicts=True)
    Topic.objects.filter(pk=topic.pk).update(
        like_count=Like.objects.filter(topic=topic, reply__isnull=True).count()
    )


def _platform(board: Board, people: dict[int, list[User]], rng: random.Random, today: date) -> int:
    everyone = [person for group in people.values() for person in group][:40]
    hq_admins = list(
        User.objects.filter(roles__role=Role.STATION_ADMIN, roles__station__kind="hq").distinct()
    )
    if not everyone:
        return 0
    for index, (title, body, texts) in enumerate(PLATFORM_TOPICS):
        author = hq_admins[0] if index == 0 and hq_admins else everyone[index % len(everyone)]
        at = _moment(today, 30 - index * 8, 10, rng)
        topic = _topic(
            board,
            author,
            title,
            body,
            at,
            is_pinned=index == 0,
            is_locked=index == 0,
            locked_reason="须知类主题不接受回复" if index == 0 else "",
        )
        _replies(topic, texts, everyone, at, rng)
    return len(PLATFORM_TOPICS)


def _station(board: Board, station: Station, people: list[User], rng: random.Random, today: date) -> int:
    if len(people) < 2:
        return 0
    instructors = _holders(Role.INSTRUCTOR, station)
    made = 0
    for index, (title, body, texts) in enumerate(STATION_TOPICS):
        at = _moment(today, 20 - index * 6, 9 + index, rng)
        topic = _topic(board, people[index % len(people)], title, body, at, is_pinned=index == 2)
        _replies(topic, texts, people, at, rng)
        made += 1
    for index, (title, body, answer) in enumerate(QUESTIONS):
        at = _moment(today, 12 - index * 3, 14, rng)
        asker = people[(index + 3) % len(people)]
        topic = _topic(board, asker, title, body, at, kind=TopicKind.QUESTION)
        if answer and instructors:
            _answer(topic, instructors[0], answer, at)
        services.refresh_topic(topic.pk)
        made += 1
    _report(board, people)
    return made


def _answer(topic: Topic, instructor: User, body: str, asked_at: datetime) -> None:
    reply = Reply.objects.create(
        topic=topic,
        station_id=topic.station_id,
        author=instructor,
        body=body,
        by_instructor=True,
        created_at=asked_at + timedelta(hours=20),
    )
    Topic.objects.filter(pk=topic.pk).update(
        answer=reply, answered_by=instructor, answered_at=reply.created_at
    )


def _report(board: Board, people: list[User]) -> None:
    """One report waiting for the station's worker, on an ordinary reply (to be dismissed)."""
    reply = Reply.objects.filter(topic__board=board).order_by("id").first()
    if reply is None:
        return
    reporter = next((p for p in people if p.pk != reply.author_id), None)
    if reporter is not None:
        Report.objects.create(
            station_id=board.station_id,
            topic=reply.topic,
            reply=reply,
            reporter=reporter,
            reason="回复内容与主题无关，疑似刷屏",
        )
