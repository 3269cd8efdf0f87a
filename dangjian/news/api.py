"""JSON API of information publishing: visible articles, and the review workflow for workers and
instructors (the same services as the pages, so the same rules and the same audit trail)."""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params import Query

from dangjian.accounts.api_auth import PUBLIC_READ
from dangjian.core.api_schemas import ObjectId, SearchText, paginated, text, with_errors
from dangjian.core.search import SearchResults, search
from dangjian.core.search_views import KINDS, viewer_of
from dangjian.core.workflow import REFUSAL_CODES, ReviewAction
from dangjian.news import selectors, services
from dangjian.news.models import Article, Column
from dangjian.stations.selectors import access_station

router = Router(tags=["信息发布"])


class ColumnOut(Schema):
    id: int
    name: str
    slug: str


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    column: ColumnOut
    station_id: int
    station_name: str
    pinned: bool
    sync_to_all: bool
    visible_from: datetime | None
    url: str

    @staticmethod
    def resolve_station_name(obj: Article) -> str:
        return obj.station.name

    @staticmethod
    def resolve_url(obj: Article) -> str:
        return obj.get_absolute_url()


class ArticleDetailOut(ArticleOut):
    body: str
    attachments: list[dict[str, Any]]

    @staticmethod
    def resolve_attachments(obj: Article) -> list[dict[str, Any]]:
        return [
            {
                "id": a.pk,
                "name": a.name,
                "kind": a.kind,
                "size": a.size,
                "url": f"{obj.get_absolute_url()}attachments/{a.pk}/",
            }
            for a in obj.attachments.all()
        ]


class ArticleFilters(Schema):
    station: ObjectId | None = None
    column: Annotated[str, text(30)] | None = None
    q: SearchText | None = None


class WorkflowOut(Schema):
    id: int
    status: str
    status_label: str
    revision: int | None
    revision_state: str | None

    @staticmethod
    def resolve_status_label(obj: Article) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_revision(obj: Article) -> int | None:
        return obj.latest_revision.number if obj.latest_revision else None

    @staticmethod
    def resolve_revision_state(obj: Article) -> str | None:
        return obj.latest_revision.state if obj.latest_revision else None


COMMENT_BODY = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"comment": {"type": "string", "maxLength": 500}}}
            }
        },
    }
}


def comment_of(request: HttpRequest) -> str:
    """The optional `{"comment": "..."}` body (JSON or form); no body means no comment."""
    if request.content_type == "application/json" and request.body:
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise ValidationError("请求体不是有效的 JSON", code="invalid_json") from exc
        comment = data.get("comment", "") if isinstance(data, dict) else None
    else:
        comment = request.POST.get("comment", "")
    if not isinstance(comment, str) or len(comment) > 500 or "\x00" in comment:
        raise ValidationError({"comment": ["意见须为不超过 500 字的文字"]}, code="invalid_comment")
    return comment


@router.get(
    "/articles",
    response=with_errors({200: list[ArticleOut]}, 401, 404, 422),
    url_name="article_list",
    summary="文章列表（当前用户可见）",
    **PUBLIC_READ,
)
@paginated
def article_list(request: HttpRequest, filters: Query[ArticleFilters]) -> QuerySet[Article]:
    column = Column.objects.filter(slug=filters.column).first() if filters.column else None
    if filters.station:
        station = access_station(user=request.user, pk=filters.station)
        articles = selectors.station_articles(request.user, station, column=column)
    else:
        articles = selectors.platform_articles(request.user, column=column)
    return articles.filter(title__icontains=filters.q) if filters.q else articles


@router.get(
    "/articles/{article_id}",
    response=with_errors({200: ArticleDetailOut}, 401, 404, 422),
    url_name="article_detail",
    summary="文章详情",
    **PUBLIC_READ,
)
def article_detail(request: HttpRequest, article_id: ObjectId) -> Article:
    return selectors.access_article(user=request.user, pk=article_id)


def _workflow_endpoint(action: str, summary: str, perform: Callable[[Any, Article, str], Any]) -> None:
    @router.post(
        f"/articles/{{article_id}}/{action}",
        response=with_errors(
            {200: WorkflowOut},
            401,
            403,
            404,
            422,
            e400=(*REFUSAL_CODES[ReviewAction(action)], "invalid_comment", "invalid_json", "invalid_body"),
        ),
        url_name=f"article_{action}",
        operation_id=f"dangjian_news_api_article_{action}",
        summary=summary,
        openapi_extra=COMMENT_BODY,
    )
    def endpoint(request: HttpRequest, article_id: ObjectId) -> Article:
        article = selectors.access_article(user=request.user, pk=article_id, manage=True)
        perform(request.user, article, comment_of(request))
        return selectors.article_state(article)


_workflow_endpoint(
    "submit", "提交审核", lambda user, article, comment: services.article_submit(actor=user, article=article)
)
_workflow_endpoint(
    "approve",
    "审核通过",
    lambda user, article, comment: services.article_approve(actor=user, article=article, comment=comment),
)
_workflow_endpoint(
    "return",
    "退回修改（须填写意见）",
    lambda u, article, comment: services.article_return(actor=u, article=article, comment=comment),
)
_workflow_endpoint(
    "withdraw",
    "撤回（须填写原因）",
    lambda u, article, comment: services.article_withdraw(actor=u, article=article, reason=comment),
)


@router.get(
    "/articles-review-queue",
    response=with_errors({200: list[ArticleOut]}, 401, 422),
    url_name="article_review_queue",
    summary="待我审核的文章（党建指导员）",
)
@paginated
def review_queue(request: HttpRequest) -> QuerySet[Article]:
    return selectors.review_queue(request.user).select_related("column", "station")


class SearchHitOut(Schema):
    kind: str
    title: str
    title_html: str
    snippet_html: str
    url: str
    published_at: datetime


class SearchOut(Schema):
    query: str
    total: int
    page: int
    num_pages: int
    hits: list[SearchHitOut]


class SearchParams(Schema):
    q: SearchText = ""
    kind: Annotated[str, text(10)] = ""
    page: Annotated[int, Field(ge=1, le=10_000)] = 1


@router.get(
    "/search",
    response=with_errors({200: SearchOut}, 401, 422),
    url_name="search",
    summary="全文检索（文章、党务公开；只返回当前用户可见的内容）",
    tags=["检索"],
    **PUBLIC_READ,
)
def search_everything(request: HttpRequest, params: Query[SearchParams]) -> SearchResults:
    kinds = [params.kind] if params.kind in KINDS else None
    return search(params.q, viewer=viewer_of(request), kinds=kinds, page=params.page)
