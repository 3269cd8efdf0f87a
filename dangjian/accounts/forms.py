from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm

from dangjian.accounts.models import User
from dangjian.core.forms import StyledForm, StyledFormMixin, StyledModelForm
from dangjian.core.validators import validate_mobile


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


class TokenForm(StyledForm):
    name = forms.CharField(label="令牌名称", max_length=60, help_text="例如：手机客户端、考勤一体机")
