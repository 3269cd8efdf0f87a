"""Pages of remote learning (远程学习, DB3212/T 1124 §6.3; instructor training §5.4.1; issue 11).

Learners (`/learning/…`): the catalogue of published courses, one course with its lessons in order (locks
for prerequisites, my progress, 学时), the lesson player (video or page-by-page reading, sending heartbeats
to `heartbeat` as JSON), quizzes (start, answer, submit, result with explanations), my learning (assigned
courses, 学时 of the year against the target, points) and the leaderboards.
Staff (`/manage/learning/…`): the courses of one's station (write, lessons, questions, quizzes, submit),
the review queue (approve / return), assignments with completion rates per organisation, and HQ's
instructor training records.

Objects are fetched through `selectors.access_*` (missing and forbidden: the same 404); writes go through
the domain's services, whose refusals are shown on the page and change nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.core.file_responses import file_response
from dangjian.core.page_guards import page, staff_page_for
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.learning import assignments, page_selectors, progress, quizzes, selectors, services
from dangjian.learning.forms import (
    AssignForm,
    CatalogueFilterForm,
    CommentForm,
    CourseForm,
    LessonForm,
    QuestionForm,
    QuizForm,
)
from dangjian.learning.models import Assignment, AttemptStatus, CourseCompletion, LessonKind, QuestionKind
from dangjian.learning.permissions import ENTER_MANAGEMENT, learner_station_id
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Station

staff_page = staff_page_for(ENTER_MANAGEMENT)


def refuse(form: BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _text(error: ValidationError) -> str:
    return "；".join(error.messages)


def _course_url(course_id: int) -> str:
    return reverse("learning:course", kwargs={"pk": course_id})


# ---------------------------------------------------------------- learners


@page("GET")
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    courses = page_selectors.catalogue(category=data.get("category", ""), query=data.get("q", "").strip())
    context = {
        "page": paginate(request, courses),
        "form": form,
        "querystring": querystring_without_page(request),
    }
    return render(request, "learning/catalogue.html", context)


@page("GET")
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.access_course(user=request.user, pk=pk)
    outline = page_selectors.outline(user=request.user, course=course)
    studies = request.user.has_perm("learning.study", course)
    return render(request, "learning/course.html", {"course": course, "outline": outline, "studies": studies})


@page("GET")
def lesson_player(request: HttpRequest, pk: int) -> HttpResponse:
    """The player: opens (or resumes) the learner's progress; a draft's lesson is only previewed."""
    lesson = selectors.access_lesson(user=request.user, pk=pk)
    studies = request.user.has_perm("learning.study", lesson.course)
    record = None
    if studies:
        try:
            record = progress.lesson_open(actor=request.user, lesson=lesson)
        except ValidationError as error:
            messages.error(request, _text(error))
            return HttpResponseRedirect(_course_url(lesson.course_id))
    outline = page_selectors.outline(user=request.user, course=lesson.course)
    state = next(s for s in outline.lessons if s.lesson.pk == lesson.pk)
    _, rules = progress.rule_in_force(timezone.localdate())
    player = {
        "kind": lesson.kind,
        "beat": reverse("learning:heartbeat", kwargs={"pk": lesson.pk}) if studies else "",
        "media": reverse("learning:lesson_media", kwargs={"pk": lesson.pk}) if _media_of(lesson) else "",
        "position": record.position if record else 0,
        "duration": lesson.duration_seconds,
        "pages": lesson.page_count,
        "minSeconds": rules.min_seconds_per_page,
        "pdf": _media_type(lesson) == "application/pdf",
        "completed": bool(record and record.completed_at),
    }
    context = {
        "lesson": lesson,
        "course": lesson.course,
        "state": state,
        "player": player,
        "studies": studies,
    }
    return render(request, "learning/lesson.html", context)


def _media_of(lesson: Any) -> Any:
    if lesson.media:
        return lesson.media
    version = getattr(lesson.courseware, "live_version", None) if lesson.courseware_id else None
    return version.file if version is not None else None


def _media_type(lesson: Any) -> str:
    if lesson.media:
        return str(lesson.media_type)
    version = getattr(lesson.courseware, "live_version", None) if lesson.courseware_id else None
    return str(version.content_type) if version is not None else ""


@page("GET")
def lesson_media(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The lesson's video or document, shown in place (PDF, MP4) with HTTP ranges so seeking works."""
    lesson = selectors.access_lesson(user=request.user, pk=pk)
    media = _media_of(lesson)
    if not media:
        raise Http404
    kind = "视频" if lesson.kind == LessonKind.VIDEO else "文档"
    extension = str(media.name).rsplit(".", 1)[-1]
    return file_response(
        request,
        media,
        filename=f"{lesson.title}-{kind}.{extension}",
        content_type=_media_type(lesson),
        inline=True,
    )


def _json_error(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"ok": False, "code": code, "message": message}, status=status)


@page("POST")
def heartbeat(request: HttpRequest, pk: int) -> JsonResponse:
    """One heartbeat of the player (JSON in and out, with the page's CSRF token): for a video the stretches
    played since the last beat and the playhead, for a document the page shown."""
    lesson = selectors.access_lesson(user=request.user, pk=pk)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _json_error("心跳数据格式不正确", "bad_heartbeat", 400)
    if not isinstance(body, dict):
        return _json_error("心跳数据格式不正确", "bad_heartbeat", 400)
    try:
        beat = progress.heartbeat(
            actor=request.user,
            lesson=lesson,
            segments=body.get("segments") or [],
            position=body.get("position"),
            page=body.get("page"),
        )
    except PermissionDenied:
        return _json_error("该课程尚未发布，不能记录学习进度", "forbidden", 403)
    except ValidationError as error:
        return _json_error(_text(error), error.code or "invalid", 400)
    record = beat.progress
    state = page_selectors.LessonState(lesson=lesson, progress=record, locked=False)
    return JsonResponse(
        {
            "ok": True,
            "gained": round(beat.gained, 3),
            "covered": round(record.covered_seconds, 3),
            "percent": state.percent,
            "completed": record.completed_at is not None,
            "lessonCompleted": beat.lesson_completed,
            "courseCompleted": beat.course_completed,
        }
    )


@page("GET", "POST")
def quiz_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A quiz: its rules, my attempts, and (POST) a new attempt or the open one resumed."""
    quiz = selectors.access_quiz(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            attempt = quizzes.attempt_start(actor=request.user, quiz=quiz)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, _text(error))
            return HttpResponseRedirect(reverse("learning:quiz", kwargs={"pk": quiz.pk}))
        return HttpResponseRedirect(reverse("learning:attempt", kwargs={"pk": attempt.pk}))
    attempts = page_selectors.attempts_of(user=request.user, quiz=quiz)
    context = {
        "quiz": quiz,
        "course": quiz.course,
        "attempts": attempts,
        "left": page_selectors.attempts_left(quiz, attempts),
        "passed": any(a.passed for a in attempts),
        "open": next((a for a in attempts if a.status == AttemptStatus.OPEN), None),
    }
    return render(request, "learning/quiz.html", context)


@page("GET", "POST")
def attempt_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An open attempt's paper (with the countdown), its submission, and afterwards the result."""
    with selectors.viewer_scope(request.user):
        attempt = selectors.access_attempt(user=request.user, pk=pk)
    error = ""
    if request.method == "POST" and attempt.status == AttemptStatus.OPEN:
        questions = quizzes.paper_of(attempt)
        try:
            attempt = quizzes.attempt_submit(
                actor=request.user, attempt=attempt, answers=answers_from_form(request.POST, questions)
            )
        except ValidationError as refusal:
            error = _text(refusal)
        else:
            return HttpResponseRedirect(reverse("learning:attempt", kwargs={"pk": attempt.pk}))
    quiz = attempt.quiz
    attempts = page_selectors.attempts_of(user=request.user, quiz=quiz)
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "course": quiz.course,
        "questions": list(enumerate(quizzes.paper_of(attempt), start=1)) if attempt.status == "open" else [],
        "review": [reviewed(r) for r in quizzes.attempt_review(attempt)],
        "left": page_selectors.attempts_left(quiz, attempts),
        "error": error,
        "completed": _completed(request.user, quiz.course_id),
    }
    return render(request, "learning/attempt.html", context)


def answers_from_form(data: Any, questions: list[Any]) -> dict[str, Any]:
    """The paper's form as the grader's answers: an option's index, a list of them, a bool or a text; a
    question left blank is absent. A value that is no answer (a typed "abc" for an option) stays as typed,
    for the grader to refuse with the question's number."""
    answers: dict[str, Any] = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            values = data.getlist(name)
            if values:
                answers[str(question.pk)] = [int(v) if v.isdigit() else v for v in values]
            continue
        value = data.get(name, "")
        if value == "":
            continue
        if question.kind == QuestionKind.SINGLE:
            answers[str(question.pk)] = int(value) if value.isdigit() else value
        elif question.kind == QuestionKind.TRUE_FALSE:
            answers[str(question.pk)] = {"true": True, "false": False}.get(value, value)
        else:
            answers[str(question.pk)] = value
    return answers


def answer_text(question: Any, value: Any) -> str:
    """An answer (the learner's or the key) as the learner reads it: options by their text."""
    if value is None or value == []:
        return ""
    values = value if isinstance(value, list) else [value]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return "；".join(
            question.choices[v] if isinstance(v, int) and 0 <= v < len(question.choices) else str(v)
            for v in values
        )
    if question.kind == QuestionKind.TRUE_FALSE:
        return "；".join("正确" if v is True else "错误" for v in values)
    return "；".join(str(v) for v in values)


def reviewed(row: quizzes.ReviewedQuestion) -> dict[str, Any]:
    return {
        "number": row.number,
        "question": row.question,
        "correct": row.correct,
        "given_text": answer_text(row.question, row.given),
        "key_text": answer_text(row.question, row.question.answer),
    }


def _completed(user: Any, course_id: int) -> Any:
    with scopes_disabled():  # the learner's own row
        return CourseCompletion.objects.filter(user_id=user.pk, course_id=course_id).first()


@page("GET")
def my_learning(request: HttpRequest) -> HttpResponse:
    summary = selectors.year_summary(request.user)
    assigned = selectors.my_assignments(request.user, open_only=False)
    chart = {
        "hours": float(summary.hours),
        "target": float(summary.target),
        "title": f"{summary.year}年学时",
    }
    context = {"summary": summary, "assigned": assigned, "chart": chart, "today": timezone.localdate()}
    return render(request, "learning/mine.html", context)


@page("GET")
def leaderboard(request: HttpRequest) -> HttpResponse:
    """The year's ranking of the learner's own station, or of their own organisation."""
    board = "organization" if request.GET.get("board") == "organization" else "station"
    year = timezone.localdate().year
    user: Any = request.user
    station_id = learner_station_id(user)
    standings: list[selectors.Standing] = []
    if board == "organization" and user.organization_id:
        standings = selectors.leaderboard(organization_id=user.organization_id, year=year)
    elif board == "station" and station_id:
        standings = selectors.leaderboard(station_id=station_id, year=year)
    context = {"board": board, "year": year, "standings": standings, "me": user.pk}
    return render(request, "learning/leaderboard.html", context)


# ---------------------------------------------------------------- staff


def _staff(request: HttpRequest) -> User:
    """The signed-in person behind a staff page (the guard has sent everyone else to sign in)."""
    assert isinstance(request.user, User)
    return request.user


def _manage_url(course: Any) -> str:
    return reverse("learning:manage_course", kwargs={"pk": course.pk})


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    course: Any = None,
) -> HttpResponse:
    """A staff form: on a valid POST run `save` (a service call), go to `done(result)`; a refusal stays on
    the form in Chinese and changes nothing."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            refuse(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, "已保存")
            return HttpResponseRedirect(done(result))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "learning/manage/form.html", {"form": form, "title": title, "course": course}, status=status
    )


@staff_page("GET")
def manage(request: HttpRequest) -> HttpResponse:
    courses = page_selectors.managed_courses(request.user)
    context = {
        "page": paginate(request, courses),
        "awaiting": page_selectors.awaiting_review(request.user),
        "stations": list(_author_stations(request.user)),
        "querystring": querystring_without_page(request),
    }
    return render(request, "learning/manage/list.html", context)


def _author_stations(user: Any) -> Any:

    return [s for s in Station.objects.order_by("id") if user.has_perm("learning.add_course", s)]


@staff_page("GET", "POST")
def course_create(request: HttpRequest) -> HttpResponse:
    stations = _author_stations(request.user)
    if not stations:
        raise PermissionDenied
    form = CourseForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        title="新建课程",
        save=lambda d: services.course_create(
            actor=_staff(request),
            station=stations[0],
            title=d["title"],
            description=d["description"],
            category=d["category"],
            cover=d.get("cover"),
        ),
        done=_manage_url,
    )


@staff_page("GET")
def manage_course(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.access_course(user=request.user, pk=pk)
    if not any(
        request.user.has_perm(f"learning.{p}_course", course) for p in ("change", "review", "withdraw")
    ):
        raise Http404
    context = {
        "course": course,
        "lessons": list(course.lessons.order_by("position")),
        "questions": list(course.questions.select_related("lesson")),
        "quizzes": list(course.quizzes.select_related("lesson")),
        "can_edit": request.user.has_perm("learning.change_course", course)
        and course.status in services.EDITABLE,
        "can_review": request.user.has_perm("learning.review_course", course)
        and course.status == "submitted",
        "can_withdraw": request.user.has_perm("learning.withdraw_course", course)
        and course.status == "published",
        "comment_form": CommentForm(),
    }
    return render(request, "learning/manage/course.html", context)


def _editable_course(request: HttpRequest, pk: int) -> Any:
    return selectors.access_course(user=request.user, pk=pk, manage=True)


@staff_page("GET", "POST")
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = _editable_course(request, pk)
    initial = {"title": course.title, "category": course.category, "description": course.description}
    form = CourseForm(request.POST or None, request.FILES or None, initial=initial)
    return _form_page(
        request,
        form,
        title="修改课程",
        course=course,
        save=lambda d: services.course_update(
            actor=_staff(request),
            course=course,
            title=d["title"],
            description=d["description"],
            category=d["category"],
            cover=d.get("cover"),
        ),
        done=_manage_url,
    )


@staff_page("GET", "POST")
def lesson_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = _editable_course(request, pk)
    form = LessonForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        title="添加课时",
        course=course,
        save=lambda d: services.lesson_save(
            actor=_staff(request),
            course=course,
            title=d["title"],
            kind=d["kind"],
            upload=d.get("upload"),
            body=d.get("body") or "",
            duration_seconds=d.get("duration_seconds"),
            page_count=d.get("page_count") or 1,
        ),
        done=lambda lesson: _manage_url(course),
    )


def _lesson_of(course: Any, lesson_id: int | None) -> Any:
    return course.lessons.filter(pk=lesson_id).first() if lesson_id else None


def _bank_page(
    request: HttpRequest, pk: int, form_class: type, *, title: str, save: Callable[..., Any]
) -> HttpResponse:
    """A question or a quiz added to a course: the form's fields are the service's arguments, the lesson
    chosen by id becomes the course's own lesson."""
    course = _editable_course(request, pk)
    form = form_class(request.POST or None, lessons=list(course.lessons.order_by("position")))
    return _form_page(
        request,
        form,
        title=title,
        course=course,
        save=lambda d: save(
            actor=_staff(request), course=course, **{**d, "lesson": _lesson_of(course, d.get("lesson"))}
        ),
        done=lambda row: _manage_url(course),
    )


@staff_page("GET", "POST")
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _bank_page(request, pk, QuestionForm, title="添加试题", save=services.question_save)


@staff_page("GET", "POST")
def quiz_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _bank_page(request, pk, QuizForm, title="添加测验", save=services.quiz_save)


COURSE_ACTIONS: dict[str, Callable[..., Any]] = {
    "submit": lambda actor, course, comment: services.course_submit(actor=actor, course=course),
    "approve": lambda actor, course, comment: services.course_approve(
        actor=actor, course=course, comment=comment
    ),
    "return": lambda actor, course, comment: services.course_return(
        actor=actor, course=course, comment=comment
    ),
    "withdraw": lambda actor, course, comment: services.course_withdraw(
        actor=actor, course=course, reason=comment
    ),
}
ACTION_DONE = {
    "submit": "已提交审核",
    "approve": "课程已发布",
    "return": "课程已退回",
    "withdraw": "课程已撤回",
}


@staff_page("POST")
def course_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit for review, approve, return (with a comment) or withdraw (with a reason)."""
    course = selectors.access_course(user=request.user, pk=pk)
    if action not in COURSE_ACTIONS:
        raise Http404
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        COURSE_ACTIONS[action](request.user, course, comment)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, _text(error))
    else:
        messages.success(request, ACTION_DONE[action])
    return HttpResponseRedirect(_manage_url(course))


# ---------------------------------------------------------------- assignments and training


@staff_page("GET")
def assignment_list(request: HttpRequest) -> HttpResponse:

    rows = (
        Assignment.objects.filter(visibility.role_rows_q(request.user, selectors.AUTHOR_ROLES))
        .select_related("course", "station", "organization")
        .order_by("-deadline", "-id")
    )
    return render(
        request,
        "learning/manage/assignments.html",
        {"page": paginate(request, rows), "querystring": querystring_without_page(request)},
    )


@staff_page("GET", "POST")
def assign(request: HttpRequest) -> HttpResponse:

    stations = _author_stations(request.user)
    if not stations:
        raise PermissionDenied
    organizations = [
        o
        for o in PartyOrganization.objects.select_related("station").order_by("station_id", "id")
        if request.user.has_perm("learning.assign_organization", o)
    ]
    courses = list(page_selectors.catalogue()[:200])
    form = AssignForm(request.POST or None, courses=courses, organizations=organizations)
    by_id = {o.pk: o for o in organizations}
    return _form_page(
        request,
        form,
        title="布置学习任务",
        save=lambda d: assignments.assignment_create(
            actor=_staff(request),
            course=next(c for c in courses if c.pk == d["course"]),
            deadline=d["deadline"],
            station=stations[0],
            organizations=[by_id[pk] for pk in d["organizations"]],
            roles=d["roles"],
            kind=d["kind"],
            note=d.get("note") or "",
        ),
        done=lambda assignment: reverse("learning:assignment", kwargs={"pk": assignment.pk}),
    )


@staff_page("GET")
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.access_assignment(user=request.user, pk=pk)
    context = {
        "assignment": assignment,
        "by_organization": selectors.assignment_rates(
            user=request.user, assignment=assignment, by="organization"
        ),
        "by_station": selectors.assignment_rates(user=request.user, assignment=assignment, by="station"),
    }
    return render(request, "learning/manage/assignment.html", context)


@staff_page("GET")
def training(request: HttpRequest) -> HttpResponse:
    """HQ's instructor training records (§5.4.1): every instructor and each training course's result."""
    if not request.user.has_perm("learning.assign_training"):
        raise PermissionDenied

    instructors = list(role_holders(Role.INSTRUCTOR).order_by("id")[:200])
    by_person = selectors.training_records(user=request.user, instructors=instructors)
    records = [(person, by_person[person.pk]) for person in instructors]
    return render(request, "learning/manage/training.html", {"records": records})
