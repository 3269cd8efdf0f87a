from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache as once
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Min
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core import cache as page_cache
from dangjian.core import screen_panels
from dangjian.core.manage_views import ManagedListView, ManagedResource
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.parsing import positive_int_or_none
from dangjian.core.workflow import ReviewAction, ReviewStatus, allowed_revision_actions
from dangjian.news import selectors, services
from dangjian.news.attachments import served_content_type
from dangjian.news.forms import (
    ArticleFilterForm,
    ArticleForm,
    AttachmentForm,
    ColumnForm,
    CommentForm,
    NewArticleStationForm,
)
from dangjian.news.models import Article, Column, Recommendation, RevisionState
from dangjian.stations.models import Station
from dangjian.stations.selectors import station_by_code

# ---------------------------------------------------------------- portal


def _column_from(request: HttpRequest) -> Column | None:
    slug = request.GET.get("column", "")
    return Column.objects.filter(slug=slug, is_active=True).first() if slug else None


def next_scheduled_publication() -> datetime | None:
    """When the next approved article with a future time (定时发布) becomes visible: a cached article
    list stops being true then."""
    due = Article.objects.filter(status=ReviewStatus.PUBLISHED, visible_from__gt=timezone.now())
    return due.aggregate(at=Min("visible_from"))["at"]


def _station_news_scopes(code: str) -> tuple[str, ...]:
    """What a station's article list and screen show (dangjian/core/cache.py)."""
    return (page_cache.STATIONS, page_cache.station_news(code), page_cache.SYNCED_NEWS, page_cache.COLUMNS)


PLATFORM_NEWS_SCOPES = (page_cache.STATIONS, page_cache.PLATFORM_NEWS, page_cache.COLUMNS)


@require_GET
@page_cache.anonymous_page(
    lambda: PLATFORM_NEWS_SCOPES, query=("column", "page"), expires=next_scheduled_publication
)
def article_list(request: HttpRequest) -> HttpResponse:
    column = _column_from(request)
    page = paginate(request, selectors.platform_articles(request.user, column=column))
    return _render_list(request, page, column=column, station=None)


@require_GET
@page_cache.anonymous_page(_station_news_scopes, query=("column", "page"), expires=next_scheduled_publication)
def station_article_list(request: HttpRequest, code: str) -> HttpResponse:
    station = station_by_code(code)
    column = _column_from(request)
    page = paginate(request, selectors.station_articles(request.user, station, column=column))
    return _render_list(request, page, column=column, station=station)


def _render_list(
    request: HttpRequest, page: Any, *, column: Column | None, station: Station | None
) -> HttpResponse:
    channels = f"station-{station.pk} platform" if station else "platform"
    context = {
        "page": page,
        "column": column,
        "columns": selectors.active_columns(),
        "station": station,
        "querystring": querystring_without_page(request),
        "live_channels": channels,
    }
    return render(request, "news/list.html", context)


@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Anonymous readers get the page from the cache, with the reader count filled in."""
    return page_cache.serve_page(
        request,
        scopes=(page_cache.STATIONS, page_cache.COLUMNS, page_cache.article(pk)),
        render=lambda markers: _article_detail(request, pk, markers),
        slots={"views": lambda: str(_count_view(pk))},
    )


VIEWS_WRITTEN_EVERY = 100


def _count_view(pk: int, recorded: int | None = None) -> int:
    """One more reader: the count to show. With the page cache on, readers are counted in the shared
    cache (page_cache.count: no database write and no round trip for each reader of a hot page) and the
    article records the count each time it passes a multiple of 100."""
    if not page_cache.enabled():
        Article.objects.filter(pk=pk).update(view_count=F("view_count") + 1)
        return (recorded or 0) + 1

    def stored() -> int:  # only when the cache holds no count (new, or evicted)
        if recorded is not None:
            return recorded
        return Article.objects.filter(pk=pk).values_list("view_count", flat=True).first() or 0

    def record(total: int, added: int) -> None:
        if total // VIEWS_WRITTEN_EVERY > (total - added) // VIEWS_WRITTEN_EVERY:
            Article.objects.filter(pk=pk, view_count__lt=total).update(view_count=total)

    return page_cache.count(f"article-views:{pk}", initial=stored, told=record)


def _article_detail(request: HttpRequest, pk: int, markers: Any) -> HttpResponse:
    article = selectors.access_article(user=request.user, pk=pk)
    # the page shows `view_count|add:1`; rendered for the cache, the slot's marker, filled in per reader
    views = _count_view(pk, article.view_count) if markers is None else int(markers["views"])
    article.view_count = views - 1
    attachments = article.attachments.all()
    channels = f"station-{article.station_id} platform"
    return render(
        request,
        "news/detail.html",
        {"article": article, "attachments": attachments, "live_channels": channels},
    )


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Attachments go only to people who may read the article (or manage it, before publication)."""
    attachment = selectors.access_attachment(user=request.user, article=pk, pk=attachment_pk)
    # Named and typed by the detected content, whatever the upload was called (x.html holding a PDF
    # is x.pdf, application/pdf); a Chinese name goes out as RFC 5987 filename*=utf-8''….
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,
        content_type=served_content_type(attachment.content_type),
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _screen_page(request: HttpRequest, code: str, template: str) -> HttpResponse:
    """A screen page from the page cache: it shows the station's articles and the panels other capabilities
    register (core.screen_panels, e.g. 近期活动), and ends at the next scheduled publication or when a panel
    changes by itself, whichever comes first."""

    station_of = once(lambda: station_by_code(code))  # read once per request

    def expires() -> datetime | None:
        moments = [next_scheduled_publication(), screen_panels.next_change(station_of())]
        return min((m for m in moments if m is not None), default=None)

    def render_page(markers: Any) -> HttpResponse:
        station = station_of()
        context = {
            "station": station,
            "articles": selectors.screen_articles(station),
            "panels": screen_panels.panels_for(station),
            "live_channels": f"station-{station.pk} platform",
        }
        return render(request, template, context)

    return page_cache.serve_page(
        request,
        scopes=(*_station_news_scopes(code), *screen_panels.scopes_for(code)),
        render=render_page,
        expires=expires,
    )


@require_GET
def screen(request: HttpRequest, code: str) -> HttpResponse:
    """电子显示屏 (§6.2, §7.2): a 1920×1080 kiosk page, no login; new items arrive by live push."""
    return _screen_page(request, code, "news/screen.html")


@require_GET
def screen_items(request: HttpRequest, code: str) -> HttpResponse:
    return _screen_page(request, code, "news/partials/screen_items.html")


# ---------------------------------------------------------------- management


class ArticleManageList(ManagedListView):
    permission = "news.enter"
    title = "信息发布"
    headers = ["标题", "栏目", "站点", "状态", "作者", "更新时间", ""]
    row_template = "news/rows/article.html"
    create_url_name = "news:manage_create"
    search_fields = ("title", "summary")
    search_placeholder = "标题或摘要"
    filter_form_class = ArticleFilterForm

    def get_queryset(self) -> Any:
        if self.request.GET.get("queue"):
            return selectors.review_queue(self.request.user)
        return selectors.manageable_articles(self.request.user)

    def can_create(self) -> bool:
        return selectors.workable_station_ids(self.request.user) != set()


def _manageable(request: HttpRequest, pk: int) -> Article:
    return selectors.access_article(user=request.user, pk=pk, manage=True)


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("news.enter"):
        raise PermissionDenied
    station_form = NewArticleStationForm(request.POST or request.GET or None, user=request.user)
    station = station_form.chosen_station()
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        station=station,
        sync_offered=station_form.offers_sync(),
    )
    if request.method == "POST" and station is not None and form.is_valid():
        try:
            article = services.article_create(actor=request.user, station=station, content=form.content())  # type: ignore[arg-type]
        except PermissionDenied:
            station_form.add_error("station", "您不能在该站点发布信息")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "草稿已保存，可以继续添加附件或提交审核")
            return HttpResponseRedirect(reverse("news:manage_detail", kwargs={"pk": article.pk}))
    context = {
        "form": form,
        "station_form": station_form,
        "title": "撰写信息",
        "cancel_url": reverse("news:manage_list"),
    }
    return render(request, "news/edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _manageable(request, pk)
    if not request.user.has_perm("news.change_article", article):
        raise Http404
    revision = article.latest_revision
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        instance=_editable_copy(revision),
        station=article.station,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.article_save_draft(actor=request.user, article=article, content=form.content())  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已保存")
            return HttpResponseRedirect(reverse("news:manage_detail", kwargs={"pk": article.pk}))
    context = {"form": form, "title": f"编辑：{article.title}", "article": article,
               "cancel_url": reverse("news:manage_detail", kwargs={"pk": article.pk})}  # fmt: skip
    return render(request, "news/edit.html", context)


def _editable_copy(revision: Any) -> Any:
    """The form edits a copy so that validation errors never touch the stored revision."""
    if revision is None:
        return None
    revision.pk = None
    revision._state.adding = True
    return revision


@login_required
@require_GET
def article_manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = _manageable(request, pk)
    user = request.user
    revision = article.latest_revision
    context = {
        "article": article,
        "revision": revision,
        "events": article.events.select_related("actor")[:50],
        "attachments": article.attachments.all(),
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
        "actions": _available_actions(user, article),
        "can_change": user.has_perm("news.change_article", article),
        "is_pending_review": revision is not None and revision.state == RevisionState.SUBMITTED,
    }
    return render(request, "news/manage_detail.html", context)


# The permission each workflow move asks (the services ask the same).
WORKFLOW_PERMISSIONS = {
    ReviewAction.SUBMIT: "news.submit_article",
    ReviewAction.APPROVE: "news.review_article",
    ReviewAction.RETURN: "news.review_article",
    ReviewAction.WITHDRAW: "news.withdraw_article",
    ReviewAction.ARCHIVE: "news.archive_article",
}


def _available_actions(user: Any, article: Article) -> list[str]:
    """Buttons worth showing: the moves core.workflow allows from the article's and its latest
    version's states that the person's role permits; the services still check everything when pressed."""
    revision = article.latest_revision
    status = article.status
    actions = [
        action.value
        for action in allowed_revision_actions(revision.state if revision else None, status)
        if user.has_perm(WORKFLOW_PERMISSIONS[action], article)
    ]
    if (
        user.has_perm("news.recommend_article", article)
        and not article.station.is_hq
        and status == ReviewStatus.PUBLISHED
        and article.recommendation in (Recommendation.NONE, Recommendation.DECLINED)
    ):
        actions.append("recommend")
    if (
        user.has_perm("news.decide_recommendation", article)
        and article.recommendation == Recommendation.PENDING
    ):
        actions += ["accept", "decline"]
    return actions


ACTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "submit": (
        lambda user, article, comment: services.article_submit(actor=user, article=article),
        "已提交审核",
    ),
    "approve": (
        lambda user, article, comment: services.article_approve(actor=user, article=article, comment=comment),
        "审核通过，已发布",
    ),
    "return": (
        lambda user, article, comment: services.article_return(actor=user, article=article, comment=comment),
        "已退回",
    ),
    "withdraw": (
        lambda user, article, comment: services.article_withdraw(actor=user, article=article, reason=comment),
        "已撤回",
    ),
    "archive": (
        lambda user, article, comment: services.article_archive(actor=user, article=article),
        "已归档",
    ),
    "recommend": (
        lambda user, article, comment: services.article_recommend(actor=user, article=article),
        "已推荐到总站",
    ),
    "accept": (
        lambda user, article, comment: services.recommendation_decide(
            actor=user, article=article, accept=True
        ),
        "已采用，文章全站发布",
    ),
    "decline": (
        lambda user, article, comment: services.recommendation_decide(
            actor=user, article=article, accept=False, comment=comment
        ),
        "已回复未采用",
    ),
}


@login_required
@require_POST
def article_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One workflow move; a refused move comes back as a clear message and changes nothing."""
    article = _manageable(request, pk)
    if action not in ACTIONS:
        raise Http404
    perform, done = ACTIONS[action]
    comment = CommentForm(request.POST).data.get("comment", "")[:600]
    try:
        perform(request.user, article, comment)
    except PermissionDenied:
        messages.error(request, "您没有权限执行此操作")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("news:manage_detail", kwargs={"pk": article.pk}))


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    article = _manageable(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件")
    else:
        try:
            services.attachment_add(actor=request.user, article=article, upload=form.cleaned_data["file"])  # type: ignore[arg-type]
        except PermissionDenied:
            messages.error(request, "您没有权限修改这篇文章")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "附件已上传")
    return HttpResponseRedirect(reverse("news:manage_detail", kwargs={"pk": article.pk}))


@login_required
@require_POST
def body_image_upload(request: HttpRequest) -> JsonResponse:
    """The editor's picture upload: `image` plus `article` (editing) or `station` (a new article).
    Answers {"url": …}, or {"code": …, "message": …} with 400/403/404 (a Chinese message the editor
    shows as it is); only a signed-out visitor is sent to the login page, as on every manage page."""
    if not request.user.has_perm("news.enter"):
        return _json_error(403, "forbidden", "您没有发布信息的权限")
    article, station = None, None
    if article_pk := positive_int_or_none(request.POST.get("article")):
        article = selectors.manageable_articles(request.user).filter(pk=article_pk).first()
        if article is None:
            return _json_error(404, "not_found", "找不到这篇文章")
    elif station_pk := positive_int_or_none(request.POST.get("station")):
        station = selectors.workable_stations(request.user).filter(pk=station_pk).first()
        if station is None:
            return _json_error(404, "not_found", "找不到该站点")
    try:
        url = services.body_image_add(
            actor=request.user,  # type: ignore[arg-type]
            article=article,
            station=station,
            upload=request.FILES.get("image"),
        )
    except PermissionDenied:
        return _json_error(403, "forbidden", "您不能为该站点的文章上传图片")
    except ValidationError as error:
        return _json_error(400, getattr(error, "code", None) or "invalid", "；".join(error.messages))
    return JsonResponse({"url": url})


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = selectors.access_attachment(user=request.user, article=pk, pk=attachment_pk, manage=True)
    article = attachment.article
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)  # type: ignore[arg-type]
    except PermissionDenied:
        messages.error(request, "您没有权限修改这篇文章")
    else:
        messages.success(request, "附件已删除")
    return HttpResponseRedirect(reverse("news:manage_detail", kwargs={"pk": article.pk}))


@login_required
@require_http_methods(["GET", "POST"])
def synced_articles(request: HttpRequest) -> HttpResponse:
    """Synced HQ articles as seen from one branch, with 隐藏/恢复 for that branch (§4.4)."""
    if not request.user.has_perm("news.view_synced"):
        raise PermissionDenied
    stations = Station.objects.filter(kind="branch", is_active=True).order_by("sort_order", "id")
    allowed = [s for s in stations if request.user.has_perm("news.hide_synced", s)]
    if not allowed:
        raise PermissionDenied
    wanted = positive_int_or_none(request.POST.get("station") or request.GET.get("station"))
    station = next((s for s in allowed if s.pk == wanted), allowed[0])
    if request.method == "POST":
        _toggle_hidden(request, station)
        return HttpResponseRedirect(f"{reverse('news:synced')}?station={station.pk}")
    page = paginate(request, selectors.synced_articles(request.user, station))
    hidden = selectors.hidden_article_ids(station, [a.pk for a in page.object_list])
    context = {"page": page, "station": station, "stations": allowed, "hidden": hidden,
               "querystring": querystring_without_page(request), "title": "总站同步信息"}  # fmt: skip
    return render(request, "news/synced.html", context)


def _toggle_hidden(request: HttpRequest, station: Station) -> None:
    """Only a synced article this person may see and hide here is found; anything else is one 404."""
    pk = positive_int_or_none(request.POST.get("article"))
    article = selectors.access_synced_article(user=request.user, pk=pk, station=station)
    try:
        if request.POST.get("hide") == "1":
            services.article_hide(actor=request.user, article=article, station=station)  # type: ignore[arg-type]
            messages.success(request, f"已在{station.name}隐藏《{article.title}》")
        else:
            services.article_unhide(actor=request.user, article=article, station=station)  # type: ignore[arg-type]
            messages.success(request, f"已在{station.name}恢复显示《{article.title}》")
    except PermissionDenied as refused:
        raise Http404 from refused
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))


COLUMNS = ManagedResource(
    namespace="news",
    name="column",
    path="manage/columns",
    titles=("栏目管理", "新增栏目", "编辑栏目"),
    form_class=ColumnForm,
    manageable=lambda user: Column.objects.order_by("sort_order", "id"),
    access=selectors.access_column,
    save=lambda form, actor, before: services.column_save(column=form.instance, actor=actor, before=before),
    permissions=("news.manage_columns", "news.manage_columns", "news.manage_columns"),
    headers=["栏目", "代码", "通知公告类", "排序", "启用", ""],
    row_template="news/rows/column.html",
    search_fields=("name",),
)
