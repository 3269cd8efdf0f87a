from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from dangjian.accounts.models import User
from dangjian.core.forms import StyledForm, StyledModelForm, limit_choices
from dangjian.core.parsing import positive_int_or_none
from dangjian.organizations.models import (
    Alliance,
    CommitteePosition,
    JointBuildingAgreement,
    OrgKind,
    PartyOrganization,
    TermStatus,
)
from dangjian.organizations.selectors import manageable_organizations
from dangjian.stations.models import ResidentUnit, Station
from dangjian.stations.selectors import manageable_stations


def _station_from(form: forms.BaseForm, instance: Any) -> int:
    raw = form.data.get("station") if form.is_bound else None
    if raw:
        return positive_int_or_none(raw) or 0
    return getattr(instance, "station_id", None) or 0


class PartyOrganizationForm(StyledModelForm):
    class Meta:
        model = PartyOrganization
        fields = [
            "station",
            "name",
            "short_name",
            "kind",
            "parent",
            "formal_superior",
            "units",
            "established_on",
            "term_start",
            "term_end",
            "contact_phone",
            "intro",
            "is_active",
        ]
        widgets = {
            "established_on": forms.DateInput(),
            "term_start": forms.DateInput(),
            "term_end": forms.DateInput(),
            "intro": forms.Textarea(attrs={"rows": 3}),
            "units": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stations = manageable_stations(user)
        limit_choices(self, "station", stations)
        limit_choices(self, "parent", manageable_organizations(user).exclude(pk=self.instance.pk))
        station_id = _station_from(self, self.instance)
        limit_choices(self, "units", ResidentUnit.objects.filter(station_id=station_id, station__in=stations))
        self.fields["units"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", "任期届满日期应晚于任期开始日期")
        return data


class CommitteeMemberForm(StyledForm):
    login = forms.CharField(label="用户名或手机号", max_length=150)
    position = forms.ChoiceField(label="职务", choices=CommitteePosition.choices)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean_login(self) -> User:
        try:
            return User.objects.get_by_login(self.cleaned_data["login"])
        except (User.DoesNotExist, User.MultipleObjectsReturned) as exc:
            raise forms.ValidationError("找不到该用户，请输入平台用户名或 11 位手机号") from exc


class AllianceForm(StyledModelForm):
    class Meta:
        model = Alliance
        fields = ["station", "name", "lead_organization", "organizations", "established_on", "purpose"]
        widgets = {
            "established_on": forms.DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "organizations": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "station", manageable_stations(user))
        # An alliance may join organisations of any station (§4.7 sharing); the lead is the manager's own.
        limit_choices(self, "lead_organization", manageable_organizations(user))
        limit_choices(self, "organizations", PartyOrganization.objects.filter(is_active=True))
        self.fields["organizations"].required = False


class AgreementForm(StyledModelForm):
    class Meta:
        model = JointBuildingAgreement
        fields = ["station", "title", "alliance", "organizations", "signed_on", "valid_until", "content"]
        widgets = {
            "signed_on": forms.DateInput(),
            "valid_until": forms.DateInput(),
            "content": forms.Textarea(attrs={"rows": 4}),
            "organizations": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stations = manageable_stations(user)
        limit_choices(self, "station", stations)
        limit_choices(self, "alliance", Alliance.objects.filter(station__in=stations))
        limit_choices(self, "organizations", PartyOrganization.objects.filter(is_active=True))
        self.fields["organizations"].required = False


class OrganizationFilterForm(StyledForm):
    station = forms.ModelChoiceField(
        label="站点", queryset=Station.objects.none(), required=False, empty_label="全部站点"
    )
    kind = forms.ChoiceField(label="类型", choices=[("", "全部类型"), *OrgKind.choices], required=False)
    term = forms.ChoiceField(label="换届", choices=[("", "全部"), *TermStatus.choices], required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "station", manageable_stations(user))

    def apply(self, qs: QuerySet[PartyOrganization]) -> QuerySet[PartyOrganization]:
        data = self.cleaned_data
        if data.get("station"):
            qs = qs.filter(station=data["station"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("term"):
            qs = qs.with_term_status(data["term"])  # type: ignore[attr-defined]
        return qs
