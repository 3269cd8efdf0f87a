"""Pages of 党务公开 (DB3212/T 1124 §6.3): the public index by period, visibility, the management list,
the forms and the workflow buttons (404 across stations, Chinese messages on refusal)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from dangjian.disclosures import services
from dangjian.disclosures.models import Disclosure
from tests.disclosures.builders import published, submitted, write_draft
from tests.disclosures.conftest import audit_actions, reload

pytestmark = pytest.mark.django_db


def _index(client, org) -> str:
    response = client.get(reverse("disclosures:organization_index", kwargs={"pk": org.pk}))
    assert response.status_code == 200
    return response.content.decode()


def _publish(people, **fields: Any) -> Disclosure:
    return published(people.worker_a, people.org_a, reviewer=people.instructor_a, **fields)


def _quarter(year: int, quarter: int) -> dict[str, date]:
    start_month = 3 * quarter - 2
    end = date(year, start_month + 2, 30 if start_month + 2 in (6, 9) else 31)
    return {"period_start": date(year, start_month, 1), "period_end": end}


# ---------------------------------------------------------------- public index


def test_index_groups_by_quarter_newest_first(people, client) -> None:
    _publish(people, title="三季度党费公示", **_quarter(2026, 3))
    _publish(people, title="二季度发展党员公示", category="recruitment", **_quarter(2026, 2))
    _publish(people, title="去年四季度评优公示", category="honors", **_quarter(2025, 4))
    body = _index(client, people.org_a)
    headings = ["2026年第三季度", "2026年第二季度", "2025年第四季度"]
    positions = [body.index(h) for h in headings]
    assert positions == sorted(positions)
    assert body.index("三季度党费公示") < body.index("2026年第二季度") < body.index("二季度发展党员公示")


def test_index_filters_by_category(people, client) -> None:
    _publish(people, title="党费公示")
    _publish(people, title="发展对象公示", category="recruitment")
    url = reverse("disclosures:organization_index", kwargs={"pk": people.org_a.pk})
    body = client.get(url, {"category": "recruitment"}).content.decode()
    assert "发展对象公示" in body and "党费公示" not in body


def test_index_shows_only_published_and_withdrawn(people, client) -> None:
    write_draft(people.worker_a, people.org_a, title="草稿不可见")
    submitted(people.worker_a, people.org_a, title="待审核不可见")
    archived = _publish(people, title="已归档不可见")
    services.disclosure_archive(disclosure=archived, actor=people.worker_a)
    withdrawn = _publish(people, title="撤回的公示")
    services.disclosure_withdraw(
        disclosure=withdrawn, actor=people.worker_a, comment="金额统计有误，更正后重新公示"
    )
    _publish(people, title="有效的公示")
    body = _index(client, people.org_a)
    assert "有效的公示" in body and "撤回的公示" in body
    assert "已撤回" in body and "金额统计有误，更正后重新公示" in body
    assert "草稿不可见" not in body and "待审核不可见" not in body and "已归档不可见" not in body


def test_withdrawn_detail_shows_the_reason_never_the_body(people, client) -> None:
    item = _publish(people, body="<p>涉密名单内容</p>")
    services.disclosure_withdraw(disclosure=item, actor=people.worker_a, comment="名单有误")
    body = client.get(item.get_absolute_url()).content.decode()
    assert "名单有误" in body and "已撤回" in body and "涉密名单内容" not in body
    index = _index(client, people.org_a)
    assert "涉密名单内容" not in index


def test_published_detail_shows_the_sanitised_body(people, client) -> None:
    item = _publish(people, body='<p>收缴率 100%</p><img src="x" onerror="alert(1)">')
    body = client.get(item.get_absolute_url()).content.decode()
    assert "收缴率 100%" in body and "onerror" not in body


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_unpublished_detail_is_404(people, client, state) -> None:
    item = write_draft(people.worker_a, people.org_a)
    if state == "submitted":
        item = services.disclosure_submit(disclosure=item, actor=people.worker_a)
    client.force_login(people.worker_a)
    assert client.get(reverse("disclosures:detail", kwargs={"pk": item.pk})).status_code == 404


def test_organization_page_links_the_index(people, client) -> None:
    body = client.get(people.org_a.get_absolute_url()).content.decode()
    assert reverse("disclosures:organization_index", kwargs={"pk": people.org_a.pk}) in body


@pytest.mark.parametrize(
    "params",
    [{"category": "<script>"}, {"page": "abc"}, {"page": "9" * 30}, {"category": "dues", "page": "-1"}],
)
def test_index_survives_junk(people, client, params) -> None:
    _publish(people)
    url = reverse("disclosures:organization_index", kwargs={"pk": people.org_a.pk})
    assert client.get(url, params).status_code == 200


def test_unknown_or_inactive_organisation_is_404(people, client) -> None:
    assert client.get("/organizations/999999/disclosures/").status_code == 404
    assert client.get(f"/organizations/{'9' * 25}/disclosures/").status_code == 404
    assert client.get(f"/disclosures/{'9' * 25}/").status_code == 404
    people.org_a.is_active = False
    people.org_a.save()
    assert client.get(f"/organizations/{people.org_a.pk}/disclosures/").status_code == 404


# ---------------------------------------------------------------- visibility


@pytest.fixture
def three_audiences(people):
    people.items = {
        audience: _publish(people, title=f"{audience}可见的公示", visibility=audience)
        for audience in ("public", "station", "organization")
    }
    return people


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("anonymous", {"public"}),
        ("resident", {"public"}),
        ("member", {"public", "organization"}),  # a member of org_a, no station
        ("worker_a", {"public", "station"}),
        ("officer_a", {"public", "station", "organization"}),
        ("worker_b", {"public"}),
        ("officer_b", {"public"}),
        ("hq_admin", {"public", "station", "organization"}),
    ],
)
def test_visibility_on_pages(three_audiences, client, viewer, sees) -> None:
    world = three_audiences
    user = world.actor(viewer)
    if user is not None:
        client.force_login(user)
    index = _index(client, world.org_a)
    for audience, item in world.items.items():
        assert (item.title in index) == (audience in sees), audience
        status = client.get(item.get_absolute_url()).status_code
        assert status == (200 if audience in sees else 404), audience


def test_people_of_the_station_see_station_items(three_audiences, client) -> None:
    world = three_audiences
    world.resident.home_station = world.a
    world.resident.save()
    client.force_login(world.resident)
    assert client.get(world.items["station"].get_absolute_url()).status_code == 200


# ---------------------------------------------------------------- management list


def _list(client, **params: Any) -> str:
    response = client.get(reverse("disclosures:disclosure_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_management_list_is_station_scoped(people, client) -> None:
    write_draft(people.worker_a, people.org_a, title="万达支部草稿")
    write_draft(people.worker_b, people.org_b, title="金融支部草稿")
    expected = {
        "worker_a": ("万达支部草稿",),
        "officer_a": ("万达支部草稿",),
        "instructor_a": ("万达支部草稿",),
        "worker_b": ("金融支部草稿",),
        "instructor_b": ("金融支部草稿",),
        "hq_admin": ("万达支部草稿", "金融支部草稿"),
    }
    for name, titles in expected.items():
        client.force_login(getattr(people, name))
        body = _list(client)
        for title in ("万达支部草稿", "金融支部草稿"):
            assert (title in body) == (title in titles), (name, title)


def test_management_list_filters(people, client) -> None:
    write_draft(people.worker_a, people.org_a, title="党费草稿")
    submitted(people.worker_a, people.org_a, title="发展党员待审", category="recruitment")
    client.force_login(people.own_admin)
    body = _list(client, status="submitted")
    assert "发展党员待审" in body and "党费草稿" not in body
    body = _list(client, category="dues")
    assert "党费草稿" in body and "发展党员待审" not in body
    body = _list(client, organization=people.org_b.pk)  # not a choice of A's admin: ignored, form error
    assert "党费草稿" in body
    for junk in ({"status": "king"}, {"organization": "9" * 30}, {"mine": "maybe"}, {"page": "abc"}):
        _list(client, **junk)


def test_awaiting_my_review_filter(people, client) -> None:
    submitted(people.worker_a, people.org_a, title="等待审核的公示")
    write_draft(people.worker_a, people.org_a, title="还是草稿的公示")
    f_item = write_draft(people.worker_a, people.org_a, title="指导员自己提交的公示")
    from tests import factories as f

    f.grant(people.instructor_a, "worker", people.a, building=people.building_a)
    services.disclosure_submit(disclosure=f_item, actor=people.instructor_a)
    client.force_login(people.instructor_a)
    body = _list(client, mine="on")
    assert "等待审核的公示" in body
    assert "还是草稿的公示" not in body and "指导员自己提交的公示" not in body
    client.force_login(people.worker_a)
    assert 'name="mine"' not in _list(client)


def test_management_menu_links_the_list(people, client) -> None:
    client.force_login(people.worker_a)
    assert reverse("disclosures:disclosure_list") in _list(client)


def test_members_and_residents_may_not_open_management(people, client) -> None:
    for user in (people.member, people.resident):
        client.force_login(user)
        assert client.get(reverse("disclosures:disclosure_list")).status_code == 403
        assert client.get(reverse("disclosures:disclosure_create")).status_code == 403


# ---------------------------------------------------------------- create and edit


def _form(org, **overrides: Any) -> dict[str, Any]:
    data = {
        "organization": org.pk,
        "category": "organization",
        "title": "关于支部委员会换届选举结果的公示",
        "period_start": "2026-10-01",
        "period_end": "2026-12-31",
        "visibility": "public",
        "body": "经党员大会选举，产生新一届支部委员会。\n\n公示期 5 个工作日。",
    }
    data.update(overrides)
    return data


def test_create_page_makes_a_draft(people, client) -> None:
    client.force_login(people.worker_a)
    response = client.post(reverse("disclosures:disclosure_create"), _form(people.org_a))
    item = Disclosure.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_manage_url()
    assert item.status == "draft" and item.station == people.a and item.author == people.worker_a
    assert item.body == "<p>经党员大会选举，产生新一届支部委员会。</p><p>公示期 5 个工作日。</p>"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"period_end": "2026-09-30"}, "公开期间止不能早于公开期间起"),
        ({"title": ""}, "这个字段是必填项"),
        ({"title": "   "}, "这个字段是必填项"),
        ({"body": ""}, "这个字段是必填项"),
        ({"body": "<p> </p>"}, "请填写公开内容"),
        ({"period_start": "2026-02-30"}, "输入一个有效的日期"),
        ({"category": "secret"}, "选择一个有效的选项"),
        ({"visibility": "logged_in"}, "选择一个有效的选项"),
        ({"title": "标题\x00"}, "不允许"),
        ({"title": "长" * 121}, "120"),
    ],
)
def test_bad_input_changes_nothing(people, client, overrides, message) -> None:
    client.force_login(people.worker_a)
    response = client.post(reverse("disclosures:disclosure_create"), _form(people.org_a, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Disclosure.objects.exists() and audit_actions() == []


def test_create_for_an_organisation_of_another_station_is_refused(people, client) -> None:
    client.force_login(people.worker_a)
    page = client.get(reverse("disclosures:disclosure_create")).content.decode()
    assert people.org_a.name in page and people.org_b.name not in page
    response = client.post(reverse("disclosures:disclosure_create"), _form(people.org_b))
    assert response.status_code == 200 and not Disclosure.objects.exists()


def test_officer_writes_only_for_their_organisation(people, client) -> None:
    client.force_login(people.officer_a)
    assert client.post(reverse("disclosures:disclosure_create"), _form(people.org_a)).status_code == 302
    other = Disclosure.objects.count()
    from tests import factories as f

    sibling = f.PartyOrganizationFactory(station=people.a)
    client.post(reverse("disclosures:disclosure_create"), _form(sibling))
    assert Disclosure.objects.count() == other


def test_edit_page_changes_a_draft(people, client) -> None:
    item = write_draft(people.worker_a, people.org_a)
    client.force_login(people.worker_a)
    url = reverse("disclosures:disclosure_edit", kwargs={"pk": item.pk})
    response = client.post(url, _form(people.org_a, title="更正后的标题"))
    assert response.status_code == 302
    assert reload(item).title == "更正后的标题"
    assert audit_actions() == ["disclosures.disclosure.create", "disclosures.disclosure.update"]


def test_edit_page_refuses_a_published_item(people, client) -> None:
    item = _publish(people)
    client.force_login(people.worker_a)
    url = reverse("disclosures:disclosure_edit", kwargs={"pk": item.pk})
    response = client.post(url, _form(people.org_a, title="偷偷改"))
    assert response.status_code == 200 and "不能修改" in response.content.decode()
    assert reload(item).title != "偷偷改"


def test_edit_page_of_another_station_is_404(people, client) -> None:
    item = write_draft(people.worker_a, people.org_a)
    url = reverse("disclosures:disclosure_edit", kwargs={"pk": item.pk})
    for user in (people.worker_b, people.other_admin, people.instructor_b, people.member):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, _form(people.org_b)).status_code == 404
    assert reload(item).organization == people.org_a


# ---------------------------------------------------------------- workflow buttons


def _post(client, action: str, item: Disclosure, comment: str = "") -> tuple[int, str]:
    url = reverse(f"disclosures:{action}", kwargs={"pk": item.pk})
    response = client.post(url, {"comment": comment})
    if response.status_code != 302:
        return response.status_code, ""
    return 302, client.get(response["Location"]).content.decode()


def test_workflow_through_the_pages(people, client) -> None:
    item = write_draft(people.worker_a, people.org_a)
    client.force_login(people.worker_a)
    assert _post(client, "submit", item)[1].count("已提交审核") == 1
    client.force_login(people.instructor_a)
    page = client.get(item.get_manage_url()).content.decode()
    assert "审核通过" in page and "退回修改" in page
    _status, body = _post(client, "approve", item, "同意")
    assert "已审核通过并发布" in body and reload(item).status == "published"
    assert "流转记录" in body and "提交审核" in body and "同意" in body


@pytest.mark.parametrize(
    ("action", "actor", "message"),
    [
        ("approve", "own_admin", "只有本站点的党建指导员可以审核党务公开"),
        ("approve", "worker_a", "只有本站点的党建指导员可以审核党务公开"),
        ("return", "instructor_a", "请填写退回意见"),
        ("submit", "worker_a", "当前状态为“待审核”，不能提交审核"),
        ("withdraw", "worker_a", "当前状态为“待审核”，不能撤回"),
        ("archive", "officer_a", "当前状态为“待审核”，不能归档"),
    ],
)
def test_refusals_come_back_as_messages(people, client, action, actor, message) -> None:
    item = submitted(people.worker_a, people.org_a)
    client.force_login(getattr(people, actor))
    status, body = _post(client, action, item)
    assert status == 302 and message in body
    assert reload(item).status == "submitted"


def test_self_approval_through_the_page_is_refused(people, client) -> None:
    from tests import factories as f

    f.grant(people.worker_a, "instructor", people.a)
    item = submitted(people.worker_a, people.org_a)
    client.force_login(people.worker_a)
    _status, body = _post(client, "approve", item)
    assert "不能审核自己撰写或提交的内容" in body and reload(item).status == "submitted"


@pytest.mark.parametrize("outsider", ["worker_b", "instructor_b", "other_admin", "member", "resident"])
@pytest.mark.parametrize("action", ["submit", "approve", "return", "withdraw", "archive"])
def test_other_stations_get_404(people, client, outsider, action) -> None:
    item = submitted(people.worker_a, people.org_a)
    client.force_login(getattr(people, outsider))
    assert _post(client, action, item, "理由")[0] == 404
    assert client.get(item.get_manage_url()).status_code == 404
    assert reload(item).status == "submitted"


def test_comment_too_long_or_with_nul_is_a_message(people, client) -> None:
    item = _publish(people)
    client.force_login(people.worker_a)
    for comment in ("长" * 501, "原因\x00"):
        status, body = _post(client, "withdraw", item, comment)
        assert status == 302 and "alert-danger" in body
    assert reload(item).status == "published"


def test_withdraw_through_the_page(people, client) -> None:
    item = _publish(people)
    client.force_login(people.instructor_a)
    _status, body = _post(client, "withdraw", item, "数据有误")
    assert "已撤回" in body and reload(item).withdrawn_reason == "数据有误"


def test_transition_endpoints_only_take_post(people, client) -> None:
    item = write_draft(people.worker_a, people.org_a)
    client.force_login(people.worker_a)
    assert client.get(reverse("disclosures:submit", kwargs={"pk": item.pk})).status_code == 405
    assert reload(item).status == "draft"
