"""The role work page (工作台): each role sees its own cards, each counting only what the person may act
on (DESIGN.md "Work pages"), with a constant number of queries whatever the data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role
from dangjian.core import workcards
from dangjian.core.notifications import notify
from dangjian.members import services as member_services
from dangjian.members.models import MemberStatus
from dangjian.news import services as news_services
from dangjian.news.models import Column
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Station
from tests import factories as f
from tests.disclosures.builders import submitted as submitted_disclosure
from tests.disclosures.builders import write_draft
from tests.dues.builders import default_rule, generate, make_member, months_ago, now, pay_cash
from tests.members.builders import make_profile, make_role_holder
from tests.news.conftest import content
from tests.queries import get_query_count

pytestmark = pytest.mark.django_db

WORKPAGE = reverse("portal:workpage")


def page_of(client: Client, user: Any) -> workcards.WorkPage:
    client.force_login(user)
    response = client.get(WORKPAGE)
    assert response.status_code == 200
    return response.context["page"]


def counts(page: workcards.WorkPage) -> dict[str, int | None]:
    return {c.card.key: c.count for _, _, cards in page.sections for c in cards}


def article(
    world: Any, *, station: Any = None, author: Any = None, title: str = "楼宇党建联盟季度联席会议"
) -> Any:
    column = Column.objects.get(slug="yaowen")
    return news_services.article_create(
        actor=author or world.worker_a, station=station or world.a, content=content(column, title=title)
    )


@pytest.fixture
def desk(world: Any) -> Any:
    return fill_desk(world)


def fill_desk(world: Any) -> Any:
    """The world plus what waits on the desks of branch A and, for contrast, branch B."""
    default_rule()
    world.instructor_a = make_role_holder("instructor_a", Role.INSTRUCTOR, world.a)
    world.worker_b = make_role_holder("worker_b", Role.WORKER, world.b, building=world.building_b)
    world.officer_b = make_role_holder("officer_b", Role.ORG_OFFICER, world.b, organization=world.org_b)
    # news: two drafts and one returned article at A, one draft and one submitted article at B
    article(world, title="万达广场分站开展主题党日活动")
    article(world, title="万达广场分站召开组织生活会")
    returned = article(world, title="楼宇党员志愿服务队成立")
    news_services.article_submit(actor=world.worker_a, article=returned)
    news_services.article_return(actor=world.instructor_a, article=returned, comment="请补充活动照片")
    waiting = article(world, title="万达广场分站党课通知")
    news_services.article_submit(actor=world.worker_a, article=waiting)
    article(world, station=world.b, author=world.worker_b, title="金融大厦分站学习简报")
    news_services.article_submit(
        actor=world.worker_b,
        article=article(world, station=world.b, author=world.worker_b, title="金融大厦通知"),
    )
    # disclosures: one submitted at A (for A's instructor), one draft of org_a, one submitted at B
    submitted_disclosure(world.worker_a, world.org_a)
    write_draft(world.officer_a, world.org_a, title="2026年第三季度组织生活会情况公示")
    submitted_disclosure(world.worker_b, world.org_b)
    # members: two on org_a's roll and one transferred out, one of org_b
    world.payer = make_member(world.org_a)
    world.second = make_member(world.org_a)
    make_profile(world.org_a, status=MemberStatus.TRANSFERRED_OUT)
    world.member_b = make_member(world.org_b)
    # dues: the payer owes two months, the second member paid; org_b's member owes one
    for month in (months_ago(1), now()):
        generate(world.org_a, month)
    generate(world.org_b, now())
    pay_cash(world.second, [months_ago(1), now()])
    # corrections: one pending in org_a, one in org_b
    member_services.correction_request(
        actor=world.payer.user,
        profile=world.payer,
        field="job_title",
        new_value="党务专员",
        reason="岗位调整",
    )
    member_services.correction_request(
        actor=world.member_b.user,
        profile=world.member_b,
        field="job_title",
        new_value="会计",
        reason="岗位调整",
    )
    return world


def test_a_worker_sees_drafts_returns_and_the_compose_shortcut_not_zero_stations(desk, client) -> None:
    page = page_of(client, desk.worker_a)
    seen = counts(page)
    assert seen["news.drafts"] == 2 and seen["news.returned"] == 1
    assert seen["disclosures.drafts"] == 1  # the worker writes for org_a, of A's station
    assert seen["stations.units"] == 1
    assert "news.compose" in seen and "news.review_queue" not in seen
    assert "stations.stations" not in seen and "stations.branches" not in seen
    body = client.get(WORKPAGE).content.decode()
    assert "撰写信息" in body and "可管理站点" not in body
    compose = page.card("news.compose")
    assert compose is not None and compose.url == reverse("news:manage_create")


def test_an_instructor_sees_the_review_queue_of_their_station_only(desk, client) -> None:
    seen = counts(page_of(client, desk.instructor_a))
    assert seen["news.review_queue"] == 1  # B's submitted article is not A's instructor's
    assert seen["disclosures.review_queue"] == 1
    assert "news.drafts" not in seen and "news.compose" not in seen
    page = page_of(client, desk.instructor_a)
    review = page.card("news.review_queue")
    assert review is not None and review.needs_attention and review.url.endswith("?queue=1")


def test_an_officer_sees_the_roster_arrears_and_corrections_of_their_organisation(desk, client) -> None:
    page = page_of(client, desk.officer_a)
    seen = counts(page)
    assert seen["members.roster"] == 2  # on the roll of org_a; not the transferred one, not org_b's
    assert seen["dues.arrears"] == 1  # the payer owes; the second member paid
    assert seen["members.corrections"] == 1
    arrears = page.card("dues.arrears")
    assert arrears is not None
    assert arrears.url == reverse("dues:arrears", kwargs={"organization": desk.org_a.pk})
    other = counts(page_of(client, desk.officer_b))
    assert (other["members.roster"], other["dues.arrears"], other["members.corrections"]) == (1, 1, 1)


def test_a_member_sees_what_they_owe_and_their_messages(
    desk, client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[desk.payer.user], title="请按时交纳党费", email=False)
    page = page_of(client, desk.payer.user)
    seen = counts(page)
    assert seen["dues.owed"] == 2 and seen["accounts.inbox"] == 1
    owed = page.card("dues.owed")
    assert owed is not None and owed.note == "合计 ¥91.36"  # 2 × 45.68
    assert "members.me" in seen and "members.roster" not in seen and "news.drafts" not in seen
    paid = page_of(client, desk.second.user).card("dues.owed")
    assert paid is not None and paid.count == 0 and paid.note == "本月及以前均已交清"
    # without a member record there is nothing to owe: the card is not shown at all
    assert "dues.owed" not in counts(page_of(client, desk.resident))


def test_hq_sees_the_branches_and_a_branch_admin_their_station(desk, client) -> None:
    Station.objects.create(kind="branch", code="closed", name="已撤销分站", address="泰州市", is_active=False)
    hq = counts(page_of(client, desk.hq_admin))
    assert hq["stations.branches"] == 2 and "stations.stations" not in hq
    assert hq["members.roster"] == 3  # every station's members on the roll
    own = counts(page_of(client, desk.own_admin))
    assert own["stations.stations"] == 1 and "stations.branches" not in own
    assert own["members.roster"] == 2 and own["members.corrections"] == 1


def test_terms_to_renew_count_for_the_admins_of_the_station(world, client) -> None:
    today = timezone.localdate()
    f.PartyOrganizationFactory(
        station=world.a, term_start=today - timedelta(days=1500), term_end=today - timedelta(days=1)
    )
    f.PartyOrganizationFactory(
        station=world.a, term_start=today - timedelta(days=1000), term_end=today + timedelta(days=30)
    )
    own = counts(page_of(client, world.own_admin))
    assert (own["organizations.terms_expired"], own["organizations.terms_expiring"]) == (1, 1)
    other = counts(page_of(client, world.other_admin))
    assert (other["organizations.terms_expired"], other["organizations.terms_expiring"]) == (0, 0)
    assert "organizations.terms_expired" not in counts(page_of(client, world.worker_a))


def test_the_page_shows_each_card_with_its_count_and_link(desk, client) -> None:
    client.force_login(desk.worker_a)
    body = client.get(WORKPAGE).content.decode()
    assert 'data-card="news.drafts" data-count="2"' in body
    assert reverse("news:manage_list") + "?status=draft" in body
    assert "待办事项" in body and "常用功能" in body and "党务工作者" in body


def test_the_management_centre_and_the_nav_lead_to_the_work_page(world, client) -> None:
    client.force_login(world.own_admin)
    response = client.get(reverse("portal:manage_home"))
    assert response.status_code == 302 and response["Location"] == WORKPAGE
    client.force_login(world.member)
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{WORKPAGE}"' in home


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(WORKPAGE)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


ROLE_QUERY_BUDGET = (
    42  # every card counts with one or two queries; the real check is "constant as data grows"
)


@pytest.mark.parametrize("role", ["worker_a", "officer_a", "own_admin", "hq_admin", "member"])
def test_the_work_page_runs_a_constant_number_of_queries(
    desk, role, django_capture_on_commit_callbacks
) -> None:
    user = desk.actor(role) if role != "member" else desk.payer.user
    client = Client()
    client.force_login(user)
    before = get_query_count(client, WORKPAGE)
    # much more of everything the cards count
    for n in range(5):
        article(desk, title=f"万达广场分站学习简报第{n + 1}期")
        write_draft(desk.officer_a, desk.org_a, title=f"第{n + 1}次支部委员会会议情况公示")
        make_member(desk.org_a)
        f.PartyOrganizationFactory(station=desk.a, name=f"万达广场第{n + 1}党支部")
        f.ResidentUnitFactory(building=desk.building_a)
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[user], title=f"通知第{n + 1}条", email=False)
    generate(desk.org_a, months_ago(2))
    after = get_query_count(client, WORKPAGE)
    assert after == before, f"{role}: {before} queries, then {after} with more data"
    assert after <= ROLE_QUERY_BUDGET


def test_a_card_is_registered_once_and_a_none_count_hides_it(world, client) -> None:
    card = workcards.register_card(
        key="tests.only_for_hq",
        title="测试卡片",
        icon="star",
        url="portal:home",
        roles="accounts.view_roles",
        count=lambda user: 7 if user.pk == world.hq_admin.pk else None,
        section=workcards.KEEP,
    )
    try:
        with pytest.raises(ValueError, match="registered twice"):
            workcards.register_card(key=card.key, title="重复", icon="star", url="portal:home", roles="x")
        assert counts(page_of(client, world.hq_admin))["tests.only_for_hq"] == 7
        assert "tests.only_for_hq" not in counts(page_of(client, world.own_admin))  # count None
        assert "tests.only_for_hq" not in counts(page_of(client, world.member))  # roles
    finally:
        workcards.unregister_card(card.key)
    with pytest.raises(ValueError, match="needs a count"):
        workcards.register_card(
            key="tests.bad", title="坏", icon="x", url="portal:home", roles="x", section=workcards.TODO
        )


def test_every_capability_registers_its_cards() -> None:
    prefixes = {card.key.split(".", 1)[0] for card in workcards.registered_cards()}
    assert {"news", "disclosures", "members", "dues", "stations", "organizations", "accounts"} <= prefixes


def test_inactive_organisations_do_not_count_as_terms_to_renew(world, client) -> None:
    today = timezone.localdate()
    with scopes_disabled():
        PartyOrganization.objects.filter(pk=world.org_a.pk).update(
            term_end=today - timedelta(days=3), is_active=False
        )
    assert counts(page_of(client, world.own_admin))["organizations.terms_expired"] == 0
