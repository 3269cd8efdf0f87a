"""Entries of evaluation for the cross-station matrix (tests/cross_bodies.py, tests/test_cross_station.py):
valid bodies aimed at branch A's objects (tests/evaluation/access_rows.py), who at A writes them, and the
rows that are a person's own business."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.evaluation.access_rows import ballot_body


def _page_ballot(w: Any) -> dict[str, Any]:
    choices = ballot_body(w)["choices"]
    return {f"q{pk}": [str(o) for o in options] for pk, options in choices.items()}


def _item(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "title": "党建指导员接待日",
        "kind": "reception",
        "recurrence": "weekly",
        "weekday": "2",
        "at_time": "09:00",
        "window_minutes": "15",
        "starts_on": "2026-01-05",
    }


def _questionnaire(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "title": "关于党群服务中心周末开放时间的征求意见",
        "opens_at": "2026-01-05T09:00",
        "closes_at": "2036-01-12T18:00",
        "q1_text": "您是否同意周末延长开放时间？",
        "q1_kind": "single",
        "q1_options": "同意\n不同意",
    }


def _measure(w: Any) -> dict[str, Any]:
    return {
        "station": w.a.pk,
        "title": "规范阵地开放时间",
        "problem": "周末开放时间多次推迟，服务时间准确率未达标",
        "source": "indicator",
        "indicator": "punctuality",
        "owner": w.worker_a.pk,
        "verifier": w.officer_a.pk,
        "deadline": "2036-06-30",
    }


VALID_BODIES = {
    "evaluation:answer": lambda w: {"score": "5", "comment": "讲解细致"},
    "evaluation:questionnaire": _page_ballot,
    "evaluation:item_create": _item,
    # the occurrence was planned for yesterday 09:00 (access_rows.prepare): delivered five minutes late
    "evaluation:deliver": lambda w: {
        "delivered_at": f"{timezone.localdate() - timedelta(days=1):%Y-%m-%d}T09:05"
    },
    "evaluation:questionnaire_create": _questionnaire,
    "evaluation:measure_create": _measure,
    "evaluation:measure_progress": lambda w: {"text": "已调整周末值班表"},
    "evaluation:measure_move": lambda w: {"action": "start"},
    "api:evaluation_survey_answer": lambda w: {"score": 5, "comment": "讲解细致"},
    "api:evaluation_vote": ballot_body,
}

WRITERS = {
    "evaluation:answer": "member",
    "evaluation:questionnaire": "member",
    "api:evaluation_survey_answer": "member",
    "api:evaluation_vote": "member",
    "evaluation:measure_move": "worker_a",
}

_OWN_BALLOT = "the actor's own ballot in a questionnaire of their own station (a member of A votes in A's)"
PERSONAL = {
    "evaluation:questionnaire": _OWN_BALLOT,
    "api:evaluation_vote": _OWN_BALLOT,
}
_STATION_PEOPLE = (
    "A's questionnaire is open to every person of A: a member of another organisation of A votes too"
)
SAME_AS_MISSING_EXCEPTIONS = {
    "evaluation:questionnaire": _STATION_PEOPLE,
    "api:evaluation_vote": _STATION_PEOPLE,
}
