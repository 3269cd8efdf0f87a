"""Forms of the people pages: role grants, the audit filter, self-registration and the people a
station keeps. Their choices are stations, buildings, grids, places, units and organisations, which is
why they live above the structure layer and not in `accounts`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q, QuerySet

from dangjian.accounts.models import PersonKind, Role, User
from dangjian.core.audit import audit_action_groups
from dangjian.core.forms import ExactFilterForm, StyledForm, StyledModelForm, limit_choices
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Building, GridArea, Place, ResidentUnit, Station
from dangjian.stations.selectors import manageable_stations


class RoleGrantForm(StyledForm):
    login = forms.CharField(label="用户名或手机号", max_length=150)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    station = forms.ModelChoiceField(label="站点", queryset=Station.objects.none())
    building = forms.ModelChoiceField(
        label="楼宇（党务工作者）", queryset=Building.objects.none(), required=False
    )
    organization = forms.ModelChoiceField(
        label="党组织（书记、委员）", queryset=PartyOrganization.objects.none(), required=False
    )
    grid = forms.ModelChoiceField(label="网格（网格长）", queryset=GridArea.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stations = manageable_stations(user)
        limit_choices(self, "station", stations)
        limit_choices(
            self, "building", Building.objects.filter(station__in=stations).select_related("station")
        )
        limit_choices(self, "organization", PartyOrganization.objects.filter(station__in=stations))
        limit_choices(self, "grid", GridArea.objects.filter(station__in=stations).select_related("building"))

    def clean_login(self) -> User:
        try:
            return User.objects.get_by_login(self.cleaned_data["login"])
        except (User.DoesNotExist, User.MultipleObjectsReturned) as exc:
            raise forms.ValidationError("找不到该用户，请输入平台用户名或 11 位手机号") from exc


class RoleFilterForm(ExactFilterForm):
    lookups = {"station": "station", "role": "role"}
    station = forms.ModelChoiceField(
        label="站点", queryset=Station.objects.none(), required=False, empty_label="全部站点"
    )
    role = forms.ChoiceField(label="角色", choices=[("", "全部角色"), *Role.choices], required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "station", manageable_stations(user))


class AuditFilterForm(StyledForm):
    station = forms.ModelChoiceField(
        label="站点", queryset=Station.objects.none(), required=False, empty_label="全部站点"
    )
    action = forms.ChoiceField(label="操作", required=False)
    actor = forms.CharField(label="操作人", required=False, max_length=40)
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput())
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "station", manageable_stations(user))
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", "全部操作")] + [
            (group.label, [(group.prefix, f"{group.label}（全部）"), *group.actions.items()])
            for group in audit_action_groups()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data

    def apply(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("station"):
            qs = qs.filter(station=data["station"])
        action = data.get("action")
        if action:  # a group's prefix ("news.") takes all of its actions
            qs = qs.filter(action__startswith=action) if action.endswith(".") else qs.filter(action=action)
        if data.get("actor"):
            qs = qs.filter(actor__real_name__contains=data["actor"].strip())
        if data.get("date_from"):
            qs = qs.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(at__date__lte=data["date_to"])
        return qs


class RegisterForm(StyledModelForm):
    """§4.7 片区共享: staff of resident units and people of surrounding communities sign themselves up."""

    password1 = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="再次输入密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    class Meta:
        model = User
        fields = ["real_name", "mobile", "person_kind", "home_station", "place"]
        labels = {"home_station": "常去的站点", "place": "所在社区或街道（周边居民填写）"}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["real_name"].required = True
        self.fields["mobile"].required = True
        self.fields["home_station"].required = True
        kind = self.fields["person_kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k.value, k.label) for k in (PersonKind.STAFF, PersonKind.RESIDENT)]
        limit_choices(
            self, "home_station", Station.objects.filter(is_active=True).order_by("sort_order", "id")
        )
        limit_choices(
            self, "place", Place.objects.select_related("station").order_by("station_id", "kind", "name")
        )
        self.fields["mobile"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_mobile(self) -> str:
        mobile = self.cleaned_data.get("mobile") or ""
        if User.objects.filter(Q(mobile=mobile) | Q(username=mobile)).exists():
            raise forms.ValidationError("该手机号已注册，请直接登录")
        return mobile

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        elif data.get("password1"):
            candidate = User(username=data.get("mobile") or "", real_name=data.get("real_name") or "")
            try:
                password_validation.validate_password(data["password1"], candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        place = data.get("place")
        if place is not None and data.get("home_station") and place.station_id != data["home_station"].pk:
            self.add_error("place", "所选社区不属于该站点的服务片区")
        return data


class PersonForm(StyledModelForm):
    """Station admins keep the people of their stations (contact data is personal: station-scoped)."""

    class Meta:
        model = User
        fields = [
            "real_name",
            "mobile",
            "email",
            "person_kind",
            "home_station",
            "resident_unit",
            "place",
            "organization",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stations = manageable_stations(user)
        self.fields["real_name"].required = True
        self.fields["home_station"].required = True
        limit_choices(self, "home_station", stations)
        limit_choices(
            self,
            "resident_unit",
            ResidentUnit.objects.filter(station__in=stations).select_related("building"),
        )
        limit_choices(self, "place", Place.objects.filter(station__in=stations))
        limit_choices(self, "organization", PartyOrganization.objects.filter(station__in=stations))

    def clean_mobile(self) -> str | None:
        return self.cleaned_data.get("mobile") or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        station = data.get("home_station")
        for name in ("resident_unit", "place", "organization"):
            related = data.get(name)
            if related is not None and station is not None and related.station_id != station.pk:
                self.add_error(name, "不属于所选站点")
        return data


class PersonFilterForm(ExactFilterForm):
    lookups = {"station": "home_station", "person_kind": "person_kind"}
    station = forms.ModelChoiceField(
        label="站点", queryset=Station.objects.none(), required=False, empty_label="全部站点"
    )
    person_kind = forms.ChoiceField(
        label="类别", choices=[("", "全部类别"), *PersonKind.choices], required=False
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "station", manageable_stations(user))
