"""Demo remote learning (远程学习, DB3212/T 1124 §6.3, §5.4.1; issue 11 item 9).

- Twelve published courses on Taizhou party-building themes (党章党规、二十大精神、基层党建实务、党费收缴规范、楼宇党建
  案例…), from HQ and from the first branch, with lessons of every kind — video, document (PDF), e-book (EPUB)
  and rich text — and a question bank with a final exam for most; two of them are instructor training.
  The files are made at load time (`learning.samples`: an MP4 whose header states its length, a PDF of n
  pages, an EPUB), stored once under `learning/demo/` of the private media.
- Assignments: HQ assigns two required courses to the demo organisations (one deadline passed, one ahead),
  the demo secretary's organisation one more (due within the week); HQ assigns the instructor training to
  every instructor (§5.4.1).
- A year of learning of the demo members: lessons learnt, quizzes passed, courses completed with their 学时
  and points, some courses half done; the demo `member` has completed some assignments and is behind on
  others; a few instructors have finished their training.

Written directly in bulk (seed data is not a user's action), deterministic for a given day. Runs once:
nothing is written when courses exist already.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import PersonKind, Role, RoleAssignment, User
from dangjian.activities.life_rules import SHANGHAI
from dangjian.core.workflow import ReviewStatus
from dangjian.demo.generators import RANDOM_SEED
from dangjian.learning import samples
from dangjian.learning.completion import rule_in_force
from dangjian.learning.credit_rules import CreditRules, completion_hours
from dangjian.learning.models import (
    PAGED_KINDS,
    Assignment,
    AssignmentKind,
    AssignmentLearner,
    AssignmentTarget,
    AttemptStatus,
    Category,
    Course,
    CourseCompletion,
    CreditRule,
    Lesson,
    LessonKind,
    LessonProgress,
    PointEntry,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    private_storage,
)
from dangjian.learning.permissions import learner_station_id
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Station, StationKind

DEMO_ORGANIZATION = "中共泰州华信软件科技有限公司支部委员会"
ORGANIZATIONS = (
    DEMO_ORGANIZATION,
    "万达广场楼宇联合党支部",
    "中共江苏银行泰州分行机关支部委员会",
    "医药城科创大厦联合党支部",
    "凤城河商务大厦联合党支部",
)
DEMO_MEMBER = "member"
V, D, E, R = LessonKind.VIDEO, LessonKind.DOCUMENT, LessonKind.EBOOK, LessonKind.RICHTEXT

# (title, category, from HQ, lessons: (kind, title, seconds of video or pages), has an exam)
COURSES: tuple[tuple[str, str, bool, tuple[tuple[str, str, int], ...], bool], ...] = (
    (
        "学习贯彻党的二十大精神",
        Category.THEORY,
        True,
        (
            (V, "开篇导学：新时代新征程的使命任务", 900),
            (D, "党的二十大报告原文选读", 6),
            (R, "学习心得范文", 1),
        ),
        True,
    ),
    (
        "《中国共产党章程》逐章学习",
        Category.CONSTITUTION,
        True,
        ((E, "党章（电子书）", 5), (V, "党章修正案解读", 1200), (D, "党员的义务和权利", 4)),
        True,
    ),
    (
        "党规党纪应知应会",
        Category.CONSTITUTION,
        True,
        ((V, "《中国共产党纪律处分条例》要点", 840), (D, "廉洁自律准则", 3)),
        True,
    ),
    (
        "党的二十届三中全会精神专题",
        Category.THEORY,
        True,
        ((V, "进一步全面深化改革的总目标", 1500), (E, "全会《决定》学习辅导", 6)),
        True,
    ),
    (
        "基层党建实务：“三会一课”规范化",
        Category.PRACTICE,
        True,
        ((R, "“三会一课”制度要求", 1), (D, "会议记录样表与填写说明", 4), (V, "示范党支部主题党日观摩", 600)),
        True,
    ),
    (
        "党费收缴、使用和管理规范",
        Category.PRACTICE,
        True,
        ((D, "关于中国共产党党费收缴、使用和管理的规定", 5), (R, "按月足额交纳党费常见问答", 1)),
        True,
    ),
    (
        "楼宇党建案例：万达商圈党建联盟",
        Category.PRACTICE,
        False,
        ((V, "商圈党建联盟的组建与运行", 720), (R, "联盟共建项目清单", 1)),
        False,
    ),
    (
        "楼宇党建案例：医药城科创大厦“红色楼宇”",
        Category.PRACTICE,
        False,
        ((V, "“两新”组织党组织覆盖经验", 660), (D, "红色楼宇建设标准", 3)),
        True,
    ),
    (
        "泰州红色记忆：党史中的泰州",
        Category.HISTORY,
        True,
        ((E, "泰州革命史料选编", 4), (V, "黄桥战役与泰州", 1080)),
        False,
    ),
    (
        "发展党员工作流程",
        Category.PRACTICE,
        False,
        ((D, "发展党员工作细则", 6), (R, "入党积极分子培养考察要点", 1)),
        True,
    ),
    (
        "党建指导员履职能力培训",
        Category.INSTRUCTOR,
        True,
        ((V, "指导员职责与工作方法", 1260), (D, "楼宇党建指导手册", 5), (R, "指导记录填写规范", 1)),
        True,
    ),
    (
        "组织生活督导实务（指导员）",
        Category.INSTRUCTOR,
        True,
        ((V, "组织生活会督导要点", 900), (E, "督导案例汇编", 4)),
        True,
    ),
)
TRAINING = ("党建指导员履职能力培训", "组织生活督导实务（指导员）")
HQ_REQUIRED = ("学习贯彻党的二十大精神", "党的二十届三中全会精神专题")
ORG_REQUIRED = "基层党建实务：“三会一课”规范化"

# (kind, text, choices, answer, explanation) — each course's bank draws from these, in turn
QUESTIONS: tuple[tuple[str, str, tuple[str, ...], tuple[object, ...], str], ...] = (
    (
        QuestionKind.SINGLE,
        "党的根本宗旨是？",
        ("全心全意为人民服务", "发展经济", "维护稳定"),
        (0,),
        "见党章总纲。",
    ),
    (
        QuestionKind.MULTIPLE,
        "“四个意识”包括？",
        ("政治意识", "大局意识", "市场意识", "核心意识", "看齐意识"),
        (0, 1, 3, 4),
        "政治意识、大局意识、核心意识、看齐意识。",
    ),
    (QuestionKind.TRUE_FALSE, "党员应当按月交纳党费。", (), (True,), "党章规定党员必须按期交纳党费。"),
    (QuestionKind.FILL, "党的最高理想和最终目标是实现____。", (), ("共产主义",), "见党章总纲。"),
    (
        QuestionKind.SINGLE,
        "党支部党员大会一般每季度召开几次？",
        ("1 次", "2 次", "每月 1 次"),
        (0,),
        "《中国共产党支部工作条例（试行）》。",
    ),
    (
        QuestionKind.MULTIPLE,
        "“三会一课”中的“三会”是指？",
        ("支部党员大会", "支部委员会", "党小组会", "职工代表大会"),
        (0, 1, 2),
        "职工代表大会不属于“三会”。",
    ),
    (QuestionKind.TRUE_FALSE, "预备党员的预备期为半年。", (), (False,), "预备期为一年。"),
)

DOCUMENT_TEXTS = {
    E: "本章围绕课程主题，结合泰州市海陵区楼宇党建工作实际，摘录原文并附学习提示。",
    R: "<p>本课时为图文学习材料，结合海陵区楼宇党建的实际做法编写，请认真阅读并联系本职工作思考。</p>",
}


@dataclass
class Learner:
    user: User
    station_id: int


@dataclass
class Seeder:
    today: date
    rng: random.Random
    rules: CreditRules
    rule: CreditRule
    courses: list[Course] = field(default_factory=list)
    lessons: dict[int, list[Lesson]] = field(default_factory=dict)
    quizzes: dict[int, Quiz] = field(default_factory=dict)
    banks: dict[int, list[Question]] = field(default_factory=dict)
    progress: list[LessonProgress] = field(default_factory=list)
    attempts: list[QuizAttempt] = field(default_factory=list)
    completions: list[CourseCompletion] = field(default_factory=list)
    points: list[PointEntry] = field(default_factory=list)

    def by_title(self, title: str) -> Course:
        return next(c for c in self.courses if c.title == title)


def create_learning(today: date | None = None) -> int:
    """The demo learning (see the module); returns how many courses were made."""
    if Course.objects.exists():
        return 0
    today = today or timezone.localdate()
    hq = Station.objects.filter(kind=StationKind.HQ).first()
    branch = Station.objects.filter(kind=StationKind.BRANCH).order_by("sort_order", "id").first()
    people = _staff()
    if hq is None or branch is None or not people:
        return 0
    rule, rules = rule_in_force(today)
    seeder = Seeder(today=today, rng=random.Random(f"{RANDOM_SEED}-learning"), rules=rules, rule=rule)
    _courses(seeder, hq, branch, people)
    with scopes_disabled():
        _assignments_and_learning(seeder, hq, people)
        LessonProgress.objects.bulk_create(seeder.progress)
        QuizAttempt.objects.bulk_create(seeder.attempts)
        CourseCompletion.objects.bulk_create(seeder.completions)
        PointEntry.objects.bulk_create(seeder.points)
    return len(seeder.courses)


def _staff() -> dict[str, User]:
    """The demo logins who write, review and assign (by username)."""
    wanted = ("hq_admin", "worker", "instructor", "secretary", DEMO_MEMBER)
    return {u.username: u for u in User.objects.filter(username__in=wanted)}


# ---------------------------------------------------------------- courses, lessons, banks


def _media(kind: str, title: str, size: int) -> tuple[str, str]:
    """(stored name, content type) of a lesson file, written once: the same file serves every run."""
    storage = private_storage()
    if kind == V:
        name, content_type, make = (
            f"learning/demo/video-{size}.mp4",
            "video/mp4",
            lambda: samples.mp4_bytes(size),
        )
    elif kind == D:
        name, content_type = f"learning/demo/document-{size}.pdf", "application/pdf"
        make = lambda: samples.pdf_bytes(size, title="Taizhou Party Building")  # noqa: E731
    else:
        name, content_type = f"learning/demo/ebook-{size}.epub", "application/epub+zip"
        make = _ebook(title, size)
    if not storage.exists(name):
        storage.save(name, ContentFile(make()))
    return name, content_type


def _ebook(title: str, chapters: int) -> Callable[[], bytes]:
    return lambda: samples.epub_bytes(
        "楼宇党建学习读本", [(f"第{n}章", DOCUMENT_TEXTS[E]) for n in range(1, chapters + 1)]
    )


def _courses(seeder: Seeder, hq: Station, branch: Station, people: dict[str, User]) -> None:
    author = people.get("worker") or next(iter(people.values()))
    hq_author = people.get("hq_admin") or author
    reviewer = people.get("instructor") or author
    published = timezone.now() - timedelta(days=330)
    for n, (title, category, from_hq, lessons, exam) in enumerate(COURSES):
        when = published + timedelta(days=7 * n)
        course = Course.objects.create(
            station=hq if from_hq else branch,
            title=title,
            category=category,
            description=f"{title}。面向全区楼宇党员和党务工作者，结合泰州市海陵区楼宇党建实际编排。",
            status=ReviewStatus.PUBLISHED,
            author=hq_author if from_hq else author,
            submitted_by=hq_author if from_hq else author,
            submitted_at=when - timedelta(days=2),
            reviewed_by=reviewer,
            reviewed_at=when,
            published_at=when,
            review_comment="内容准确，同意发布。",
        )
        rows = [_lesson(course, position, *spec) for position, spec in enumerate(lessons, start=1)]
        Lesson.objects.bulk_create(rows)
        seeder.courses.append(course)
        seeder.lessons[course.pk] = rows
        course.length_seconds = sum(
            lesson.page_count * seeder.rules.min_seconds_per_page
            if lesson.kind in PAGED_KINDS
            else lesson.duration_seconds
            for lesson in rows
        )
        course.credit_hours, _ = completion_hours(
            seeder.rules, length_seconds=course.length_seconds, exam_passed=False
        )
        course.save(update_fields=["length_seconds", "credit_hours"])
        _bank(seeder, course, n, exam)


def _lesson(course: Course, position: int, kind: str, title: str, size: int) -> Lesson:
    lesson = Lesson(course=course, position=position, title=title, kind=kind)
    if kind == R:
        lesson.body = DOCUMENT_TEXTS[R]
        return lesson
    lesson.media.name, lesson.media_type = _media(kind, course.title, size)
    if kind == V:
        lesson.duration_seconds = size
    else:
        lesson.page_count = size
    return lesson


def _bank(seeder: Seeder, course: Course, offset: int, exam: bool) -> None:
    picked = [QUESTIONS[(offset + k) % len(QUESTIONS)] for k in range(5)]
    questions = Question.objects.bulk_create(
        Question(
            course=course, kind=kind, text=text, choices=list(choices), answer=list(answer), explanation=why
        )
        for kind, text, choices, answer, why in picked
    )
    seeder.banks[course.pk] = questions
    if exam:
        seeder.quizzes[course.pk] = Quiz.objects.create(
            course=course,
            title="结业考试",
            draw_count=3,
            pass_percent=60,
            max_attempts=3,
            is_exam=True,
            time_limit_minutes=20,
        )


# ---------------------------------------------------------------- assignments and a year of learning


def _learners() -> list[Learner]:
    members = (
        User.objects.filter(
            organization__name__in=ORGANIZATIONS, person_kind=PersonKind.MEMBER, is_active=True
        )
        .select_related("organization")
        .order_by("id")
    )
    return [Learner(u, learner_station_id(u) or u.organization.station_id) for u in members]  # type: ignore[union-attr]


def _instructors() -> list[Learner]:
    holders = (
        RoleAssignment.objects.filter(role=Role.INSTRUCTOR)
        .select_related("user__organization", "station")
        .order_by("user_id")
    )
    found: dict[int, Learner] = {}
    for grant in holders:
        found.setdefault(
            grant.user_id, Learner(grant.user, learner_station_id(grant.user) or grant.station_id)
        )
    return list(found.values())


def _assign(
    course: Course,
    *,
    station: Station,
    by: User,
    deadline: date,
    learners: list[Learner],
    kind: str = AssignmentKind.REQUIRED,
    organizations: list[PartyOrganization] = (),  # type: ignore[assignment]
    role: str = "",
    by_organization: PartyOrganization | None = None,
) -> None:
    assignment = Assignment.objects.create(
        station=station,
        organization=by_organization,
        course=course,
        kind=kind,
        deadline=deadline,
        assigned_by=by,
        note="请按期学完并参加结业考试。",
    )
    AssignmentTarget.objects.bulk_create(
        [AssignmentTarget(assignment=assignment, organization=o) for o in organizations]
        + ([AssignmentTarget(assignment=assignment, role=role)] if role else [])
    )
    AssignmentLearner.objects.bulk_create(
        AssignmentLearner(
            assignment=assignment,
            user=learner.user,
            station_id=learner.station_id,
            organization_id=learner.user.organization_id,
        )
        for learner in learners
    )


def _assignments_and_learning(seeder: Seeder, hq: Station, people: dict[str, User]) -> None:
    today = seeder.today
    learners = _learners()
    instructors = _instructors()
    organizations = list(PartyOrganization.objects.filter(name__in=ORGANIZATIONS).order_by("id"))
    assigner = people.get("hq_admin") or next(iter(people.values()))
    passed_course, ahead_course = (seeder.by_title(t) for t in HQ_REQUIRED)
    _assign(
        passed_course,
        station=hq,
        by=assigner,
        deadline=today - timedelta(days=45),
        learners=learners,
        organizations=organizations,
    )
    _assign(
        ahead_course,
        station=hq,
        by=assigner,
        deadline=today + timedelta(days=21),
        learners=learners,
        organizations=organizations,
    )
    demo_org = next((o for o in organizations if o.name == DEMO_ORGANIZATION), None)
    secretary = people.get("secretary")
    if demo_org is not None and secretary is not None:
        own = [learner for learner in learners if learner.user.organization_id == demo_org.pk]
        _assign(
            seeder.by_title(ORG_REQUIRED),
            station=demo_org.station,
            by=secretary,
            deadline=today + timedelta(days=5),
            learners=own,
            organizations=[demo_org],
            by_organization=demo_org,
        )
    for title, days in zip(TRAINING, (-30, 40), strict=True):
        _assign(
            seeder.by_title(title),
            station=hq,
            by=assigner,
            deadline=today + timedelta(days=days),
            learners=instructors,
            kind=AssignmentKind.TRAINING,
            role=Role.INSTRUCTOR,
        )
    general = [c for c in seeder.courses if c.category != Category.INSTRUCTOR]
    for learner in learners:
        _year_of(seeder, learner, general, passed_course, ahead_course)
    for n, instructor in enumerate(instructors):
        done = 2 if instructor.user.username == "instructor" else (1 if n % 2 == 0 else 0)
        for title in TRAINING[:done]:
            _complete(
                seeder, instructor, seeder.by_title(title), _moment(seeder, 200 - 60 * TRAINING.index(title))
            )


def _year_of(
    seeder: Seeder, learner: Learner, general: list[Course], required: Course, ahead: Course
) -> None:
    """Courses completed over the year (the passed deadline's course by most), and one half done."""
    rng = seeder.rng
    demo = learner.user.username == DEMO_MEMBER
    done = [required] if demo or rng.random() < 0.8 else []
    others = [c for c in general if c not in (required, ahead)]
    done += rng.sample(others, k=4 if demo else rng.randint(0, 6))
    for course in done:
        _complete(seeder, learner, course, _moment(seeder, rng.randint(5, 300)))
    started = ahead if demo or rng.random() < 0.5 else None
    if started is not None:
        _half(seeder, learner, started, _moment(seeder, rng.randint(1, 10)))


def _moment(seeder: Seeder, days_ago: int) -> datetime:
    """A weekday evening `days_ago` days back, not before 1 January of this year (unless it is young)."""
    start = date(seeder.today.year, 1, 1)
    day = seeder.today - timedelta(days=days_ago)
    if day < start and seeder.today.month >= 3:
        day = start + timedelta(days=days_ago % max(1, (seeder.today - start).days))
    return datetime.combine(day, time(20, seeder.rng.randrange(60)), tzinfo=SHANGHAI)


def _learnt(seeder: Seeder, learner: Learner, lesson: Lesson, at: datetime, *, share: float = 1.0) -> None:
    completed = share >= 1.0
    row = LessonProgress(
        user=learner.user,
        lesson=lesson,
        station_id=learner.station_id,
        clock_at=at,
        started_at=at - timedelta(minutes=30),
        updated_at=at,
        completed_at=at if completed else None,
    )
    if lesson.is_video:
        covered = float(round(lesson.duration_seconds * share))
        row.intervals, row.covered_seconds, row.position = [[0.0, covered]], covered, covered
    else:
        pages = lesson.page_count if completed else max(1, lesson.page_count // 2)
        row.page_seconds = {str(p): float(seeder.rules.min_seconds_per_page + 5) for p in range(1, pages + 1)}
        row.position = float(pages)
    seeder.progress.append(row)
    if completed:
        _points(seeder, learner, "lesson_completed", f"lesson:{lesson.pk}", at)


def _points(seeder: Seeder, learner: Learner, action: str, source: str, at: datetime) -> None:
    points = seeder.rules.points[action].points
    seeder.points.append(
        PointEntry(
            user=learner.user,
            station_id=learner.station_id,
            action=action,
            source=source,
            points=points,
            day=timezone.localtime(at).date(),
            at=at,
        )
    )


def _passed_attempt(seeder: Seeder, learner: Learner, quiz: Quiz, at: datetime) -> None:
    drawn = seeder.rng.sample(seeder.banks[quiz.course_id], quiz.draw_count)
    answers = {str(q.pk): q.answer if q.kind == QuestionKind.MULTIPLE else q.answer[0] for q in drawn}
    score = sum(q.points for q in drawn)
    seeder.attempts.append(
        QuizAttempt(
            quiz=quiz,
            user=learner.user,
            station_id=learner.station_id,
            number=1,
            status=AttemptStatus.SUBMITTED,
            question_ids=[q.pk for q in drawn],
            answers=answers,
            started_at=at - timedelta(minutes=12),
            deadline=at - timedelta(minutes=12) + timedelta(minutes=20),
            submitted_at=at,
            score=score,
            max_score=score,
            percent=100,
            passed=True,
        )
    )
    _points(seeder, learner, "quiz_passed", f"quiz:{quiz.pk}", at)


def _complete(seeder: Seeder, learner: Learner, course: Course, at: datetime) -> None:
    lessons = seeder.lessons[course.pk]
    for n, lesson in enumerate(lessons):
        _learnt(seeder, learner, lesson, at - timedelta(minutes=10 * (len(lessons) - n)))
    quiz = seeder.quizzes.get(course.pk)
    if quiz is not None:
        _passed_attempt(seeder, learner, quiz, at)
    hours, bonus = completion_hours(
        seeder.rules, length_seconds=course.length_seconds, exam_passed=quiz is not None
    )
    seeder.completions.append(
        CourseCompletion(
            user=learner.user,
            course=course,
            station_id=learner.station_id,
            completed_at=at,
            year=timezone.localtime(at).year,
            course_hours=hours,
            exam_bonus=bonus,
            credit_hours=hours + bonus,
            rule=seeder.rule,
        )
    )
    _points(seeder, learner, "course_completed", f"course:{course.pk}", at)


def _half(seeder: Seeder, learner: Learner, course: Course, at: datetime) -> None:
    """The first lesson learnt, the second begun (the learner resumes where they stopped)."""
    first, *rest = seeder.lessons[course.pk]
    _learnt(seeder, learner, first, at - timedelta(minutes=20))
    if rest:
        _learnt(seeder, learner, rest[0], at, share=0.4)
