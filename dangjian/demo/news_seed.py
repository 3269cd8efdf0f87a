"""Demo articles: what a district's platform would show in its first months — HQ items synced to every
branch, each branch's own news, a notice, and a few items still in the review workflow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from dangjian.accounts.models import Role, RoleAssignment, User
from dangjian.news.models import Article, ArticleRevision, Audience, Column, RevisionState
from dangjian.news.services import index_article
from dangjian.stations.models import Station

PUBLISHED, SUBMITTED, RETURNED, DRAFT = "published", "submitted", "returned", "draft"


@dataclass(frozen=True)
class DemoArticle:
    station: str  # "hq" or the index of a branch (1-based) in sort order
    column: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    days_ago: int
    state: str = PUBLISHED
    synced: bool = False
    pinned: bool = False
    audience: str = Audience.PUBLIC
    comment: str = ""


ARTICLES = (
    DemoArticle(
        "hq",
        "yaowen",
        "海陵区召开楼宇党建共享平台建设推进会",
        "会议部署“1+N”总站分站建设，推动楼宇党建资源共建共享。",
        (
            "11月18日，海陵区楼宇党建共享平台建设推进会在总站召开。各分站负责人、党建指导员和楼宇党务工作者参加会议。",
            "会议要求，各分站对照 DB3212/T 1124—2023 标准，落实“六有”阵地建设和“一馆三区”功能布局，年底前完成达标验收。",
        ),
        3,
        synced=True,
        pinned=True,
    ),
    DemoArticle(
        "hq",
        "tongzhi",
        "关于开展2026年度“两优一先”推荐工作的通知",
        "请各楼宇党组织于12月15日前报送推荐材料。",
        (
            "各楼宇党组织：根据区委组织部统一部署，现启动年度优秀共产党员、优秀党务工作者和先进基层党组织推荐工作。",
            "推荐材料请通过平台“党务公开”栏目同步公示，公示期不少于5个工作日。",
        ),
        5,
        synced=True,
    ),
    DemoArticle(
        "hq",
        "zhengce",
        "《楼宇党建共享平台建设规范》地方标准解读",
        "从平台结构、阵地建设、功能模块和评价改进四个方面解读标准要点。",
        (
            "DB3212/T 1124—2023 明确了“1+N”总站分站模式，要求总站统筹、分站联动、资源共享。",
            "标准提出每季度开展活动不少于3次、每月确定1个主题，并在活动后及时归档台账。",
        ),
        12,
        synced=True,
    ),
    DemoArticle(
        "hq",
        "xuexi",
        "学习资料：习近平总书记关于基层党建的重要论述摘编",
        "供各楼宇党支部“三会一课”学习使用。",
        (
            "本期摘编围绕加强新兴领域党建工作、推动党组织和党的工作有效覆盖等内容整理。",
            "请各支部结合主题党日活动组织集中学习，并在平台记录学习情况。",
        ),
        20,
        synced=True,
    ),
    DemoArticle(
        "1",
        "yaowen",
        "万达广场分站开展“红色物业”楼宇议事会",
        "楼宇党组织、物业和入驻企业共商停车难、快递收发等问题。",
        (
            "11月20日下午，万达广场分站召开楼宇议事会，12家入驻企业代表参会。",
            "会议议定增设快递集中收发点、错峰开放地下车库，相关事项由网格长跟进落实。",
        ),
        2,
    ),
    DemoArticle(
        "1",
        "fengcai",
        "华信软件党支部：党员先锋岗助力项目攻坚",
        "支部设立5个党员先锋岗，带动研发团队按期交付政务系统。",
        (
            "泰州华信软件科技有限公司党支部把支部建在项目上，党员骨干认领关键模块。",
            "今年以来，先锋岗累计解决技术难题23项，获评区级“党建引领发展示范项目”。",
        ),
        8,
    ),
    DemoArticle(
        "1",
        "tongzhi",
        "万达广场分站12月主题党日活动安排",
        "本月主题：学习贯彻全会精神，争做新时代楼宇先锋。",
        (
            "时间：12月6日（周六）上午9:00；地点：万达广场写字楼A座3楼党群服务中心讲堂。",
            "请各支部组织党员准时参加，活动结束后上传台账。",
        ),
        1,
        audience=Audience.LOGGED_IN,
    ),
    DemoArticle(
        "2",
        "yaowen",
        "金融大厦分站举办“金融服务进楼宇”活动",
        "6家银行网点党支部联合为入驻企业提供融资咨询。",
        (
            "活动现场共接待企业咨询40余次，达成意向融资3笔。",
            "分站将把“金融服务进楼宇”纳入党建联盟年度共建项目清单，每季度开展一次。",
        ),
        4,
    ),
    DemoArticle(
        "3",
        "yaowen",
        "医药城科创大厦分站“书吧夜读”开放",
        "书吧延长开放至晚上9点，方便加班职工阅读学习。",
        (
            "分站书吧新增党建读物、医药专业书籍600余册，支持扫码借阅。",
            "周边社区居民凭身份证登记即可入内阅读，体现楼宇资源片区共享。",
        ),
        6,
    ),
    DemoArticle(
        "4",
        "yaowen",
        "凤城河商务区分站向周边社区开放讲堂",
        "讲堂每周三下午向城中街道居民开放预约。",
        (
            "作为大型分站，凤城河商务区分站把讲堂、沙龙等空间向周边楼宇和社区开放。",
            "首期“法律进社区”讲座吸引居民60余人参加。",
        ),
        9,
    ),
    DemoArticle(
        "1",
        "yaowen",
        "万达广场楼宇联合党支部开展志愿服务周",
        "党员志愿者为楼宇职工提供义诊、法律咨询等服务。",
        ("志愿服务周期间，共有38名党员参与，服务职工群众300余人次。",),
        0,
        state=SUBMITTED,
    ),
    DemoArticle(
        "1",
        "fengcai",
        "律所党支部开展“法治体检”进企业",
        "为楼宇中小企业免费开展合同风险排查。",
        ("支部律师党员走访企业15家，提出风险提示40余条。",),
        1,
        state=RETURNED,
        comment="请补充活动照片，并核实走访企业数量。",
    ),
    DemoArticle(
        "2", "xuexi", "金融大厦分站党员学习笔记选登（草稿）", "整理中。", ("待补充。",), 0, state=DRAFT
    ),
)


def create_articles(now: Any = None) -> int:
    now = now or timezone.now()
    stations = _stations()
    columns = {c.slug: c for c in Column.objects.all()}
    created = 0
    for spec in ARTICLES:
        station = stations[spec.station]
        author, reviewer = _people_of(station)
        _create(spec, station=station, column=columns[spec.column], author=author, reviewer=reviewer, now=now)
        created += 1
    return created


def _stations() -> dict[str, Station]:
    branches = list(Station.objects.filter(kind="branch").order_by("sort_order", "id"))
    stations = {str(n): station for n, station in enumerate(branches, start=1)}
    stations["hq"] = Station.objects.get(kind="hq")
    return stations


def _people_of(station: Station) -> tuple[User, User]:
    def holder(role: Role) -> User:
        grant = (
            RoleAssignment.objects.filter(station=station, role=role)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if grant is None:
            grant = (
                RoleAssignment.objects.filter(station=station).select_related("user").order_by("id").first()
            )
        assert grant is not None, f"no role holder at {station}"
        return grant.user

    return holder(Role.WORKER), holder(Role.INSTRUCTOR)


def _create(
    spec: DemoArticle, *, station: Station, column: Column, author: User, reviewer: User, now: Any
) -> None:
    at = now - timedelta(days=spec.days_ago, hours=2)
    content = {
        "column": column,
        "title": spec.title,
        "summary": spec.summary,
        "body": "".join(f"<p>{p}</p>" for p in spec.paragraphs),
        "audience": spec.audience,
        "pinned": spec.pinned,
        "sync_to_all": spec.synced and station.is_hq,
    }
    article = Article.objects.create(station=station, author=author, status=spec.state, **content)
    revision = ArticleRevision.objects.create(
        article=article,
        number=1,
        created_by=author,
        created_at=at,
        state=_revision_state(spec.state),
        **content,
    )
    if spec.state != DRAFT:
        revision.submitted_by, revision.submitted_at = author, at
    if spec.state in (PUBLISHED, RETURNED):
        revision.reviewed_by, revision.reviewed_at, revision.review_comment = reviewer, at, spec.comment
    revision.save()
    article.latest_revision = revision
    if spec.state == PUBLISHED:
        article.live_revision, article.published_at, article.visible_from, article.announced_at = (
            revision,
            at,
            at,
            at,
        )
        article.view_count = 30 + 17 * spec.days_ago
    article.save()
    Article.objects.filter(pk=article.pk).update(created_at=at, updated_at=at)
    if spec.state == PUBLISHED:
        index_article(article)


def _revision_state(state: str) -> str:
    return {
        PUBLISHED: RevisionState.APPROVED,
        SUBMITTED: RevisionState.SUBMITTED,
        RETURNED: RevisionState.RETURNED,
        DRAFT: RevisionState.DRAFT,
    }[state]
