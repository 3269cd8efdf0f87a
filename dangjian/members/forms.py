"""Forms of member management (DB3212/T 1124 §6.3 党员管理)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from dangjian.core.crypto import keyed_hash
from dangjian.core.forms import StyledForm, StyledModelForm, limit_choices
from dangjian.core.validators import ID_RE, id_number_birth_date, normalize_id_number
from dangjian.members.identity import adult_check_problem, may_see_birth_date
from dangjian.members.models import (
    Category,
    CorrectableField,
    DuesCategory,
    Education,
    Gender,
    MemberProfile,
    MemberStatus,
)
from dangjian.members.selectors import manageable_organizations, manageable_stations, selectable_units
from dangjian.members.validation import MemberFacts, PersonInput, member_problems
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Station

DATE_FIELDS = ("birth_date", "admitted_on", "full_member_on")
HASH_RE_LENGTH = 64


class MemberProfileForm(StyledModelForm):
    """Create or edit a member: the person's name, mobile and ID number, and the profile fields. The ID
    number is never put back into the page: on edit it is blank and "blank" means "unchanged".

    An editor who may not see the full number (an officer, a worker) does not get the birth date either
    (`dangjian.members.identity`): the field is left out, the stored date is kept, and a new ID number
    brings its own birth date (digits 7–14), which the rules require to agree with it anyway."""

    real_name = forms.CharField(label="姓名", max_length=40)
    mobile = forms.CharField(label="手机号码", max_length=11, help_text="同时作为登录账号")
    id_number = forms.CharField(
        label="公民身份号码", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    class Meta:
        model = MemberProfile
        fields = [
            "organization",
            "category",
            "admitted_on",
            "full_member_on",
            "gender",
            "ethnicity",
            "birth_date",
            "education",
            "job_title",
            "resident_unit",
            "affiliation_organization",
            "status",
            "dues_category",
            "hardship",
        ]
        widgets = {name: forms.DateInput() for name in DATE_FIELDS}
        help_texts = {"full_member_on": "正式党员必填；预备党员留空"}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["real_name", "gender", "mobile", "id_number", "birth_date", "ethnicity"])
        limit_choices(self, "organization", manageable_organizations(user), label=_organization_label)
        limit_choices(self, "resident_unit", selectable_units(user))
        self.birth_date_hidden = bool(self.instance.pk) and not may_see_birth_date(user, self.instance)
        if self.instance.pk:
            self.fields["real_name"].initial = self.instance.user.real_name
            self.fields["mobile"].initial = self.instance.user.mobile
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = f"当前：{self.instance.id_number_masked}；留空表示不修改"
        if self.birth_date_hidden:
            del self.fields["birth_date"]
            self.fields["id_number"].help_text += "；出生日期随新号码更新"

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data.get("id_number", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.birth_date_hidden:
            data["birth_date"] = self._kept_or_new_birth_date(data.get("id_number", ""))
        facts = MemberFacts(
            mobile=data.get("mobile", ""),
            id_number=data.get("id_number", ""),
            gender=data.get("gender", ""),
            birth_date=data.get("birth_date"),
            category=data.get("category", ""),
            admitted_on=data.get("admitted_on"),
            full_member_on=data.get("full_member_on"),
        )
        problems = member_problems(facts, timezone.localdate())
        if self.birth_date_hidden:
            refusal = adult_check_problem(
                birth_date=data["birth_date"],
                admitted_on=data.get("admitted_on"),
                stored_admitted_on=self.instance.admitted_on,
            )
            if refusal is not None:  # answered from the birth year alone
                problems = [problem for problem in problems if problem.field != "admitted_on"]
                self.add_error(None, refusal)
        for problem in problems:
            if self._field_of(problem.field) not in self.errors:
                self.add_error(self._field_of(problem.field), problem.message)
        return data

    def _kept_or_new_birth_date(self, number: str) -> Any:
        """The birth date of an editor who may not see it: the new number's, else the stored one."""
        return (id_number_birth_date(number) if ID_RE.match(number) else None) or self.instance.birth_date

    def _field_of(self, name: str) -> str:
        """Errors about the birth date belong to the ID number when the birth date is not on the form."""
        return "id_number" if name == "birth_date" and "birth_date" not in self.fields else name

    def add_error(self, field: str | None, error: Any) -> None:
        """As Django's, but an error the service raises on the birth date (a field this editor may not
        have) lands on the ID number instead of failing with "no field named birth_date"."""
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            merged: dict[str, list[ValidationError]] = {}
            for name, errors in error.error_dict.items():
                merged.setdefault(self._field_of(name), []).extend(errors)
            error = ValidationError(merged)
        elif field is not None:
            field = self._field_of(field)
        super().add_error(field, error)

    def person(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(real_name=data["real_name"], mobile=data["mobile"], id_number=data["id_number"])


def _organization_label(organization: PartyOrganization) -> str:
    return f"{organization.name}（{organization.station.name}）"


class MemberFilterForm(StyledForm):
    """Roster filters (also applied to the export). `id_hash` carries an exact ID-number search as its
    keyed hash, so the plain number never sits in a URL, a page or a log."""

    station = forms.ModelChoiceField(
        label="站点", queryset=Station.objects.none(), required=False, empty_label="全部站点"
    )
    organization = forms.ModelChoiceField(
        label="党组织", queryset=PartyOrganization.objects.none(), required=False, empty_label="全部党组织"
    )
    category = forms.ChoiceField(label="类别", choices=[("", "全部类别"), *Category.choices], required=False)
    status = forms.ChoiceField(
        label="党籍状态", choices=[("", "全部状态"), *MemberStatus.choices], required=False
    )
    education = forms.ChoiceField(
        label="学历", choices=[("", "全部学历"), *Education.choices], required=False
    )
    gender = forms.ChoiceField(label="性别", choices=[("", "全部"), *Gender.choices], required=False)
    dues_category = forms.ChoiceField(
        label="党费类别", choices=[("", "全部"), *DuesCategory.choices], required=False
    )
    id_hash = forms.CharField(required=False, max_length=HASH_RE_LENGTH, widget=forms.HiddenInput)

    FIELD_FILTERS = ("station", "organization", "category", "status", "education", "gender", "dues_category")

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organization", manageable_organizations(user))
        stations = manageable_stations(user)
        limit_choices(self, "station", stations)
        if len(stations) < 2:
            del self.fields["station"]

    def apply(self, members: QuerySet[MemberProfile]) -> QuerySet[MemberProfile]:
        data = self.cleaned_data
        condition = Q()
        for name in self.FIELD_FILTERS:
            if data.get(name):
                condition &= Q(**{name: data[name]})
        if data.get("id_hash"):
            condition &= Q(id_number_hash=data["id_hash"])
        return members.filter(condition)

    def active_filters(self) -> dict[str, str]:
        """The applied filters as text, for the export's audit record (never an ID number)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: str(value) for name, value in self.cleaned_data.items() if value}


def search_condition(query: str) -> Q:
    """Name or mobile contains `query`; an ID number is matched exactly by its keyed hash."""
    if ID_RE.match(normalize_id_number(query)):
        return Q(id_number_hash=keyed_hash(normalize_id_number(query)))
    return Q(user__real_name__icontains=query) | Q(user__mobile__contains=query)


def looks_like_id_number(query: str) -> bool:
    return bool(ID_RE.match(normalize_id_number(query)))


class CorrectionRequestForm(StyledForm):
    field = forms.ChoiceField(label="更正项目", choices=CorrectableField.choices)
    new_value = forms.CharField(
        label="更正为", max_length=160, help_text="日期写成 2020-07-01；性别、民族、学历写名称，如“大学本科”"
    )
    reason = forms.CharField(label="更正理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(StyledForm):
    note = forms.CharField(label="处理意见", max_length=300, required=False)


class ImportForm(StyledForm):
    file = forms.FileField(
        label="党员信息表（.xlsx）",
        help_text="请使用下载的模板填写，不超过 5 MB、5000 行",
        error_messages={
            "required": "请选择要导入的 .xlsx 文件",
            "empty": "上传的文件是空的，请选择填好的 .xlsx 文件",
            "invalid": "请选择要导入的 .xlsx 文件",
            "missing": "请选择要导入的 .xlsx 文件",
        },
    )
