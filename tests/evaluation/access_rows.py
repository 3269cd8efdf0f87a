"""Access-matrix rows of service evaluation (服务评价与改进), on objects of branch A that `prepare` makes:
a service item of A with a planned occurrence of yesterday, the matrix member's satisfaction invitation, a
questionnaire of A open now, and a rectification of A (owner: A's worker, verifier: A's officer).

Personal pages are the person's own (another person's invitation is missing); the accountability page is
public; the management pages answer 403 to people without a station role and 404 to another station's
staff on A's objects; HQ compares stations."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    HQ_ONLY_PAGE,
    LOGGED_IN_PAGE,
    NOT_ALLOWED,
    PUBLIC,
    Row,
    everyone,
    statuses,
)

SIGNED_IN_ONLY_METHOD = statuses(302, 405, 405, 405, 405, 405)
STAFF_LIST = statuses(302, 403, 403, 200, 200, 200)
STAFF_OBJECT = statuses(302, 403, 403, 404, 200, 200)
STAFF_MOVE = statuses(302, 403, 403, 404, 302, 302)
MEMBERS_OWN = statuses(302, 404, 200, 404, 404, 404)  # the member's invitation: the member alone
A_PEOPLE = statuses(302, 404, 200, 404, 200, 200)  # A's questionnaire: A's people (HQ: every station)
A_PEOPLE_VOTE = statuses(302, 404, 400, 404, 400, 400)  # an empty ballot: refused on the page
A_MEASURE = statuses(302, 404, 404, 404, 200, 200)
A_MEASURE_WRITE = statuses(302, 404, 404, 404, 400, 400)  # an empty body: the page again, with the error
API_SIGNED_IN = statuses(401, 200, 200, 200, 200, 200)
API_MEMBERS_OWN_WRITE = statuses(401, 404, 201, 404, 404, 404)
API_A_PEOPLE_WRITE = statuses(401, 404, 201, 404, 201, 201)
API_A_STAFF = statuses(401, 404, 404, 404, 200, 200)


def prepare(world: Any) -> None:
    from dangjian.evaluation.models import Question
    from tests.evaluation.builders import at, day, invitation, make_item, measure, occurrence, questionnaire

    world.eval_item = make_item(world.a, title="阵地开放（万达广场党群服务中心）")
    world.eval_occurrence = occurrence(world.eval_item, at(day(-1), 9))
    world.eval_invitation = invitation(world.member, world.a)
    world.eval_questionnaire = questionnaire(world.a, world.own_admin)
    questions = list(Question.objects.filter(questionnaire=world.eval_questionnaire).order_by("position"))
    world.eval_single, world.eval_multiple = questions[0], questions[1]
    world.eval_measure = measure(world.a, owner=world.worker_a, verifier=world.officer_a)
    world.eval_measure.evidence_file.save("证明.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))


def _pk(attr: str, name: str = "pk") -> Any:
    return lambda w: {name: getattr(w, attr).pk}


def ballot_body(w: Any) -> dict[str, Any]:
    """A valid ballot of the matrix questionnaire (the API's JSON shape)."""
    return {
        "choices": {
            str(w.eval_single.pk): [w.eval_single.options.first().pk],
            str(w.eval_multiple.pk): [o.pk for o in w.eval_multiple.options.all()[:2]],
        },
    }


def _get(get: dict[str, int], kwargs: Any = lambda w: {}) -> Row:
    return Row(get=get, post=SIGNED_IN_ONLY_METHOD, kwargs=kwargs)


def _post(post: dict[str, int], kwargs: Any = lambda w: {}) -> Row:
    return Row(get=SIGNED_IN_ONLY_METHOD, post=post, kwargs=kwargs)


ROWS: dict[str, Row] = {
    # personal and public
    "evaluation:pending": _get(LOGGED_IN_PAGE),
    "evaluation:answer": Row(get=MEMBERS_OWN, post=MEMBERS_OWN, kwargs=_pk("eval_invitation")),
    "evaluation:questionnaires": _get(LOGGED_IN_PAGE),
    "evaluation:questionnaire": Row(get=A_PEOPLE, post=A_PEOPLE_VOTE, kwargs=_pk("eval_questionnaire")),
    "evaluation:accountability": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=lambda w: {"code": w.a.code}),
    "evaluation:measures": _get(LOGGED_IN_PAGE),
    "evaluation:measure": _get(A_MEASURE, _pk("eval_measure")),
    "evaluation:measure_evidence": _get(A_MEASURE, _pk("eval_measure")),
    "evaluation:measure_progress": _post(A_MEASURE_WRITE, _pk("eval_measure")),
    "evaluation:measure_move": _post(A_MEASURE_WRITE, _pk("eval_measure")),
    # staff
    "evaluation:items": _get(STAFF_LIST),
    "evaluation:item_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "evaluation:item": _get(STAFF_OBJECT, _pk("eval_item")),
    "evaluation:deliver": _post(STAFF_MOVE, _pk("eval_occurrence")),
    "evaluation:exceptions": _get(STAFF_LIST),
    "evaluation:indicators": _get(STAFF_LIST),
    "evaluation:comparison": Row(get=HQ_ONLY_PAGE, post=statuses(302, 405, 405, 405, 405, 405)),
    "evaluation:questionnaire_list": Row(get=STAFF_LIST, post=ADMIN_LIST_POST),
    "evaluation:questionnaire_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "evaluation:measure_create": Row(get=ADMIN_PAGE, post=ADMIN_PAGE),
    # API
    "api:evaluation_pending_surveys": Row(get=API_SIGNED_IN, post=everyone(405)),
    "api:evaluation_survey_answer": Row(
        get=everyone(405),
        post=API_MEMBERS_OWN_WRITE,
        kwargs=_pk("eval_invitation", "invitation_id"),
        post_data=lambda w: {"score": 5, "comment": "讲解细致，很有收获"},
        json=True,
    ),
    "api:evaluation_indicators": Row(
        get=API_A_STAFF, post=everyone(405), kwargs=lambda w: {"station_id": w.a.pk}, query="?period=2026-Q1"
    ),
    "api:evaluation_vote": Row(
        get=everyone(405),
        post=API_A_PEOPLE_WRITE,
        kwargs=_pk("eval_questionnaire", "questionnaire_id"),
        post_data=ballot_body,
        json=True,
    ),
}
