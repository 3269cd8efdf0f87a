"""Forms of the joint-meeting pages (联席会议, DB3212/T 1124 §7.4). They check what a person typed; the
rules (who convenes, which states allow what, who may represent or own) are joint.py's, whose refusals the
views show on the same form."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.accounts.models import User
from dangjian.activities.forms import DATETIME_FORMATS, _datetime_widget, _organization_label
from dangjian.activities.models import DecisionStatus, JointDecision, JointMeeting, JointMeetingInvitee
from dangjian.core.forms import BoundedModelChoiceField, StyledForm, StyledModelForm, limit_choices
from dangjian.organizations.models import PartyOrganization

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _person_label(person: User) -> str:
    return person.display_name


class JointMeetingForm(StyledModelForm):
    """Plan or change a meeting: its name, time, place, agenda and the organisations invited."""

    organizations = forms.ModelMultipleChoiceField(
        label="参会党组织",
        queryset=PartyOrganization.objects.none(),
        help_text="各党组织的书记、委员收到通知并派代表参加（电脑上按住控制键点选多个）",
    )

    class Meta:
        model = JointMeeting
        fields = ["title", "starts_at", "location", "agenda"]
        widgets = {
            "starts_at": _datetime_widget(),
            "agenda": forms.Textarea(attrs={"rows": 8, "class": "editor"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "organizations",
            PartyOrganization.objects.filter(is_active=True)
            .select_related("station")
            .order_by("station__sort_order", "station_id", "name"),
            label=_organization_label,
        )
        starts_at = self.fields["starts_at"]
        assert isinstance(starts_at, forms.DateTimeField)
        starts_at.input_formats = DATETIME_FORMATS
        self.fields["agenda"].required = False
        if self.instance.pk is not None and not self.is_bound:
            self.initial["organizations"] = list(
                self.instance.invitees.values_list("organization_id", flat=True)
            )


class JointRecordForm(StyledForm):
    """The meeting as held: per invited organisation whether it attended and who represented it
    (`attended_<pk>`, `representative_<pk>`), then the minutes."""

    minutes = forms.CharField(
        label="会议纪要", max_length=100_000, widget=forms.Textarea(attrs={"rows": 8, "class": "editor"})
    )

    def __init__(
        self,
        *args: Any,
        invitees: list[JointMeetingInvitee],
        choices: dict[int, list[User]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.invitees = invitees
        for invitee in invitees:
            pk = invitee.organization_id
            # added after the Styled mixin ran: styled and bounded here
            self.fields[f"attended_{pk}"] = forms.BooleanField(
                label=f"{invitee.organization.name} 出席",
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            representative = BoundedModelChoiceField(
                label=f"{invitee.organization.name} 参会代表",
                queryset=User.objects.filter(pk__in=[p.pk for p in choices.get(pk, [])]),
                required=False,
                empty_label="未指定",
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            representative.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
            self.fields[f"representative_{pk}"] = representative
            if not self.is_bound:
                self.initial[f"attended_{pk}"] = invitee.attended
                self.initial[f"representative_{pk}"] = invitee.representative_id
        self.order_fields([name for name in self.fields if name != "minutes"])  # the minutes last

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for invitee in self.invitees:
            pk = invitee.organization_id
            if data.get(f"representative_{pk}") is not None and not data.get(f"attended_{pk}"):
                self.add_error(f"attended_{pk}", "填写了参会代表的党组织请勾选出席")
        return data

    def attended(self) -> dict[int, User | None]:
        """The attending organisations (by pk) and their representatives, for `joint_meeting_record`."""
        data = self.cleaned_data
        return {
            i.organization_id: data.get(f"representative_{i.organization_id}")
            for i in self.invitees
            if data.get(f"attended_{i.organization_id}")
        }


class JointDecisionForm(StyledModelForm):
    """A decision (议定事项) with its owner and due date; the owner is picked among `owner_choices`."""

    class Meta:
        model = JointDecision
        fields = ["content", "owner", "due_on"]
        widgets = {"due_on": forms.DateInput()}
        help_texts = {"owner": "参会党组织的党员，或所在站点、总站的工作人员"}

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", owners, label=_person_label)


class FollowUpForm(StyledForm):
    status = forms.ChoiceField(label="落实情况", choices=DecisionStatus.choices)
    note = forms.CharField(
        label="进展说明",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明已做的工作；记入跟进记录",
    )


class JointYearForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR)
