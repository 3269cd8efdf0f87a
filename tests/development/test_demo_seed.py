"""The demo pipelines: candidates at every stage, some overdue, one refused step, through the services."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from dangjian.core.models import AuditEvent
from dangjian.demo.development_seed import CANDIDATES, create_development
from dangjian.development.models import Candidate, CandidateStatus
from dangjian.development.selectors import pipelines, with_pipeline
from dangjian.members.models import MemberProfile
from tests.development.builders import make_branch

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_stage_overdue_steps_and_a_refused_step(
    django_capture_on_commit_callbacks,
) -> None:
    assert create_development() == 0  # no branch yet: nothing
    make_branch(name="中共泰州万达广场楼宇联合支部委员会")
    assert create_development() == len(CANDIDATES)
    candidates = list(with_pipeline(Candidate.all_objects.all()))
    assert {c.stage for c in candidates} == {1, 2, 3, 4, 5}
    assert {c.status for c in candidates} >= {
        CandidateStatus.ACTIVE,
        CandidateStatus.FULL_MEMBER,
        CandidateStatus.WITHDRAWN,
    }
    overdue = [p for p in pipelines(candidates) if p.overdue]
    assert len(overdue) >= 2
    with scopes_disabled():
        refused = AuditEvent.objects.filter(action="development.step.refused")
        assert refused.count() == 1 and "最早" in refused.get().data["reason"]
        full = Candidate.all_objects.get(status=CandidateStatus.FULL_MEMBER)
        assert MemberProfile.objects.get(user_id=full.user_id).category == "formal"
