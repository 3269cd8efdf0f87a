"""Forms of party-affairs disclosure (DB3212/T 1124 §6.3 党务公开)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from dangjian.core.forms import StyledForm, StyledModelForm, limit_choices
from dangjian.core.workflow import ReviewStatus
from dangjian.disclosures.models import PERIOD_ORDER_MESSAGE, Category, Disclosure
from dangjian.disclosures.permissions import is_any_instructor
from dangjian.disclosures.selectors import awaiting_review_by, working_organizations, writer_organizations
from dangjian.organizations.models import PartyOrganization


class DisclosureForm(StyledModelForm):
    """A draft: which organisation, what, for which period, for whom."""

    class Meta:
        model = Disclosure
        fields = ["organization", "category", "title", "period_start", "period_end", "visibility", "body"]
        widgets = {
            "period_start": forms.DateInput(),
            "period_end": forms.DateInput(),
            "body": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "period_start": "本次公开所涉及期间的第一天，如一个季度的首日",
            "visibility": "公开：任何人可见；本站点人员：登录的本站点人员可见；本组织党员：本组织党员可见",
            "body": "直接输入文字，空一行即分段；也可粘贴带格式的内容（保存时仅保留安全的格式）",
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "organization",
            writer_organizations(user),
            label=lambda org: f"{org.name}（{org.station.name}）",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start and "period_end" not in self.errors:
            self.add_error("period_end", PERIOD_ORDER_MESSAGE)
        return data


class DisclosureFilterForm(StyledForm):
    """Filters of the management list; instructors also get “待我审核”."""

    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *ReviewStatus.choices], required=False
    )
    category = forms.ChoiceField(label="类别", choices=[("", "全部类别"), *Category.choices], required=False)
    organization = forms.ModelChoiceField(
        label="党组织", queryset=PartyOrganization.objects.none(), required=False, empty_label="全部党组织"
    )
    mine = forms.BooleanField(label="待我审核", required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        limit_choices(self, "organization", working_organizations(user))
        if not is_any_instructor(user):
            del self.fields["mine"]

    def apply(self, qs: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
        data = self.cleaned_data
        condition = Q()
        for name in ("status", "category", "organization"):
            if data.get(name):
                condition &= Q(**{name: data[name]})
        if data.get("mine"):
            condition &= awaiting_review_by(self.user)
        return qs.filter(condition)


class CategoryFilterForm(StyledForm):
    """The category chips of an organisation's public index."""

    category = forms.ChoiceField(label="类别", choices=[("", "全部"), *Category.choices], required=False)


class CommentForm(StyledForm):
    """The comment or reason posted with a workflow action."""

    comment = forms.CharField(label="意见或原因", max_length=500, required=False)
