"""Pages of the forum (互动交流, DB3212/T 1124 §6.3).

Public (`/forum/…`): the boards (the platform board and one per station), a board's topics (pinned first,
then by latest activity; filters 问指导员 answered/unanswered), a topic with its replies. Signed in: post a
topic or question, reply, like, report, mark an instructor's reply as the answer; instructors: the
questions of their station. Moderators (`/manage/forum/…`): the queue of reports and held posts, and
hide/lock/pin/approve with the reason.

Objects are fetched through `selectors.access_*` (the same 404 for missing and forbidden) and every write
goes through one service; a refusal is shown on the page and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from dangjian.core.page_guards import page, staff_page_for
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.forum import selectors, services
from dangjian.forum.forms import ReasonForm, ReplyForm, ReportForm, TopicForm
from dangjian.forum.models import ModerationAction, Reply, Topic, TopicKind

staff_page = staff_page_for("forum.enter_moderation")
REPLIES_PER_PAGE = 30
BOARDS_PER_PAGE = 30
TOPIC_ACTIONS = {choice.value: choice.label for choice in ModerationAction if choice != "dismiss_report"}
REPLY_ACTIONS = {key: TOPIC_ACTIONS[key] for key in ("hide", "unhide", "approve", "reject")}
NEEDS_NO_REASON = {ModerationAction.APPROVE}


def _errors(error: ValidationError) -> str:
    return "；".join(dict.fromkeys(error.messages))


def _topic_url(topic: Topic, reply: Reply | None = None) -> str:
    return services.post_url(topic, reply)


# ---------------------------------------------------------------- reading


@page("GET", login=False)
def home(request: HttpRequest) -> HttpResponse:
    boards = paginate(request, selectors.boards_for(user=request.user), per_page=BOARDS_PER_PAGE)
    return render(request, "forum/home.html", {"page": boards, "boards": boards.object_list})


@page("GET", login=False)
def board(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_board(user=request.user, pk=pk)
    topics = selectors.topics_for(user=request.user, board=found)
    kind = request.GET.get("kind", "")
    answered = request.GET.get("answered", "")
    if kind == TopicKind.QUESTION or answered in ("0", "1"):
        topics = selectors.filter_questions(topics, answered=answered)
        kind = TopicKind.QUESTION
    context = {
        "board": found,
        "page": paginate(request, topics),
        "querystring": querystring_without_page(request),
        "kind": kind,
        "answered": answered,
        "can_post": request.user.has_perm("forum.post", found),
        "can_moderate": request.user.has_perm("forum.moderate", found),
    }
    return render(request, "forum/board.html", context)


@page("GET", login=False)
def topic(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_topic(user=request.user, pk=pk)
    return _topic_page(request, found, ReplyForm())


def _topic_page(request: HttpRequest, found: Topic, form: ReplyForm, status: int = 200) -> HttpResponse:
    user = request.user
    can_moderate = user.has_perm("forum.moderate", found)
    can_answer = found.is_question and user.has_perm("forum.answer", found)
    if not can_answer:
        form.fields.pop("as_answer", None)
    context = {
        "topic": found,
        "page": paginate(request, selectors.replies_for(user=user, topic=found), per_page=REPLIES_PER_PAGE),
        "form": form,
        "can_reply": user.has_perm("forum.reply", found) and not found.is_locked and found.is_visible_to_all,
        "can_moderate": can_moderate,
        "can_answer": can_answer,
        "can_mark": found.is_question and (can_moderate or can_answer or found.author_id == user.pk),
        "log": list(selectors.topic_log(topic=found)[:20]) if can_moderate else [],
    }
    return render(request, "forum/topic.html", context, status=status)


@page("GET")
def questions(request: HttpRequest) -> HttpResponse:
    """An instructor's questions of their station, open ones first (filter answered/unanswered)."""
    if not request.user.has_perm("forum.view_questions"):
        raise PermissionDenied
    answered = request.GET.get("answered", "")
    found = selectors.filter_questions(selectors.instructor_questions(user=request.user), answered=answered)
    context = {
        "page": paginate(request, found),
        "querystring": querystring_without_page(request),
        "answered": answered,
    }
    return render(request, "forum/questions.html", context)


# ---------------------------------------------------------------- writing


@page("GET", "POST")
def topic_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_board(user=request.user, pk=pk)
    if not request.user.has_perm("forum.post", found):
        raise PermissionDenied
    initial = {"kind": TopicKind.QUESTION} if request.GET.get("kind") == TopicKind.QUESTION else None
    form = TopicForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.topic_create(
                actor=request.user,
                board=found,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                images=data["images"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if made.review_note:
                messages.warning(request, made.review_note)
            else:
                messages.success(request, "已发布")
            return HttpResponseRedirect(_topic_url(made))
    return render(request, "forum/topic_form.html", {"board": found, "form": form})


@page("POST")
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_topic(user=request.user, pk=pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.reply_create(
                actor=request.user,
                topic=found,
                body=data["body"],
                images=data["images"],
                as_answer=bool(data.get("as_answer")),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.warning(request, made.review_note) if made.review_note else messages.success(
                request, "回复已发布"
            )
            return HttpResponseRedirect(_topic_url(found, made))
    return _topic_page(request, found, form, status=200)


def _back_to_post(request: HttpRequest, topic: Topic, reply: Reply | None = None) -> HttpResponseRedirect:
    return HttpResponseRedirect(_topic_url(topic, reply))


def _like(request: HttpRequest, post: Topic | Reply, topic: Topic, reply: Reply | None) -> HttpResponse:
    """Like or unlike; an htmx click gets the button back (no reload on a phone), others the post."""
    liked = request.POST.get("liked", "1") != "0"
    try:
        post.liked, _ = services.like_set(actor=request.user, post=post, liked=liked)  # type: ignore[union-attr]
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        if request.headers.get("HX-Request"):
            return render(request, "forum/_like.html", {"post": post, "like_url": request.path})
    return _back_to_post(request, topic, reply)


@page("POST")
def topic_like(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_topic(user=request.user, pk=pk)
    return _like(request, found, found, None)


@page("POST")
def reply_like(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_reply(user=request.user, pk=pk)
    return _like(request, found, found.topic, found)


def _report(request: HttpRequest, topic: Topic, reply: Reply | None) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                actor=request.user, topic=topic, reply=reply, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "举报已提交，站点党务工作者会尽快处理")
            return _back_to_post(request, topic, reply)
    context = {"form": form, "topic": topic, "reply": reply}
    return render(request, "forum/report.html", context)


@page("GET", "POST")
def topic_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _report(request, selectors.access_topic(user=request.user, pk=pk), None)


@page("GET", "POST")
def reply_report(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_reply(user=request.user, pk=pk)
    return _report(request, found.topic, found)


@page("POST")
def mark_answer(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_reply(user=request.user, pk=pk)
    if not request.user.has_perm("forum.mark_answer", found):
        raise Http404
    try:
        services.answer_mark(actor=request.user, reply=found)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "已采纳为指导员答复")
    return _back_to_post(request, found.topic, found)


# ---------------------------------------------------------------- moderation


@staff_page("GET")
def queue(request: HttpRequest) -> HttpResponse:
    """Reports and held posts of the stations the person moderates, oldest first, and the recent log."""
    user = request.user
    held_topics = list(selectors.held_topics(user=user)[:50])
    held_replies = list(selectors.held_replies(user=user)[:50])
    context = {
        "reports": list(selectors.open_reports(user=user)[:50]),
        "held_topics": held_topics,
        "held_replies": held_replies,
        "held_count": len(held_topics) + len(held_replies),
        "log": list(selectors.moderation_log(user=user)[:30]),
    }
    return render(request, "forum/manage/queue.html", context)


def _moderate(
    request: HttpRequest, post: Topic | Reply, topic: Topic, action: str, label: str
) -> HttpResponse:
    reply = post if isinstance(post, Reply) else None
    form = ReasonForm(request.POST or None)
    if action in NEEDS_NO_REASON and request.method == "POST":
        form = ReasonForm({"reason": "审核通过"})
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if action in (ModerationAction.APPROVE, ModerationAction.REJECT):
                services.review(
                    actor=request.user, post=post, approve=action == ModerationAction.APPROVE, reason=reason
                )
            else:
                services.moderate(actor=request.user, post=post, action=action, reason=reason)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已{label}")
            return _back_to_post(request, topic, reply)
    context = {"form": form, "topic": topic, "reply": reply, "action": action, "label": label}
    return render(request, "forum/manage/moderate.html", context)


@page("GET", "POST")
def topic_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = selectors.access_topic(user=request.user, pk=pk, manage=True)
    if action not in TOPIC_ACTIONS:
        raise Http404
    return _moderate(request, found, found, action, TOPIC_ACTIONS[action])


@page("GET", "POST")
def reply_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = selectors.access_reply(user=request.user, pk=pk, manage=True)
    if action not in REPLY_ACTIONS:
        raise Http404
    return _moderate(request, found, found.topic, action, REPLY_ACTIONS[action])


@page("POST")
def report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_report(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.report_dismiss(actor=request.user, report=found, note=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, "已驳回该举报")
    else:
        messages.error(request, "请填写驳回举报的原因")
    return HttpResponseRedirect(reverse("forum:queue"))
