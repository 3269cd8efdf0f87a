"""Forms of the learning pages. They check what a person typed; the rules of learning (who may write or
assign, states, limits) are the services', whose refusals the views show on the same form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dangjian.accounts.models import Role
from dangjian.core.forms import StyledForm, validate_date_range
from dangjian.learning.models import AssignmentKind, Category, LessonKind, QuestionKind

ANY = [("", "全部类别")]


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class CatalogueFilterForm(StyledForm):
    category = forms.ChoiceField(label="类别", required=False, choices=ANY + list(Category.choices))
    q = forms.CharField(label="搜索课程", required=False, max_length=50)


class CourseForm(StyledForm):
    title = forms.CharField(label="课程名称", max_length=120)
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    description = forms.CharField(
        label="课程简介", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    cover = forms.ImageField(label="封面图", required=False)


class LessonForm(StyledForm):
    title = forms.CharField(label="课时名称", max_length=120)
    kind = forms.ChoiceField(label="类型", choices=LessonKind.choices)
    upload = forms.FileField(
        label="视频或文档", required=False, help_text="视频为 MP4；文档为 PDF；电子书为电子书格式文件或 PDF。"
    )
    duration_seconds = forms.IntegerField(
        label="视频时长（秒）",
        required=False,
        min_value=1,
        max_value=24 * 3600,
        help_text="不填则从视频文件读取。",
    )
    page_count = forms.IntegerField(label="页数", required=False, min_value=1, max_value=5000, initial=1)
    body = forms.CharField(label="图文内容", required=False, widget=forms.Textarea(attrs={"rows": 6}))


class QuestionForm(StyledForm):
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    text = forms.CharField(label="题干", max_length=500)
    choices = forms.CharField(
        label="选项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="选择题每行一个选项。",
    )
    answer = forms.CharField(
        label="答案",
        max_length=500,
        help_text="选择题填正确选项的序号，如“1”或“1,3”；判断题填“正确”或“错误”；填空题每行一个参考答案。",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation = forms.CharField(label="解析", required=False, max_length=1000)
    points = forms.IntegerField(label="分值", min_value=1, max_value=100, initial=1)
    lesson = forms.TypedChoiceField(label="所属课时", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, lessons: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "lesson").choices = [("", "整门课程")] + [
            (lesson.pk, lesson.title) for lesson in lessons
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, raw = data.get("kind"), data.get("answer", "")
        # as the service takes them: the options as a list, the answer key in its canonical form
        data["choices"] = [line.strip() for line in data.get("choices", "").splitlines() if line.strip()]
        data["answer"] = _answer_key(kind, raw)
        return data


def _answer_key(kind: Any, raw: str) -> list[Any]:
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        parts = [p.strip() for p in raw.replace("，", ",").replace("、", ",").split(",") if p.strip()]
        if not all(p.isdigit() and 1 <= int(p) <= 99 for p in parts):
            raise ValidationError({"answer": "请填写正确选项的序号，如“1”或“1,3”"})
        return [int(p) - 1 for p in parts]
    if kind == QuestionKind.TRUE_FALSE:
        if raw.strip() not in ("正确", "错误"):
            raise ValidationError({"answer": "判断题的答案请填写“正确”或“错误”"})
        return [raw.strip() == "正确"]
    return [line.strip() for line in raw.splitlines() if line.strip()]


class QuizForm(StyledForm):
    title = forms.CharField(label="测验名称", max_length=120)
    lesson = forms.TypedChoiceField(label="所属课时", required=False, coerce=int, empty_value=None)
    draw_count = forms.IntegerField(label="每次抽题数", min_value=1, max_value=200)
    pass_percent = forms.IntegerField(label="及格分（百分制）", min_value=0, max_value=100, initial=60)
    max_attempts = forms.IntegerField(label="可作答次数", min_value=1, max_value=20, initial=3)
    time_limit_minutes = forms.IntegerField(label="限时（分钟）", required=False, min_value=1, max_value=600)
    is_exam = forms.BooleanField(label="考试（通过加学时）", required=False)

    def __init__(self, *args: Any, lessons: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "lesson").choices = [("", "结业考试（整门课程）")] + [
            (lesson.pk, lesson.title) for lesson in lessons
        ]


class CommentForm(StyledForm):
    comment = forms.CharField(
        label="意见", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(StyledForm):
    course = forms.TypedChoiceField(label="课程", coerce=int)
    deadline = forms.DateField(
        label="完成期限", validators=[validate_date_range], widget=forms.DateInput(attrs={"type": "date"})
    )
    organizations = forms.TypedMultipleChoiceField(label="党组织", required=False, coerce=int)
    roles = forms.MultipleChoiceField(label="角色", required=False, choices=Role.choices)
    kind = forms.ChoiceField(label="类别", choices=AssignmentKind.choices)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args: Any, courses: list[Any], organizations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "course").choices = [(c.pk, c.title) for c in courses]
        _choice(self, "organizations").choices = [
            (o.pk, f"{o.station.name} · {o.name}") for o in organizations
        ]
