"""活动邀约 (DB3212/T 1124 §6.3): an activity's organisers invite organisations, resident units, alliances
and people; each invitation is answered accept (with a head count) or decline by the invited party — the
person themselves, or the secretary or an officer of the organisation (of the alliance's lead organisation;
of an organisation covering the unit, or the unit's station admin or worker). The organisers see the
counts; the silent ones are reminded once per local day (`remind_silent_invitations`, Celery beat)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import OFFICER_ROLES, role_holders
from dangjian.activities.links import activity_url
from dangjian.activities.models import (
    Activity,
    ActivityStatus,
    Invitation,
    InvitationStatus,
    InviteeKind,
    SentReminder,
)
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.organizations.models import Alliance, PartyOrganization
from dangjian.stations.models import ResidentUnit

REMIND_AFTER = timedelta(days=1)  # an invitation is silent once it has been unanswered this long
MAX_HEAD_COUNT = 10_000


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日 %H:%M}"


def answerers(invitation: Invitation) -> list[User]:
    """The people who may answer (and are told of) the invitation."""
    kind = invitation.kind
    if kind == InviteeKind.PERSON:
        return [invitation.person] if invitation.person is not None else []
    if kind == InviteeKind.ORGANIZATION:
        return list(role_holders(*OFFICER_ROLES, organization_id=invitation.organization_id))
    if kind == InviteeKind.ALLIANCE:
        assert invitation.alliance is not None
        return list(role_holders(*OFFICER_ROLES, organization_id=invitation.alliance.lead_organization_id))
    assert invitation.unit is not None
    covering = list(invitation.unit.organizations.values_list("pk", flat=True))
    people = [p for org_id in covering for p in role_holders(*OFFICER_ROLES, organization_id=org_id)]
    if not people:  # a unit without a party organisation: the station's workers liaise with it
        people = list(role_holders(Role.WORKER, Role.STATION_ADMIN, station_id=invitation.unit.station_id))
    return people


def invitation_send(
    *,
    actor: Any,
    activity: Activity,
    organizations: Sequence[PartyOrganization] = (),
    units: Sequence[ResidentUnit] = (),
    alliances: Sequence[Alliance] = (),
    people: Sequence[User] = (),
    note: str = "",
) -> list[Invitation]:
    """Invite parties to a draft or published activity that has not started; those already invited are
    skipped (returned are the new invitations). The invited parties' answerers are told."""
    if not actor.has_perm("activities.invite", activity):
        raise PermissionDenied("只有主办党组织的书记、委员或本站点管理员、党务工作者可以发出邀约")
    note = (note or "").strip()[:300]
    wanted = [
        *((InviteeKind.ORGANIZATION, "organization", o) for o in organizations),
        *((InviteeKind.UNIT, "unit", u) for u in units),
        *((InviteeKind.ALLIANCE, "alliance", a) for a in alliances),
        *((InviteeKind.PERSON, "person", p) for p in people),
    ]
    if not wanted:
        raise ValidationError("请选择邀请对象", code="no_invitee")
    with transaction.atomic():
        locked = (
            Activity.objects.select_for_update(of=("self",)).select_related("station").get(pk=activity.pk)
        )
        if locked.status not in (ActivityStatus.DRAFT, ActivityStatus.PUBLISHED):
            raise ValidationError(f"活动{locked.get_status_display()}，不能发出邀约", code="not_open")
        if locked.starts_at <= timezone.now():
            raise ValidationError("活动已开始，不能再发出邀约", code="started")
        existing = {
            (kind, pk)
            for kind, *ids in Invitation.objects.filter(activity=locked).values_list(
                "kind", "organization_id", "unit_id", "alliance_id", "person_id"
            )
            for pk in ids
            if pk is not None
        }
        made: list[Invitation] = []
        seen: set[tuple[str, int]] = set()
        for kind, field, target in wanted:
            key = (str(kind), target.pk)
            if key in existing or key in seen:
                continue
            seen.add(key)
            made.append(
                Invitation.objects.create(
                    activity=locked,
                    station_id=locked.station_id,
                    kind=kind,
                    note=note,
                    sent_by=actor,
                    **{field: target},
                )
            )
        record_event(
            actor=actor,
            action="activities.invitation.send",
            target=locked,
            station=locked.station,
            data={
                "invitations": [i.pk for i in made],
                "invitees": [f"{i.kind}:{i.invitee.pk}" for i in made],
            },
        )
        for invitation in made:
            _tell(invitation, locked, title=f"活动邀约：{locked.title}")
    return made


def _tell(invitation: Invitation, activity: Activity, *, title: str) -> None:
    to = "您" if invitation.kind == InviteeKind.PERSON else invitation.invitee_name
    notify(
        recipients=answerers(invitation),
        title=title,
        body=(
            f"诚邀{to}参加{_local(activity.starts_at)}的“{activity.title}”，请答复是否参加及人数。"
            + (f"{invitation.note}" if invitation.note else "")
        ),
        url=activity_url(activity),
        station=activity.station,
    )


def invitation_answer(
    *, actor: Any, invitation: Invitation, accept: bool, head_count: int | None = None, note: str = ""
) -> Invitation:
    """Accept (with the head count coming; a person: themselves unless told) or decline; the answer may be
    changed until the activity starts. The activity's creator is told."""
    if not actor.has_perm("activities.answer_invitation", invitation):
        raise PermissionDenied("只有受邀本人或受邀组织的书记、委员可以答复邀约")
    if accept:
        if head_count is None and invitation.kind == InviteeKind.PERSON:
            head_count = 1
        if not isinstance(head_count, int) or not 1 <= head_count <= MAX_HEAD_COUNT:
            raise ValidationError(
                {"head_count": ValidationError("接受邀约请填写参加人数（至少 1 人）", code="head_count")}
            )
    else:
        head_count = 0
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("activity__station", "activity__created_by")
            .get(pk=invitation.pk)
        )
        activity = locked.activity
        if activity.status != ActivityStatus.PUBLISHED and activity.status != ActivityStatus.DRAFT:
            raise ValidationError(f"活动{activity.get_status_display()}，无需答复", code="not_open")
        if activity.starts_at <= timezone.now():
            raise ValidationError("活动已开始，不能再答复", code="started")
        locked.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        locked.head_count, locked.answer_note = head_count, (note or "").strip()[:300]
        locked.answered_by, locked.answered_at = actor, timezone.now()
        locked.save(
            update_fields=["status", "head_count", "answer_note", "answered_by", "answered_at", "updated_at"]
        )
        record_event(
            actor=actor,
            action="activities.invitation.answer",
            target=activity,
            station=activity.station,
            data={"invitation": locked.pk, "status": locked.status, "head_count": head_count},
        )
        answer = f"接受邀约，{head_count} 人参加" if accept else "婉拒邀约"
        notify(
            recipients=[activity.created_by],
            title=f"邀约答复：{locked.invitee_name}{answer}",
            body=f"“{activity.title}”：{locked.invitee_name}{answer}。{locked.answer_note}",
            url=activity_url(activity),
            station=activity.station,
        )
    return locked


@dataclass(frozen=True)
class InvitationCounts:
    invited: int
    accepted: int
    accepted_head_count: int
    declined: int
    silent: int


def invitation_counts(*, activity: Activity) -> InvitationCounts:
    """What the organiser sees: how many accepted (and the heads they bring), declined and are silent."""
    row = Invitation.objects.filter(activity=activity).aggregate(
        invited=Count("pk"),
        accepted=Count("pk", filter=Q(status=InvitationStatus.ACCEPTED)),
        heads=Sum("head_count", filter=Q(status=InvitationStatus.ACCEPTED)),
        declined=Count("pk", filter=Q(status=InvitationStatus.DECLINED)),
        silent=Count("pk", filter=Q(status=InvitationStatus.PENDING)),
    )
    return InvitationCounts(
        invited=row["invited"],
        accepted=row["accepted"],
        accepted_head_count=row["heads"] or 0,
        declined=row["declined"],
        silent=row["silent"],
    )


def send_once(key: str, recipients: Iterable[Any]) -> bool:
    """Record the reminder `key`; False (and nothing recorded) when it was sent before."""
    people = list(recipients)
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key[:80], recipients=len(people))
    except IntegrityError:
        return False
    return True


def remind_silent_invitations(*, now: datetime | None = None) -> int:
    """Remind the answerers of invitations unanswered for a day, of published activities not yet started —
    once per invitation per local day, however often the task runs. Returns how many were reminded."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    silent = (
        Invitation.objects.filter(
            status=InvitationStatus.PENDING,
            sent_at__lte=now - REMIND_AFTER,
            activity__status=ActivityStatus.PUBLISHED,
            activity__starts_at__gt=now,
        )
        .select_related("activity__station", "organization", "unit", "alliance", "person")
        .order_by("id")
    )
    reminded = 0
    for invitation in silent:
        with transaction.atomic():
            recipients = answerers(invitation)
            if not send_once(f"invitation:{invitation.pk}:{day.isoformat()}", recipients):
                continue
            _tell(invitation, invitation.activity, title=f"邀约待答复：{invitation.activity.title}")
            reminded += 1
    return reminded
