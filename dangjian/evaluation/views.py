"""Pages of service evaluation and improvement (DB3212/T 1124 §10.1.1, §10.2, §5.2).

Personal (`/evaluation/…`): my surveys waiting for an answer (待评价) and the answer form; questionnaires
(投票问卷) of my stations with the ballot and, after voting or after closing, the results; the public
accountability page (整改公示) of a station — anonymous, cached, role titles only.
Staff (`/manage/evaluation/…`): service items with their planned occurrences and the delivery record;
late and missed deliveries; the four indicators of a station with trends; HQ's comparison of stations;
questionnaires; rectifications with their timeline, moves and progress notes.

Every object is fetched through `selectors.access_*` (the same 404 for missing and forbidden) and every write
goes through one service; a refusal is shown on the form and changes nothing.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import permissions as visibility
from dangjian.core import cache as page_cache
from dangjian.core.file_responses import file_response
from dangjian.core.page_guards import page, staff_page_for
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.evaluation import charts, rectifications, selectors, services
from dangjian.evaluation.forms import (
    AnswerForm,
    DeliveryForm,
    MoveForm,
    ProgressForm,
    QuestionnaireForm,
    RectificationForm,
    ServiceItemForm,
)
from dangjian.evaluation.indicators import DEFINITIONS, KIND_LABELS, Period
from dangjian.evaluation.models import (
    OccurrenceStatus,
    QuestionKind,
    Questionnaire,
    RectificationStatus,
)
from dangjian.feedback import selectors as feedback_selectors
from dangjian.stations.models import Station

staff_page = staff_page_for("evaluation.enter")


def _refused(form: BaseForm, error: ValidationError) -> None:
    form.add_error(None, error)


def _period_of(request: HttpRequest) -> Period:
    kind = request.GET.get("kind", "quarter")
    kind = kind if kind in KIND_LABELS else "quarter"
    return Period.parse(request.GET.get("period", "")[:10]) or Period.containing(timezone.localdate(), kind)


def _managed_stations(user: Any) -> QuerySet[Station]:
    ids = visibility.managed_station_ids(user)
    stations = Station.objects.order_by("kind", "name", "id")
    return stations if ids is visibility.ALL_STATIONS else stations.filter(pk__in=sorted(ids or ()))


# ---------------------------------------------------------------- personal: surveys


@page("GET")
def pending(request: HttpRequest) -> HttpResponse:
    invitations = selectors.pending_surveys_for(user=request.user).order_by("-occurred_at", "-id")
    context = {"page": paginate(request, invitations), "querystring": "", "title": "待评价"}
    return render(request, "evaluation/pending.html", context)


@page("GET", "POST")
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.access_invitation(user=request.user, pk=pk)
    form = AnswerForm(request.POST or None)
    if invitation.answered_at is None and request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(
                actor=request.user,
                invitation=invitation,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "感谢您的评价")
            return HttpResponseRedirect(reverse("evaluation:pending"))
    elif invitation.answered_at is not None and request.method == "POST":
        form.add_error(None, "您已评价过该事项，每人每次只能评价一次")
    context = {"invitation": invitation, "form": form, "title": "满意度评价"}
    return render(request, "evaluation/answer.html", context)


# ---------------------------------------------------------------- personal: questionnaires


@page("GET")
def questionnaires(request: HttpRequest) -> HttpResponse:
    found = selectors.questionnaires_for(user=request.user).order_by("-opens_at", "-id")
    context = {
        "page": paginate(request, found),
        "querystring": "",
        "now": timezone.now(),
        "can_open": request.user.has_perm("evaluation.enter")
        and bool(_managed_stations(request.user).exists()),
        "title": "投票问卷",
    }
    return render(request, "evaluation/questionnaires.html", context)


def _ballot_from(questionnaire: Questionnaire, data: Any) -> tuple[dict[int, list[int]], dict[int, str]]:
    choices: dict[int, list[int]] = {}
    texts: dict[int, str] = {}
    for question in questionnaire.questions.all():
        name = f"q{question.pk}"
        if question.kind == QuestionKind.TEXT:
            texts[question.pk] = data.get(name, "")[:600]
            continue
        values = data.getlist(name)
        choices[question.pk] = [int(v) for v in values if v.isdigit() and len(v) < 12]
    return choices, texts


@page("GET", "POST")
def questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_questionnaire(user=request.user, pk=pk)
    error = ""
    if request.method == "POST":
        choices, texts = _ballot_from(found, request.POST)
        try:
            services.ballot_cast(actor=request.user, questionnaire=found, choices=choices, texts=texts)
        except ValidationError as refusal:
            error = "；".join(refusal.messages)
        except PermissionDenied as refusal:
            error = str(refusal) or "您不在该投票问卷的参与范围内"
        else:
            messages.success(request, "投票成功，感谢您的参与")
            return HttpResponseRedirect(request.path)
    voted = selectors.has_voted(user=request.user, questionnaire=found)
    show_results = voted or found.is_closed() or request.user.has_perm("evaluation.open_questionnaire", found)
    ballots, result_rows = selectors.results(found) if show_results else (0, [])
    context = {
        "questionnaire": found,
        "questions": selectors.with_options(found),
        "voted": voted,
        "is_open": found.is_open(),
        "can_vote": request.user.has_perm("evaluation.vote", found),
        "show_results": show_results,
        "ballots": ballots,
        "results": result_rows,
        "chart": charts.results_chart(result_rows) if show_results else None,
        "error": error,
        "title": found.title,
    }
    return render(request, "evaluation/questionnaire.html", context, status=400 if error else 200)


# ---------------------------------------------------------------- public: accountability


def _accountability_scopes(code: str) -> tuple[str, ...]:
    return (page_cache.STATIONS, rectifications.accountability_scope(code))


@page("GET", login=False)
@page_cache.anonymous_page(_accountability_scopes)
def accountability(request: HttpRequest, code: str) -> HttpResponse:
    station = Station.objects.filter(code=code[:40]).first()
    if station is None:
        raise Http404
    measures = selectors.public_measures(station=station)
    context = {
        "station": station,
        "measures": measures,
        "counts": {s.value: sum(1 for m in measures if m.status == s.value) for s in RectificationStatus},
        "statuses": RectificationStatus.choices,
        "today": timezone.localdate(),
        "title": f"{station.name}整改公示",
    }
    return render(request, "evaluation/accountability.html", context)


# ---------------------------------------------------------------- staff: service items


@staff_page("GET")
def items(request: HttpRequest) -> HttpResponse:
    found = selectors.items_for(user=request.user).order_by("station_id", "title", "id")
    context = {
        "page": paginate(request, found),
        "querystring": "",
        "can_create": _managed_stations(request.user).exists(),
        "due": list(selectors.due_today_for(user=request.user)[:20]),
        "title": "服务项目",
    }
    return render(request, "evaluation/manage/items.html", context)


@staff_page("GET", "POST")
def item_create(request: HttpRequest) -> HttpResponse:
    stations = _managed_stations(request.user)
    if not stations.exists():
        raise PermissionDenied
    form = ServiceItemForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.service_item_save(
                actor=request.user, station=form.cleaned_data["station"], data=form.item_data()
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "服务项目已保存，已生成今后两个月的服务安排")
            return HttpResponseRedirect(reverse("evaluation:item", kwargs={"pk": item.pk}))
    return render(request, "evaluation/manage/form.html", {"form": form, "title": "新建服务项目"})


@staff_page("GET")
def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_item(user=request.user, pk=pk)
    occurrences = found.occurrences.select_related("delivered_by").order_by("-scheduled_at", "-id")
    context = {
        "item": found,
        "page": paginate(request, occurrences),
        "querystring": "",
        "now": timezone.now(),
        "can_record": request.user.has_perm("evaluation.record_delivery", found),
        "delivery_form": DeliveryForm(),
        "title": found.title,
    }
    return render(request, "evaluation/manage/item.html", context)


@staff_page("POST")
def deliver(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = selectors.access_occurrence(user=request.user, pk=pk)
    form = DeliveryForm(request.POST)
    back = reverse("evaluation:item", kwargs={"pk": occurrence.item_id})
    if not form.is_valid():
        messages.error(request, "请填写正确的实际提供时间")
        return HttpResponseRedirect(back)
    try:
        services.delivery_record(
            actor=request.user,
            occurrence=occurrence,
            delivered_at=form.cleaned_data["delivered_at"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已登记服务提供")
    return HttpResponseRedirect(back)


@staff_page("GET")
def exceptions(request: HttpRequest) -> HttpResponse:
    found = selectors.exceptions_for(user=request.user)
    context = {
        "page": paginate(request, found),
        "querystring": "",
        "now": timezone.now(),
        "delivered": OccurrenceStatus.DELIVERED,
        "title": "迟到与未提供的服务",
    }
    return render(request, "evaluation/manage/exceptions.html", context)


# ---------------------------------------------------------------- staff: indicators


@staff_page("GET")
def indicators(request: HttpRequest) -> HttpResponse:
    stations = selectors.indicator_stations(user=request.user)
    chosen = request.GET.get("station", "")
    first = stations.first()
    if chosen:
        station = selectors.access_indicator_station(user=request.user, pk=chosen)
    elif first is not None:
        station = first
    else:
        raise PermissionDenied
    period = _period_of(request)
    trend = selectors.station_trend(station_id=station.pk, period=period)
    report = trend[-1][1]
    context = {
        "station": station,
        "stations": stations,
        "period": period,
        "kinds": KIND_LABELS,
        "report": report,
        "trend": trend,
        "chart": charts.trend_chart(trend),
        "definitions": DEFINITIONS,
        "can_compare": request.user.has_perm("evaluation.compare_stations"),
        "can_rectify": request.user.has_perm("evaluation.manage_rectification", station),
        "comments": selectors.recent_comments(station=station, limit=5),
        "title": f"{station.name}服务评价指标",
    }
    return render(request, "evaluation/manage/indicators.html", context)


@staff_page("GET")
def comparison(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("evaluation.compare_stations"):
        raise PermissionDenied
    period = _period_of(request)
    rows = selectors.comparison(period=period)
    context = {
        "period": period,
        "kinds": KIND_LABELS,
        "rows": rows,
        "chart": charts.comparison_chart(rows),
        "definitions": DEFINITIONS,
        "title": "各站点服务评价指标对比",
    }
    return render(request, "evaluation/manage/comparison.html", context)


# ---------------------------------------------------------------- staff: questionnaires


@staff_page("GET")
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    found = selectors.managed_questionnaires(user=request.user).order_by("-opens_at", "-id")
    context = {
        "page": paginate(request, found),
        "querystring": "",
        "now": timezone.now(),
        "title": "投票问卷管理",
    }
    return render(request, "evaluation/manage/questionnaires.html", context)


@staff_page("GET", "POST")
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    stations = _managed_stations(request.user)
    if not stations.exists():
        raise PermissionDenied
    form = QuestionnaireForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = services.questionnaire_open(
                actor=request.user,
                station=data["station"],
                title=data["title"],
                description=data["description"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                questions=form.questions(),
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "投票问卷已发起")
            return HttpResponseRedirect(reverse("evaluation:questionnaire", kwargs={"pk": found.pk}))
    return render(request, "evaluation/manage/form.html", {"form": form, "title": "发起投票问卷"})


# ---------------------------------------------------------------- staff and owners: rectifications


@page("GET")
def measures(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    found = selectors.measures_for(user=request.user).order_by("deadline", "id")
    if status in RectificationStatus.values:
        found = found.filter(status=status)
    context = {
        "page": paginate(request, found),
        "querystring": querystring_without_page(request),
        "status": status,
        "statuses": RectificationStatus.choices,
        "today": timezone.localdate(),
        "can_create": _managed_stations(request.user).exists(),
        "title": "整改措施",
    }
    return render(request, "evaluation/manage/measures.html", context)


def _people_for(user: Any) -> QuerySet:
    from dangjian.accounts.models import User

    ids = visibility.managed_station_ids(user)
    roles = selectors.STAFF_ROLES + visibility.OFFICER_ROLES
    if ids is visibility.ALL_STATIONS:
        return visibility.role_holders(*roles)
    pks: set[int] = set()
    for station_id in sorted(ids or ()):
        pks |= set(visibility.role_holders(*roles, station_id=station_id).values_list("pk", flat=True))
    return User.objects.filter(pk__in=sorted(pks), is_active=True).order_by("id")


def _complaint_of(user: Any, number: int | None) -> Any:
    """The complaint a measure answers, one the person handles (the same refusal for missing and forbidden)."""
    if number is None:
        return None
    try:
        return feedback_selectors.access_feedback(user=user, pk=number, manage=True)
    except Http404:
        raise ValidationError(
            {"complaint_ref": ValidationError("没有这条投诉", code="does_not_exist")}
        ) from None


@staff_page("GET", "POST")
def measure_create(request: HttpRequest) -> HttpResponse:
    stations = _managed_stations(request.user)
    if not stations.exists():
        raise PermissionDenied
    initial = {k: request.GET.get(k, "")[:20] for k in ("indicator", "source") if request.GET.get(k)}
    form = RectificationForm(
        request.POST or None, stations=stations, people=_people_for(request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = _complaint_of(request.user, data["complaint_ref"])
            found = rectifications.rectification_create(
                actor=request.user,
                station=data["station"],
                title=data["title"],
                problem=data["problem"],
                source=data["source"],
                owner=data["owner"],
                verifier=data["verifier"],
                deadline=data["deadline"],
                indicator=data["indicator"] or "",
                complaint=complaint,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "整改措施已制定，已通知责任人")
            return HttpResponseRedirect(reverse("evaluation:measure", kwargs={"pk": found.pk}))
    return render(request, "evaluation/manage/form.html", {"form": form, "title": "制定整改措施"})


def _measure_page(
    request: HttpRequest,
    measure: Any,
    *,
    progress: BaseForm | None = None,
    move: BaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "measure": measure,
        "notes": selectors.timeline(measure),
        "progress_form": progress or ProgressForm(),
        "move_form": move or MoveForm(),
        "can_progress": user.has_perm("evaluation.report_progress", measure),
        "can_verify": user.has_perm("evaluation.verify", measure) and user.pk != measure.owner_id,
        "today": timezone.localdate(),
        "title": measure.title,
    }
    return render(request, "evaluation/manage/measure.html", context, status=status)


@page("GET")
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    return _measure_page(request, selectors.access_measure(user=request.user, pk=pk))


EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


@page("GET")
def measure_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The closing evidence of a measure (证明材料), shown in place, for those who may see the measure."""
    found = selectors.access_measure(user=request.user, pk=pk)
    if not found.evidence_file:
        raise Http404
    suffix = PurePosixPath(found.evidence_file.name).suffix.lower()
    return file_response(
        request,
        found.evidence_file,
        filename=f"{found.title[:40]}-证明材料{suffix}",
        content_type=EVIDENCE_TYPES.get(suffix, "application/octet-stream"),
        inline=True,
    )


@page("POST")
def measure_progress(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_measure(user=request.user, pk=pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            rectifications.progress_add(actor=request.user, measure=found, text=form.cleaned_data["text"])
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "已记录整改进展")
            return HttpResponseRedirect(reverse("evaluation:measure", kwargs={"pk": found.pk}))
    return _measure_page(request, found, progress=form, status=400)


@page("POST")
def measure_move(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_measure(user=request.user, pk=pk)
    form = MoveForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rectifications.rectification_move(
                actor=request.user,
                measure=found,
                action=data["action"],
                comment=data["comment"],
                evidence_text=data["evidence_text"],
                evidence_file=data["evidence_file"],
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, "整改状态已更新")
            return HttpResponseRedirect(reverse("evaluation:measure", kwargs={"pk": found.pk}))
    return _measure_page(request, found, move=form, status=400)
