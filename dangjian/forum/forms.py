"""Forms of the forum pages: they check what a person typed (lengths, NUL characters, at most
MAX_IMAGES pictures); the services check everything again and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from dangjian.core.forms import StyledForm
from dangjian.forum.models import BODY_MAX, MAX_IMAGES, REPLY_MAX, TITLE_MAX, TopicKind

NO_NUL = [ProhibitNullCharactersValidator()]


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Up to MAX_IMAGES pictures chosen at once (their content is checked by the service)."""

    widget = MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(ImagesField, self).clean(item, initial) for item in files if item]
        if len(files) > MAX_IMAGES:
            raise forms.ValidationError(f"每条最多上传 {MAX_IMAGES} 张图片", code="too_many")
        return files


def _images() -> ImagesField:
    return ImagesField(
        label="图片", required=False, help_text=f"可选，最多 {MAX_IMAGES} 张，JPEG、PNG 或 WebP 格式"
    )


class TopicForm(StyledForm):
    kind = forms.ChoiceField(label="类型", choices=TopicKind.choices, initial=TopicKind.DISCUSSION)
    title = forms.CharField(label="标题", max_length=TITLE_MAX, validators=NO_NUL)
    body = forms.CharField(
        label="内容", max_length=BODY_MAX, validators=NO_NUL, widget=forms.Textarea(attrs={"rows": 6})
    )
    images = _images()


class ReplyForm(StyledForm):
    body = forms.CharField(
        label="回复内容", max_length=REPLY_MAX, validators=NO_NUL, widget=forms.Textarea(attrs={"rows": 3})
    )
    images = _images()
    as_answer = forms.BooleanField(label="作为指导员答复（标记为已答复）", required=False, initial=True)


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label="原因", max_length=200, validators=NO_NUL, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(StyledForm):
    reason = forms.CharField(
        label="举报理由",
        max_length=200,
        validators=NO_NUL,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="请说明该内容的问题，如广告、不实信息、人身攻击",
    )
