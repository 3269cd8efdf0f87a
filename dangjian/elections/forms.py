"""Forms of the election pages: the request, the decision, the candidates, the meeting, the result."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.forms import StyledForm
from dangjian.elections.models import ElectionCandidate, ElectionStatus
from dangjian.elections.services import MeetingInput, RequestInput
from dangjian.organizations.models import CommitteePosition

NAMED_POSITIONS = [
    (value, label) for value, label in CommitteePosition.choices if value != CommitteePosition.MEMBER
]
STATUS_FILTERS = [("", "全部状态"), ("waiting", "待批复"), *ElectionStatus.choices]


class FilterForm(StyledForm):
    status = forms.ChoiceField(label="状态", choices=STATUS_FILTERS, required=False)
    station = forms.TypedChoiceField(label="站点", choices=[], coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, stations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [("", "全部站点"), *stations]  # type: ignore[attr-defined]


class RequestForm(StyledForm):
    organization: forms.ModelChoiceField = forms.ModelChoiceField(label="党组织", queryset=None)  # type: ignore[arg-type, type-arg]
    seats = forms.IntegerField(label="应选委员人数", min_value=1, max_value=31, initial=3)
    positions = forms.MultipleChoiceField(
        label="拟设职务",
        choices=NAMED_POSITIONS,
        initial=[CommitteePosition.SECRETARY],
        widget=forms.CheckboxSelectMultiple,
        help_text="其余席位为委员",
    )
    planned_on = forms.DateField(label="计划选举日期")
    reason = forms.CharField(
        label="请示事由", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def request_input(self) -> RequestInput:
        data = self.cleaned_data
        return RequestInput(
            seats=data["seats"],
            positions=tuple(data["positions"]),
            planned_on=data["planned_on"],
            reason=data.get("reason") or "",
        )


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label="批复", choices=[("approve", "同意"), ("refuse", "不同意")], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="批复意见", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, refuse_label: str = "不同意", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("approve", "同意"), ("refuse", refuse_label)]  # type: ignore[attr-defined]

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class CandidatesForm(StyledForm):
    candidates: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(  # type: ignore[type-arg]
        label="候选人",
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
        help_text="本组织的正式党员；候选人数不得少于应选人数，可多于应选人数（差额选举）",
        error_messages={"required": "请选择候选人", "invalid_choice": "候选人须为本组织的正式党员"},
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = members  # type: ignore[attr-defined]
        self.fields["candidates"].label_from_instance = lambda user: user.display_name  # type: ignore[attr-defined]


class MeetingForm(StyledForm):
    meeting_on = forms.DateField(label="选举日期")
    present = forms.IntegerField(label="实到会有选举权人数", min_value=0, max_value=100000)
    ballots_issued = forms.IntegerField(label="发出选票（张）", min_value=0, max_value=100000)
    ballots_returned = forms.IntegerField(label="收回选票（张）", min_value=0, max_value=100000)

    def __init__(self, *args: Any, candidates: list[ElectionCandidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for candidate in candidates:
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=f"{candidate.name} 得票数",
                min_value=0,
                max_value=100000,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )

    def meeting_input(self) -> MeetingInput:
        data = self.cleaned_data
        return MeetingInput(
            meeting_on=data["meeting_on"],
            present=data["present"],
            ballots_issued=data["ballots_issued"],
            ballots_returned=data["ballots_returned"],
            votes={c.pk: data[f"votes_{c.pk}"] for c in self.candidates},
        )


class ResultForm(StyledForm):
    def __init__(
        self, *args: Any, elected: list[ElectionCandidate], positions: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.elected = elected
        labels = dict(CommitteePosition.choices)
        choices = [(p, labels[p]) for p in positions if p in labels] + [
            (CommitteePosition.MEMBER, labels[CommitteePosition.MEMBER])
        ]
        for candidate in elected:
            self.fields[f"position_{candidate.pk}"] = forms.ChoiceField(
                label=f"{candidate.name}（得票 {candidate.votes}）",
                choices=[("", "请选择分工"), *choices],
                initial=candidate.position or "",
                error_messages={"required": "请确定分工", "invalid_choice": "分工不正确"},
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def positions(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"position_{c.pk}"] for c in self.elected}
