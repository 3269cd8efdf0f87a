from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core.manage_views import ManagedResource
from dangjian.organizations import selectors, services
from dangjian.organizations.forms import (
    AgreementForm,
    AllianceForm,
    CommitteeMemberForm,
    OrganizationFilterForm,
    PartyOrganizationForm,
)
from dangjian.organizations.models import by_rank
from dangjian.stations.forms import StationFilterForm


@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.access_organization(user=request.user, pk=pk)
    return render(request, "organizations/detail.html", {"organization": organization})


ORGANIZATIONS = ManagedResource(
    namespace="orgs",
    name="organization",
    path="manage/organizations",
    titles=("党组织管理", "新建党组织", "编辑党组织"),
    form_class=PartyOrganizationForm,
    manageable=selectors.manageable_organizations,
    access=selectors.access_organization,
    save=lambda form, actor, before: services.organization_save(
        organization=form.instance, units=form.cleaned_data.get("units") or [], actor=actor, before=before
    ),
    permissions=("organizations.manage", "organizations.manage", "organizations.change_partyorganization"),
    headers=["组织名称", "类型", "站点", "书记", "任期届满", "覆盖单位", ""],
    row_template="organizations/rows/organization.html",
    search_fields=("name", "short_name", "formal_superior"),
    filter_form_class=OrganizationFilterForm,
    edit_actions=lambda org: [("委员会成员", reverse("orgs:committee", kwargs={"pk": org.pk}))],
)


@login_required
@require_http_methods(["GET", "POST"])
def committee(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee (支委会/党委班子) of one organisation: add and remove members."""
    organization = selectors.access_committee_organization(user=request.user, pk=pk)
    form = CommitteeMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_member_add(
                organization=organization,
                user=form.cleaned_data["login"],
                position=form.cleaned_data["position"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已添加委员")
            return HttpResponseRedirect(request.path)
    members = by_rank(organization.committee.select_related("user"))
    return render(
        request,
        "organizations/committee.html",
        {"organization": organization, "members": members, "form": form},
    )


@login_required
@require_POST
def committee_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    organization = selectors.access_committee_organization(user=request.user, pk=pk)
    member = selectors.access_committee_member(user=request.user, organization=organization, pk=member_pk)
    services.committee_member_remove(member=member, actor=request.user)
    messages.success(request, "已移出委员会")
    return HttpResponseRedirect(reverse("orgs:committee", kwargs={"pk": organization.pk}))


ALLIANCES = ManagedResource(
    namespace="orgs",
    name="alliance",
    path="manage/alliances",
    titles=("党建联盟", "新建党建联盟", "编辑党建联盟"),
    form_class=AllianceForm,
    manageable=selectors.manageable_alliances,
    access=selectors.access_alliance,
    save=lambda form, actor, before: services.alliance_save(
        alliance=form.instance,
        organizations=form.cleaned_data.get("organizations") or [],
        actor=actor,
        before=before,
    ),
    permissions=("organizations.manage", "organizations.manage", "organizations.change_alliance"),
    headers=["联盟名称", "牵头组织", "站点", "成员数", "成立日期", ""],
    row_template="organizations/rows/alliance.html",
    search_fields=("name",),
    filter_form_class=StationFilterForm,
)

AGREEMENTS = ManagedResource(
    namespace="orgs",
    name="agreement",
    path="manage/agreements",
    titles=("联学共建协议", "登记联学共建协议", "编辑联学共建协议"),
    form_class=AgreementForm,
    manageable=selectors.manageable_agreements,
    access=selectors.access_agreement,
    save=lambda form, actor, before: services.agreement_save(
        agreement=form.instance,
        organizations=form.cleaned_data.get("organizations") or [],
        actor=actor,
        before=before,
    ),
    permissions=(
        "organizations.manage",
        "organizations.manage",
        "organizations.change_jointbuildingagreement",
    ),
    headers=["协议", "共建各方", "所属联盟", "签订日期", "有效期至", ""],
    row_template="organizations/rows/agreement.html",
    search_fields=("title", "content"),
    filter_form_class=StationFilterForm,
)
