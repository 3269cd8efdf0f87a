"""Cards of the development pipeline on the work page (工作台): for the organisation's secretary and
officers (and the station's keepers), the steps overdue and due soon; for contact persons, the
evaluations and thought reports due. A card counts only the candidates the person keeps."""

from __future__ import annotations

from typing import Any

from dangjian.core.workcards import KEEP, register_card, remembered
from dangjian.development import selectors
from dangjian.members.permissions import is_party_member


def _kept_pipelines(user: Any) -> list[selectors.Pipeline]:
    def build() -> list[selectors.Pipeline]:
        from dangjian.development.models import CandidateStatus

        with selectors.development_scope(user):
            candidates = selectors.visible_candidates(user).filter(status=CandidateStatus.ACTIVE)
            return selectors.pipelines(selectors.with_pipeline(candidates))

    return remembered(user, "development.kept", build)  # type: ignore[no-any-return]


def overdue_steps(user: Any) -> int:
    return sum(len(p.overdue) for p in _kept_pipelines(user))


def steps_due_soon(user: Any) -> int:
    return sum(len(p.due_soon) for p in _kept_pipelines(user))


def reports_due(user: Any) -> int | None:
    count = sum(len(p.reports_open) for p in selectors.pipelines(selectors.contact_candidates(user)))
    return count or None


def keeps_candidates(user: Any) -> bool:
    return bool(user.has_perm("development.manage"))


register_card(
    key="development.overdue",
    title="发展党员逾期步骤",
    icon="exclamation-octagon",
    url="development:list",
    query="?overdue=on",
    roles=keeps_candidates,
    count=overdue_steps,
    order=25,
    unit="项",
    hint="超过规定期限尚未办理的发展步骤",
)
register_card(
    key="development.due_soon",
    title="发展党员即将到期",
    icon="hourglass-split",
    url="development:list",
    roles=keeps_candidates,
    count=steps_due_soon,
    order=26,
    unit="项",
    hint="14 天内到期的发展步骤",
)
register_card(
    key="development.reports",
    title="待填写的考察与思想汇报",
    icon="journal-text",
    url="development:contacts",
    roles=is_party_member,  # contact persons are full members: no query for anyone else
    count=reports_due,
    order=27,
    unit="份",
    hint="我联系的入党积极分子",
)
register_card(
    key="development.manage",
    title="发展党员",
    icon="person-plus",
    url="development:list",
    roles=keeps_candidates,
    count=lambda user: len(_kept_pipelines(user)),
    order=65,
    section=KEEP,
    unit="人",
    hint="培养中的入党申请人、积极分子、发展对象和预备党员",
)
