"""Forms of the development pages: the application, a step, a person, closing, a report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone

from dangjian.core.forms import StyledForm
from dangjian.development.models import CandidateStatus, PersonRole, ReportKind
from dangjian.development.rules import chinese_date
from dangjian.development.selectors import CourseFacts, MeetingFacts
from dangjian.development.services import Applicant, StepInput
from dangjian.members.models import ETHNICITY_CHOICES, HAN, Education, Gender

VOTE_STEPS = ("branch_meeting", "full_meeting")


class CandidateForm(StyledForm):
    organization: forms.ModelChoiceField = forms.ModelChoiceField(label="党支部", queryset=None)  # type: ignore[arg-type, type-arg]
    name = forms.CharField(label="姓名", max_length=30)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    ethnicity = forms.ChoiceField(label="民族", choices=ETHNICITY_CHOICES, initial=HAN)
    birth_date = forms.DateField(label="出生日期")
    education = forms.ChoiceField(label="学历", choices=Education.choices)
    job_title = forms.CharField(label="职务/岗位", max_length=60, required=False)
    phone = forms.CharField(label="手机号码", max_length=11)
    id_number = forms.CharField(label="公民身份号码", max_length=18)
    applied_on = forms.DateField(label="递交入党申请书日期")
    resident_unit: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label="工作单位",
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )

    def __init__(self, *args: Any, organizations: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["resident_unit"].queryset = units  # type: ignore[attr-defined]

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        unit = data.get("resident_unit")
        return Applicant(
            name=data["name"],
            gender=data["gender"],
            birth_date=data["birth_date"],
            education=data["education"],
            phone=data["phone"].strip(),
            id_number=data["id_number"],
            applied_on=data["applied_on"],
            ethnicity=data["ethnicity"],
            job_title=data.get("job_title") or "",
            resident_unit_id=unit.pk if unit else None,
        )


class StepForm(StyledForm):
    done_on = forms.DateField(label="办理日期")
    note = forms.CharField(
        label="情况说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    entitled = forms.IntegerField(label="应到会有表决权人数", min_value=0, max_value=100000, required=False)
    present = forms.IntegerField(label="实到会有表决权人数", min_value=0, max_value=100000, required=False)
    votes_for = forms.IntegerField(label="赞成人数", min_value=0, max_value=100000, required=False)
    training_days = forms.IntegerField(label="培训天数", min_value=0, max_value=365, required=False)
    training_hours = forms.IntegerField(label="培训学时", min_value=0, max_value=10000, required=False)
    notice_from = forms.DateField(label="公示开始日期", required=False)
    notice_until = forms.DateField(label="公示结束日期", required=False)

    FIGURES = {
        "branch_meeting": ("entitled", "present", "votes_for"),
        "full_meeting": ("entitled", "present", "votes_for"),
        "training": ("training_days", "training_hours"),
        "pre_review": ("notice_from", "notice_until"),
    }
    OPTIONAL = (
        "entitled",
        "present",
        "votes_for",
        "training_days",
        "training_hours",
        "notice_from",
        "notice_until",
    )

    meeting = forms.TypedChoiceField(
        label="支部党员大会（取自活动台账）",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="选择后，办理日期、应到和实到人数取自该次会议的台账",
    )
    course = forms.TypedChoiceField(
        label="集中培训课程（取自学习教育）",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="选择后，培训学时取自申请人完成该课程所得学时",
    )

    def __init__(
        self,
        *args: Any,
        step: str,
        entitled: int | None = None,
        meetings: Sequence[MeetingFacts] = (),
        courses: Sequence[CourseFacts] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        keep = self.FIGURES.get(step, ())
        for name in self.OPTIONAL:
            if name not in keep:
                del self.fields[name]
        if "entitled" in self.fields and entitled is not None:
            self.fields["entitled"].initial = entitled
            self.fields["entitled"].help_text = f"按花名册，本支部有表决权的正式党员 {entitled} 人"
        self._offer(
            "meeting",
            "entitled" in self.fields and meetings,
            [
                (m.activity_id, f"{chinese_date(m.held_on)} {m.title}（实到 {m.present} 人）")
                for m in meetings
            ],
        )
        self._offer(
            "course",
            "training_days" in self.fields and courses,
            [
                (c.course_id, f"{c.title}（{chinese_date(c.completed_on)}完成，{c.hours} 学时）")
                for c in courses
            ],
        )
        self.fields["done_on"].initial = timezone.localdate()

    def _offer(self, name: str, wanted: Any, choices: list[tuple[int, str]]) -> None:
        if not wanted:
            del self.fields[name]
            return
        self.fields[name].choices = [("", "不关联，手工填写"), *choices]  # type: ignore[attr-defined]
        self.fields[name].error_messages["invalid_choice"] = "请从列表中选择"

    def step_input(self) -> StepInput:
        data = self.cleaned_data
        return StepInput(
            done_on=data["done_on"],
            note=data.get("note") or "",
            meeting_id=data.get("meeting"),
            course_id=data.get("course"),
            **{name: data.get(name) for name in self.OPTIONAL if name in self.fields},
        )


class PersonForm(StyledForm):
    role = forms.ChoiceField(label="身份", choices=PersonRole.choices)
    user = forms.TypedChoiceField(label="正式党员", coerce=int, choices=())

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "请选择…"), *members]  # type: ignore[attr-defined]


class CloseForm(StyledForm):
    status = forms.ChoiceField(
        label="终止原因",
        choices=[
            (CandidateStatus.REFUSED, CandidateStatus.REFUSED.label),
            (CandidateStatus.WITHDRAWN, CandidateStatus.WITHDRAWN.label),
        ],
    )
    note = forms.CharField(label="情况说明", max_length=300)


class ReportForm(StyledForm):
    kind = forms.ChoiceField(label="类别", choices=ReportKind.choices, initial=ReportKind.EVALUATION)
    filed_on = forms.DateField(label="日期")
    content = forms.CharField(label="考察情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["filed_on"].initial = timezone.localdate()


class CandidateFilterForm(StyledForm):
    stage = forms.TypedChoiceField(label="阶段", coerce=int, required=False, choices=())
    overdue = forms.BooleanField(label="只看逾期", required=False)

    def __init__(self, *args: Any, stages: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "全部阶段"), *stages]  # type: ignore[attr-defined]


class SignedDocumentForm(StyledForm):
    """Upload of a step's document signed: the choice is one of the steps done and its documents."""

    document = forms.ChoiceField(label="材料")
    file = forms.FileField(label="签字后的扫描件或照片（PDF、图片或 Word）")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = choices  # type: ignore[attr-defined]
        self.fields["document"].error_messages["invalid_choice"] = "请选择已办理步骤的材料"

    def step_and_title(self) -> tuple[str, str]:
        step, _, title = self.cleaned_data["document"].partition(":")
        return step, title


class OverviewFilterForm(StyledForm):
    station = forms.TypedChoiceField(label="站点", coerce=int, required=False, choices=())
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, choices=())

    def __init__(self, *args: Any, stations: list[tuple[int, str]], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [("", "全部站点"), *stations]  # type: ignore[attr-defined]
        self.fields["year"].choices = [(year, f"{year}年") for year in reversed(years)]  # type: ignore[attr-defined]
