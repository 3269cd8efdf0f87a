"""The courseware domain: uploads checked by content, size and quota; review before sharing; versions;
who sees what; download counts (issue 11 §6)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django_scopes import scopes_disabled

from dangjian.accounts.viewer import viewer_for
from dangjian.core.audit import AuditEvent
from dangjian.core.search import search
from dangjian.core.workflow import TransitionError
from dangjian.courseware import selectors, services
from dangjian.courseware.models import Courseware, CoursewareVersion
from tests.courseware import samples
from tests.courseware.conftest import publish, upload_draft

pytestmark = pytest.mark.django_db


def _files(folder) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_upload_is_a_draft_named_and_typed_by_its_content(cw, _courseware_files) -> None:
    item = upload_draft(cw, name="讲义.html", data=samples.PDF)
    version = item.versions.get()
    assert (item.status, version.state, version.number) == ("draft", "draft", 1)
    assert (version.name, version.kind, version.content_type) == ("讲义.pdf", "pdf", "application/pdf")
    assert version.size == len(samples.PDF) and len(version.sha256) == 64
    assert version.file.read() == samples.PDF
    assert sorted(item.tags.values_list("name", flat=True)) == ["二十大", "党课"]
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="courseware.courseware.create").count() == 1
    assert len(_files(_courseware_files)) == 1


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        ("党课讲义.pdf", samples.HTML, "markup", "网页或脚本"),
        ("党课讲义.pdf", samples.PHP, "markup", "网页或脚本"),
        ("海报.png", samples.SVG, "svg", "SVG"),
    ],
)
def test_impostors_are_refused_and_nothing_is_kept(cw, _courseware_files, name, data, code, words) -> None:
    with pytest.raises(ValidationError) as refused:
        upload_draft(cw, name=name, data=data)
    assert refused.value.error_dict["file"][0].code == code
    assert words in refused.value.message_dict["file"][0]
    assert not Courseware.objects.exists() and not _files(_courseware_files)


def test_an_oversized_file_is_refused(cw, _courseware_files) -> None:
    limits = dict.fromkeys(("pdf", "docx", "pptx", "xlsx", "mp4", "epub", "image"), 10)
    with override_settings(UPLOAD_MAX_BYTES=limits), pytest.raises(ValidationError) as refused:
        upload_draft(cw)
    assert refused.value.message_dict["file"] == [f"PDF 文档不能超过 10 B，这个文件有 {len(samples.PDF)} B"]
    assert not Courseware.objects.exists() and not _files(_courseware_files)


def test_the_quota_counts_every_stored_version(cw, _courseware_files) -> None:
    with override_settings(COURSEWARE_QUOTA_BYTES=len(samples.PDF) * 2):
        first = upload_draft(cw)
        services.version_add(
            actor=cw.worker_a, courseware=first, upload=samples.upload("v2.pdf", samples.PDF)
        )
        with pytest.raises(ValidationError) as refused:
            upload_draft(cw)
    assert refused.value.error_dict["file"][0].code == "over_quota"
    assert refused.value.message_dict["file"][0].startswith("超出个人存储空间")
    assert Courseware.objects.count() == 1 and len(_files(_courseware_files)) == 2


@pytest.mark.parametrize("role", ["member", "resident", "other_admin", "officer_a"])
def test_only_sharers_of_the_station_may_upload(cw, role) -> None:
    with pytest.raises(PermissionDenied):
        services.courseware_create(
            actor=getattr(cw, role),
            station=cw.a,
            details=services.Details("党课讲义"),
            upload=samples.upload("a.pdf", samples.PDF),
        )


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "题" * 121}, "title"),
        ({"description": "字" * 2001}, "description"),
        ({"tags": " ".join(f"t{i}" for i in range(11))}, "tags"),
        ({"tags": "长" * 21}, "tags"),
        ({"sharing": "everyone"}, "sharing"),
    ],
)
def test_bad_details_are_refused_in_chinese(cw, details, field) -> None:
    with pytest.raises(ValidationError) as refused:
        upload_draft(cw, **details)
    assert field in refused.value.message_dict


def test_review_publishes_and_indexes(cw) -> None:
    item = publish(cw, upload_draft(cw))
    assert item.status == "published" and item.live_version.number == 1 and item.published_at
    assert item.live_version.state == "approved" and item.live_version.reviewed_by == cw.instructor_a
    cw.member.home_station = cw.a
    cw.member.save()
    hits = search("二十大", viewer=viewer_for(cw.member), kinds=["课件"])
    assert [hit.url for hit in hits.hits] == [item.get_absolute_url()]


def test_nobody_reviews_their_own_upload(cw) -> None:
    item = services.courseware_create(
        actor=cw.instructor_a,
        station=cw.a,
        details=services.Details("自己的课件"),
        upload=samples.upload("a.pdf", samples.PDF),
    )
    services.courseware_transition(actor=cw.instructor_a, courseware=item, action="submit")
    with pytest.raises(TransitionError) as refused:
        services.courseware_transition(actor=cw.instructor_a, courseware=item, action="approve")
    assert refused.value.code == "self_review"


def test_platform_sharing_is_reviewed_by_hq(cw) -> None:
    item = upload_draft(cw, sharing="platform")
    services.courseware_transition(actor=cw.worker_a, courseware=item, action="submit")
    with pytest.raises(TransitionError) as refused:
        services.courseware_transition(actor=cw.instructor_a, courseware=item, action="approve")
    assert refused.value.code == "forbidden"
    assert services.courseware_transition(
        actor=cw.instructor_hq, courseware=item, action="approve"
    ).status == ("published")


def test_a_return_needs_a_comment_and_goes_back_to_the_uploader(cw) -> None:
    item = upload_draft(cw)
    services.courseware_transition(actor=cw.worker_a, courseware=item, action="submit")
    with pytest.raises(TransitionError) as refused:
        services.courseware_transition(actor=cw.instructor_a, courseware=item, action="return", comment=" ")
    assert refused.value.code == "comment_required"
    item = services.courseware_transition(
        actor=cw.instructor_a, courseware=item, action="return", comment="请补充讲义出处"
    )
    assert item.status == "returned" and item.versions.get().state == "returned"
    # the uploader fixes it with a new file and submits again
    services.version_add(actor=cw.worker_a, courseware=item, upload=samples.upload("改.pdf", samples.PDF))
    assert list(item.versions.values_list("number", "state")) == [(2, "draft"), (1, "superseded")]
    assert services.courseware_transition(actor=cw.worker_a, courseware=item, action="submit").status == (
        "submitted"
    )


def test_readers_keep_the_live_version_until_a_new_one_is_approved(cw) -> None:
    item = publish(cw, upload_draft(cw))
    services.version_add(
        actor=cw.worker_a, courseware=item, upload=samples.upload("新版.pptx", samples.office("pptx"))
    )
    item.refresh_from_db()
    assert item.live_version.number == 1 and item.status == "published"
    services.courseware_transition(actor=cw.worker_a, courseware=item, action="submit")
    with pytest.raises(TransitionError) as refused:
        services.version_add(actor=cw.worker_a, courseware=item, upload=samples.upload("x.pdf", samples.PDF))
    assert refused.value.code == "under_review"
    item = services.courseware_transition(actor=cw.instructor_a, courseware=item, action="approve")
    assert item.live_version.number == 2 and item.live_version.kind == "pptx"
    assert list(item.versions.values_list("number", "state")) == [(2, "approved"), (1, "superseded")]


def test_withdrawal_needs_a_reason_and_hides_the_item(cw) -> None:
    item = publish(cw, upload_draft(cw, sharing="platform"))
    assert selectors.visible_coursewares(cw.resident).filter(pk=item.pk).exists()
    with pytest.raises(TransitionError):
        services.courseware_transition(actor=cw.worker_a, courseware=item, action="withdraw")
    services.courseware_transition(
        actor=cw.worker_a, courseware=item, action="withdraw", comment="内容已过时"
    )
    assert not selectors.visible_coursewares(cw.resident).filter(pk=item.pk).exists()
    assert search("二十大", viewer=viewer_for(cw.hq_admin)).total == 0


def test_wrong_moves_are_refused(cw) -> None:
    item = upload_draft(cw)
    with pytest.raises(TransitionError) as refused:
        services.courseware_transition(actor=cw.instructor_a, courseware=item, action="approve")
    assert refused.value.code == "wrong_state"
    with pytest.raises(ValidationError) as unknown:
        services.courseware_transition(actor=cw.worker_a, courseware=item, action="publish")
    assert unknown.value.code == "unknown_action"
    with pytest.raises(TransitionError) as foreign:
        services.courseware_transition(actor=cw.other_admin, courseware=item, action="submit")
    assert foreign.value.code == "forbidden"


def test_who_sees_what(cw) -> None:
    station_item = publish(cw, upload_draft(cw, title="本站课件"))
    platform_item = publish(cw, upload_draft(cw, title="全平台课件", sharing="platform"))
    draft = upload_draft(cw, title="草稿")
    cw.member.home_station = cw.a
    cw.member.save()

    def visible(user) -> set[int]:
        return set(selectors.visible_coursewares(user).values_list("pk", flat=True))

    assert visible(cw.member) == {station_item.pk, platform_item.pk}
    assert visible(cw.resident) == {platform_item.pk}
    assert visible(cw.other_admin) == {platform_item.pk}
    assert visible(cw.hq_admin) == {station_item.pk, platform_item.pk}
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
    managed = set(selectors.manageable_coursewares(cw.other_admin).values_list("pk", flat=True))
    assert managed == set()
    assert draft.pk in set(selectors.manageable_coursewares(cw.own_admin).values_list("pk", flat=True))


def test_awaiting_review(cw) -> None:
    station_item = upload_draft(cw, title="本站")
    platform_item = upload_draft(cw, title="全平台", sharing="platform")
    for item in (station_item, platform_item):
        services.courseware_transition(actor=cw.worker_a, courseware=item, action="submit")
    assert list(selectors.awaiting_review_by(cw.instructor_a)) == [station_item]
    assert list(selectors.awaiting_review_by(cw.instructor_hq)) == [platform_item]
    assert list(selectors.awaiting_review_by(cw.instructor_b)) == []


def test_a_draft_can_be_deleted_with_its_files(
    cw, _courseware_files, django_capture_on_commit_callbacks
) -> None:
    item = upload_draft(cw)
    with django_capture_on_commit_callbacks(execute=True):
        services.courseware_delete(actor=cw.worker_a, courseware=item)
    assert not Courseware.objects.exists() and not CoursewareVersion.objects.exists()
    assert not _files(_courseware_files)
    published = publish(cw, upload_draft(cw))
    with pytest.raises(TransitionError):
        services.courseware_delete(actor=cw.worker_a, courseware=published)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_downloads_are_all_counted(world, _courseware_files) -> None:
    from tests.concurrency import run_at_once

    item = Courseware.objects.create(station=world.a, title="并发", owner=world.worker_a)
    results = run_at_once(lambda i: services.download_recorded(courseware=item), 8)
    assert not [r for r in results if isinstance(r, BaseException)]
    item.refresh_from_db()
    assert item.download_count == 8
