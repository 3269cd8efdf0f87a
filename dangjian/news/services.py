"""Article workflow: draft → submitted → published or returned → withdrawn/archived (§5.5), with
revisions so that a published article stays live while its next version is reviewed.

Every transition locks the article row, checks the state (dangjian.core.workflow), checks the role,
writes the audit log and an `ArticleEvent`, and tells the next person on commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.core import cache as page_cache
from dangjian.core import live, notifications, search
from dangjian.core.audit import record_event
from dangjian.core.richtext import foreign_image_sources, sanitize_html
from dangjian.core.services import save_audited
from dangjian.core.uploads import clean_image_upload
from dangjian.core.workflow import (
    CLOSED_STATUSES,
    EDITABLE_REVISION_STATES,
    REVISION_TRANSITIONS,
    ReviewAction,
    ReviewStatus,
    TransitionError,
    next_status,
    refuse_self_review,
    require_comment,
)
from dangjian.news import selectors
from dangjian.news.attachments import attachment_name, sniff_attachment
from dangjian.news.models import (
    Article,
    ArticleAttachment,
    ArticleContent,
    ArticleEvent,
    ArticleRevision,
    Audience,
    Column,
    Recommendation,
    RevisionState,
    StationHiddenArticle,
)

BODY_IMAGE_FOLDER = "news/body"  # pictures inside article bodies: news/body/<yyyy>/<mm>/<random>.<ext>


# ------------------------------------------------------------------ writing


@transaction.atomic
def article_create(*, actor: User, station: Any, content: Mapping[str, Any]) -> Article:
    _require(actor, "news.add_article", station)
    _refuse_unpublishable(content, station=station)
    article = Article(station=station, author=actor, status=ReviewStatus.DRAFT)
    _apply_content(article, content, station=station)
    article.save()
    revision = _new_revision(article, actor=actor, content=content)
    article.latest_revision = revision
    article.save(update_fields=["latest_revision"])
    _log(article, revision, actor, "create", "创建草稿")
    return article


@transaction.atomic
def article_save_draft(*, actor: User, article: Article, content: Mapping[str, Any]) -> ArticleRevision:
    """Edit the working revision. A published article gets a new revision; the live copy is untouched."""
    article = _locked(article)
    _require(actor, "news.change_article", article)
    _refuse_unpublishable(content, station=article.station)
    if article.status in CLOSED_STATUSES:
        raise TransitionError(f"文章{article.get_status_display()}，不能再修改", code="wrong_state")
    revision = article.latest_revision
    if revision is not None and revision.state == RevisionState.SUBMITTED:
        raise TransitionError("文章正在审核中，请等待审核结果或由审核人退回后再修改", code="in_review")
    if revision is None or revision.state not in EDITABLE_REVISION_STATES:
        revision = _new_revision(article, actor=actor, content=content)
        article.latest_revision = revision
    else:
        _apply_content(revision, content, station=article.station)
        revision.save()
    if article.status != ReviewStatus.PUBLISHED:
        _apply_content(article, content, station=article.station)
    article.save()
    _log(article, revision, actor, "edit", f"修改第 {revision.number} 版")
    return revision


def _refuse_unpublishable(content: Mapping[str, Any], *, station: Any) -> None:
    """What a worker writes is refused, not silently changed, when it could not be published as written:
    pictures from other sites (a pasted 公众号 or Word body) that no reader's browser would show, and
    全站同步 on a branch article (only HQ syncs; a branch recommends its article to HQ instead)."""
    foreign = foreign_image_sources(content.get("body") or "")
    if foreign:
        hosts = sorted({_host_of(src) for src in foreign} - {""})
        where = f"（来自 {'、'.join(hosts[:3])}{' 等' if len(hosts) > 3 else ''}）" if hosts else ""
        raise ValidationError(
            f"正文中有 {len(foreign)} 张外部图片{where}，平台不显示其他网站的图片，保存后读者看不到。"
            "请把图片保存到本机，用编辑器的“图片”按钮上传后再保存；或删除这些图片。",
            code="external_image",
        )
    if content.get("sync_to_all") and not station.is_hq:
        raise ValidationError(
            "只有总站文章可以“全站同步”；分站文章发布后可以“推荐到总站”。", code="sync_not_hq"
        )


def _host_of(src: str) -> str:
    try:
        return (urlsplit(src).hostname or "")[:60]
    except ValueError:
        return ""


@transaction.atomic
def body_image_add(*, actor: User, upload: Any, article: Article | None = None, station: Any = None) -> str:
    """A picture for an article body (the editor's 图片 button, a pasted or dropped picture): checked by
    its content and re-encoded (core.uploads), stored through Django's storage API, and audited.
    Only someone who may write that article (or, before it exists, for that station) may add one.
    Returns the picture's URL."""
    if article is not None:
        _require(actor, "news.change_article", article)
        station = article.station
    elif station is None:
        raise ValidationError("请先选择发布站点，再插入图片", code="no_station")
    else:
        _require(actor, "news.add_article", station)
    if upload is None:
        raise ValidationError("请选择要插入正文的图片", code="no_image")
    image = clean_image_upload(upload)
    extension = (image.name or ".jpg").rsplit(".", 1)[-1]
    name = default_storage.save(
        f"{BODY_IMAGE_FOLDER}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}", image
    )
    record_event(
        actor=actor,
        action="news.body_image.add",
        target=article if article is not None else station,
        station=station,
        data={"file": name, "size": image.size, "uploaded_name": (upload.name or "")[:120]},
    )
    return default_storage.url(name)


# ------------------------------------------------------------------ review


@transaction.atomic
def article_submit(*, actor: User, article: Article) -> Article:
    article = _locked(article)
    _require(actor, "news.submit_article", article)
    revision = _working_revision(article, ReviewAction.SUBMIT)
    if article.status != ReviewStatus.PUBLISHED:
        article.status = next_status(article.status, ReviewAction.SUBMIT)
    revision.state = REVISION_TRANSITIONS[ReviewAction.SUBMIT].target
    revision.submitted_by, revision.submitted_at = actor, timezone.now()
    revision.save()
    article.save()
    _log(article, revision, actor, "submit", "提交审核")
    notifications.notify(
        recipients=_instructors_of(article.station_id, exclude=actor.pk),
        title=f"待审核：{revision.title}",
        body=f"{actor.display_name} 提交了《{revision.title}》，请审核。",
        url=f"/manage/articles/{article.pk}/",
        station=article.station,
    )
    return article


@transaction.atomic
def article_approve(*, actor: User, article: Article, comment: str = "") -> Article:
    article = _locked(article)
    revision = _review_target(actor, article, ReviewAction.APPROVE)
    was_synced = article.sync_to_all
    now = timezone.now()
    first_publication = article.status != ReviewStatus.PUBLISHED
    if first_publication:
        article.status = next_status(article.status, ReviewAction.APPROVE)
        article.published_at = now
    _supersede_live_revision(article)
    revision.state = REVISION_TRANSITIONS[ReviewAction.APPROVE].target
    revision.reviewed_by, revision.reviewed_at, revision.review_comment = actor, now, comment.strip()[:500]
    revision.save()
    _apply_content(article, _content_of(revision), station=article.station)
    article.live_revision = revision
    article.visible_from = max(now, article.publish_at) if article.publish_at else now
    article.announced_at = None
    article.save()
    renew_pages(article, synced=was_synced)
    _log(
        article,
        revision,
        actor,
        "approve",
        "审核通过并发布" if first_publication else "审核通过新版本",
        comment,
    )
    _tell_author(article, revision, title=f"已发布：{article.title}", body="您的稿件已审核通过。")
    announce_if_visible(article)
    return article


@transaction.atomic
def article_return(*, actor: User, article: Article, comment: str) -> Article:
    article = _locked(article)
    revision = _review_target(actor, article, ReviewAction.RETURN)
    comment = require_comment(comment, what="退回意见")
    if article.status != ReviewStatus.PUBLISHED:
        article.status = next_status(article.status, ReviewAction.RETURN)
    revision.state = REVISION_TRANSITIONS[ReviewAction.RETURN].target
    revision.reviewed_by, revision.reviewed_at, revision.review_comment = actor, timezone.now(), comment
    revision.save()
    article.save()
    _log(article, revision, actor, "return", "退回修改", comment)
    _tell_author(article, revision, title=f"已退回：{revision.title}", body=f"退回意见：{comment}")
    return article


@transaction.atomic
def article_withdraw(*, actor: User, article: Article, reason: str) -> Article:
    article = _locked(article)
    _require(actor, "news.withdraw_article", article)
    reason = require_comment(reason, what="撤回原因")
    article.status = next_status(article.status, ReviewAction.WITHDRAW)
    article.withdrawn_reason = reason
    article.save()
    _log(article, article.live_revision, actor, "withdraw", "撤回", reason)
    renew_pages(article)
    _unannounce(article)
    return article


@transaction.atomic
def article_archive(*, actor: User, article: Article) -> Article:
    article = _locked(article)
    _require(actor, "news.archive_article", article)
    article.status = next_status(article.status, ReviewAction.ARCHIVE)
    article.save()
    _log(article, article.live_revision, actor, "archive", "归档")
    renew_pages(article)
    _unannounce(article)
    return article


# ------------------------------------------------------------------ 1+N sharing


@transaction.atomic
def article_recommend(*, actor: User, article: Article) -> Article:
    """推荐到总站: a branch offers its published article for platform-wide publication."""
    article = _locked(article)
    _require(actor, "news.recommend_article", article)
    if article.station.is_hq:
        raise TransitionError("总站文章无需推荐，可直接设置全站同步", code="already_hq")
    if article.status != ReviewStatus.PUBLISHED or article.recommendation in (
        Recommendation.PENDING,
        Recommendation.ACCEPTED,
    ):
        raise TransitionError("只有已发布且尚未推荐的文章可以推荐到总站", code="wrong_state")
    article.recommendation = Recommendation.PENDING
    article.save()
    _log(article, article.live_revision, actor, "recommend", "推荐到总站")
    notifications.notify(
        recipients=_hq_instructors(exclude=actor.pk),
        title=f"分站推荐：{article.title}",
        body=f"{article.station.name}推荐了《{article.title}》，请审核是否全站发布。",
        url=f"/manage/articles/{article.pk}/",
    )
    return article


@transaction.atomic
def recommendation_decide(*, actor: User, article: Article, accept: bool, comment: str = "") -> Article:
    article = _locked(article)
    _require(actor, "news.decide_recommendation", article)
    if article.recommendation != Recommendation.PENDING:
        raise TransitionError("该文章没有待审核的推荐", code="wrong_state")
    refuse_self_review(reviewer_id=actor.pk, author_ids={article.author_id})
    if accept:
        article.recommendation, article.sync_to_all = Recommendation.ACCEPTED, True
    else:
        article.recommendation = Recommendation.DECLINED
        comment = require_comment(comment, what="未采用的原因")
    article.save()
    _log(article, article.live_revision, actor, "recommend_" + ("accept" if accept else "decline"),
         "总站采用，全站发布" if accept else "总站未采用", comment)  # fmt: skip
    _tell_author(article, article.live_revision, title=f"推荐结果：{article.title}",
                 body="总站已采用，文章已在全平台发布。" if accept else f"总站未采用：{comment}")  # fmt: skip
    if accept:
        renew_pages(article)
        article.announced_at = None
        announce_if_visible(article)
    return article


def article_hide(*, actor: User, article: Article, station: Any) -> None:
    """A branch hides a synced article from its own portal; other branches still show it."""
    _require_hideable(actor, article, station, doing="隐藏")
    try:
        with transaction.atomic():
            StationHiddenArticle.objects.create(article=article, station=station, hidden_by=actor)
            record_event(actor=actor, action="news.article.hide", target=article, station=station)
            page_cache.bump(page_cache.station_news(station.code))
    except IntegrityError:
        return  # already hidden: hiding twice changes nothing


@transaction.atomic
def article_unhide(*, actor: User, article: Article, station: Any) -> None:
    _require_hideable(actor, article, station, doing="恢复显示")
    deleted, _ = StationHiddenArticle.objects.filter(article=article, station=station).delete()
    if deleted:
        record_event(actor=actor, action="news.article.unhide", target=article, station=station)
        page_cache.bump(page_cache.station_news(station.code))


def _require_hideable(actor: User, article: Article, station: Any, *, doing: str) -> None:
    """Only a synced, published article of another station, which the actor may read, is hidden or
    restored at a station where the actor writes. The refusals never name the article."""
    _require(actor, "news.hide_synced", station)
    if (
        not article.sync_to_all
        or article.status != ReviewStatus.PUBLISHED
        or article.station_id == station.pk
    ):
        raise TransitionError(f"只能{doing}总站同步到本站的已发布文章", code="not_synced")
    if not selectors.synced_articles(actor, station).filter(pk=article.pk).exists():
        raise PermissionDenied


# ------------------------------------------------------------------ announcing


def announce_if_visible(article: Article) -> bool:
    """Push a visible article to screens and portals and index it for search, once (§7.1)."""
    now = timezone.now()
    if not article.is_live(now) or article.announced_at is not None:
        return False
    Article.objects.filter(pk=article.pk).update(announced_at=now)
    renew_pages(article)  # a scheduled article that came due: before the live event makes pages reload
    index_article(article)
    if article.audience == Audience.PUBLIC:
        payload = {"id": article.pk, "title": article.title, "url": article.get_absolute_url(),
                   "column": article.column.name, "station": article.station.name}  # fmt: skip
        live.publish(f"station-{article.station_id}", "article.published", payload)
        if article.sync_to_all:
            live.publish("platform", "article.published", payload)
    if article.column.is_notice:
        notifications.notify(
            recipients=User.objects.filter(home_station_id=article.station_id, is_active=True),
            title=f"通知公告：{article.title}",
            body=article.summary,
            url=article.get_absolute_url(),
            station=article.station,
            email=False,
        )
    return True


def index_article(article: Article) -> None:
    """Make a live article findable by search with the same audience its pages use."""
    search.index_document(
        article,
        kind="文章",
        title=article.title,
        body_html_or_text=f"{article.summary}\n{article.body}",
        url=article.get_absolute_url(),
        station_id=article.station_id,
        audience=article.audience,
        organization_id=article.organization_id,
        shared=article.sync_to_all,
        published_at=article.visible_from or timezone.now(),
    )


def announce_due_articles() -> int:
    """Scheduled articles whose time has come (run every minute by Celery beat)."""
    due = Article.objects.filter(
        status=ReviewStatus.PUBLISHED, announced_at__isnull=True, visible_from__lte=timezone.now()
    ).select_related("column", "station")
    return sum(announce_if_visible(article) for article in due)


def renew_pages(article: Article, *, synced: bool = False) -> None:
    """Cached pages that show `article` render afresh once this commits (dangjian/core/cache.py): the
    platform lists, its station's, every branch's when it is (or was, `synced`) synced, and its own page."""
    scopes = [
        page_cache.PLATFORM_NEWS,
        page_cache.station_news(article.station.code),
        page_cache.article(article.pk),
    ]
    if synced or article.sync_to_all:
        scopes.append(page_cache.SYNCED_NEWS)
    page_cache.bump(*scopes)


def _unannounce(article: Article) -> None:
    search.remove_document(article)
    if article.audience == Audience.PUBLIC:
        payload = {"id": article.pk}
        live.publish(f"station-{article.station_id}", "article.withdrawn", payload)
        if article.sync_to_all:
            live.publish("platform", "article.withdrawn", payload)


# ------------------------------------------------------------------ helpers


def _require(actor: User, permission: str, obj: Any) -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def _locked(article: Article) -> Article:
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("station", "column", "latest_revision", "live_revision")
        .get(pk=article.pk)
    )


def _working_revision(article: Article, action: ReviewAction) -> ArticleRevision:
    """The version `action` moves (core.workflow's revision transitions), or TransitionError."""
    revision = article.latest_revision
    allowed = REVISION_TRANSITIONS[action].sources
    if article.status in CLOSED_STATUSES or revision is None or revision.state not in allowed:
        state = revision.get_state_display() if revision else article.get_status_display()
        raise TransitionError(f"当前为“{state}”，不能{action.label}", code="wrong_state")
    return revision


def _review_target(actor: User, article: Article, action: ReviewAction) -> ArticleRevision:
    _require(actor, "news.review_article", article)
    revision = _working_revision(article, action)
    refuse_self_review(reviewer_id=actor.pk, author_ids={revision.created_by_id, revision.submitted_by_id})
    return revision


def _supersede_live_revision(article: Article) -> None:
    if article.live_revision_id:
        ArticleRevision.objects.filter(pk=article.live_revision_id).update(state=RevisionState.SUPERSEDED)


def _new_revision(article: Article, *, actor: User, content: Mapping[str, Any]) -> ArticleRevision:
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = ArticleRevision(article=article, number=number, created_by=actor)
    _apply_content(revision, {**_content_of(article), **content}, station=article.station)
    revision.save()
    return revision


def _apply_content(target: ArticleContent, content: Mapping[str, Any], *, station: Any) -> None:
    for name in ArticleContent.CONTENT_FIELDS:
        if name in content:
            setattr(target, name, content[name])
    target.body = sanitize_html(target.body)
    if target.audience != Audience.ORGANIZATION:
        target.organization = None
    _require_own_organization(target, station)
    if isinstance(target, ArticleRevision) and not station.is_hq:
        target.sync_to_all = False  # only HQ syncs; a branch article goes platform-wide by recommendation
    if isinstance(target, Article) and not station.is_hq:
        target.sync_to_all = target.recommendation == Recommendation.ACCEPTED


def _require_own_organization(target: ArticleContent, station: Any) -> None:
    """An article is aimed only at an organisation of its own station: another station's organisation
    would receive it without that station's reviewers ever seeing it."""
    organization = target.organization
    if organization is not None and organization.station_id != station.pk:
        raise ValidationError("可见党组织须是本站点的党组织，请重新选择", code="organization_station")


def _content_of(source: ArticleContent) -> dict[str, Any]:
    return {name: getattr(source, name) for name in ArticleContent.CONTENT_FIELDS}


def _instructors_of(station_id: int, *, exclude: int | None) -> Any:
    return role_holders(Role.INSTRUCTOR, station_id=station_id).exclude(pk=exclude or 0)


def _hq_instructors(*, exclude: int | None) -> Any:
    return role_holders(Role.INSTRUCTOR, at_hq=True).exclude(pk=exclude or 0)


def _tell_author(article: Article, revision: ArticleRevision | None, *, title: str, body: str) -> None:
    people: set[int | None] = {article.author_id}
    if revision is not None:
        people |= {revision.created_by_id, revision.submitted_by_id}
    notifications.notify(
        recipients=User.objects.filter(pk__in=[p for p in people if p]),
        title=title,
        body=body,
        url=f"/manage/articles/{article.pk}/",
        station=article.station,
    )


def _log(
    article: Article,
    revision: ArticleRevision | None,
    actor: User,
    action: str,
    label: str,
    comment: str = "",
) -> None:
    ArticleEvent.objects.create(
        article=article, revision=revision, action=action, label=label, actor=actor, comment=comment[:500]
    )
    record_event(
        actor=actor,
        action=f"news.article.{action}",
        target=article,
        station=article.station,
        data={"revision": revision.number if revision else None, "comment": comment[:500]},
    )


# ------------------------------------------------------------------ attachments


@transaction.atomic
def attachment_add(*, actor: User, article: Article, upload: Any) -> ArticleAttachment:
    _require(actor, "news.change_article", article)
    kind, content_type = sniff_attachment(upload)
    name = attachment_name(upload.name or "", content_type)  # 报告.html holding a PDF is 报告.pdf
    attachment = ArticleAttachment(
        article=article,
        name=name,
        kind=kind,
        size=upload.size,
        content_type=content_type,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    record_event(actor=actor, action="news.attachment.add", target=article, station=article.station,
                 data={"name": attachment.name, "size": attachment.size})  # fmt: skip
    page_cache.bump(page_cache.article(article.pk))
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: ArticleAttachment) -> None:
    article = attachment.article
    _require(actor, "news.change_article", article)
    record_event(actor=actor, action="news.attachment.remove", target=article, station=article.station,
                 data={"name": attachment.name})  # fmt: skip
    stored = attachment.file.name
    attachment.delete()
    page_cache.bump(page_cache.article(article.pk))
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


def column_save(*, column: Column, actor: User, before: Mapping[str, Any] | None = None) -> Column:
    if not actor.has_perm("news.manage_columns"):
        raise PermissionDenied
    action = "news.column.create" if before is None else "news.column.update"
    saved = save_audited(column, actor=actor, action=action, station=None, before=before)
    page_cache.bump(page_cache.COLUMNS)
    return saved
