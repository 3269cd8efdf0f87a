"""Writes of the courseware library: uploads, new versions, review (core/workflow.py), download counts.

Every write authorises the actor first (PermissionDenied or a TransitionError with `code="forbidden"`),
checks the file by its content (core.uploads.check_upload) and the uploader's quota, runs in one
transaction that locks what it changes, and records an audit event. A file is stored through the
storage API before its row is written and removed again if the row is not.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import role_holders
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.core.search import index_document, remove_document
from dangjian.core.uploads import CheckedUpload, check_quota, check_upload, stored_name
from dangjian.core.workflow import (
    REVISION_TRANSITIONS,
    ReviewAction,
    ReviewStatus,
    RevisionState,
    TransitionError,
    next_status,
    refuse_self_review,
    require_comment,
)
from dangjian.courseware.models import Courseware, CoursewareVersion, Sharing, Tag
from dangjian.courseware.selectors import AUDIENCE_OF_SHARING, SEARCH_KIND, open_version, used_bytes

MAX_TAGS = 10
MAX_TAG_CHARS = 20
_TAG_SEPARATORS = re.compile(r"[,，、;；\s]+")

KEEPER_REFUSAL = "只有上传人或本站点的站点管理员、党务工作者可以进行此操作"
REVIEWER_REFUSAL = "本站点共享的课件由本站点党建指导员审核；全平台共享的课件由总站党建指导员审核"
EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)


@dataclass(frozen=True)
class Details:
    """What a person types about an item (the upload form and the edit form)."""

    title: str
    description: str = ""
    tags: str | Iterable[str] = ""
    sharing: str = Sharing.STATION


def _require(actor: Any, permission: str, obj: Any, message: str) -> None:
    if not actor.has_perm(permission, obj):
        raise TransitionError(message, code="forbidden")


def _log(courseware: Courseware, *, action: str, actor: Any, data: dict[str, Any] | None = None) -> None:
    record_event(actor=actor, action=action, target=courseware, station=courseware.station, data=data or {})


# ---------------------------------------------------------------- details


def clean_details(details: Details) -> Details:
    title = (details.title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写课件标题"}, code="required")
    if len(title) > 120:
        raise ValidationError({"title": "标题不能超过 120 字"}, code="too_long")
    description = (details.description or "").strip()
    if len(description) > 2000:
        raise ValidationError({"description": "简介不能超过 2000 字"}, code="too_long")
    if details.sharing not in Sharing.values:
        raise ValidationError({"sharing": "请选择共享范围"}, code="invalid_choice")
    return Details(title, description, clean_tags(details.tags), details.sharing)


def clean_tags(tags: str | Iterable[str]) -> list[str]:
    """ "党史, 党课、二十大" → ["党史", "党课", "二十大"]: distinct, at most 10 of at most 20 characters."""
    pieces = _TAG_SEPARATORS.split(tags) if isinstance(tags, str) else [str(t) for t in tags]
    names = list(dict.fromkeys(p.strip().lstrip("#") for p in pieces if p.strip().lstrip("#")))
    if len(names) > MAX_TAGS:
        raise ValidationError({"tags": f"标签最多 {MAX_TAGS} 个"}, code="too_many_tags")
    if any(len(name) > MAX_TAG_CHARS for name in names):
        raise ValidationError({"tags": f"每个标签不能超过 {MAX_TAG_CHARS} 字"}, code="tag_too_long")
    return names


def _set_tags(courseware: Courseware, names: Iterable[str]) -> None:
    tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
    courseware.tags.set(tags)


# ---------------------------------------------------------------- files


def _checked(upload: UploadedFile) -> CheckedUpload:
    try:
        return check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc}) from exc


def _digest(checked: CheckedUpload) -> str:
    digest = hashlib.sha256()
    checked.file.seek(0)
    for chunk in checked.file.chunks():
        digest.update(chunk)
    checked.file.seek(0)
    return digest.hexdigest()


def _store_version(
    courseware: Courseware, *, actor: Any, upload: UploadedFile, checked: CheckedUpload, note: str
) -> CoursewareVersion:
    """Inside the caller's transaction: lock the uploader (two uploads at once are counted against the
    quota one after the other), store the file, write the row."""
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    try:
        check_quota(used=used_bytes(actor), incoming=checked.size, quota=settings.COURSEWARE_QUOTA_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc}) from exc
    last = courseware.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = CoursewareVersion(
        courseware=courseware,
        number=last + 1,
        name=stored_name(upload.name or "", checked.extension),
        kind=checked.kind.value,
        content_type=checked.content_type,
        size=checked.size,
        sha256=_digest(checked),
        note=note,
        uploaded_by=actor,
    )
    version.file.save(f"file.{checked.extension}", checked.file, save=False)
    version.save()
    return version


def _with_file_cleanup(write: Callable[[list[CoursewareVersion]], Courseware]) -> Courseware:
    """Run `write` atomically; if it fails after storing a file, the file is deleted again."""
    made: list[CoursewareVersion] = []
    try:
        with transaction.atomic():
            return write(made)
    except BaseException:
        for version in made:
            if version.file.name:
                version.file.storage.delete(version.file.name)
        raise


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": "版本说明不能超过 200 字"}, code="too_long")
    return note


# ---------------------------------------------------------------- uploads and edits


def courseware_create(*, actor: Any, station: Any, details: Details, upload: UploadedFile) -> Courseware:
    """A new draft with its first version. The file's type comes from its content; its size must be
    within its kind's limit and the uploader's quota."""
    if not actor.has_perm("courseware.add_courseware", station):
        raise PermissionDenied
    details = clean_details(details)
    checked = _checked(upload)

    def write(made: list[CoursewareVersion]) -> Courseware:
        courseware = Courseware.objects.create(
            station=station,
            title=details.title,
            description=details.description,
            sharing=details.sharing,
            owner=actor,
        )
        _set_tags(courseware, details.tags)
        made.append(_store_version(courseware, actor=actor, upload=upload, checked=checked, note=""))
        _log(courseware, action="courseware.courseware.create", actor=actor, data=_file_data(made[-1]))
        return courseware

    return _with_file_cleanup(write)


def courseware_update(*, actor: Any, courseware: Courseware, details: Details) -> Courseware:
    """Title, description, tags and sharing of a draft or returned item (a published item changes only
    through a new version, so nothing readers see changes without review)."""
    details = clean_details(details)
    with transaction.atomic():
        locked = _locked(courseware)
        _require(actor, "courseware.change_courseware", locked, KEEPER_REFUSAL)
        if locked.status not in EDITABLE:
            raise TransitionError(
                f"当前状态为“{locked.get_status_display()}”，不能修改；已发布的课件请上传新版本",
                code="wrong_state",
            )
        before = {"title": locked.title, "sharing": locked.sharing}
        locked.title, locked.description, locked.sharing = details.title, details.description, details.sharing
        locked.save()
        _set_tags(locked, details.tags)
        _log(locked, action="courseware.courseware.update", actor=actor, data={"before": before})
    return locked


def version_add(
    *, actor: Any, courseware: Courseware, upload: UploadedFile, note: str = ""
) -> CoursewareVersion:
    """A replacement file. It waits for review (readers keep the live version); an earlier version that
    was never approved is superseded by it; one already under review must be decided first."""
    note = _clean_note(note)
    checked = _checked(upload)

    def write(made: list[CoursewareVersion]) -> Courseware:
        locked = _locked(courseware)
        _require(actor, "courseware.change_courseware", locked, KEEPER_REFUSAL)
        if locked.status in (ReviewStatus.WITHDRAWN, ReviewStatus.ARCHIVED):
            raise TransitionError("已撤回的课件不能再上传新版本", code="wrong_state")
        current = open_version(locked)
        if current is not None and current.state == RevisionState.SUBMITTED:
            raise TransitionError("上一个版本正在审核中，审核完成后才能上传新版本", code="under_review")
        if current is not None:
            current.state = RevisionState.SUPERSEDED
            current.save(update_fields=["state"])
        made.append(_store_version(locked, actor=actor, upload=upload, checked=checked, note=note))
        _log(locked, action="courseware.version.add", actor=actor, data=_file_data(made[-1]))
        return locked

    _with_file_cleanup(write)
    return courseware.versions.order_by("-number").first()  # type: ignore[return-value]


def courseware_delete(*, actor: Any, courseware: Courseware) -> None:
    """A draft or returned item that was never published is removed with its files (quota freed)."""
    with transaction.atomic():
        locked = _locked(courseware)
        _require(actor, "courseware.change_courseware", locked, KEEPER_REFUSAL)
        if locked.status not in EDITABLE or locked.published_at is not None:
            raise TransitionError("只有从未发布的草稿或退回的课件可以删除", code="wrong_state")
        names = [(v.file.storage, v.file.name) for v in locked.versions.all()]
        _log(locked, action="courseware.courseware.delete", actor=actor, data={"title": locked.title})
        locked.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def download_recorded(*, courseware: Courseware) -> None:
    """One more download, counted in the database (F()), so simultaneous downloads are all counted."""
    Courseware.objects.filter(pk=courseware.pk).update(download_count=F("download_count") + 1)


def _locked(courseware: Courseware) -> Courseware:
    return Courseware.objects.select_for_update(of=("self",)).select_related("station").get(pk=courseware.pk)


def _file_data(version: CoursewareVersion) -> dict[str, Any]:
    return {"version": version.number, "name": version.name, "kind": version.kind, "size": version.size}


# ---------------------------------------------------------------- review


def _move_version(version: CoursewareVersion | None, action: ReviewAction) -> CoursewareVersion:
    transition = REVISION_TRANSITIONS[action]
    if version is None or version.state not in transition.sources:
        raise TransitionError(f"没有可以{action.label}的版本", code="wrong_state")
    version.state = transition.target
    return version


def _move_item(courseware: Courseware, action: ReviewAction) -> None:
    """The item follows its version's review until it is first published; after that it stays
    published while newer versions are reviewed."""
    if courseware.status == ReviewStatus.PUBLISHED and action != ReviewAction.WITHDRAW:
        return
    courseware.status = next_status(courseware.status, action)


@dataclass(frozen=True)
class Step:
    action: ReviewAction
    permission: str
    refusal: str
    comment_label: str = ""
    reviews: bool = False
    moves_version: bool = True
    after: Callable[[Courseware, CoursewareVersion | None, Any, str], None] = lambda c, v, a, m: None


def _transition(courseware: Courseware, *, actor: Any, comment: str, step: Step) -> Courseware:
    with transaction.atomic():
        locked = _locked(courseware)
        _require(actor, step.permission, locked, step.refusal)
        version = open_version(locked) if step.moves_version else None
        if step.moves_version:
            _move_version(version, step.action)
        if step.reviews and version is not None:
            authors = {locked.owner_id, version.uploaded_by_id, version.submitted_by_id}
            refuse_self_review(reviewer_id=actor.pk, author_ids=authors)
        comment = (
            require_comment(comment, what=step.comment_label) if step.comment_label else comment.strip()[:500]
        )
        source = locked.status
        _move_item(locked, step.action)
        if version is not None:
            _stamp(version, actor=actor, action=step.action, comment=comment)
        if step.action == ReviewAction.APPROVE and version is not None:
            _make_live(locked, version)
        if step.action == ReviewAction.WITHDRAW:
            locked.withdrawn_reason = comment
        locked.save()
        data: dict[str, Any] = {"from": source, "to": locked.status, "comment": comment}
        if version is not None:
            data["version"] = version.number
        _log(locked, action=f"courseware.courseware.{step.action.value}", actor=actor, data=data)
        step.after(locked, version, actor, comment)
    return locked


def _stamp(version: CoursewareVersion, *, actor: Any, action: ReviewAction, comment: str) -> None:
    if action == ReviewAction.SUBMIT:
        version.submitted_by = actor
    else:
        version.reviewed_by, version.reviewed_at, version.review_comment = actor, timezone.now(), comment
    version.save()


def _make_live(courseware: Courseware, version: CoursewareVersion) -> None:
    if courseware.live_version_id is not None:
        CoursewareVersion.objects.filter(pk=courseware.live_version_id).update(state=RevisionState.SUPERSEDED)
    courseware.live_version = version
    courseware.published_at = courseware.published_at or timezone.now()


def index_courseware(courseware: Courseware) -> None:
    """Search finds a published item with the audience its sharing gives it (the list uses the same)."""
    tags = " ".join(courseware.tags.values_list("name", flat=True))
    live = courseware.live_version
    index_document(
        courseware,
        kind=SEARCH_KIND,
        title=courseware.title,
        body_html_or_text=f"{courseware.description} {tags} {live.name if live else ''}",
        url=courseware.get_absolute_url(),
        station_id=courseware.station_id,
        audience=AUDIENCE_OF_SHARING[Sharing(courseware.sharing)],
        shared=False,
        published_at=courseware.published_at or timezone.now(),
    )


def _reviewers(courseware: Courseware) -> list[Any]:
    if courseware.sharing == Sharing.PLATFORM:
        return list(role_holders(Role.INSTRUCTOR, at_hq=True))
    return list(role_holders(Role.INSTRUCTOR, station_id=courseware.station_id))


def _tell_reviewers(
    courseware: Courseware, version: CoursewareVersion | None, actor: Any, comment: str
) -> None:
    recipients = [person for person in _reviewers(courseware) if person.pk != actor.pk]
    if recipients:
        notify(
            recipients=recipients,
            title=f"课件待审核：{courseware.title}",
            body=comment or f"{courseware.station.name}提交了课件，请审核。",
            url=courseware.get_manage_url(),
            station=courseware.station,
        )


def _tell_owner(title: str) -> Callable[[Courseware, CoursewareVersion | None, Any, str], None]:
    def tell(courseware: Courseware, version: CoursewareVersion | None, actor: Any, comment: str) -> None:
        if courseware.owner_id != actor.pk:
            notify(
                recipients=[courseware.owner],
                title=f"{title}：{courseware.title}",
                body=comment,
                url=courseware.get_manage_url(),
                station=courseware.station,
            )

    return tell


_tell_approved = _tell_owner("课件已审核通过")


def _approved(courseware: Courseware, version: CoursewareVersion | None, actor: Any, comment: str) -> None:
    index_courseware(courseware)
    _tell_approved(courseware, version, actor, comment)


def _withdrawn(courseware: Courseware, version: CoursewareVersion | None, actor: Any, comment: str) -> None:
    remove_document(courseware)
    _tell_owner("课件已撤回")(courseware, version, actor, comment)


SUBMIT = Step(ReviewAction.SUBMIT, "courseware.change_courseware", KEEPER_REFUSAL, after=_tell_reviewers)
APPROVE = Step(
    ReviewAction.APPROVE, "courseware.review_courseware", REVIEWER_REFUSAL, reviews=True, after=_approved
)
RETURN = Step(
    ReviewAction.RETURN,
    "courseware.review_courseware",
    REVIEWER_REFUSAL,
    comment_label="退回意见",
    reviews=True,
    after=_tell_owner("课件被退回修改"),
)
WITHDRAW = Step(
    ReviewAction.WITHDRAW,
    "courseware.withdraw_courseware",
    "只有上传人、本站点的站点管理员、党务工作者或审核人可以撤回",
    comment_label="撤回原因",
    moves_version=False,
    after=_withdrawn,
)
STEPS: dict[str, Step] = {step.action.value: step for step in (SUBMIT, APPROVE, RETURN, WITHDRAW)}


def courseware_transition(
    *, actor: Any, courseware: Courseware, action: str, comment: str = ""
) -> Courseware:
    """submit (the open version goes to review), approve (it becomes the live version; the item is
    published and indexed), return (with a required comment), withdraw (published → withdrawn, with a
    required reason; search forgets it). Unknown action: ValidationError `unknown_action`."""
    step = STEPS.get(action)
    if step is None:
        raise ValidationError("未知的操作", code="unknown_action")
    return _transition(courseware, actor=actor, comment=comment, step=step)
