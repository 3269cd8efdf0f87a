"""JSON API of remote learning (远程学习, DB3212/T 1124 §6.3; issue 11 item 8), under `/api/v1/learning/`.

- Catalogue: published courses (1+N: every station's, to everyone signed in) with filters, and a course's
  detail with its lessons, quizzes and the caller's own progress in each.
- My courses (assigned or started, with progress and deadlines) and my 学时 and points of a year.
- Heartbeats (progress.py): a video's played stretches and playhead, or a document's page; what counts is
  judged by the server's clock, so the answer says how much was newly counted.
- Quizzes: start (or resume) an attempt — a fresh random draw, without the key —, submit the answers,
  read the result with the right answers and explanations once submitted.

Handlers are thin: `selectors.access_*` fetches and authorises (the same 404 for missing and forbidden);
one service writes. A refusal keeps the service's code (400); a course the caller may see but not study
(a draft they write) answers 403 `forbidden`. Times are ISO 8601 in Asia/Shanghai (`+08:00`).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_scopes import scopes_disabled
from ninja import Field, Query, Router, Schema, Status

from dangjian.core.api_schemas import ObjectId, SearchText, local, paginated, with_errors, write_responses
from dangjian.core.workflow import ReviewStatus
from dangjian.learning import progress, quizzes, selectors
from dangjian.learning.models import (
    AssignmentLearner,
    Category,
    Course,
    CourseCompletion,
    Lesson,
    LessonKind,
    LessonProgress,
    QuestionKind,
    Quiz,
    QuizAttempt,
)

router = Router(tags=["远程学习"])

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_SEGMENTS = progress.MAX_SEGMENTS
MAX_SECONDS = 24 * 3600

STUDY_CODES = ("lesson_not_ready", "prerequisite")
HEARTBEAT_CODES = ("bad_heartbeat", *STUDY_CODES)
START_CODES = ("lessons_first", "already_passed", "attempts_used", "bank_too_small")
SUBMIT_CODES = ("attempt_closed", "bad_answer")

CATEGORY_HELP = "；".join(f"{value} {label}" for value, label in Category.choices)
KIND_HELP = "；".join(f"{value} {label}" for value, label in LessonKind.choices)
QUESTION_HELP = "；".join(f"{value} {label}" for value, label in QuestionKind.choices)
CATEGORIES = Literal["theory", "constitution", "history", "practice", "instructor", "other"]


# ---------------------------------------------------------------- output shapes


class Ref(Schema):
    id: int
    name: str


class CourseOut(Schema):
    id: int
    title: str
    category: str = Field(..., description=CATEGORY_HELP)
    category_label: str
    station: Ref = Field(..., description="来源站点")
    description: str
    cover: str | None = Field(None, description="封面图地址")
    credit_hours: Decimal = Field(..., description="按今天的学时规则计算的学时（完成时按当天规则记入）")
    length_seconds: int = Field(..., description="课程时长：视频时长与文档每页最少阅读时间之和")
    lesson_count: int
    published_at: datetime | None

    @staticmethod
    def resolve_category_label(obj: Course) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_station(obj: Course) -> dict[str, Any]:
        return {"id": obj.station_id, "name": obj.station.name}

    @staticmethod
    def resolve_cover(obj: Course) -> str | None:
        return obj.cover.url if obj.cover else None

    @staticmethod
    def resolve_lesson_count(obj: Course) -> int:
        return int(getattr(obj, "lesson_count", 0) or 0)

    @staticmethod
    def resolve_published_at(obj: Course) -> datetime | None:
        return local(obj.published_at)


class ProgressOut(Schema):
    lesson_id: int
    position: float = Field(..., description="续播位置：视频的秒数，或文档的页码")
    covered_seconds: float = Field(..., description="视频：已播放区间的并集长度（秒）")
    intervals: list[list[float]] = Field(..., description="视频：已播放区间 [开始, 结束]（秒）")
    page_seconds: dict[str, float] = Field(..., description="文档：各页已计入的阅读秒数")
    completed: bool
    completed_at: datetime | None

    @staticmethod
    def resolve_completed(obj: LessonProgress) -> bool:
        return obj.completed_at is not None

    @staticmethod
    def resolve_completed_at(obj: LessonProgress) -> datetime | None:
        return local(obj.completed_at)


class LessonOut(Schema):
    id: int
    position: int
    title: str
    kind: str = Field(..., description=KIND_HELP)
    kind_label: str
    duration_seconds: int = Field(..., description="视频时长（服务器从文件读取）")
    page_count: int = Field(..., description="文档、电子书的页数（图文为 1）")
    prerequisites: list[int] = Field(..., description="须先学完的课时")
    mine: ProgressOut | None = Field(None, description="本人在该课时的进度；尚未开始为 null")

    @staticmethod
    def resolve_kind_label(obj: Lesson) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_prerequisites(obj: Lesson) -> list[int]:
        return [p.pk for p in obj.prerequisites.all()]

    @staticmethod
    def resolve_mine(obj: Lesson) -> LessonProgress | None:
        return getattr(obj, "mine", None)


class QuizOut(Schema):
    id: int
    title: str
    lesson_id: int | None = Field(None, description="课时测验所属课时；结业考试为 null")
    is_exam: bool = Field(..., description="结业考试：通过另加学时")
    draw_count: int = Field(..., description="每次从题库随机抽取的题数")
    pass_percent: int = Field(..., description="及格分（百分制）")
    max_attempts: int
    time_limit_minutes: int | None = Field(None, description="限时（分钟）；null 为不限时")
    attempts_used: int = Field(..., description="本人已用的作答次数")
    passed: bool = Field(..., description="本人已通过")


class CourseDetailOut(CourseOut):
    lessons: list[LessonOut]
    quizzes: list[QuizOut]
    completed_at: datetime | None = Field(None, description="本人完成课程的时间")
    credited_hours: Decimal | None = Field(None, description="本人完成时记入的学时")

    @staticmethod
    def resolve_lessons(obj: Course) -> list[Lesson]:
        return getattr(obj, "lesson_rows", [])

    @staticmethod
    def resolve_quizzes(obj: Course) -> list[dict[str, Any]]:
        return getattr(obj, "quiz_rows", [])

    @staticmethod
    def resolve_completed_at(obj: Course) -> datetime | None:
        return local(getattr(getattr(obj, "completion", None), "completed_at", None))

    @staticmethod
    def resolve_credited_hours(obj: Course) -> Decimal | None:
        return getattr(getattr(obj, "completion", None), "credit_hours", None)


class MyCourseOut(Schema):
    course: CourseOut
    lessons_done: int = Field(..., description="本人已完成的课时数")
    completed_at: datetime | None = Field(None, description="完成课程的时间；未完成为 null")
    deadline: date | None = Field(None, description="学习任务的最近完成期限；自学的课程为 null")
    assigned: bool = Field(..., description="是布置给本人的学习任务")
    overdue: bool = Field(..., description="已过期限仍未完成")

    @staticmethod
    def resolve_course(obj: Course) -> Course:
        return obj

    @staticmethod
    def resolve_completed_at(obj: Course) -> datetime | None:
        return local(getattr(obj, "completed_at", None))

    @staticmethod
    def resolve_assigned(obj: Course) -> bool:
        return getattr(obj, "deadline", None) is not None

    @staticmethod
    def resolve_overdue(obj: Course) -> bool:
        deadline = getattr(obj, "deadline", None)
        late = deadline is not None and deadline < timezone.localdate()
        return late and getattr(obj, "completed_at", None) is None


class BeatOut(Schema):
    progress: ProgressOut
    gained: float = Field(..., description="本次新计入的秒数（视频为新覆盖的播放秒数，文档为阅读秒数）")
    lesson_completed: bool = Field(..., description="本次心跳使课时完成")
    course_completed: bool = Field(..., description="本次心跳使课程完成（学时已记入）")


class PaperQuestionOut(Schema):
    id: int
    number: int = Field(..., description="在本次试卷中的题号")
    kind: str = Field(..., description=QUESTION_HELP)
    kind_label: str
    text: str
    choices: list[str] = Field(..., description="选择题的选项；作答时以从 0 起的序号表示")
    points: int
    given: Any = Field(None, description="交卷后：本人的答案")
    correct: bool | None = Field(None, description="交卷后：是否答对（多选题少选、多选均为错）")
    answer: Any = Field(None, description="交卷后：正确答案")
    explanation: str | None = Field(None, description="交卷后：解析")


class AttemptOut(Schema):
    id: int
    quiz: Ref
    course: Ref
    number: int = Field(..., description="第几次作答")
    status: str = Field(
        ..., description="open 作答中 / submitted 已交卷 / expired 超时未交（不评分，计入次数）"
    )
    status_label: str
    started_at: datetime
    deadline: datetime | None = Field(None, description="交卷截止时间；null 为不限时")
    submitted_at: datetime | None
    score: int
    max_score: int
    percent: int = Field(..., description="百分制成绩")
    pass_percent: int
    passed: bool
    questions: list[PaperQuestionOut] = Field(..., description="本次抽到的试题；交卷后附答案和解析")


class YearOut(Schema):
    year: int
    hours: Decimal = Field(..., description="本年度已记入的学时")
    target: Decimal = Field(..., description="本年度学时目标（按所任角色取最高）")
    percent: int = Field(..., description="完成目标的百分比（至多 100）")
    points: int = Field(..., description="本年度学习积分（与学时分开计算）")
    courses: int = Field(..., description="本年度完成的课程数")


# ---------------------------------------------------------------- input shapes


class CourseFilters(Schema):
    category: CATEGORIES | None = Field(None, description=f"课程类别：{CATEGORY_HELP}")
    station: ObjectId | None = Field(None, description="来源站点")
    q: SearchText | None = Field(None, description="课程名称包含的文字")


Second = Annotated[float, Field(ge=0, le=MAX_SECONDS, allow_inf_nan=False)]


class HeartbeatIn(Schema):
    segments: list[Annotated[list[Second], Field(min_length=2, max_length=2)]] | None = Field(
        None,
        max_length=MAX_SEGMENTS,
        description="视频：自上次心跳以来实际播放的区间 [[开始秒数, 结束秒数], …]（不是播放头位置）",
    )
    position: Second | None = Field(None, description="视频：当前播放位置（秒），用于续播")
    page: Annotated[int, Field(ge=1, le=5000)] | None = Field(
        None, description="文档、电子书、图文：当前显示的页码（图文为 1）"
    )


class AnswersIn(Schema):
    answers: dict[Annotated[str, Field(pattern=r"^\d{1,12}$")], Any] = Field(
        ...,
        max_length=200,
        description="{题目 id: 答案}：单选为选项序号，多选为序号列表，判断为 true/false，填空为文字；"
        "未作答的题可省略（计为错）",
    )


class YearQuery(Schema):
    year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)] | None = Field(
        None, description="年度（默认今年，北京时间）"
    )


# ---------------------------------------------------------------- catalogue


def _catalogue(user: Any) -> QuerySet[Course]:
    return (
        selectors.visible_courses(user)
        .filter(status=ReviewStatus.PUBLISHED)
        .annotate(lesson_count=Count("lessons", distinct=True))
        .order_by(F("published_at").desc(nulls_last=True), "-id")
    )


@router.get(
    "/courses",
    response=with_errors({200: list[CourseOut]}, 401, 422),
    url_name="learning_course_list",
    summary="课程目录",
    description="全部站点已发布的课程（1+N：一门课程各站点共用），最新发布的在前。",
)
@paginated
def course_list(request: HttpRequest, filters: Query[CourseFilters]) -> QuerySet[Course]:
    found = _catalogue(request.user)
    if filters.category:
        found = found.filter(category=filters.category)
    if filters.station:
        found = found.filter(station_id=filters.station)
    if filters.q:
        found = found.filter(title__icontains=filters.q)
    return found


def _own_progress(user: Any, lessons: list[Lesson]) -> dict[int, LessonProgress]:
    with scopes_disabled():  # the caller's own rows, by user
        rows = LessonProgress.objects.filter(user_id=user.pk, lesson__in=lessons)
        return {row.lesson_id: row for row in rows}


def _quiz_rows(user: Any, course: Course) -> list[dict[str, Any]]:
    with scopes_disabled():  # the caller's own attempts, by user
        passed = QuizAttempt.objects.filter(user_id=user.pk, quiz=OuterRef("pk"), passed=True)
        found = course.quizzes.annotate(
            attempts_used=Count("attempts", filter=Q(attempts__user_id=user.pk)), passed=Exists(passed)
        ).order_by(F("lesson__position").asc(nulls_last=True), "id")
        return [{**vars(quiz), "lesson_id": quiz.lesson_id} for quiz in found]


def _detail(user: Any, course: Course) -> Course:
    shown = _catalogue(user).filter(pk=course.pk).first() or course
    lessons = list(course.lessons.prefetch_related("prerequisites").order_by("position"))
    own = _own_progress(user, lessons)
    for lesson in lessons:
        lesson.mine = own.get(lesson.pk)  # type: ignore[attr-defined]
    shown.lesson_rows = lessons  # type: ignore[attr-defined]
    shown.lesson_count = len(lessons)  # type: ignore[attr-defined]
    shown.quiz_rows = _quiz_rows(user, course)  # type: ignore[attr-defined]
    with scopes_disabled():
        shown.completion = CourseCompletion.objects.filter(user_id=user.pk, course=course).first()  # type: ignore[attr-defined]
    return shown


@router.get(
    "/courses/{int:course_id}",
    response=with_errors({200: CourseDetailOut}, 401, 404, 422),
    url_name="learning_course_detail",
    summary="课程详情（课时、测验和本人的进度）",
    description="已发布的课程各站点登录用户都能查看；草稿只对本站点的作者和指导员可见。",
)
def course_detail(request: HttpRequest, course_id: ObjectId) -> Course:
    course = selectors.access_course(user=request.user, pk=course_id)
    return _detail(request.user, course)


# ---------------------------------------------------------------- my courses and my year


def _my_courses(user: Any) -> QuerySet[Course]:
    """Courses assigned to the caller or begun by them, each with their progress (one query)."""
    with scopes_disabled():  # the caller's own rows, by user
        assigned = AssignmentLearner.objects.filter(user_id=user.pk)
        begun = LessonProgress.objects.filter(user_id=user.pk)
        completions = CourseCompletion.objects.filter(user_id=user.pk, course=OuterRef("pk"))
        return (
            Course.objects.filter(
                Q(pk__in=assigned.values("assignment__course_id"))
                | Q(pk__in=begun.values("lesson__course_id"))
            )
            .select_related("station")
            .annotate(
                lesson_count=Count("lessons", distinct=True),
                lessons_done=Count(
                    "lessons__progress",
                    filter=Q(
                        lessons__progress__user_id=user.pk, lessons__progress__completed_at__isnull=False
                    ),
                    distinct=True,
                ),
                deadline=assigned.filter(assignment__course_id=OuterRef("pk"))
                .order_by("assignment__deadline")
                .values("assignment__deadline")[:1],
                completed_at=completions.values("completed_at")[:1],
            )
            .order_by(F("completed_at").asc(nulls_first=True), F("deadline").asc(nulls_last=True), "-id")
        )


@router.get(
    "/me/courses",
    response=with_errors({200: list[MyCourseOut]}, 401, 422),
    url_name="learning_my_courses",
    summary="我的课程与进度",
    description="布置给本人的学习任务和本人已开始学习的课程：未完成的在前，期限最近的在前。",
)
@paginated
def my_courses(request: HttpRequest) -> QuerySet[Course]:
    return _my_courses(request.user)


@router.get(
    "/me/year",
    response=with_errors({200: YearOut}, 401, 422),
    url_name="learning_my_year",
    summary="我的年度学时与积分",
    description="本年度（或 `year`）记入的学时与目标、学习积分、完成的课程数。",
)
def my_year(request: HttpRequest, filters: Query[YearQuery]) -> dict[str, Any]:
    summary = selectors.year_summary(request.user, filters.year)
    return {**summary.__dict__, "percent": summary.percent}


# ---------------------------------------------------------------- lessons: open and heartbeats


@router.post(
    "/lessons/{int:lesson_id}/open",
    response=write_responses({200: ProgressOut}, STUDY_CODES),
    url_name="learning_lesson_open",
    summary="开始（或继续）学习课时",
    description="返回本人的进度：`position` 为上次停下的位置。服务器从此刻开始计时。",
)
def lesson_open(request: HttpRequest, lesson_id: ObjectId) -> LessonProgress:
    lesson = selectors.access_lesson(user=request.user, pk=lesson_id)
    return progress.lesson_open(actor=request.user, lesson=lesson)


@router.post(
    "/lessons/{int:lesson_id}/heartbeat",
    response=write_responses({200: BeatOut}, HEARTBEAT_CODES),
    url_name="learning_heartbeat",
    summary="学习心跳（约每 10 秒一次）",
    description=(
        "视频：上报自上次心跳以来实际播放的区间和当前位置；计入的是所有播放区间的并集，且不超过服务器上实际"
        "流逝的时间（拖动到结尾、重复播放、多个标签页同时播放都不会多计）。并集达到视频时长的 90% 即完成。"
        "文档、电子书、图文：上报当前页码，距上次心跳的时间（至多 30 秒）计入该页；每页读满规定秒数才算完成。"
    ),
)
def heartbeat(request: HttpRequest, lesson_id: ObjectId, payload: HeartbeatIn) -> progress.Beat:
    lesson = selectors.access_lesson(user=request.user, pk=lesson_id)
    return progress.heartbeat(
        actor=request.user,
        lesson=lesson,
        segments=payload.segments or [],
        position=payload.position,
        page=payload.page if not lesson.is_video else None,
    )


# ---------------------------------------------------------------- quizzes


def _attempt_out(attempt: QuizAttempt) -> dict[str, Any]:
    quiz = attempt.quiz
    reviewed = {r.question.pk: r for r in quizzes.attempt_review(attempt)}
    questions = []
    for number, question in enumerate(quizzes.paper_of(attempt), start=1):
        row: dict[str, Any] = {
            "id": question.pk,
            "number": number,
            "kind": question.kind,
            "kind_label": question.get_kind_display(),
            "text": question.text,
            "choices": question.choices,
            "points": question.points,
        }
        done = reviewed.get(question.pk)
        if done is not None:
            row.update(
                given=done.given,
                correct=done.correct,
                answer=question.answer,
                explanation=question.explanation,
            )
        questions.append(row)
    return {
        **{name: getattr(attempt, name) for name in ("id", "number", "status", "score", "max_score")},
        "quiz": {"id": quiz.pk, "name": quiz.title},
        "course": {"id": quiz.course_id, "name": quiz.course.title},
        "status_label": attempt.get_status_display(),
        "started_at": local(attempt.started_at),
        "deadline": local(attempt.deadline),
        "submitted_at": local(attempt.submitted_at),
        "percent": attempt.percent,
        "pass_percent": quiz.pass_percent,
        "passed": attempt.passed,
        "questions": questions,
    }


@router.post(
    "/quizzes/{int:quiz_id}/attempts",
    response=write_responses({201: AttemptOut}, START_CODES),
    url_name="learning_attempt_start",
    summary="开始测验（或继续未交卷的一次）",
    description=(
        "每次作答从题库中随机抽题；限时测验从此刻计时。课时测验在该课时学完后开放，结业考试在全部课时学完后"
        "开放。交卷前不返回答案和解析。"
    ),
)
def attempt_start(request: HttpRequest, quiz_id: ObjectId) -> Status:
    quiz: Quiz = selectors.access_quiz(user=request.user, pk=quiz_id)
    attempt = quizzes.attempt_start(actor=request.user, quiz=quiz)
    return Status(201, _attempt_out(_own_attempt(request.user, attempt.pk)))


def _own_attempt(user: Any, pk: int) -> QuizAttempt:
    with selectors.viewer_scope(user):
        return selectors.access_attempt(user=user, pk=pk)


@router.post(
    "/attempts/{int:attempt_id}/submit",
    response=write_responses({200: AttemptOut}, SUBMIT_CODES),
    url_name="learning_attempt_submit",
    summary="交卷",
    description=(
        "自动评分：每题全对才得分，多选题少选、多选都算错；填空题忽略全角半角、大小写和首尾空格。超过限时"
        "（另有 30 秒网络宽限）交卷记为超时未交（`expired`），不评分、计入次数。"
    ),
)
def attempt_submit(request: HttpRequest, attempt_id: ObjectId, payload: AnswersIn) -> dict[str, Any]:
    attempt = _own_attempt(request.user, attempt_id)
    quizzes.attempt_submit(actor=request.user, attempt=attempt, answers=payload.answers)
    return _attempt_out(_own_attempt(request.user, attempt.pk))


@router.get(
    "/attempts/{int:attempt_id}",
    response=with_errors({200: AttemptOut}, 401, 404, 422),
    url_name="learning_attempt_detail",
    summary="测验作答与成绩（本人）",
    description="作答中：试题（不含答案）；交卷后：得分、是否通过、每题的答案、对错和解析。",
)
def attempt_detail(request: HttpRequest, attempt_id: ObjectId) -> dict[str, Any]:
    return _attempt_out(_own_attempt(request.user, attempt_id))
