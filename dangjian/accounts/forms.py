from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db.models import Q, QuerySet

from dangjian.accounts.models import PersonKind, Role, User
from dangjian.core.audit import audit_action_groups
from dangjian.core.forms import ExactFilterForm, StyledForm, StyledFormMixin, StyledModelForm, limit_choices
from dangjian.core.validators import validate_mobile
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Building, GridArea, Place, ResidentUnit, Station
from dangjian.stations.selectors import manageable_stations


class LoginForm(StyledForm):
    username = forms.CharField(
        label="用户名或手机号",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ProfileForm(StyledModelForm):
    class Meta:
        model = User
        fields = ["real_name", "mobile", "email"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["real_name"].required = True
        self.fields["mobile"].widget.attrs["inputmode"] = "tel"

    def clean_mobile(self) -> str | None:
        return self.cleaned_data.get("mobile") or None


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    """A new password chosen through an e-mailed link (Django's reset confirm view)."""


class EmailPasswordResetForm(StyledFormMixin, PasswordResetForm):
    """忘记密码 by e-mail. Unlike Django's form it also reaches accounts that never had a password
    (members imported or added by an admin): the e-mailed link is how they choose their first one."""

    email = forms.EmailField(
        label="电子邮箱",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text="填写在个人中心登记的邮箱；没有登记邮箱的，请用短信验证码或请党组织书记、管理员重置",
    )

    def get_users(self, email: str) -> Any:
        wanted = email.casefold()
        found = User.objects.filter(email__iexact=email, is_active=True)
        return (user for user in found if (user.email or "").casefold() == wanted)


class SmsCodeForm(StyledForm):
    """Mobile and code; the “获取验证码” button posts `send`, the main button signs in or resets."""

    mobile = forms.CharField(
        label="手机号码",
        max_length=11,
        validators=[validate_mobile],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, sending: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sending = sending

    def clean_mobile(self) -> str:
        return (self.cleaned_data.get("mobile") or "").strip()

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if self.sending:
            return code
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("请输入短信中的 6 位数字验证码")
        return code


class SmsResetForm(SmsCodeForm):
    new_password1 = forms.CharField(
        label="新密码",
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，须包含大写字母、小写字母、数字、符号中的至少 3 类",
    )
    new_password2 = forms.CharField(
        label="再次输入新密码",
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.sending:
            return data
        first, second = data.get("new_password1") or "", data.get("new_password2") or ""
        if not first:
            self.add_error("new_password1", "请设置新密码")
        elif first != second:
            self.add_error("new_password2", "两次输入的密码不一致")
        else:
            candidate = User(username=data.get("mobile") or "", mobile=data.get("mobile") or "")
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return data


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


class TokenForm(StyledForm):
    name = forms.CharField(label="令牌名称", max_length=60, help_text="例如：手机客户端、考勤一体机")


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
