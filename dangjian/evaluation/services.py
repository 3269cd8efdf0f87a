"""Writes of service evaluation: service items and their deliveries, satisfaction surveys and
questionnaires (投票问卷). Rectifications (§10.2) are in `rectifications.py`.

Every function authorises with `actor.has_perm(...)` (PermissionDenied), runs atomically, writes the audit
log and notifies on commit. Refusals are `ValidationError`s with a Chinese message and a code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.evaluation import schedules
from dangjian.evaluation.models import (
    Ballot,
    BallotChoice,
    BallotText,
    OccasionKind,
    OccurrenceStatus,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Recurrence,
    SatisfactionAnswer,
    SatisfactionInvitation,
    ServiceItem,
    ServiceOccurrence,
)
from dangjian.stations.models import Station

PLAN_AHEAD_DAYS = 62  # occurrences are planned about two months ahead (and by the daily beat)
MAX_QUESTIONS = 20
MAX_OPTIONS = 12
COMMENT_MAX = 500


def require(actor: Any, permission: str, obj: Any = None, message: str = "您没有权限进行此操作") -> None:
    if actor is None or not actor.has_perm(permission, obj):
        raise PermissionDenied(message)


def clean_text(value: Any, *, what: str, max_length: int, required: bool = True, field: str = "") -> str:
    """A typed text: stripped, bounded, no NUL; a clear Chinese refusal otherwise."""
    text = str(value or "").strip()
    key = field or "__all__"
    if "\x00" in text:
        raise ValidationError({key: ValidationError(f"{what}含有不允许的字符", code="invalid")})
    if required and not text:
        raise ValidationError({key: ValidationError(f"请填写{what}", code="required")})
    if len(text) > max_length:
        raise ValidationError({key: ValidationError(f"{what}不能超过 {max_length} 字", code="too_long")})
    return text


# ---------------------------------------------------------------- service items


@dataclass(frozen=True)
class ItemData:
    title: str
    kind: str
    promise: str
    recurrence: str
    weekday: int | None
    day_of_month: int | None
    at_time: time
    window_minutes: int
    starts_on: date
    ends_on: date | None = None
    is_active: bool = True


def _check_schedule(data: ItemData) -> None:
    if data.recurrence == Recurrence.WEEKLY and (data.weekday is None or not 0 <= data.weekday <= 6):
        raise ValidationError({"weekday": ValidationError("每周的服务请选择星期几", code="weekday")})
    if data.recurrence == Recurrence.MONTHLY and (
        data.day_of_month is None or not 1 <= data.day_of_month <= 28
    ):
        raise ValidationError(
            {"day_of_month": ValidationError("每月的服务请填写 1 至 28 日", code="invalid")}
        )
    if data.recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": ValidationError("周期应为每周或每月", code="recurrence")})
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise ValidationError({"ends_on": ValidationError("结束日期不能早于开始日期", code="order")})
    if not 0 <= data.window_minutes <= 24 * 60:
        raise ValidationError(
            {"window_minutes": ValidationError("允许偏差应为 0 至 1440 分钟", code="invalid")}
        )


def service_item_save(
    *, actor: Any, station: Station, data: ItemData, item: ServiceItem | None = None
) -> ServiceItem:
    """Create or change a station's service item and plan its occurrences ahead."""
    require(actor, "evaluation.manage_items", item or station)
    title = clean_text(data.title, what="服务项目名称", max_length=80, field="title")
    promise = clean_text(data.promise, what="服务承诺", max_length=200, required=False, field="promise")
    _check_schedule(data)
    with transaction.atomic():
        created = item is None
        target = item or ServiceItem(station=station)
        target.title, target.kind, target.promise = title, data.kind, promise
        target.recurrence = data.recurrence
        target.weekday = data.weekday if data.recurrence == Recurrence.WEEKLY else None
        target.day_of_month = data.day_of_month if data.recurrence == Recurrence.MONTHLY else None
        target.at_time, target.window_minutes = data.at_time, data.window_minutes
        target.starts_on, target.ends_on, target.is_active = data.starts_on, data.ends_on, data.is_active
        target.save()
        if not created:  # the future plan follows the new schedule; what happened stays
            ServiceOccurrence.objects.filter(
                item=target, status=OccurrenceStatus.PLANNED, scheduled_at__gt=timezone.now()
            ).delete()
        plan_occurrences(item=target)
        record_event(
            actor=actor,
            action="evaluation.item.create" if created else "evaluation.item.update",
            target=target,
            station=target.station,
            data={"title": title, "schedule": target.schedule_label},
        )
    return target


def plan_occurrences(*, item: ServiceItem, until: date | None = None, since: date | None = None) -> int:
    """Make the item's planned occurrences from `since` (its start) to `until` (about two months ahead);
    existing ones stay (the unique constraint). Returns how many were added."""
    if not item.is_active:
        return 0
    zone = timezone.get_current_timezone()
    last = until or timezone.localdate() + timedelta(days=PLAN_AHEAD_DAYS)
    if item.ends_on is not None:
        last = min(last, item.ends_on)
    days = schedules.planned_days(
        recurrence=item.recurrence,
        weekday=item.weekday,
        day_of_month=item.day_of_month,
        first=max(item.starts_on, since or item.starts_on),
        last=last,
    )
    window = timedelta(minutes=item.window_minutes)
    rows = [
        ServiceOccurrence(item=item, station_id=item.station_id, scheduled_at=at, window_ends_at=at + window)
        for at in schedules.planned_times(days, item.at_time, zone)
    ]
    before = ServiceOccurrence.objects.filter(item=item).count()
    ServiceOccurrence.objects.bulk_create(rows, ignore_conflicts=True)
    return ServiceOccurrence.objects.filter(item=item).count() - before


def plan_all_occurrences() -> int:
    """The daily beat: keep every active item planned two months ahead."""
    return sum(plan_occurrences(item=item) for item in ServiceItem.objects.filter(is_active=True))


def delivery_record(
    *,
    actor: Any,
    occurrence: ServiceOccurrence,
    delivered_at: datetime,
    note: str = "",
    served: Iterable[User] = (),
    now: datetime | None = None,
) -> ServiceOccurrence:
    """Record that the promised service was given at `delivered_at` (on time when inside the promised
    window, late after it); a missed occurrence delivered afterwards counts as late. The people `served`
    (if named) are asked how satisfied they were."""
    require(actor, "evaluation.record_delivery", occurrence, "只有本站点的工作人员可以登记服务")
    note = clean_text(note, what="说明", max_length=200, required=False, field="note")
    now = now or timezone.now()
    if timezone.is_naive(delivered_at):
        delivered_at = timezone.make_aware(delivered_at)
    with transaction.atomic():
        locked = (
            ServiceOccurrence.objects.select_for_update(of=("self",))
            .select_related("item", "station")
            .get(pk=occurrence.pk)
        )
        if locked.status == OccurrenceStatus.DELIVERED:
            raise ValidationError("该次服务已登记提供", code="wrong_state")
        if delivered_at > now:
            raise ValidationError(
                {"delivered_at": ValidationError("实际提供时间不能晚于现在", code="invalid")}
            )
        earliest = locked.scheduled_at - timedelta(minutes=locked.item.window_minutes)
        if delivered_at < earliest - timedelta(days=1):
            raise ValidationError(
                {"delivered_at": ValidationError("实际提供时间早于承诺时间太多", code="invalid")}
            )
        locked.status, locked.delivered_at, locked.delivered_by = (
            OccurrenceStatus.DELIVERED,
            delivered_at,
            actor,
        )
        locked.on_time = earliest <= delivered_at <= locked.window_ends_at
        locked.note = note
        locked.save()
        record_event(
            actor=actor,
            action="evaluation.delivery.record",
            target=locked.item,
            station=locked.station,
            data={"occurrence": locked.pk, "delivered_at": delivered_at, "on_time": locked.on_time},
        )
        people = [person.pk for person in served]
        if people:
            invitations_create(
                station_id=locked.station_id,
                kind=OccasionKind.SERVICE,
                occasion_id=locked.pk,
                title=locked.item.title,
                occurred_at=delivered_at,
                person_ids=people,
            )
    return locked


def mark_missed(*, now: datetime | None = None) -> int:
    """The beat: occurrences still not delivered when their window ended are missed (idempotent)."""
    now = now or timezone.now()
    return ServiceOccurrence.objects.filter(status=OccurrenceStatus.PLANNED, window_ends_at__lt=now).update(
        status=OccurrenceStatus.MISSED
    )


# ---------------------------------------------------------------- satisfaction surveys


def invitations_create(
    *,
    station_id: int,
    kind: str,
    occasion_id: int,
    title: str,
    occurred_at: datetime,
    person_ids: Iterable[int],
    organization_id: int | None = None,
) -> int:
    """Ask each person once how satisfied they were with the occasion (again for the same occasion: no
    second invitation) and tell them; returns how many were new. Called by the listeners on completion."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return 0
    with transaction.atomic():
        already = set(
            SatisfactionInvitation.objects.filter(
                occasion_kind=kind, occasion_id=occasion_id, person_id__in=wanted
            ).values_list("person_id", flat=True)
        )
        new = [pk for pk in wanted if pk not in already]
        rows = [
            SatisfactionInvitation(
                station_id=station_id,
                organization_id=organization_id,
                person_id=pk,
                occasion_kind=kind,
                occasion_id=occasion_id,
                occasion_title=title[:160],
                occurred_at=occurred_at,
            )
            for pk in new
        ]
        SatisfactionInvitation.objects.bulk_create(rows, ignore_conflicts=True)
        label = OccasionKind(kind).label
        notify(
            recipients=User.objects.filter(pk__in=new, is_active=True),
            title=f"请对{label}“{title[:40]}”作出满意度评价",
            body="您的评价将用于站点服务评价与改进（1–5 分，可附意见）。",
            url=reverse("evaluation:pending"),
            station=Station.objects.filter(pk=station_id).first(),
            email=False,
        )
    return len(new)


def survey_answer(
    *, actor: Any, invitation: SatisfactionInvitation, score: Any, comment: str = ""
) -> SatisfactionAnswer:
    """The person's one answer to one invitation: 1–5 and an optional comment. A second answer (also two
    at the same moment) is refused with `duplicate`."""
    require(actor, "evaluation.answer_survey", invitation, "只能评价邀请您本人的事项")
    if isinstance(score, bool) or not isinstance(score, int | str):
        raise ValidationError({"score": ValidationError("请选择 1 至 5 分", code="invalid")})
    try:
        value = int(score)
    except ValueError:
        raise ValidationError({"score": ValidationError("请选择 1 至 5 分", code="invalid")}) from None
    if not 1 <= value <= 5:
        raise ValidationError({"score": ValidationError("请选择 1 至 5 分", code="invalid")})
    text = clean_text(comment, what="意见", max_length=COMMENT_MAX, required=False, field="comment")
    try:
        with transaction.atomic():
            locked = SatisfactionInvitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.answered_at is not None:
                raise ValidationError("您已评价过该事项，每人每次只能评价一次", code="duplicate")
            now = timezone.now()
            answer = SatisfactionAnswer.objects.create(
                invitation=locked,
                station_id=locked.station_id,
                organization_id=locked.organization_id,
                occasion_kind=locked.occasion_kind,
                score=value,
                comment=text,
                answered_at=now,
            )
            locked.answered_at = now
            locked.save(update_fields=["answered_at"])
            record_event(
                actor=actor,
                action="evaluation.survey.answer",
                target=locked,
                station=locked.station,
                data={"kind": locked.occasion_kind},
            )
    except IntegrityError:
        raise ValidationError("您已评价过该事项，每人每次只能评价一次", code="duplicate") from None
    return answer


# ---------------------------------------------------------------- questionnaires (投票问卷)


@dataclass(frozen=True)
class QuestionData:
    text: str
    kind: str
    options: Sequence[str] = ()


def questionnaire_open(
    *,
    actor: Any,
    station: Station,
    title: str,
    description: str,
    opens_at: datetime,
    closes_at: datetime,
    questions: Sequence[QuestionData],
) -> Questionnaire:
    """A station admin opens a questionnaire to the people of the station (§5.2 事务共商)."""
    require(actor, "evaluation.open_questionnaire", station, "只有本站点的管理员可以发起投票问卷")
    title = clean_text(title, what="标题", max_length=120, field="title")
    description = clean_text(description, what="说明", max_length=2000, required=False, field="description")
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": ValidationError("截止时间应晚于开始时间", code="order")})
    if not questions:
        raise ValidationError({"questions": ValidationError("请至少设置一道题目", code="required")})
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": ValidationError(f"题目不能超过 {MAX_QUESTIONS} 道", code="too_many")}
        )
    cleaned = [_clean_question(q) for q in questions]
    with transaction.atomic():
        found = Questionnaire.objects.create(
            station=station,
            title=title,
            description=description,
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=actor,
        )
        for position, (text, kind, options) in enumerate(cleaned):
            question = Question.objects.create(questionnaire=found, text=text, kind=kind, position=position)
            Option.objects.bulk_create(
                Option(question=question, text=option, position=index) for index, option in enumerate(options)
            )
        record_event(
            actor=actor,
            action="evaluation.questionnaire.open",
            target=found,
            station=station,
            data={"title": title, "questions": len(cleaned)},
        )
    return found


def _clean_question(question: QuestionData) -> tuple[str, str, list[str]]:
    text = clean_text(question.text, what="题目", max_length=200, field="questions")
    if question.kind not in QuestionKind.values:
        raise ValidationError({"questions": ValidationError("题型应为单选、多选或文字意见", code="invalid")})
    options = [
        clean_text(o, what="选项", max_length=120, field="questions")
        for o in question.options
        if str(o).strip()
    ]
    if question.kind != QuestionKind.TEXT and not 2 <= len(options) <= MAX_OPTIONS:
        raise ValidationError(
            {
                "questions": ValidationError(
                    f"选择题“{text[:20]}”须有 2 至 {MAX_OPTIONS} 个选项", code="invalid"
                )
            }
        )
    return text, question.kind, options if question.kind != QuestionKind.TEXT else []


def ballot_cast(
    *,
    actor: Any,
    questionnaire: Questionnaire,
    choices: Mapping[int, Sequence[int]],
    texts: Mapping[int, str] | None = None,
    now: datetime | None = None,
) -> Ballot:
    """One ballot per person: `choices` maps each choice question's id to the chosen option ids (one for
    a single-choice question), `texts` each text question's id to the opinion (optional)."""
    require(actor, "evaluation.vote", questionnaire, "您不在该投票问卷的参与范围内")
    now = now or timezone.now()
    if not questionnaire.is_open(now):
        raise ValidationError("投票问卷未开始或已截止", code="not_open")
    questions = list(questionnaire.questions.prefetch_related("options"))
    picked = _checked_choices(questions, choices)
    opinions = _checked_texts(questions, texts or {})
    try:
        with transaction.atomic():
            if Ballot.objects.filter(questionnaire=questionnaire, voter=actor).exists():
                raise ValidationError("您已投过票，每人只能投一次", code="duplicate")
            ballot = Ballot.objects.create(questionnaire=questionnaire, voter=actor, cast_at=now)
            BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, option_id=pk) for pk in picked)
            BallotText.objects.bulk_create(
                BallotText(ballot=ballot, question_id=pk, text=text) for pk, text in opinions.items()
            )
            record_event(
                actor=actor,
                action="evaluation.questionnaire.vote",
                target=questionnaire,
                station=questionnaire.station,
                data={"choices": len(picked)},
            )
    except IntegrityError:
        raise ValidationError("您已投过票，每人只能投一次", code="duplicate") from None
    return ballot


def _checked_choices(questions: list[Question], choices: Mapping[int, Sequence[int]]) -> list[int]:
    known = {q.pk: q for q in questions}
    if any(pk not in known for pk in choices):
        raise ValidationError("答案含有不属于本问卷的题目", code="invalid")
    picked: list[int] = []
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            continue
        chosen = list(dict.fromkeys(int(pk) for pk in choices.get(question.pk, ())))
        options = {o.pk for o in question.options.all()}
        if not chosen:
            raise ValidationError(f"请回答“{question.text[:30]}”", code="required")
        if any(pk not in options for pk in chosen):
            raise ValidationError("所选选项不属于该题目", code="invalid")
        if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            raise ValidationError(f"“{question.text[:30]}”是单选题，只能选一项", code="invalid")
        picked += chosen
    return picked


def _checked_texts(questions: list[Question], texts: Mapping[int, str]) -> dict[int, str]:
    text_questions = {q.pk for q in questions if q.kind == QuestionKind.TEXT}
    if any(pk not in text_questions for pk in texts):
        raise ValidationError("文字意见不属于本问卷的文字题", code="invalid")
    cleaned = {
        pk: clean_text(t, what="意见", max_length=COMMENT_MAX, required=False) for pk, t in texts.items()
    }
    return {pk: t for pk, t in cleaned.items() if t}
