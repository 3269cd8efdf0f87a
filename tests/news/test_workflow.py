"""Every allowed and every refused move of the article workflow (DB3212/T 1124 §5.5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from dangjian.core.models import AuditEvent, Notification
from dangjian.core.workflow import TransitionError
from dangjian.news import services
from dangjian.news.models import Article, RevisionState
from tests.news.conftest import content, published


def draft(news, **overrides):
    return services.article_create(
        actor=news.worker_a, station=news.a, content=content(news.news_column, **overrides)
    )


def submitted(news, **overrides):
    article = draft(news, **overrides)
    return services.article_submit(actor=news.worker_a, article=article)


@pytest.mark.django_db
def test_draft_submit_approve_publishes(news) -> None:
    article = submitted(news)
    assert article.status == "submitted"
    article = services.article_approve(actor=news.instructor_a, article=article, comment="同意发布")
    assert article.status == "published" and article.is_live()
    assert article.live_revision.state == RevisionState.APPROVED
    actions = list(article.events.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["create", "submit", "approve"]
    audited = (
        AuditEvent.objects.with_scopes_disabled()
        .filter(target_id=str(article.pk))
        .values_list("action", flat=True)
    )
    assert {"news.article.create", "news.article.submit", "news.article.approve"} <= set(audited)


@pytest.mark.django_db
def test_return_then_edit_and_resubmit(news) -> None:
    article = submitted(news)
    article = services.article_return(actor=news.instructor_a, article=article, comment="请补充活动照片")
    assert article.status == "returned"
    assert article.latest_revision.review_comment == "请补充活动照片"
    services.article_save_draft(
        actor=news.worker_a, article=article, content={"title": "联席会议（补充照片）"}
    )
    article = services.article_submit(actor=news.worker_a, article=Article.objects.get(pk=article.pk))
    article = services.article_approve(actor=news.instructor_a, article=article)
    assert article.status == "published" and article.title == "联席会议（补充照片）"


@pytest.mark.django_db
def test_editing_published_article_keeps_live_copy_until_approved(news) -> None:
    article = published(news)
    revision = services.article_save_draft(actor=news.worker_a, article=article, content={"title": "新标题"})
    article.refresh_from_db()
    assert revision.number == 2 and revision.state == RevisionState.DRAFT
    assert article.title != "新标题" and article.status == "published" and article.is_live()
    services.article_submit(actor=news.worker_a, article=article)
    article.refresh_from_db()
    assert article.status == "published" and article.title != "新标题"
    services.article_approve(actor=news.instructor_a, article=article)
    article.refresh_from_db()
    assert article.title == "新标题" and article.live_revision == revision
    assert article.revisions.get(number=1).state == RevisionState.SUPERSEDED


@pytest.mark.django_db
def test_withdraw_keeps_reason_and_archive(news) -> None:
    article = published(news)
    article = services.article_withdraw(actor=news.worker_a, article=article, reason="活动时间调整")
    assert article.status == "withdrawn" and article.withdrawn_reason == "活动时间调整"
    assert not article.is_live()
    article = services.article_archive(actor=news.worker_a, article=article)
    assert article.status == "archived"


@pytest.mark.django_db
def test_archive_directly_from_published(news) -> None:
    article = services.article_archive(actor=news.worker_a, article=published(news))
    assert article.status == "archived"


@pytest.mark.parametrize(
    ("move", "words"),
    [
        (lambda n, a: services.article_approve(actor=n.instructor_a, article=a), "不能审核"),
        (lambda n, a: services.article_return(actor=n.instructor_a, article=a, comment="x"), "不能退回修改"),
        (lambda n, a: services.article_withdraw(actor=n.worker_a, article=a, reason="x"), "不能撤回"),
        (lambda n, a: services.article_archive(actor=n.worker_a, article=a), "不能归档"),
        (lambda n, a: services.article_recommend(actor=n.worker_a, article=a), "只有已发布"),
    ],
)
@pytest.mark.django_db
def test_wrong_state_moves_on_a_draft_are_refused(news, move, words) -> None:
    article = draft(news)
    with pytest.raises(TransitionError, match=words):
        move(news, article)
    article.refresh_from_db()
    assert article.status == "draft"


@pytest.mark.django_db
def test_submitting_twice_and_editing_in_review_are_refused(news) -> None:
    article = submitted(news)
    with pytest.raises(TransitionError, match="不能提交审核"):
        services.article_submit(actor=news.worker_a, article=article)
    with pytest.raises(TransitionError, match="审核中"):
        services.article_save_draft(actor=news.worker_a, article=article, content={"title": "偷改"})
    assert Article.objects.get(pk=article.pk).title != "偷改"


@pytest.mark.django_db
def test_return_needs_a_comment_and_withdraw_a_reason(news) -> None:
    article = submitted(news)
    with pytest.raises(TransitionError, match="退回意见"):
        services.article_return(actor=news.instructor_a, article=article, comment="  ")
    article = services.article_approve(actor=news.instructor_a, article=article)
    with pytest.raises(TransitionError, match="撤回原因"):
        services.article_withdraw(actor=news.worker_a, article=article, reason="")
    assert Article.objects.get(pk=article.pk).status == "published"


@pytest.mark.django_db
def test_nobody_approves_their_own_item(news) -> None:
    from dangjian.accounts.models import Role
    from tests.factories import grant

    grant(news.instructor_a, Role.WORKER, news.a, building=news.building_a)
    article = services.article_create(
        actor=news.instructor_a, station=news.a, content=content(news.news_column)
    )
    services.article_submit(actor=news.instructor_a, article=article)
    with pytest.raises(TransitionError, match="自己"):
        services.article_approve(actor=news.instructor_a, article=article)
    with pytest.raises(TransitionError, match="自己"):
        services.article_return(actor=news.instructor_a, article=article, comment="自己退回")
    assert Article.objects.get(pk=article.pk).status == "submitted"


@pytest.mark.parametrize(
    ("who", "move"),
    [
        ("instructor_b", lambda n, p, a: services.article_approve(actor=p, article=a)),
        ("instructor_hq", lambda n, p, a: services.article_approve(actor=p, article=a)),
        ("worker_a", lambda n, p, a: services.article_approve(actor=p, article=a)),
        ("own_admin", lambda n, p, a: services.article_approve(actor=p, article=a)),
        ("instructor_b", lambda n, p, a: services.article_return(actor=p, article=a, comment="越权")),
    ],
)
@pytest.mark.django_db
def test_only_an_instructor_of_that_station_reviews(news, who, move) -> None:
    article = submitted(news)
    with pytest.raises(PermissionDenied):
        move(news, getattr(news, who), article)
    assert Article.objects.get(pk=article.pk).status == "submitted"


@pytest.mark.django_db
def test_hq_items_are_reviewed_by_hq_instructors(news) -> None:
    article = services.article_create(
        actor=news.worker_hq, station=news.hq, content=content(news.news_column)
    )
    services.article_submit(actor=news.worker_hq, article=article)
    with pytest.raises(PermissionDenied):
        services.article_approve(actor=news.instructor_a, article=article)
    assert services.article_approve(actor=news.instructor_hq, article=article).status == "published"


@pytest.mark.parametrize("who", ["worker_b", "other_admin", "member", "resident", "instructor_a"])
@pytest.mark.django_db
def test_only_the_stations_workers_and_admins_write(news, who) -> None:
    with pytest.raises(PermissionDenied):
        services.article_create(actor=getattr(news, who), station=news.a, content=content(news.news_column))
    article = draft(news)
    with pytest.raises(PermissionDenied):
        services.article_submit(actor=getattr(news, who), article=article)
    with pytest.raises(PermissionDenied):
        services.article_save_draft(actor=getattr(news, who), article=article, content={"title": "改"})


@pytest.mark.django_db
def test_station_admin_writes_and_hq_admin_too(news) -> None:
    for writer in (news.own_admin, news.hq_admin):
        article = services.article_create(actor=writer, station=news.a, content=content(news.news_column))
        assert services.article_submit(actor=writer, article=article).status == "submitted"


@pytest.mark.django_db
def test_withdrawn_article_cannot_be_edited_or_resubmitted(news) -> None:
    article = services.article_withdraw(actor=news.worker_a, article=published(news), reason="撤回")
    with pytest.raises(TransitionError):
        services.article_save_draft(actor=news.worker_a, article=article, content={"title": "复活"})
    with pytest.raises(TransitionError):
        services.article_submit(actor=news.worker_a, article=article)
    with pytest.raises(TransitionError):
        services.article_withdraw(actor=news.worker_a, article=article, reason="再撤")


@pytest.mark.django_db
def test_notifications_go_to_the_next_person(news, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        article = submitted(news)
    assert Notification.objects.filter(recipient=news.instructor_a, title__contains="待审核").exists()
    assert not Notification.objects.filter(recipient=news.instructor_b).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_return(actor=news.instructor_a, article=article, comment="标题过长")
    assert Notification.objects.filter(recipient=news.worker_a, title__contains="已退回").exists()


@pytest.mark.django_db
def test_notice_column_tells_the_stations_people(news, django_capture_on_commit_callbacks) -> None:
    news.member.home_station = news.a
    news.member.save()
    news.resident.home_station = news.b
    news.resident.save()
    with django_capture_on_commit_callbacks(execute=True):
        published(news, column=news.notice_column, title="关于开展“七一”主题党日活动的通知")
    assert Notification.objects.filter(recipient=news.member, title__contains="主题党日").exists()
    assert not Notification.objects.filter(recipient=news.resident, title__contains="主题党日").exists()


@pytest.mark.django_db
def test_concurrent_style_double_approval_is_refused(news) -> None:
    article = submitted(news)
    services.article_approve(actor=news.instructor_a, article=article)
    with pytest.raises(TransitionError):
        services.article_approve(actor=news.instructor_a, article=article)
    assert Article.objects.get(pk=article.pk).revisions.filter(state=RevisionState.APPROVED).count() == 1


@pytest.mark.django_db
def test_the_manage_page_offers_exactly_the_permitted_moves(news) -> None:
    """Derived from core.workflow's tables and the roles: the instructor may approve or return a
    submitted article of the station; its worker, who submitted it, may do nothing more to it."""
    from dangjian.news.views import _available_actions

    article = draft(news)
    services.article_submit(actor=news.worker_a, article=article)
    article = Article.objects.select_related("latest_revision", "station").get(pk=article.pk)
    assert _available_actions(news.instructor_a, article) == ["approve", "return"]
    assert _available_actions(news.worker_a, article) == []
    assert _available_actions(news.instructor_b, article) == []
