from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core.manage_views import ManagedCreateView, ManagedListView, ManagedUpdateView
from dangjian.organizations import selectors, services
from dangjian.organizations.forms import (
    AgreementForm,
    AllianceForm,
    CommitteeMemberForm,
    OrganizationFilterForm,
    PartyOrganizationForm,
)
from dangjian.organizations.models import CommitteeMember, PartyOrganization, by_rank
from dangjian.stations.forms import StationFilterForm


@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organization = selectors.public_organization(pk)
    except PartyOrganization.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "organizations/detail.html", {"organization": organization})


class OrganizationList(ManagedListView):
    permission = "organizations.manage"
    title = "党组织管理"
    headers = ["组织名称", "类型", "站点", "书记", "任期届满", "覆盖单位", ""]
    row_template = "organizations/rows/organization.html"
    create_url_name = "orgs:organization_create"
    search_fields = ("name", "short_name", "formal_superior")
    filter_form_class = OrganizationFilterForm

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_organizations(self.request.user)


class OrganizationSaveMixin:
    request: HttpRequest

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> PartyOrganization:
        return services.organization_save(
            organization=form.instance,  # type: ignore[attr-defined]
            units=form.cleaned_data.get("units") or [],
            actor=self.request.user,
            before=before,
        )


class OrganizationCreate(OrganizationSaveMixin, ManagedCreateView):
    permission = "organizations.manage"
    form_class = PartyOrganizationForm
    title = "新建党组织"
    success_url_name = "orgs:organization_list"


class OrganizationUpdate(OrganizationSaveMixin, ManagedUpdateView):
    permission = "organizations.change_partyorganization"
    form_class = PartyOrganizationForm
    title = "编辑党组织"
    success_url_name = "orgs:organization_list"

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_organizations(self.request.user)

    def extra_context(self) -> dict[str, Any]:
        return {"committee_url": reverse("orgs:committee", kwargs={"pk": self.object.pk})}


def _manageable_organization(request: HttpRequest, pk: int, permission: str) -> PartyOrganization:
    organization = get_object_or_404(PartyOrganization.objects.select_related("station"), pk=pk)
    if not request.user.has_perm(permission, organization):
        raise Http404
    return organization


@login_required
@require_http_methods(["GET", "POST"])
def committee(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee (支委会/党委班子) of one organisation: add and remove members."""
    organization = _manageable_organization(request, pk, "organizations.change_committee")
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
    organization = _manageable_organization(request, pk, "organizations.change_committee")
    member = get_object_or_404(CommitteeMember, pk=member_pk, organization=organization)
    services.committee_member_remove(member=member, actor=request.user)
    messages.success(request, "已移出委员会")
    return HttpResponseRedirect(reverse("orgs:committee", kwargs={"pk": organization.pk}))


class AllianceList(ManagedListView):
    permission = "organizations.manage"
    title = "党建联盟"
    headers = ["联盟名称", "牵头组织", "站点", "成员数", "成立日期", ""]
    row_template = "organizations/rows/alliance.html"
    create_url_name = "orgs:alliance_create"
    search_fields = ("name",)
    filter_form_class = StationFilterForm

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_alliances(self.request.user)


class AllianceSaveMixin:
    request: HttpRequest

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
        return services.alliance_save(
            alliance=form.instance,  # type: ignore[attr-defined]
            organizations=form.cleaned_data.get("organizations") or [],
            actor=self.request.user,
            before=before,
        )


class AllianceCreate(AllianceSaveMixin, ManagedCreateView):
    permission = "organizations.manage"
    form_class = AllianceForm
    title = "新建党建联盟"
    success_url_name = "orgs:alliance_list"


class AllianceUpdate(AllianceSaveMixin, ManagedUpdateView):
    permission = "organizations.change_alliance"
    form_class = AllianceForm
    title = "编辑党建联盟"
    success_url_name = "orgs:alliance_list"

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_alliances(self.request.user)


class AgreementList(ManagedListView):
    permission = "organizations.manage"
    title = "联学共建协议"
    headers = ["协议", "共建各方", "所属联盟", "签订日期", "有效期至", ""]
    row_template = "organizations/rows/agreement.html"
    create_url_name = "orgs:agreement_create"
    search_fields = ("title", "content")
    filter_form_class = StationFilterForm

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_agreements(self.request.user)


class AgreementSaveMixin:
    request: HttpRequest

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
        return services.agreement_save(
            agreement=form.instance,  # type: ignore[attr-defined]
            organizations=form.cleaned_data.get("organizations") or [],
            actor=self.request.user,
            before=before,
        )


class AgreementCreate(AgreementSaveMixin, ManagedCreateView):
    permission = "organizations.manage"
    form_class = AgreementForm
    title = "登记联学共建协议"
    success_url_name = "orgs:agreement_list"


class AgreementUpdate(AgreementSaveMixin, ManagedUpdateView):
    permission = "organizations.change_jointbuildingagreement"
    form_class = AgreementForm
    title = "编辑联学共建协议"
    success_url_name = "orgs:agreement_list"

    def get_queryset(self) -> QuerySet:
        return selectors.manageable_agreements(self.request.user)
